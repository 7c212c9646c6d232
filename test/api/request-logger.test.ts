import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import { localApiContext } from '../../src/api/create-context.js';
import { prettyLogStream } from '../../src/api/pretty-log.js';
import { requestLogger } from '../../src/api/request-logger.js';
import { type LogConfig, loadLogConfig } from '../../src/config.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

const t = withTestTable();

/** A stream that keeps what is written to it, one entry per write. */
const collector = () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
};

/**
 * The app with `log`, writing to `stream` (JSON) or through the pretty printer to it; asks
 * /api/config with the token in its query string, once as named and once with the name
 * encoded, then /api/me with the token in a header. The token, for the assertions.
 */
const serveThreeRequests = async (log: LogConfig, stream: Writable, pretty = false) => {
  const issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
  const messaging = t.messaging();
  const user = await messaging.createUser({ handle: uniqueHandle('log'), displayName: 'Log' });
  const token = await issuer.issue(user);
  const logger = pretty
    ? requestLogger(log, prettyLogStream(stream))
    : { ...(requestLogger(log) as object), stream };
  const app = await buildApp({
    context: localApiContext(messaging, issuer, async () => true),
    logger,
  });
  onTestFinished(() => app.close());
  const base = await app.listen({ port: 0, host: '127.0.0.1' });

  // A client may put its token in any query string (the WebSocket takes it there): never logged.
  expect((await fetch(`${base}/api/config?x=1&access_token=${token}`)).status).toBe(200);
  // The query parser decodes names: an encoded name must not be logged either.
  expect((await fetch(`${base}/api/config?access%5Ftoken=${token}`)).status).toBe(200);
  const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);
  await app.close();
  return token;
};

describe('request logs', () => {
  it('are one JSON line per request when asked, never holding a token (url or header)', async () => {
    const { lines, stream } = collector();
    const token = await serveThreeRequests(
      { level: 'info', requests: true, format: 'json' },
      stream,
    );
    const requests = lines
      .map((line) => JSON.parse(line) as { msg?: string; req?: { url?: string }; res?: object })
      .filter((line) => line.req);
    expect(requests.map((line) => line.msg)).toEqual(Array(3).fill('request completed'));
    expect(requests.map((line) => line.req?.url)).toEqual([
      '/api/config?x=1&access_token=[redacted]',
      '/api/config?access%5Ftoken=[redacted]',
      '/api/me',
    ]);
    expect(requests.every((line) => line.res)).toBe(true);
    expect(lines.join('')).not.toContain(token);
  });

  it('are not written at the default level unless asked', async () => {
    const { lines, stream } = collector();
    await serveThreeRequests(loadLogConfig({}, false), stream);
    expect(lines.filter((line) => line.includes('"req"'))).toEqual([]);
  });

  it('are readable lines through the pretty printer, redacted alike', async () => {
    const { lines, stream } = collector();
    const token = await serveThreeRequests(
      { level: 'info', requests: true, format: 'pretty' },
      stream,
      true,
    );
    const text = stripVTControlCharacters(lines.join(''));
    const requests = text.split('\n').filter((line) => line.includes(' GET '));
    expect(requests).toEqual([
      expect.stringMatching(
        / INFO.*: GET \/api\/config\?x=1&access_token=\[redacted\] 200 \d+ ms$/,
      ),
      expect.stringMatching(/ INFO.*: GET \/api\/config\?access%5Ftoken=\[redacted\] 200 \d+ ms$/),
      expect.stringMatching(/ INFO.*: GET \/api\/me 200 \d+ ms$/),
    ]);
    expect(text).not.toContain(token);
  });
});
