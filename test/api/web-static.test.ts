import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import { localApiContext } from '../../src/api/create-context.js';
import type { Messaging } from '../../src/messaging/messaging.js';

// The web app as npm start serves it (web/dist): each file's brotli or gzip copy, made at build
// time, chosen by Accept-Encoding. A web root of its own: the test does not depend on a build.

const SCRIPT = `console.log(${JSON.stringify('cruddur '.repeat(200))});`;
const PAGE = '<!doctype html><title>Cruddur</title><div id="root"></div>';

let root: string;
let app: FastifyInstance;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cruddur-web-static-'));
  mkdirSync(join(root, 'assets'));
  const files = { 'index.html': PAGE, 'assets/index-abc123.js': SCRIPT };
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(root, name), text);
    writeFileSync(join(root, `${name}.br`), brotliCompressSync(text));
    writeFileSync(join(root, `${name}.gz`), gzipSync(text));
  }
  const issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
  // No route of the API is called: the core is never reached.
  const context = localApiContext({} as Messaging, issuer, async () => true);
  app = await buildApp({ context, webRoot: root });
});
afterAll(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (url: string, acceptEncoding?: string) =>
  app.inject({
    method: 'GET',
    url,
    headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
  });

describe('the web app under npm start', () => {
  it('sends the brotli copy to a browser that accepts it, the gzip copy to one that accepts only gzip', async () => {
    const brotli = await get('/assets/index-abc123.js', 'gzip, deflate, br');
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(brotli.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(SCRIPT);

    const gzip = await get('/assets/index-abc123.js', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(SCRIPT);
  });

  it('sends the file itself, still varying on Accept-Encoding, to a client that accepts neither', async () => {
    const plain = await get('/assets/index-abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.body).toBe(SCRIPT);
  });

  it('lets browsers keep hashed assets, never index.html, which every route of the app answers', async () => {
    expect((await get('/assets/index-abc123.js', 'br')).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    for (const url of ['/', '/messages/some-conversation']) {
      const page = await get(url, 'br');
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-encoding'], url).toBe('br');
      expect(page.headers['cache-control'], url).toBe('public, max-age=0');
      expect(brotliDecompressSync(page.rawPayload).toString(), url).toBe(PAGE);
    }
  });
});
