import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../../src/local/free-port.js';
import { javaProcessesWith, pollUntil } from '../support/processes.js';
import { SERVER_START_TIMEOUT_MS } from '../support/product-server.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `npm start`'s command on a free port and a fresh data dir, with `env`; its output so far, and
 * its exit. Stopped (SIGINT, as Ctrl-C) at the end of the test.
 */
const start = async (env: Record<string, string>) => {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'local-mode-host-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, SEED: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run = { output: '', code: undefined as number | null | undefined, port, dataDir };
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      run.code = code;
      resolve();
    }),
  );
  for (const stream of [child.stdout, child.stderr])
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      run.output += chunk;
    });
  onTestFinished(async () => {
    if (run.code === undefined) child.kill('SIGINT');
    await exited;
    await pollUntil(() => javaProcessesWith(dataDir).length === 0, 30_000);
    await rm(dataDir, { recursive: true, force: true });
  });
  return { run, exited };
};

describe('npm start keeps local mode on this machine', () => {
  it('refuses HOST=0.0.0.0 in local mode with one line naming the risk and the way out, before DynamoDB Local starts', async () => {
    const { run, exited } = await start({ HOST: '0.0.0.0' });
    await exited;
    expect(run.code).toBe(1);
    const lines = run.output.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /^npm start: HOST=0\.0\.0\.0 would serve local mode to every machine .* ALLOW_REMOTE_LOCAL_MODE=1 if you mean it\.$/,
    );
    expect(run.output).not.toMatch(/DynamoDB Local|is ready at/);
    expect(javaProcessesWith(run.dataDir)).toEqual([]);
  });

  it('serves it with ALLOW_REMOTE_LOCAL_MODE=1, warning at start', {
    timeout: SERVER_START_TIMEOUT_MS,
  }, async () => {
    const { run } = await start({ HOST: '0.0.0.0', ALLOW_REMOTE_LOCAL_MODE: '1' });
    await pollUntil(() => run.output.includes('is ready at') || run.code !== undefined, 90_000);
    expect(run.output).toMatch(
      /^WARNING: local mode on HOST=0\.0\.0\.0 \(ALLOW_REMOTE_LOCAL_MODE=1\)/m,
    );
    // 0.0.0.0 is every interface, loopback included.
    expect((await fetch(`http://127.0.0.1:${run.port}/api/health`)).status).toBe(200);
  });
});
