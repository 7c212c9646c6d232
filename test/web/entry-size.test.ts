import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// The entry script is what every visitor downloads before the first screen shows (issue 20:
// first paint on a phone). Read from the build's manifest (web/vite.config.ts: `manifest`);
// `npm test` builds web/dist first when it is older than its sources.

const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
/** The budget, as sent to a browser that accepts brotli. */
const ENTRY_BROTLI_BUDGET = 100_000;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const manifest = (): Manifest =>
  JSON.parse(readFileSync(join(DIST, '.vite/manifest.json'), 'utf8')) as Manifest;

/** The manifest keys of the entry and of every chunk it imports statically (what loads first). */
const loadedFirst = (chunks: Manifest, key: string, seen = new Set<string>()): Set<string> => {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of chunks[key]?.imports ?? []) loadedFirst(chunks, imported, seen);
  return seen;
};

/** The page's entry: the chunk of index.html's script. */
const ENTRY = 'index.html';

const entryOf = (chunks: Manifest): ManifestChunk => {
  const entry = chunks[ENTRY];
  expect(entry?.isEntry, `${ENTRY} in the manifest`).toBe(true);
  return entry as ManifestChunk;
};

/** A file's precompressed brotli copy, checked against a fresh compression of the file. */
const brotliSize = (file: string): number => {
  const raw = readFileSync(join(DIST, file));
  // The copy the server sends (web/vite.config.ts), which must not be staler or larger than
  // a compression of the script now.
  const sent = readFileSync(join(DIST, `${file}.br`));
  const fresh = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
  });
  expect(sent.length, file).toBe(fresh.length);
  expect(existsSync(join(DIST, `${file}.gz`)), `${file}.gz`).toBe(true);
  return sent.length;
};

describe('the web app entry script (web/dist, Vite manifest)', () => {
  it(`is at most ${ENTRY_BROTLI_BUDGET / 1000} KB with brotli, with all it imports, as npm start sends it`, () => {
    const chunks = manifest();
    entryOf(chunks);
    // The entry and what it imports statically: the boot script (which index.html also runs
    // on its own, web/vite.config.ts) and the modules they share.
    const files = [...loadedFirst(chunks, ENTRY)].map((key) => chunks[key]?.file ?? key);
    const sizes = files.map((file) => [file, brotliSize(file)] as const);
    const total = sizes.reduce((sum, [, size]) => sum + size, 0);
    expect(total, sizes.map(([file, size]) => `${file}: ${size} B`).join(', ')).toBeLessThanOrEqual(
      ENTRY_BROTLI_BUDGET,
    );
  });

  it('leaves the inspector and the signed-in screens to chunks loaded when first opened', () => {
    const chunks = manifest();
    entryOf(chunks);
    const first = [...loadedFirst(chunks, ENTRY)];
    const importedOnDemand = first.flatMap((key) => chunks[key]?.dynamicImports ?? []);
    for (const lazy of [
      'src/features/inspector/InspectorPage.tsx',
      'src/app/routes/messages-screens.ts',
    ]) {
      expect(chunks[lazy]?.isDynamicEntry, lazy).toBe(true);
      expect(importedOnDemand).toContain(lazy);
    }
    expect(first.filter((key) => key.startsWith('src/features/inspector/'))).toEqual([]);
    expect(first).not.toContain('src/app/routes/messages-screens.ts');
  });
});
