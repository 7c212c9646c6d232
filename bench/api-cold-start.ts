// The API function's cold start, measured on this machine: the stack is synthesized with its
// functions bundled as for a deploy (esbuild, infra/lib/service-function.ts), then RUNS fresh
// Node processes each import the API bundle and answer one event
// (test/infra/support/cold-start.mjs), with the function's NODE_OPTIONS and a Cognito-mode
// environment. Prints the bundle's size and the median of each figure; give the machine's load
// (`uptime`) with any figure quoted.
// Usage: node --import tsx bench/api-cold-start.ts [bundle.mjs]   (RUNS=9 by default)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../infra/lib/app.js';

const RUNNER = fileURLToPath(new URL('../test/infra/support/cold-start.mjs', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 9);

/** The API function's bundle: the one asset that has Swagger UI's files beside it. */
const synthesizeApiBundle = (outdir: string): string => {
  const { app } = createApp({
    outdir,
    builtinCloudFormationValidation: false,
    context: { webDist: join(outdir, 'no-web-build') },
  });
  app.synth();
  const asset = readdirSync(outdir).find(
    (name) => name.startsWith('asset.') && readdirSync(join(outdir, name)).includes('static'),
  );
  if (!asset) throw new Error('no API bundle in the cloud assembly');
  return join(outdir, asset, 'index.mjs');
};

const scratch = mkdtempSync(join(tmpdir(), 'cruddur-cold-start-'));
try {
  const bundle = process.argv[2] ?? synthesizeApiBundle(join(scratch, 'cdk.out'));
  const env = {
    ...process.env,
    AUTH_MODE: 'cognito',
    COGNITO_USER_POOL_ID: 'us-east-1_Example01',
    COGNITO_CLIENT_ID: 'exampleclientid0123456789',
    DDB_TABLE: 'cruddur-messages',
    WEB_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
    CURSOR_SECRET: 'a-test-cursor-secret-of-at-least-32-bytes',
    SEND_RATE_LIMIT: '120',
    LOG_LEVEL: 'silent',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const runs = Array.from(
    { length: RUNS },
    () =>
      JSON.parse(
        execFileSync(process.execPath, ['--enable-source-maps', RUNNER, bundle], {
          env,
        }).toString(),
      ) as Record<'import' | 'first' | 'total' | 'cpu' | 'status', number>,
  );
  const median = (key: 'import' | 'first' | 'total' | 'cpu') => {
    const sorted = runs.map((run) => run[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  console.log(
    JSON.stringify({
      bundleBytes: statSync(bundle).size,
      runs: RUNS,
      statuses: [...new Set(runs.map((run) => run.status))],
      medianMs: {
        import: median('import'),
        first: median('first'),
        total: median('total'),
        cpu: median('cpu'),
      },
      loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
    }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
