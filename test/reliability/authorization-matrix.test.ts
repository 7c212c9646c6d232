import { randomUUID } from 'node:crypto';
import { importJWK, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalIssuer } from '../../src/api/auth/local-issuer.js';
import type { User } from '../../src/messaging/model.js';
import { withApi } from '../support/api.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

const t = withTestTable();
const jwk: JWK = await LocalIssuer.generateJwk();
const issuer = await LocalIssuer.fromJwk(jwk);
const api = withApi(t, { verifier: issuer, localIssuer: issuer });

const users: Record<'a' | 'b' | 'c', { user: User; token: string }> = {} as never;
const groups: Record<'ab' | 'bc' | 'missing', string> = {} as never;
/** The first message of each conversation, and who wrote it. */
const firsts: Record<'ab' | 'bc' | 'missing', { uuid: string }> = {} as never;

beforeAll(async () => {
  for (const name of ['a', 'b', 'c'] as const) {
    const user = await api.context.messaging.createUser({
      handle: uniqueHandle(name),
      displayName: name,
    });
    users[name] = { user, token: await issuer.issue(user) };
  }
  const start = async (from: 'a' | 'b', to: 'b' | 'c') => {
    const response = await api.request('/api/messages', {
      method: 'POST',
      token: users[from].token,
      json: { handle: users[to].user.handle, message: `${from} to ${to}` },
    });
    const sent = (await response.json()) as {
      message_group_uuid: string;
      message: { uuid: string };
    };
    return { group: sent.message_group_uuid, first: { uuid: sent.message.uuid } };
  };
  for (const [name, from, to] of [
    ['ab', 'a', 'b'],
    ['bc', 'b', 'c'],
  ] as const) {
    const { group, first } = await start(from, to);
    groups[name] = group;
    firsts[name] = first;
  }
  groups.missing = randomUUID();
  firsts.missing = { uuid: firsts.ab.uuid };
});

const members = { ab: ['a', 'b'], bc: ['b', 'c'], missing: [] } as const;
/** Who starts each conversation, with its first message. */
const AUTHORS = { ab: 'a', bc: 'b', missing: undefined } as const;

describe('authorization matrix: three users, every conversation route', () => {
  for (const caller of ['a', 'b', 'c'] as const) {
    for (const group of ['ab', 'bc', 'missing'] as const) {
      const allowed = (members[group] as readonly string[]).includes(caller);
      it(`${caller} ${allowed ? 'may' : 'may not'} read and post in ${group}`, async () => {
        const { token } = users[caller];
        const read = await api.request(`/api/messages/${groups[group]}`, { token });
        const post = await api.request('/api/messages', {
          method: 'POST',
          token,
          json: { message_group_uuid: groups[group], message: `${caller} was here` },
        });
        const mark = await api.request(`/api/message_groups/${groups[group]}/read`, {
          method: 'POST',
          token,
          json: { message_uuid: firsts[group].uuid },
        });
        if (allowed) {
          expect([read.status, post.status, mark.status]).toEqual([200, 201, 200]);
          return;
        }
        const notFound = {
          error: { code: 'message_group_not_found', message: 'No such conversation.' },
        };
        expect([read.status, await read.json()]).toEqual([404, notFound]);
        expect([post.status, await post.json()]).toEqual([404, notFound]);
        expect([mark.status, await mark.json()]).toEqual([404, notFound]);
      });

      const author = AUTHORS[group] === caller;
      it(`${caller} ${author ? 'may' : 'may not'} edit and unsend the first message of ${group}`, async () => {
        const { token } = users[caller];
        const path = `/api/messages/${groups[group]}/${firsts[group].uuid}`;
        const edit = await api.request(path, { method: 'PATCH', token, json: { message: 'mine' } });
        if (author) {
          expect(edit.status).toBe(200);
          return; // unsending is left to the last test: the others read this message
        }
        const unsend = await api.request(path, { method: 'DELETE', token });
        const noMessage = {
          error: { code: 'message_not_found', message: 'No such message in this conversation.' },
        };
        expect([edit.status, await edit.json()]).toEqual([404, noMessage]);
        expect([unsend.status, await unsend.json()]).toEqual([404, noMessage]);
      });
    }
    it(`${caller} lists exactly their own conversations`, async () => {
      const response = await api.request('/api/message_groups', { token: users[caller].token });
      const listed = (
        (await response.json()) as { message_groups: { uuid: string }[] }
      ).message_groups.map((g) => g.uuid);
      const own = (['ab', 'bc'] as const)
        .filter((g) => (members[g] as readonly string[]).includes(caller))
        .map((g) => groups[g]);
      expect(listed.sort()).toEqual(own.sort());
    });
  }
});

describe('token matrix: every way a token can be wrong is 401', () => {
  const sign = async (
    claims: Record<string, unknown>,
    header: Record<string, unknown> = { alg: 'ES256' },
  ) => {
    const key = await importJWK({ ...jwk, alg: 'ES256' }, 'ES256');
    return new SignJWT(claims).setProtectedHeader(header as never).sign(key);
  };
  const now = () => Math.floor(Date.now() / 1000);
  const valid = () => ({
    sub: users.a.user.uuid,
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    iat: now(),
    exp: now() + 600,
  });

  it('accepts the well-formed token (the matrix below can fail)', async () => {
    expect((await api.request('/api/me', { token: await sign(valid()) })).status).toBe(200);
  });

  const cases: [string, () => Promise<string>][] = [
    ['expired', () => sign({ ...valid(), exp: now() - 5 })],
    ['not yet valid', () => sign({ ...valid(), nbf: now() + 600 })],
    ['wrong issuer', () => sign({ ...valid(), iss: 'https://evil.example' })],
    ['wrong audience', () => sign({ ...valid(), aud: 'another-app' })],
    ['no expiry', () => sign({ sub: users.a.user.uuid, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE })],
    ['no subject', () => sign({ ...valid(), sub: undefined })],
    ['a deleted user', () => sign({ ...valid(), sub: randomUUID() })],
    ['a subject that is no uuid', () => sign({ ...valid(), sub: '../../USER#x' })],
    [
      'alg none',
      async () => {
        const [, payload] = (await sign(valid())).split('.');
        return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
      },
    ],
    [
      'HS256 signed with the public key (algorithm confusion)',
      async () => {
        const { d: _private, ...publicJwk } = jwk;
        const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
        return new SignJWT(valid()).setProtectedHeader({ alg: 'HS256' }).sign(secret);
      },
    ],
  ];
  for (const [name, make] of cases) {
    it(`refuses a token: ${name}`, async () => {
      const response = await api.request('/api/me', { token: await make() });
      expect([
        response.status,
        ((await response.json()) as { error: { code: string } }).error.code,
      ]).toEqual([401, 'unauthorized']);
    });
  }
});
