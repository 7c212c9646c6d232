import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { javaProcessesWith } from '../support/processes.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `npm start`'s command with `env` on a fresh data dir, run to its exit: output and code. */
const runToExit = async (env: Record<string, string>) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'npm-start-config-'));
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, SEED: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { output, code, dataDir };
};

describe('npm start refuses a bad variable before it starts anything', () => {
  it.each([
    [
      'STREAM_BATCH_SIZE',
      'lots',
      'STREAM_BATCH_SIZE must be a whole number from 1 to 1000, got "lots".',
    ],
    [
      'LOG_LEVEL',
      'verbose',
      'LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent, got "verbose".',
    ],
  ])(
    '%s=%s: one line naming it, the value and what is allowed; exit 1',
    async (name, value, message) => {
      const { output, code, dataDir } = await runToExit({ [name]: value });
      expect(code).toBe(1);
      expect(output).toBe(`npm start: ${message}\n`);
      // Nothing was started: no DynamoDB Local, not even its files.
      expect(javaProcessesWith(dataDir)).toEqual([]);
      expect(existsSync(join(dataDir, 'dynamodb'))).toBe(false);
    },
  );
});
