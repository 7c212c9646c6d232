import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileTime, writeResultsFile } from '../../bench/lib/results-file.js';

describe('benchmark results files', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('names a run by its start to the second, without colons', () => {
    expect(fileTime('2026-12-01T23:55:33.123Z')).toBe('2026-12-01T23-55-33');
  });

  it('never overwrites a result: a second file of the same name gets -2, a third -3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
    dirs.push(dir);
    const name = `${fileTime('2026-12-01T23:55:33.123Z')}-partial`;
    const files = [1, 2, 3].map((run) => writeResultsFile(name, { run }, dir));
    expect(files).toEqual([
      `${dir}/2026-12-01T23-55-33-partial.json`,
      `${dir}/2026-12-01T23-55-33-partial-2.json`,
      `${dir}/2026-12-01T23-55-33-partial-3.json`,
    ]);
    expect(readdirSync(dir)).toHaveLength(3);
    expect(files.map((file) => JSON.parse(readFileSync(file, 'utf8')))).toEqual([
      { run: 1 },
      { run: 2 },
      { run: 3 },
    ]);
  });
});
