import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Identity, TokenVerifier } from '../../src/api/auth/identity.js';
import { errorOf, withApi } from '../support/api.js';
import { cognitoTestPool } from '../support/cognito-test-pool.js';
import { withTestTable } from '../support/test-table.js';

// The authenticator remembers a verified token for up to a minute so that a busy client skips
// the signature check. These tests prove the memory never outlives the token: a token accepted
// once, then expired while still remembered, is refused. Only the Date is faked, for the whole
// process (the cache, jose and aws-jwt-verify all read it); timers and I/O stay real.

/** The real verifier, counting the tokens it is asked about (the cache's misses). */
const counted = (verifier: () => TokenVerifier) => {
  const asked: string[] = [];
  return {
    asked,
    verifier: {
      verify: (token: string): Promise<Identity> => {
        asked.push(token);
        return verifier().verify(token);
      },
    },
  };
};

const t = withTestTable();
const local = counted(() => localApi.issuer);
const localApi = withApi(t, { verifier: local.verifier });
const pool = await cognitoTestPool();
const cognito = counted(() => pool.verifier);
const cognitoApi = withApi(t, {
  authMode: 'cognito',
  verifier: cognito.verifier,
  localIssuer: undefined,
});

afterEach(() => {
  vi.useRealTimers();
});

/** Stops the clock on a whole second, so that token expiries land on exact instants. */
const freezeClock = (): number => {
  const start = Math.floor(Date.now() / 1000) * 1000;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(start);
  return start;
};

describe('the token cache never outlives the token', () => {
  it.each([
    {
      mode: 'local',
      api: localApi,
      asked: local.asked,
      token: async (expiresAt: number) => {
        const { user } = await localApi.signedInUser('cache');
        return localApi.issuer.issue(user, expiresAt);
      },
    },
    {
      mode: 'cognito',
      api: cognitoApi,
      asked: cognito.asked,
      token: (expiresAt: number) =>
        pool.accessToken({ sub: randomUUID(), username: `cache_${randomUUID()}` }, expiresAt),
    },
  ])(
    '$mode: a token accepted and cached, then expired, is refused',
    async ({ api, asked, token: tokenExpiringAt }) => {
      const start = freezeClock();
      const expiresAt = start / 1000 + 30;
      const token = await tokenExpiringAt(expiresAt);
      const verifications = () => asked.filter((t) => t === token).length;

      expect((await api.request('/api/me', { token })).status).toBe(200);
      expect(verifications()).toBe(1);

      // Shortly before expiry it is answered from the cache: the signature is not checked again.
      vi.setSystemTime(start + 29_000);
      expect((await api.request('/api/me', { token })).status).toBe(200);
      expect(verifications()).toBe(1);

      // Past expiry, well within the cache's minute: the cache must not answer for it.
      vi.setSystemTime((expiresAt + 1) * 1000);
      expect(await errorOf(await api.request('/api/me', { token }))).toMatchObject({
        status: 401,
        code: 'unauthorized',
      });
      expect(verifications()).toBe(2);
    },
  );
});
