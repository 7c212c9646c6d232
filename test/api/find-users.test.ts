import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/messaging/model.js';
import { errorOf, withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const api = withApi(t);

/** Who is in the table: each test searches words that only its own people have. */
const CAST: ReadonlyArray<readonly [string, string]> = [
  ['ines_okafor', 'Inès Okafor'],
  ['ines_b', 'Bea Bello'],
  ['bea_ines', 'Inès Bea'],
  ['aaa_ines', 'INES Aaa'],
  ['ines_caller', 'Inès Caller'],
  ['eleni_p', 'Ελένη Παπαδοπούλου'],
  ['dmitri_i', 'Дмитрий Иванов'],
  ['hanako_y', '山田 花子'],
  ['mohammed_a', 'محمد العلي'],
  ['noa_c', 'נועה כהן'],
  ['lukasz_n', 'Łukasz Nowak'],
  ['siobhan_ob', "Siobhán O'Brien"],
  ...Array.from(
    { length: 22 },
    (_, i) => [`limit_${String(i).padStart(2, '0')}`, `Limit Person ${i}`] as const,
  ),
];

const people = new Map<string, User>();
let token = '';
let callerToken = '';
beforeAll(async () => {
  for (const [handle, displayName] of CAST)
    people.set(handle, await api.context.messaging.createUser({ handle, displayName }));
  const searcher = await api.context.messaging.createUser({
    handle: 'searcher',
    displayName: 'Someone Else',
  });
  token = await api.issuer.issue(searcher);
  callerToken = await api.issuer.issue(people.get('ines_caller') as User);
});

const search = (query: string, as = token) => api.request(`/api/users?${query}`, { token: as });

/** The handles found for `q`, requiring a 200. */
const found = async (q: string, extra = '', as = token): Promise<string[]> => {
  const response = await search(`q=${encodeURIComponent(q)}${extra}`, as);
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    users: { uuid: string; handle: string; display_name: string }[];
  };
  for (const user of body.users) {
    const stored = people.get(user.handle);
    expect(user).toEqual({
      uuid: stored?.uuid,
      handle: stored?.handle,
      display_name: stored?.displayName,
    });
  }
  return body.users.map((user) => user.handle);
};

describe('GET /api/users?q=', () => {
  it('finds handles and words of names by their beginning, never inside a word', async () => {
    expect(await found('ines_o')).toEqual(['ines_okafor']);
    expect(await found('okaf')).toEqual(['ines_okafor']);
    expect(await found('kafor')).toEqual([]);
    expect(await found('@Ines_Ok')).toEqual(['ines_okafor']);
    // Every word of the text must begin a word of the name.
    expect(await found('ines oka')).toEqual(['ines_okafor']);
    expect(await found('oka ines')).toEqual(['ines_okafor']);
    expect(await found('ines zzz')).toEqual([]);
    expect(await found("o'bri")).toEqual(['siobhan_ob']);
  });

  it('ignores case and accents both ways: "ines" and "INÈS" find "Inès", "lukasz" finds "Łukasz"', async () => {
    const inesFound = await found('ines');
    for (const q of ['INÈS', 'Inès', 'ÍNES', ' ines ']) expect(await found(q)).toEqual(inesFound);
    expect(inesFound).toContain('bea_ines');
    expect(await found('lukasz')).toEqual(['lukasz_n']);
    expect(await found('ŁUK')).toEqual(['lukasz_n']);
    expect(await found('siobhan')).toEqual(['siobhan_ob']);
  });

  it('finds names in other scripts', async () => {
    expect(await found('ελ')).toEqual(['eleni_p']);
    expect(await found('ΕΛΈΝΗ')).toEqual(['eleni_p']);
    expect(await found('παπαδο')).toEqual(['eleni_p']);
    expect(await found('дми')).toEqual(['dmitri_i']);
    expect(await found('ИВАНОВ')).toEqual(['dmitri_i']);
    expect(await found('花')).toEqual(['hanako_y']);
    expect(await found('山田')).toEqual(['hanako_y']);
    expect(await found('محم')).toEqual(['mohammed_a']);
    expect(await found('مُحَمَّد')).toEqual(['mohammed_a']);
    expect(await found('נוע')).toEqual(['noa_c']);
  });

  it('lists handle matches first by handle, then name matches by handle, each user once, never the caller', async () => {
    // ines_okafor matches by handle and by name: listed once, with the handles.
    expect(await found('ines')).toEqual([
      'ines_b',
      'ines_caller',
      'ines_okafor',
      'aaa_ines',
      'bea_ines',
    ]);
    expect(await found('ines', '', callerToken)).toEqual([
      'ines_b',
      'ines_okafor',
      'aaa_ines',
      'bea_ines',
    ]);
    expect(await found('inès c', '', callerToken)).toEqual([]);
  });

  it('answers at most limit (1-20, default 10) users, the first ones in order', async () => {
    const all = CAST.map(([handle]) => handle).filter((handle) => handle.startsWith('limit_'));
    expect(await found('limit_')).toEqual(all.slice(0, 10));
    expect(await found('limit_', '&limit=1')).toEqual(all.slice(0, 1));
    expect(await found('limit_', '&limit=20')).toEqual(all.slice(0, 20));
    // Found by name: "Limit Person …" (their handles are found by "limit" too).
    expect(await found('person', '&limit=20')).toEqual(all.slice(0, 20));
    for (const bad of ['0', '21', '-1', '1.5', 'ten', ''])
      expect(await errorOf(await search(`q=limit&limit=${bad}`))).toMatchObject({
        status: 400,
        code: 'invalid_request',
      });
  });

  it('answers 400 with a clear message to a missing, blank or over-long q; 64 characters are fine', async () => {
    expect(await errorOf(await search(''))).toEqual({
      status: 400,
      code: 'invalid_request',
      message: "querystring must have required property 'q'.",
    });
    expect(await errorOf(await search('q='))).toEqual({
      status: 400,
      code: 'invalid_request',
      message: 'querystring.q must NOT have fewer than 1 characters.',
    });
    expect(await errorOf(await search('q=%20%20%09'))).toEqual({
      status: 400,
      code: 'invalid_search_query',
      message: 'q is 1 to 64 characters, not only spaces.',
    });
    expect(await errorOf(await search(`q=${'a'.repeat(65)}`))).toEqual({
      status: 400,
      code: 'invalid_request',
      message: 'querystring.q must NOT have more than 64 characters.',
    });
    expect(await found('a'.repeat(64))).toEqual([]);
    // 64 emoji are 64 characters (128 UTF-16 units): accepted, and nobody is found by them.
    expect(await found('🙂'.repeat(64))).toEqual([]);
    expect((await search(`q=${encodeURIComponent('🙂'.repeat(65))}`)).status).toBe(400);
    expect(await errorOf(await search('q=ines&x=1'))).toMatchObject({ status: 400 });
  });

  it('finds nobody, with a 200, for text that has no letter or digit', async () => {
    for (const q of ['@', '!!!', '🙂', '\u200f', '—'] as const) expect(await found(q)).toEqual([]);
  });

  it('needs a signed-in user', async () => {
    expect(await errorOf(await api.request('/api/users?q=ines'))).toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
  });

  it('is in the OpenAPI document with its parameters', async () => {
    const spec = (await (await api.request('/api/openapi.json')).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    };
    expect(spec.paths['/api/users']?.get?.parameters?.map((p) => p.name).sort()).toEqual([
      'limit',
      'q',
    ]);
  });
});

