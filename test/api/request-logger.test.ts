import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import { localApiContext } from '../../src/api/create-context.js';
import { requestLogger } from '../../src/api/request-logger.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

const t = withTestTable();

describe('request logs', () => {
  it('never hold a token, neither from the event stream url nor from a header', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
    const messaging = t.messaging();
    const user = await messaging.createUser({ handle: uniqueHandle('log'), displayName: 'Log' });
    const token = await issuer.issue(user);
    const app = await buildApp({
      context: localApiContext(messaging, issuer, async () => true),
      logger: { ...(requestLogger({ LOG_LEVEL: 'info' }) as object), stream },
    });
    onTestFinished(() => app.close());
    const base = await app.listen({ port: 0, host: '127.0.0.1' });

    // A client may put its token in any query string (the WebSocket takes it there): never logged.
    const config = await fetch(`${base}/api/config?x=1&access_token=${token}`);
    expect(config.status).toBe(200);
    // The query parser decodes names: an encoded name must not be logged either.
    const encoded = await fetch(`${base}/api/config?access%5Ftoken=${token}`);
    expect(encoded.status).toBe(200);
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);

    const urls = lines.flatMap((line) => {
      const url = (JSON.parse(line) as { req?: { url?: string } }).req?.url;
      return url ? [url] : [];
    });
    expect(urls).toEqual([
      '/api/config?x=1&access_token=[redacted]',
      '/api/config?access%5Ftoken=[redacted]',
      '/api/me',
    ]);
    expect(lines.join('')).not.toContain(token);
  });
});
