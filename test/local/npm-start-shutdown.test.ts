import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../src/local/free-port.js';
import { javaProcessesWith, pollUntil } from '../support/processes.js';
import { SERVER_START_TIMEOUT_MS } from '../support/product-server.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 90_000;
/** Generous: stopping takes about a second; a loaded machine may take many. */
const STOP_TIMEOUT_MS = 30_000;

interface NpmStart {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** npm leads its own process group: the job a terminal runs in the foreground. */
  group: number;
  dataDir: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: NpmStart[] = [];

afterEach(async () => {
  for (const { group, dataDir } of running.splice(0)) {
    // A failed test must not leave its server or its java behind.
    if (groupMembers(group).length > 0) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // ended between the look and the kill
      }
    }
    await pollUntil(() => javaProcessesWith(dataDir).length === 0, STOP_TIMEOUT_MS);
    await rm(dataDir, { recursive: true, force: true });
  }
});

/** Process ids in a process group; pgrep's exit status 1 means none, anything else fails. */
const groupMembers = (group: number): string[] => {
  try {
    return execFileSync('pgrep', ['-g', String(group)], { encoding: 'utf8' })
      .split(/\s+/)
      .filter(Boolean);
  } catch (error) {
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
};

/** The exit status a shell reports: 128 + the signal's number for a process it killed. */
const shellStatus = ({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }) =>
  signal ? 128 + constants.signals[signal] : code;

/** `npm start` as a user runs it, on a free port and a fresh data dir. */
const startNpm = async (): Promise<NpmStart> => {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'npm-start-shutdown-'));
  // --ignore-scripts skips only the prestart step (npm still runs `start` itself), which
  // could rebuild web/dist while other test files serve it.
  const child = spawn('npm', ['start', '--ignore-scripts'], {
    cwd: PROJECT_ROOT,
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SEND_RATE_LIMIT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (child.pid === undefined) throw new Error('npm did not start');
  const started: NpmStart = { child, group: child.pid, dataDir, exited };
  running.push(started);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  await pollUntil(() => ended || output.includes('is ready at'), READY_TIMEOUT_MS);
  if (ended) throw new Error(`npm start exited before it was ready:\n${output}`);
  const health = await fetch(`http://127.0.0.1:${port}/api/health`);
  expect(health.status).toBe(200);
  // The needle must find this java, or "none left" below would prove nothing.
  expect(javaProcessesWith(dataDir)).toHaveLength(1);
  return started;
};

describe('npm start', () => {
  it(
    'Ctrl-C (SIGINT to the whole foreground process group) ends npm, the server and DynamoDB Local',
    async () => {
      const { group, dataDir, exited } = await startNpm();

      // A terminal's Ctrl-C signals every process of the foreground job, not npm alone.
      process.kill(-group, 'SIGINT');

      expect(shellStatus(await exited)).toBe(128 + constants.signals.SIGINT);
      await pollUntil(() => javaProcessesWith(dataDir).length === 0, STOP_TIMEOUT_MS);
      await pollUntil(() => groupMembers(group).length === 0, STOP_TIMEOUT_MS);
      // npm forwards the SIGINT to the server a second time: the server must finish its
      // shutdown all the same, releasing the data dir, not die in the middle of it.
      expect(existsSync(join(dataDir, 'dynamodb-local.json'))).toBe(false);
    },
    SERVER_START_TIMEOUT_MS + STOP_TIMEOUT_MS,
  );

  it(
    'SIGTERM to npm alone (a supervisor, `kill <pid>`) stops it all cleanly: exit 143, data dir released',
    async () => {
      const { child, group, dataDir, exited } = await startNpm();

      child.kill('SIGTERM');

      expect(shellStatus(await exited)).toBe(128 + constants.signals.SIGTERM);
      await pollUntil(() => javaProcessesWith(dataDir).length === 0, STOP_TIMEOUT_MS);
      await pollUntil(() => groupMembers(group).length === 0, STOP_TIMEOUT_MS);
      // Released by the server's own shutdown, not left for the next start to find stale.
      expect(existsSync(join(dataDir, 'dynamodb-local.json'))).toBe(false);
    },
    SERVER_START_TIMEOUT_MS + STOP_TIMEOUT_MS,
  );
});
