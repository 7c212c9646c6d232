import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/local/free-port.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_LINE = 'is ready at';
const READY_TIMEOUT_MS = 90_000;

/** For a `beforeAll` that starts a server: more than vitest's default, less than CI's patience. */
export const SERVER_START_TIMEOUT_MS = READY_TIMEOUT_MS + 30_000;
const STOP_GRACE_MS = 20_000;

export interface RunningServer {
  /** http://127.0.0.1:<port>: the web app at /, the API under /api. */
  url: string;
  /** Ctrl-C and start again, same port and data: browsers lose their push connection. */
  restart(): Promise<void>;
  /**
   * SIGKILL (a crash: no cleanup at all), then start again on the same port and data.
   * `whileDown` runs in between, e.g. to let a proxy in front of its database pass again.
   */
  crashAndRestart(whileDown?: () => void | Promise<void>): Promise<void>;
  /** Ctrl-C, wait for the exit, delete the data dir. */
  stop(): Promise<void>;
  /** The server process (for its memory), and its data dir (for its DynamoDB Local). */
  pid(): number | undefined;
  dataDir: string;
}

type ServerProcess = ChildProcessByStdio<null, Readable, Readable>;

/** SIGINT, as Ctrl-C: the server stops the stream consumer and DynamoDB Local itself. */
const interrupt = async (child: ServerProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
};

/** `npm start`'s command, without npm: the ready line is then ours to read. */
const launch = async (
  port: number,
  dataDir: string,
  extraEnv: Record<string, string>,
): Promise<ServerProcess> => {
  const child: ServerProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SEND_RATE_LIMIT: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`The server was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`)),
        READY_TIMEOUT_MS,
      );
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes(READY_LINE)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`The server exited (${code ?? signal}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    await interrupt(child);
    throw error;
  }
  return child;
};

/**
 * The whole product as `npm start` starts it (DynamoDB Local, demo data, stream consumer,
 * API, web app), on a free port and a fresh data dir: each test file gets its own world.
 */
export const startServer = async (
  options: { web?: boolean; env?: Record<string, string> } = {},
): Promise<RunningServer> => {
  const { web = true, env = {} } = options;
  if (web && !existsSync(join(PROJECT_ROOT, 'web/dist/index.html'))) {
    throw new Error('web/dist/index.html is missing: run `npm run build` before the web tests.');
  }
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'cruddur-web-test-'));
  let child: ServerProcess;
  try {
    child = await launch(port, dataDir, env);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    pid: () => child.pid,
    restart: async () => {
      await interrupt(child);
      child = await launch(port, dataDir, env);
    },
    crashAndRestart: async (whileDown) => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
      await whileDown?.();
      child = await launch(port, dataDir, env);
    },
    stop: async () => {
      await interrupt(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
