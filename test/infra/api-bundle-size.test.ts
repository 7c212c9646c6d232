import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOf } from './support/bundles.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

/**
 * The API bundle's budget: V8 reads and compiles all of index.mjs on every cold start, before
 * the first answer, and compiling is most of a cold start's work (docs/performance.md, "API
 * cold start"). 1,076,147 B on 2026-12-02, from 1,751,526 B before the docs page, yaml,
 * @fastify/static, @fastify/ajv-compiler, the SDK's unused credential sources, @fastify/swagger
 * (the OpenAPI document's maker) and ip-address left it and keepNames went off. Raise it only
 * with a reason, after looking at what grew (esbuild's metafile says who brings what); code
 * that only some requests need can go into a file of its own beside it, as the docs page does.
 */
const API_BUNDLE_BUDGET_BYTES = 1_095_000;

let s: Synthesized;
let bundle: string;
beforeAll(() => {
  s = synthesize({ bundle: true });
  bundle = bundleOf(s, /HTTP API/);
});
afterAll(() => s.cleanup());

describe('the API function bundle (as cdk synth builds it)', () => {
  it(`stays within its ${API_BUNDLE_BUDGET_BYTES.toLocaleString('en')} B budget`, () => {
    expect(statSync(bundle).size).toBeLessThanOrEqual(API_BUNDLE_BUDGET_BYTES);
  });

  it('leaves the docs page to a file of its own beside it, an ES module loaded on demand', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code).toContain('import("./docs-page.js")');
    const docsPage = join(dirname(bundle), 'docs-page.js');
    expect(existsSync(docsPage)).toBe(true);
    expect(JSON.parse(readFileSync(join(dirname(bundle), 'package.json'), 'utf8'))).toEqual({
      type: 'module',
    });
    // Swagger UI's page.
    expect(readFileSync(docsPage, 'utf8')).toContain('swagger-initializer');
    expect(code).not.toContain('swagger-initializer');
  });

  it('leaves @fastify/swagger to a file of its own beside it, loaded for the OpenAPI document', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code).toContain('import("./openapi-document.js")');
    const maker = join(dirname(bundle), 'openapi-document.js');
    expect(existsSync(maker)).toBe(true);
    // The plugin's default option for hidden routes' tag.
    expect(readFileSync(maker, 'utf8')).toContain('X-HIDDEN');
    expect(code).not.toContain('X-HIDDEN');
  });

  it("has a stub for ip-address, which @fastify/rate-limit requires for a key the API's limit never uses", () => {
    expect(readFileSync(bundle, 'utf8')).toContain('ip-address is not in the API bundle');
  });
});
