import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalIssuer } from '../../src/api/auth/local-issuer.js';
import { errorOf, withApi } from '../support/api.js';
import { cognitoTestPool } from '../support/cognito-test-pool.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const api = withApi(t);

const POOL = 'us-east-1_TestPool1';
const CLIENT = 'test-client-id';
const pool = await cognitoTestPool(POOL, CLIENT);
const cognitoApi = withApi(t, {
  authMode: 'cognito',
  verifier: pool.verifier,
  localIssuer: undefined,
  hostedSignIn: {
    domain: 'https://cruddur-test.auth.us-east-1.amazoncognito.com',
    clientId: CLIENT,
  },
});

const unsigned = (payload: Record<string, unknown>) =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

describe('authentication', () => {
  it("lets the web app reach Cognito's token endpoint in Cognito mode (CSP connect-src)", async () => {
    const response = await cognitoApi.request('/api/health');
    expect(response.headers.get('content-security-policy')?.split(';')).toContain(
      "connect-src 'self' https://cruddur-test.auth.us-east-1.amazoncognito.com",
    );
  });

  it('refuses every protected route without a token, and lets health and docs through', async () => {
    for (const path of [
      '/api/me',
      '/api/message_groups',
      '/api/messages/x',
      '/api/users/@mara_quinn/short',
    ]) {
      expect(await errorOf(await api.request(path))).toMatchObject({
        status: 401,
        code: 'unauthorized',
      });
    }
    expect(
      await errorOf(
        await api.request('/api/messages', { method: 'POST', json: { handle: 'x', message: 'y' } }),
      ),
    ).toMatchObject({
      status: 401,
    });
    expect((await api.request('/api/health')).status).toBe(200);
    expect((await api.request('/api/openapi.json')).status).toBe(200);
  });

  it('refuses forged, expired, foreign and malformed local tokens', async () => {
    const { user, token } = await api.signedInUser('victim');
    const otherIssuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
    const secret = new TextEncoder().encode('a'.repeat(32));
    const claims = {
      sub: user.uuid,
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 3600,
    };
    const forged = [
      ['alg none', unsigned(claims)],
      ['another key', await otherIssuer.issue(user)],
      ['HS256', await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret)],
      ['expired', await api.issuer.issue(user, Math.floor(Date.now() / 1000) - 10)],
      [
        'tampered payload',
        `${token.split('.')[0]}.${Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString('base64url')}.${token.split('.')[2]}`,
      ],
      ['garbage', 'not.a.token'],
      [
        'a deleted user',
        await api.issuer.issue({ uuid: randomUUID(), handle: 'ghost', displayName: 'Ghost' }),
      ],
    ] as const;
    for (const [name, bad] of forged) {
      expect({
        name,
        ...(await errorOf(await api.request('/api/me', { token: bad }))),
      }).toMatchObject({ name, status: 401, code: 'unauthorized' });
    }
    expect((await api.request('/api/me', { token })).status).toBe(200);
    expect(
      (await api.request('/api/me', { headers: { authorization: `Basic ${token}` } })).status,
    ).toBe(401);
  });

  it('accepts Cognito access tokens and creates a first-time user from the claims', async () => {
    const sub = randomUUID();
    const token = await pool.accessToken({
      sub,
      username: 'New.Person@example.com',
      name: 'New Person',
    });
    const me = await cognitoApi.request('/api/me', { token });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      uuid: sub,
      handle: 'new_person',
      display_name: 'New Person',
      unread_conversations: 0,
    });
    expect((await cognitoApi.request('/api/me', { token })).status).toBe(200);
  });

  it('refuses Cognito tokens of another client, of the wrong use, expired, or signed by someone else', async () => {
    const sub = randomUUID();
    const otherKeys = await generateKeyPair('RS256');
    const bad = [
      await pool.accessToken({ sub, username: 'x1', client_id: 'another-client' }),
      await pool.accessToken({ sub, username: 'x2', token_use: 'id' }),
      await pool.accessToken({ sub, username: 'x3' }, '-1m'),
      await new SignJWT({ token_use: 'access', client_id: CLIENT, sub })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(`https://cognito-idp.us-east-1.amazonaws.com/${POOL}`)
        .setExpirationTime('1h')
        .sign(otherKeys.privateKey),
      unsigned({
        sub,
        token_use: 'access',
        client_id: CLIENT,
        iss: `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`,
      }),
    ];
    for (const token of bad) {
      expect(await errorOf(await cognitoApi.request('/api/me', { token }))).toMatchObject({
        status: 401,
        code: 'unauthorized',
      });
    }
  });

  it('tells the web app how to sign in: dev sign-in locally, the hosted pages with Cognito', async () => {
    expect(await (await api.request('/api/auth/config')).json()).toEqual({ mode: 'local' });
    expect(await (await cognitoApi.request('/api/auth/config')).json()).toEqual({
      mode: 'cognito',
      hosted_sign_in: {
        domain: 'https://cruddur-test.auth.us-east-1.amazoncognito.com',
        client_id: CLIENT,
      },
    });
  });

  it('has no dev sign-in routes in Cognito mode', async () => {
    expect((await cognitoApi.request('/api/dev/users')).status).toBe(404);
    expect(
      (await cognitoApi.request('/api/dev/sessions', { method: 'POST', json: { handle: 'x' } }))
        .status,
    ).toBe(404);
  });
});

describe('dev sign-in (local mode)', () => {
  it('creates users, lists them, and signs them in', async () => {
    const created = await api.request('/api/dev/users', {
      method: 'POST',
      json: { handle: 'Dev_Person', display_name: ' Dev ' },
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { uuid: string; handle: string };
    expect(user).toMatchObject({ handle: 'dev_person', display_name: 'Dev' });
    expect(
      await errorOf(
        await api.request('/api/dev/users', {
          method: 'POST',
          json: { handle: 'DEV_PERSON', display_name: 'Again' },
        }),
      ),
    ).toMatchObject({
      status: 409,
      code: 'handle_taken',
    });
    expect(
      await errorOf(
        await api.request('/api/dev/users', {
          method: 'POST',
          json: { handle: 'x', display_name: 'Short' },
        }),
      ),
    ).toMatchObject({
      status: 422,
      code: 'invalid_handle',
    });
    const list = (await (await api.request('/api/dev/users')).json()) as {
      users: { handle: string }[];
    };
    expect(list.users.map((u) => u.handle)).toContain('dev_person');

    const session = await api.request('/api/dev/sessions', {
      method: 'POST',
      json: { handle: 'dev_person' },
    });
    expect(session.status).toBe(201);
    const { token } = (await session.json()) as { token: string };
    expect(await (await api.request('/api/me', { token })).json()).toMatchObject({
      uuid: user.uuid,
    });
    expect(
      await errorOf(
        await api.request('/api/dev/sessions', { method: 'POST', json: { handle: 'nobody_here' } }),
      ),
    ).toMatchObject({
      status: 404,
      code: 'user_not_found',
    });
  });
});
