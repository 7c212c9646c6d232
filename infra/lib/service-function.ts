import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  type ICommandHooks,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOCK_FILE, REPO_ROOT } from './paths.js';

/**
 * An ES module has no `require`, `__filename` or `__dirname`, but the CommonJS packages
 * bundled into it use them: Fastify and its plugins `require()` Node's built-ins (esbuild
 * turns those into a call that throws without a real `require`), and @fastify/swagger-ui reads
 * its files relative to `__dirname`. The banner defines them once for the whole bundle.
 */
const ESM_COMMONJS_SHIM = [
  "import { createRequire as __shimCreateRequire } from 'node:module';",
  "import { fileURLToPath as __shimFileURLToPath } from 'node:url';",
  "import { dirname as __shimDirname } from 'node:path';",
  'const require = __shimCreateRequire(import.meta.url);',
  'const __filename = __shimFileURLToPath(import.meta.url);',
  'const __dirname = __shimDirname(__filename);',
].join(' ');

/**
 * How every function's code is built: NodejsFunction's esbuild options, and the same for the
 * modules bundled into files of their own (`separateModules`, see `esbuildCommand`).
 */
const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  // Prefer packages' ESM builds: smaller bundles, no CommonJS interop where avoidable.
  mainFields: ['module', 'main'],
  banner: ESM_COMMONJS_SHIM,
  minify: true,
  // Function and class names stay readable in logs and stack traces (an error's `name` is its
  // class's: src/messaging/errors.ts). Unless a function says otherwise (`keepNames`).
  keepNames: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.EXTERNAL,
  sourcesContent: false,
} satisfies BundlingOptions;

const ESBUILD = join(
  dirname(createRequire(import.meta.url).resolve('esbuild')),
  '..',
  'bin',
  'esbuild',
);

/** One argument of a POSIX shell command line, quoted. */
const shellWord = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * The shell command that bundles `entry` into `outfile` as NodejsFunction bundles a function
 * (the esbuild arguments it derives from BUNDLING).
 */
const esbuildCommand = (entry: string, outfile: string, keepNames: boolean): string =>
  [
    ESBUILD,
    '--bundle',
    entry,
    `--target=${BUNDLING.target}`,
    '--platform=node',
    `--format=${BUNDLING.format}`,
    `--outfile=${outfile}`,
    ...(BUNDLING.minify ? ['--minify'] : []),
    ...(keepNames ? ['--keep-names'] : []),
    ...(BUNDLING.sourceMap ? [`--sourcemap=${BUNDLING.sourceMapMode}`] : []),
    `--sources-content=${BUNDLING.sourcesContent}`,
    `--banner:js=${BUNDLING.banner}`,
    `--main-fields=${BUNDLING.mainFields.join(',')}`,
    '--log-level=warning',
  ]
    .map(shellWord)
    .join(' ');

export interface ServiceFunctionProps {
  /** The TypeScript module that exports the handler. */
  entry: string;
  /** The export Lambda calls: `handler` unless said. */
  handler?: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  /** Whether the log group outlives the stack (production) or goes with it (dev). */
  logRemovalPolicy: RemovalPolicy;
  /** Shell commands run after esbuild, e.g. to copy files the bundle reads at runtime. */
  afterBundling?: ICommandHooks['afterBundling'];
  /**
   * Modules the code imports by a relative path (`import('./docs-page.js')`) that go into a file
   * of that name beside the bundle instead of into it, bundled the same way: a cold start
   * reads and compiles only the main bundle, and their code is loaded on the first import.
   * Import path → the TypeScript module. The folder gets a package.json of `"type": "module"`,
   * so that Node loads those `.js` files as ES modules.
   */
  separateModules?: Record<string, string>;
  /**
   * Function and class names kept in the minified code (esbuild's keepNames; default on): an
   * error's class name in the logs, function names in stack traces. The cost is a call per
   * named function as the code loads and about 8% more code; for the API, about 35 ms of a
   * cold start (docs/performance.md).
   */
  keepNames?: boolean;
  /**
   * Packages the main bundle gets a module of ours for instead (esbuild's alias): for code that
   * is required but never called in the function. Package → module.
   */
  stubbedPackages?: Record<string, string>;
  /**
   * Packages left out of the main bundle (esbuild's external), for imports the function never
   * runs: one that did would fail, as the function has no node_modules.
   */
  leftOutPackages?: string[];
}

/**
 * A Lambda function built from this repository's TypeScript, the way every function of the
 * stack is built: esbuild on this machine (never Docker), ESM for Node 22 on ARM, its own log
 * group with a retention, and its own role that starts with nothing but writing to that log
 * group. Callers add exactly the permissions their code needs.
 */
export class ServiceFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const separateModules = Object.entries(props.separateModules ?? {});
    const keepNames = props.keepNames ?? BUNDLING.keepNames;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    // An explicit role instead of the default one with AWSLambdaBasicExecutionRole: that
    // managed policy lets a function create any log group and write to all of them.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
      inlinePolicies: {
        logs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [this.logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      // Graviton: about 20 % cheaper per GB-second than x86, and nothing here is native code.
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      environment: {
        ...props.environment,
        // Node maps stack traces to src/*.ts only for code that names its map (a
        // `//# sourceMappingURL=` comment), and SourceMapMode.EXTERNAL writes the map beside the
        // bundle without one, so this flag maps nothing: traces name the bundle's lines (and,
        // with keepNames, the functions' own names); index.mjs.map beside it maps them by hand.
        // Linking the map would make every cold start read and parse it first (the API's: 2 MB,
        // about a tenth more work; docs/performance.md).
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        ...BUNDLING,
        keepNames,
        // Bundle the AWS SDK too: the deployed code runs the SDK version the tests ran
        // against, not whichever one the Lambda runtime happens to ship this month.
        bundleAwsSDK: true,
        // Synthesis must work offline on machines without Docker: fail instead of trying it.
        forceDockerBundling: false,
        ...(separateModules.length || props.leftOutPackages
          ? {
              externalModules: [
                ...separateModules.map(([importPath]) => importPath),
                ...(props.leftOutPackages ?? []),
              ],
            }
          : {}),
        ...(props.stubbedPackages
          ? {
              esbuildArgs: {
                '--alias': Object.entries(props.stubbedPackages).map(
                  ([name, stub]) => `${name}=${stub}`,
                ),
              },
            }
          : {}),
        ...(props.afterBundling || separateModules.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir, outputDir) => [
                  ...(props.afterBundling?.(inputDir, outputDir) ?? []),
                  ...separateModules.map(([importPath, entry]) =>
                    esbuildCommand(entry, join(outputDir, importPath), keepNames),
                  ),
                  ...(separateModules.length
                    ? [`echo '{"type":"module"}' > ${shellWord(join(outputDir, 'package.json'))}`]
                    : []),
                ],
              },
            }
          : {}),
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the runtime the esbuild target (node22) and the tests assume; ' +
        'move both together to nodejs24.x before nodejs22.x is deprecated (Node 22 ends ' +
        'April 2027).',
    });
  }
}
