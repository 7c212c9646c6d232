// The API function's cold start, this tree against a baseline commit, on this machine.
//
// What is measured: a fresh Node process (test/infra/support/cold-start.mjs) imports the API
// function's bundle as the Lambda runtime does (Node's own ESM loader) and answers one event,
// GET /api/config (no database), with the function's NODE_OPTIONS from the synthesized template
// and a Cognito-mode environment. Figures: wall time of the import, of the first answer, of both
// (total), and the process's CPU time for both. Each bundle is the one `cdk synth` builds
// (esbuild, infra/lib/service-function.ts) from that tree: the baseline's from `git archive` of
// BASELINE into a scratch folder, built with this tree's node_modules.
//
// How: RUNS rounds (15 by default), each one fresh process per bundle, the bundles' order
// alternating from round to round, so that both see the same machine; printed: each figure's
// median per bundle, the change of the medians, the median of the rounds' own changes (this
// bundle's run against the baseline's of the same round), and the load average before and
// after. On a shared machine, compare figures only within one run and quote the load with them.
//
// INSTRUCTIONS=1 also counts the instructions of one cold start per bundle under valgrind
// (cachegrind, no cache simulation; a minute or so each), less those of the same runner
// importing an empty handler (Node's own start): a figure a busy machine does not move.
//
// Usage: node --import tsx bench/api-cold-start.ts
//   BASELINE=<commit>  (default bc73104, the tree before issue 20's cold-start work; "none": skip)
//   RUNS=<n>           (default 15)
//   INSTRUCTIONS=1     (needs valgrind)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNNER = join(REPO_ROOT, 'test/infra/support/cold-start.mjs');
const RUNS = Number(process.env.RUNS ?? 15);
const BASELINE = process.env.BASELINE ?? 'bc73104';
const INSTRUCTIONS = process.env.INSTRUCTIONS === '1';

interface ApiBundle {
  /** index.mjs in the cloud assembly. */
  file: string;
  /** The function's NODE_OPTIONS ('' when it has none). */
  nodeOptions: string;
}

type Figure = 'import' | 'first' | 'total' | 'cpu';
type Run = Record<Figure | 'status', number>;

/**
 * In a child process (`--synth <root> <outdir>`): synthesizes the app of the tree at `root` with
 * its functions bundled and prints the API function's bundle and NODE_OPTIONS as JSON.
 */
const synthesizeHere = async (root: string, outdir: string): Promise<void> => {
  const { createApp } = (await import(pathToFileURL(join(root, 'infra/lib/app.ts')).href)) as {
    createApp: (props: object) => {
      app: { synth(): { stacks: { template: { Resources: Record<string, Resource> } }[] } };
    };
  };
  const { app } = createApp({
    outdir,
    builtinCloudFormationValidation: false,
    context: { webDist: join(outdir, 'no-web-build') },
  });
  const functions = app
    .synth()
    .stacks.flatMap((stack) => Object.values(stack.template.Resources))
    .filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        /HTTP API/.test(String(resource.Properties.Description)),
    );
  const [api] = functions;
  if (!api || functions.length > 1) throw new Error('not exactly one API function in the stack');
  const bundle: ApiBundle = {
    // The function's code is the asset <hash>.zip, staged as the folder asset.<hash>/.
    file: join(
      outdir,
      `asset.${String(api.Properties.Code.S3Key).replace(/\.zip$/, '')}`,
      'index.mjs',
    ),
    nodeOptions: api.Properties.Environment?.Variables?.NODE_OPTIONS ?? '',
  };
  process.stdout.write(`${JSON.stringify(bundle)}\n`);
};

interface Resource {
  Type: string;
  Properties: {
    Description?: string;
    Code: { S3Key: string };
    Environment?: { Variables?: Record<string, string> };
  };
}

/** The API bundle of the tree at `root`, synthesized into `outdir` by a child process. */
const synthesize = (root: string, outdir: string): ApiBundle => {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--synth', root, outdir],
    // The bundle's description on stdout; esbuild's size report on stderr, shown only on failure.
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  ).toString();
  return JSON.parse(output.trim().split('\n').at(-1) ?? '') as ApiBundle;
};

/** The tree of `commit`, with this tree's node_modules, in `folder`. */
const checkOut = (commit: string, folder: string): string => {
  mkdirSync(folder);
  execFileSync('sh', ['-c', `git archive "$1" | tar -x -C "$2"`, 'sh', commit, folder], {
    cwd: REPO_ROOT,
  });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(folder, 'node_modules'));
  return folder;
};

