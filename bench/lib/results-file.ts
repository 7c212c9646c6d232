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

/** Writes a benchmark's result to bench/results/<name>.json; returns the file's path. */
export const writeResultsFile = (name: string, result: unknown): string => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}/${name}.json`;
  writeFileSync(file, formatJson(file, result));
  return file;
};
