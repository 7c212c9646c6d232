import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Synthesized } from './synthesize.js';

const RUNNER = fileURLToPath(new URL('./invoke-bundle.mjs', import.meta.url));

/** The function of the template whose description matches. */
const functionOf = (s: Synthesized, description: RegExp) => {
  const fn = Object.values(s.template.findResources('AWS::Lambda::Function')).find((r) =>
    description.test(String(r.Properties.Description)),
  );
  if (!fn) throw new Error(`no function described as ${description}`);
  return fn;
};

/** The bundle esbuild wrote into the cloud assembly for the function whose description matches. */
export const bundleOf = (s: Synthesized, description: RegExp): string => {
  const fn = functionOf(s, description);
  // The function's code is the asset `<hash>.zip`, staged as the folder asset.<hash>/.
  const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
  const file = join(s.outdir, `asset.${hash}`, 'index.mjs');
  if (!existsSync(file)) throw new Error(`no bundle at ${file}`);
  return file;
};

/**
 * The environment the stack gives the function whose description matches: each literal value
 * as the template has it, each value CloudFormation resolves at deploy time (a Ref, an
 * Fn::Join: a table name, a pool id, a URL) from `deployTime`, which must name exactly those.
 * A literal the stack adds later is passed on as is; a deploy-time one fails until given here.
 */
export const stackEnvironmentOf = (
  s: Synthesized,
  description: RegExp,
  deployTime: Record<string, string>,
): Record<string, string> => {
  const variables: Record<string, unknown> =
    functionOf(s, description).Properties.Environment?.Variables ?? {};
  const resolved = Object.keys(variables).filter((key) => typeof variables[key] !== 'string');
  const given = Object.keys(deployTime);
  if (resolved.sort().join() !== given.sort().join()) {
    throw new Error(
      `the stack resolves ${resolved.join(', ')} at deploy time; values given for ${given.join(', ')}`,
    );
  }
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : String(deployTime[key]),
    ]),
  );
};

/**
 * Invokes the bundle's `handler` with each event in turn, in a Node process of its own (as
 * Lambda loads it: Node's ESM loader, not the test runner's), with `env` added to this
 * process's environment (undefined removes a variable). Returns the handler's results.
 */
export const invokeBundle = (
  file: string,
  events: unknown[],
  env: Record<string, string | undefined>,
): Promise<unknown[]> =>
  new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete childEnv[key];
      else childEnv[key] = value;
    }
    const child = execFile(
      process.execPath,
      ['--enable-source-maps', RUNNER, file],
      { env: childEnv, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as unknown[]);
      },
    );
    child.stdin?.end(JSON.stringify(events));
  });

/**
 * Points the AWS SDK inside a bundle at DynamoDB Local with standard SDK settings only: the
 * deployed entry points know nothing of DYNAMODB_ENDPOINT (the stream entry even refuses it).
 */
export const dynamoDbLocalEnv = (endpoint: string): Record<string, string | undefined> => ({
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  DYNAMODB_ENDPOINT: undefined,
  DDB_TARGET: undefined,
});
