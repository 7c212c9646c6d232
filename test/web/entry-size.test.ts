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

const entryOf = (chunks: Manifest): [string, ManifestChunk] => {
  const entries = Object.entries(chunks).filter(([, chunk]) => chunk.isEntry);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, ManifestChunk];
};

describe('the web app entry script (web/dist, Vite manifest)', () => {
  it(`is at most ${ENTRY_BROTLI_BUDGET / 1000} KB with brotli, as npm start sends it`, () => {
    const [, entry] = entryOf(manifest());
    const raw = readFileSync(join(DIST, entry.file));
    // The precompressed copy the server sends (web/vite.config.ts), and a fresh compression
    // of the script, which the copy must not be staler or larger than.
    const sent = readFileSync(join(DIST, `${entry.file}.br`));
    const fresh = brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
    });
    expect(sent.length).toBe(fresh.length);
    expect(sent.length, `${entry.file}: ${raw.length} B raw`).toBeLessThanOrEqual(
      ENTRY_BROTLI_BUDGET,
    );
    expect(existsSync(join(DIST, `${entry.file}.gz`))).toBe(true);
  });

  it('leaves the inspector and the signed-in screens to chunks loaded when first opened', () => {
    const chunks = manifest();
    const [entryKey, entry] = entryOf(chunks);
    const first = [...loadedFirst(chunks, entryKey)];
    for (const lazy of [
      'src/features/inspector/InspectorPage.tsx',
      'src/app/routes/messages-screens.ts',
    ]) {
      expect(chunks[lazy]?.isDynamicEntry, lazy).toBe(true);
      expect(entry.dynamicImports).toContain(lazy);
    }
    expect(first.filter((key) => key.startsWith('src/features/inspector/'))).toEqual([]);
    expect(first).not.toContain('src/app/routes/messages-screens.ts');
  });
});