/** Bytes as a URL sends them; a lone surrogate as its 3 bytes (WTF-8), invalid UTF-8 on purpose. */
const percentEncoded = (text: string): string => {
  let out = '';
  for (const unit of text) {
    const point = unit.codePointAt(0) ?? 0;
    if (point >= 0xd800 && point <= 0xdfff)
      out += [0xe0 | (point >> 12), 0x80 | ((point >> 6) & 63), 0x80 | (point & 63)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    else out += encodeURIComponent(unit);
  }
  return out;
};

describe('GET /api/users with junk', () => {
  it('never answers 5xx, whatever q holds: lone surrogates, controls, raw bytes, emoji, RTL, 64/65 characters', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 70 }).map(percentEncoded),
      fc.string({ unit: 'grapheme', maxLength: 70 }).map(percentEncoded),
      fc.string({ unit: 'binary-ascii', maxLength: 70 }).map(percentEncoded),
      fc
        .uint8Array({ maxLength: 40 })
        .map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
      fc.constantFrom(
        '%00',
        '%',
        '%zz',
        '%ED%A0%80',
        '%FF%FE',
        '%C0%AF',
        '+',
        '%2B%26q%3D',
        `${'a'.repeat(64)}`,
        `${'a'.repeat(65)}`,
        percentEncoded('\u202Eines\u202C'),
        percentEncoded('\uD800'.repeat(64)),
        percentEncoded('ﷺ'.repeat(64)),
        percentEncoded('🏳️‍🌈'.repeat(10)),
        'ines&q=okafor',
        'ines&limit=5&limit=6',
        'PEOPLE%23i',
        'H%23ines',
      ),
    );
    const samples = fc.sample(text, { numRuns: 400, seed: 20261202 });
    const statuses: Record<number, number> = {};
    for (let i = 0; i < samples.length; i += 25) {
      const batch = samples.slice(i, i + 25);
      const responses = await Promise.all(batch.map((q) => search(`q=${q}`)));
      for (const [index, response] of responses.entries()) {
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        const body = (await response.json()) as {
          users?: { uuid: string }[];
          error?: { code: string };
        };
        if (response.status >= 500) expect({ q: batch[index], body }).toBeUndefined();
        if (response.status === 200) {
          const uuids = (body.users ?? []).map((user) => user.uuid);
          expect(new Set(uuids).size).toBe(uuids.length);
        } else expect(body.error?.code).toMatch(/^[a-z_]+$/);
      }
    }
    expect(Object.keys(statuses).filter((status) => Number(status) >= 500)).toEqual([]);
    // Both kinds of answer happened: the samples are not all refused at the edge.
    expect(statuses[200]).toBeGreaterThan(50);
    expect(statuses[400]).toBeGreaterThan(10);
  });
});
