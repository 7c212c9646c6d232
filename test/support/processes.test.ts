import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { javaProcessesWith } from './processes.js';

const dir = mkdtempSync(join(tmpdir(), 'fake-pgrep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for pgrep that runs `body` as a shell script. */
const fakePgrep = (body: string): string => {
  const path = join(dir, `pgrep-${randomUUID()}`);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
};

describe('javaProcessesWith: the java-leak check', () => {
  it('finds no process for a needle nothing mentions, with the real pgrep', () => {
    expect(javaProcessesWith(`-port ${randomUUID()}`)).toEqual([]);
  });

  it('reads "exit status 1, nothing printed" as no process', () => {
    expect(javaProcessesWith('-port 1', { pgrep: fakePgrep('exit 1') })).toEqual([]);
  });

  it('lists java itself running DynamoDB Local, not the shell that watches it', () => {
    const pgrep = fakePgrep(
      [
        "echo '101 /usr/bin/java -jar /x/DynamoDBLocal.jar -port 8001'",
        "echo '102 sh -c while :; do java -jar /x/DynamoDBLocal.jar -port 8001; done'",
        "echo '103 /usr/bin/java -jar /x/DynamoDBLocal.jar -port 8002'",
      ].join('\n'),
    );
    expect(javaProcessesWith('-port 8001', { pgrep })).toEqual([
      '101 /usr/bin/java -jar /x/DynamoDBLocal.jar -port 8001',
    ]);
  });

  it.each([
    ['pgrep is missing', join(dir, 'no-such-pgrep'), /ENOENT/],
    ['pgrep is used wrongly (exit 2)', fakePgrep('echo "bad usage" >&2; exit 2'), /exit status 2/],
    ['pgrep fails (exit 3)', fakePgrep('exit 3'), /exit status 3/],
    ['pgrep says something on exit 1', fakePgrep('echo "odd" >&2; exit 1'), /exit status 1: odd/],
    ['pgrep is killed', fakePgrep('kill -TERM $$'), /killed by SIGTERM/],
  ])('throws when %s', (_name, pgrep, message) => {
    expect(() => javaProcessesWith('-port 1', { pgrep })).toThrow(message);
  });
});
