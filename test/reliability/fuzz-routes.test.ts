import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const api = withApi(t);

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '../../etc/passwd',
    '%2e%2e%2f%2e%2e%2f',
    "' OR '1'='1",
    'USER#00000000-0000-4000-8000-000000000000',
    'MSG#x',
    '\u0024{jndi:ldap://x}',
    '\u0000\u0001\u001f',
    '\ud800',
    '%ff%fe%fd',
    'A'.repeat(5_000),
    '00000000-0000-4000-8000-000000000000',
  ),
  fc.integer().map(String),
);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.constantFrom(
      'message',
      'handle',
      'message_group_uuid',
      'client_message_id',
      'display_name',
      '__proto__',
      'x',
    ),
    tie('value'),
    { maxKeys: 5 },
  ),
})).value;

/** Lone surrogates cannot be URI-encoded as text: send their raw (invalid UTF-8) bytes instead. */
const enc = (value: string): string => {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')]
      .map((b) => `%${b.toString(16).padStart(2, '0')}`)
      .join('');
  }
};

type Request = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: string;
  contentType?: string;
};
const request: fc.Arbitrary<Request> = fc.oneof(
  hostile.map((h) => ({
    method: 'GET' as const,
    path: `/api/users/@${enc(h)}/short`,
  })),
  hostile.map((h) => ({ method: 'GET' as const, path: `/api/messages/${enc(h)}` })),
  fc.tuple(hostile, hostile).map(([limit, cursor]) => ({
    method: 'GET' as const,
    path: `/api/message_groups?limit=${enc(limit)}&cursor=${enc(cursor)}`,
  })),
  fc.tuple(hostile, hostile).map(([g, limit]) => ({
    method: 'GET' as const,
    path: `/api/messages/${enc(g)}?limit=${enc(limit)}`,
  })),
  json.map((body) => ({
    method: 'POST' as const,
    path: '/api/messages',
    body: JSON.stringify(body),
  })),
  json.map((body) => ({
    method: 'POST' as const,
    path: '/api/dev/users',
    body: JSON.stringify(body),
  })),
  json.map((body) => ({
    method: 'POST' as const,
    path: '/api/dev/sessions',
    body: JSON.stringify(body),
  })),
  hostile.map((raw) => ({ method: 'POST' as const, path: '/api/messages', body: raw })),
  fc.tuple(hostile, json).map(([g, body]) => ({
    method: 'POST' as const,
    path: `/api/message_groups/${enc(g)}/read`,
    body: JSON.stringify(body),
  })),
  fc.tuple(hostile, hostile, json).map(([g, m, body]) => ({
    method: 'PATCH' as const,
    path: `/api/messages/${enc(g)}/${enc(m)}`,
    body: JSON.stringify(body),
  })),
  fc.tuple(hostile, hostile).map(([g, m]) => ({
    method: 'DELETE' as const,
    path: `/api/messages/${enc(g)}/${enc(m)}`,
  })),
  fc.constant({
    method: 'POST' as const,
    path: '/api/messages',
    body: `{"message":${'['.repeat(5_000)}`,
  }),
  hostile.map((raw) => ({
    method: 'POST' as const,
    path: '/api/messages',
    body: raw,
    contentType: 'text/plain',
  })),
);

describe('fuzzing every route with hostile requests', () => {
  it('answers 3,000 generated requests with no 5xx, and rejected ones write nothing', async () => {
    const { token } = await api.signedInUser('fuzz');
    const before = await t.scanAll();
    const samples = fc.sample(request, { numRuns: 3_000, seed: 20261126 });
    const statuses: Record<number, number> = {};
    let usersCreated = 0;
    for (let i = 0; i < samples.length; i += 50) {
      const batch = samples.slice(i, i + 50);
      const responses = await Promise.all(
        batch.map((r) =>
          api.request(r.path, {
            method: r.method,
            token,
            ...(r.body === undefined
              ? {}
              : { body: r.body, headers: { 'content-type': r.contentType ?? 'application/json' } }),
          }),
        ),
      );
      for (const [index, response] of responses.entries()) {
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 201 && batch[index]?.path === '/api/dev/users') usersCreated++;
        const body = await response.text();
        if (response.status >= 400)
          expect({ status: response.status, body }).toMatchObject({
            body: expect.stringMatching(/"code":"[a-z_]+"/),
          });
      }
    }
    expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
    const after = await t.scanAll();
    // Only accepted writes add items: a created dev user (2 items each), nothing else (a dev
    // session is a 201 that writes nothing).
    expect(after.length - before.length).toBe(usersCreated * 2);
    expect(after.filter((i) => String(i.pk).startsWith('MSG#'))).toEqual([]);
  });
});
