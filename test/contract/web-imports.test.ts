import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The web app shares the server's wire contract without bundling server code: values come
 * only from src/contract/ (dependency-free), everything else of src/ as `import type` or
 * `export type` (the wire types of src/api/schemas.ts, the frames of src/realtime/frames.ts),
 * which the build erases. A value import of src/api/schemas.ts would put TypeBox in the bundle.
 * That src/contract/ itself imports nothing is Biome's folder rule contract-imports-nothing
 * (biome.json; test/architecture/folder-rules.test.ts).
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const WEB_SRC = join(ROOT, 'web', 'src');

const sourcesOf = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesOf(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });

/** Every static and dynamic import and re-export: whether it is type-only, and its target. */
const importsOf = (source: string) => [
  ...[...source.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^;'"]*?\bfrom\s+)?'([^']+)'/gm)].map(
    ([, type, specifier]) => ({ typeOnly: type !== undefined, specifier: specifier ?? '' }),
  ),
  ...[...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map(([, specifier]) => ({
    typeOnly: false,
    specifier: specifier ?? '',
  })),
];

describe('web/src and src/', () => {
  it('meet only through src/contract/ values and type-only imports', () => {
    const fromServer: string[] = [];
    const valueImports: string[] = [];
    for (const file of sourcesOf(WEB_SRC)) {
      for (const { typeOnly, specifier } of importsOf(readFileSync(file, 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = relative(ROOT, resolve(file, '..', specifier));
        if (!target.startsWith('src/')) continue;
        fromServer.push(target);
        if (!typeOnly && !target.startsWith('src/contract/'))
          valueImports.push(`${relative(ROOT, file)}: ${specifier}`);
      }
    }
    expect(fromServer).toContain('src/api/schemas');
    expect(fromServer).toContain('src/contract/limits');
    expect(valueImports).toEqual([]);
  });
});
