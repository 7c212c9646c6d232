import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableHealthCheck } from '../../src/api/health-check.js';
import { Messaging } from '../../src/messaging/messaging.js';
import { connectDynamo } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { errorOf, withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const api = withApi(t);
const limited = withApi(t, { sendRateLimit: 3 });
const down = withApi(t, { checkHealth: async () => false });
/** A core whose listing fails the way a bug would: with an internal message that must not leak. */
class BrokenMessaging extends Messaging {
  override async listMessageGroups(): Promise<never> {
    throw new Error('ValidationException: internal detail at DynamoDB');
  }
}
const broken = withApi(t, { messaging: new BrokenMessaging({ table: t.table }) });
/** DynamoDB gone: nothing listens on port 9 of loopback. */
const unreachable = connectDynamo({ endpoint: 'http://127.0.0.1:9' });
const outage = withApi(t, {
  messaging: new Messaging({ table: new DynamoTable(unreachable.doc, { tableName: t.tableName }) }),
  checkHealth: tableHealthCheck(unreachable.client, t.tableName),
});

describe('the API platform', () => {
  it('reports health: 200 when DynamoDB answers, 503 when not', async () => {
    expect(await (await api.request('/api/health')).json()).toEqual({ status: 'ok' });
    const unavailable = await down.request('/api/health');
    expect(unavailable.headers.get('retry-after')).toBe('1');
    expect(await errorOf(unavailable)).toMatchObject({ status: 503, code: 'unavailable' });
  });

  it('serves its OpenAPI document, listing every route, and a docs page', async () => {
    const spec = (await (await api.request('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths).sort()).toEqual(
      [
        '/api/auth/config',
        '/api/blocks',
        '/api/config',
        '/api/dev/sessions',
        '/api/dev/users',
        '/api/health',
        '/api/me',
        '/api/message_groups',
        '/api/message_groups/{message_group_uuid}/read',
        '/api/messages',
        '/api/messages/{message_group_uuid}',
        '/api/messages/{message_group_uuid}/{message_uuid}',
        '/api/users',
        '/api/users/@{handle}/block',
        '/api/users/@{handle}/short',
      ].sort(),
    );
    const docs = await api.request('/api/docs/');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
  });

  it('sends security headers and allows only the web origin', async () => {
    const allowed = await api.request('/api/health', {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(allowed.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(allowed.headers.get('content-security-policy')?.split(';')).toContain(
      "connect-src 'self'",
    );
    // Routes of the protected scope too, errors included.
    const refused = await api.request('/api/message_groups');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(refused.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const other = await api.request('/api/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    [
      'PATCH',
      '/api/messages/00000000-0000-4000-8000-000000000001/00000000-0000-4000-8000-000000000002',
    ],
    [
      'DELETE',
      '/api/messages/00000000-0000-4000-8000-000000000001/00000000-0000-4000-8000-000000000002',
    ],
    ['DELETE', '/api/users/@someone/block'],
  ])('lets the web origin %s cross-origin (preflight of %s)', async (method, path) => {
    const preflight = await api.request(path, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': method,
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-methods')?.split(/,\s*/)).toContain(method);
    // Another origin gets no grant, whatever the method.
    const other = await api.request(path, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': method },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 404 in the error format for unknown routes', async () => {
    expect(await errorOf(await api.request('/api/nothing-here'))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });

  it('hides internal errors behind a generic 500', async () => {
    const { token } = await broken.signedInUser('b');
    const response = await broken.request('/api/message_groups', { token });
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side.' },
    });
    expect(text).not.toContain('DynamoDB');
  });

  it('answers 503 unavailable quickly when DynamoDB is down, never 500', async () => {
    const token = await outage.issuer.issue({
      uuid: '00000000-0000-4000-8000-000000000001',
      handle: 'x',
      displayName: 'X',
    });
    const started = Date.now();
    const responses = await Promise.all([
      outage.request('/api/health'),
      outage.request('/api/message_groups', { token }),
      outage.request('/api/messages', {
        method: 'POST',
        token,
        json: { handle: 'someone', message: 'hi' },
      }),
    ]);
    for (const response of responses) {
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await errorOf(response)).toMatchObject({ status: 503, code: 'unavailable' });
    }
    // Refused connections, 3 attempts with sub-second backoff: usually well under a second.
    // The bound only tells an answer from a hang (the client gives up on its own within
    // 3 x (1 s connect + 2 s request) + backoff, src/store/clients.ts), so no machine trips it.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('limits sends per user per minute with 429 and Retry-After', async () => {
    const a = await limited.signedInUser('a');
    const b = await limited.signedInUser('b');
    const c = await limited.signedInUser('c');
    const send = (token: string, handle: string) =>
      limited.request('/api/messages', { method: 'POST', token, json: { handle, message: 'hi' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(a.token, b.user.handle)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limitedResponse = await send(a.token, b.user.handle);
    expect(Number(limitedResponse.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorOf(limitedResponse)).toMatchObject({ status: 429, code: 'rate_limited' });
    // Another user has a budget of their own; reads are not limited.
    expect((await send(c.token, b.user.handle)).status).toBe(201);
    expect((await limited.request('/api/message_groups', { token: a.token })).status).toBe(200);
  });

  it('answers 200 concurrent random POST bodies without a single 5xx', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 1100 }),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constant(b.user.handle),
      fc.constant('00000000-0000-4000-8000-000000000000'),
      fc.constant('x'.repeat(20_000)),
    );
    const body = fc.dictionary(
      fc.constantFrom('message', 'handle', 'message_group_uuid', 'client_message_id', 'extra'),
      value,
    );
    const bodies = fc.sample(body, { numRuns: 200, seed: 4242 });
    const responses = await Promise.all(
      bodies.map((json) => api.request('/api/messages', { method: 'POST', token: a.token, json })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(new Set(statuses).size).toBeGreaterThan(2);
    for (const response of responses) {
      const text = await response.text();
      if (response.status >= 400) expect(JSON.parse(text).error.code).toMatch(/^[a-z_]+$/);
    }
  });
});
