import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = 'bench/results';
const BIOME = fileURLToPath(new URL('../../node_modules/.bin/biome', import.meta.url));

/**
 * JSON as `biome format` leaves it (short arrays on one line), so that `npx biome check` passes
 * on bench/results. Without Biome (or if it fails): JSON.stringify's layout, still valid JSON.
 */
const formatJson = (file: string, value: unknown): string => {
  const json = `${JSON.stringify(value, null, 2)}\n`;
  try {
    return execFileSync(BIOME, ['format', `--stdin-file-path=${file}`], {
      input: json,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    });
  } catch {
    return json;
  }
};

/**
 * A run's start as it goes into a file name: `2026-12-01T23-55-33` for
 * `2026-12-01T23:55:33.123Z` (UTC, to the second; no colons, which some file systems refuse).
 */
export const fileTime = (isoDate: string): string => isoDate.slice(0, 19).replaceAll(':', '-');

/**
 * Writes a benchmark's result to bench/results/<name>.json and returns the file's path. Never
 * overwrites a result: if that file exists (a run in the same second, a name without a time),
 * it writes <name>-2.json, <name>-3.json and so on.
 */
export const writeResultsFile = (name: string, result: unknown, dir = RESULTS_DIR): string => {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; ; n++) {
    const file = `${dir}/${name}${n === 1 ? '' : `-${n}`}.json`;
    try {
      writeFileSync(file, formatJson(file, result), { flag: 'wx' });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
};