/** The environment the stack gives the function, with test values; no database is reached. */
const functionEnv = (nodeOptions: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {
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
    NODE_OPTIONS: nodeOptions,
  };
  if (!nodeOptions) delete env.NODE_OPTIONS;
  return env;
};

const coldStart = (bundle: ApiBundle): Run =>
  JSON.parse(
    execFileSync(process.execPath, [RUNNER, bundle.file], {
      env: functionEnv(bundle.nodeOptions),
    }).toString(),
  ) as Run;

/** Instructions a cold start of `file` executes, Node's own start included. */
const instructionsOf = (file: string, nodeOptions: string): number => {
  const run = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      // V8 writes the code it then runs.
      '--smc-check=all-non-file',
      process.execPath,
      RUNNER,
      file,
    ],
    { env: functionEnv(nodeOptions) },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(String(run.stderr))?.[1];
  if (run.status !== 0 || !refs) throw new Error(`valgrind failed on ${file}: ${run.stderr}`);
  return Number(refs.replaceAll(',', ''));
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const load = () => loadavg().map((value) => Math.round(value * 100) / 100);

const main = () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cruddur-cold-start-'));
  try {
    const bundles: [string, ApiBundle][] = [];
    if (BASELINE !== 'none') {
      const root = checkOut(BASELINE, join(scratch, 'baseline'));
      bundles.push([`baseline ${BASELINE}`, synthesize(root, join(scratch, 'baseline.out'))]);
    }
    bundles.push(['this tree', synthesize(REPO_ROOT, join(scratch, 'current.out'))]);

    const loadBefore = load();
    const runs = bundles.map((): Run[] => []);
    for (let round = 0; round < RUNS; round++) {
      const order = bundles.map((_, index) => index);
      if (round % 2) order.reverse();
      for (const index of order) {
        const bundle = bundles[index];
        if (bundle) runs[index]?.push(coldStart(bundle[1]));
      }
    }
    const results = bundles.map(([name, bundle], index) => {
      const of = (figure: Figure) => median((runs[index] ?? []).map((run) => run[figure]));
      return {
        name,
        bundleBytes: statSync(bundle.file).size,
        nodeOptions: bundle.nodeOptions,
        statuses: [...new Set(runs[index]?.map((run) => run.status))],
        medianMs: { import: of('import'), first: of('first'), total: of('total'), cpu: of('cpu') },
      };
    });
    const [baseline, current] = results.length === 2 ? results : [undefined, results[0]];
    const percent = (ratio: number) => `${Math.round((ratio - 1) * 100)}%`;
    let instructions: Record<string, number | string> | undefined;
    if (INSTRUCTIONS) {
      const empty = join(scratch, 'empty-handler.mjs');
      writeFileSync(empty, 'export const handler = async () => ({ statusCode: 200 });\n');
      instructions = {};
      for (const [name, bundle] of bundles) {
        instructions[name] =
          instructionsOf(bundle.file, bundle.nodeOptions) -
          instructionsOf(empty, bundle.nodeOptions);
      }
      const [first, second] = Object.values(instructions) as number[];
      if (first && second) instructions.change = percent(second / first);
    }
    const change = (figure: Figure) =>
      baseline && current ? percent(current.medianMs[figure] / baseline.medianMs[figure]) : '';
    // Each round's two runs saw the same machine: the median of their ratios leans less on
    // load that came and went during the run than the ratio of the medians does.
    const pairedChange = (figure: Figure) =>
      percent(
        median(
          (runs[1] ?? []).map((run, round) => run[figure] / (runs[0]?.[round]?.[figure] ?? NaN)),
        ),
      );
    console.log(
      JSON.stringify(
        {
          measured: `median of ${RUNS} fresh processes per bundle, alternating; import + first answer of GET /api/config`,
          results,
          ...(baseline
            ? {
                change: { total: change('total'), cpu: change('cpu') },
                medianOfRoundChanges: { total: pairedChange('total'), cpu: pairedChange('cpu') },
              }
            : {}),
          ...(instructions ? { instructionsBeyondNodesStart: instructions } : {}),
          loadAverage: { before: loadBefore, after: load() },
        },
        null,
        2,
      ),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
};

if (process.argv[2] === '--synth') {
  const [root, outdir] = process.argv.slice(3);
  if (!root || !outdir) throw new Error('usage: api-cold-start.ts --synth <root> <outdir>');
  await synthesizeHere(root, outdir);
} else {
  main();
}
