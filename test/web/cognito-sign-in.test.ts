import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { CognitoVerifier } from '../../src/api/auth/cognito-verifier.js';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import { localApiContext } from '../../src/api/create-context.js';
import { tableHealthCheck } from '../../src/api/health-check.js';
import { builtWebApp } from '../../src/runtime/web-root.js';
import { withTestTable } from '../support/test-table.js';
import { launchBrowser, newPerson } from './support/browser.js';

// Cognito's hosted pages cannot be reached from here: a stand-in plays them, speaking the same
// protocol (authorize redirects back with a code; the token endpoint checks the PKCE verifier),
// and signs access tokens with a key the API's verifier is given, as it would fetch Cognito's.
const POOL = 'us-east-1_WebTest01';
const CLIENT = 'web-test-client';
const t = withTestTable();
let hosted: Server;
let app: FastifyInstance;
let browser: Browser;
let appUrl = '';
const keys = await generateKeyPair('RS256', { extractable: true });
const codes = new Map<string, { challenge: string; redirectUri: string }>();
const refreshTokens = new Set<string>();

// What the stand-in does and saw, per test: each test signs in a person of its own, so that no
// test finds a user, a token lifetime or a renewal that another test left behind.
let person: { sub: string; username: string; handle: string };
/** Access tokens from the code grant live this long; renewed ones an hour. */
let firstTokenSeconds: number;
/** When each token from the code grant expires (ms since the epoch). */
let firstTokenExpiries: number[];
let renewals: { at: number }[];
let contexts: BrowserContext[];
let people = 0;
beforeEach(() => {
  people += 1;
  person = {
    sub: randomUUID(),
    username: `Grace.Hopper.${people}`,
    handle: `grace_hopper_${people}`,
  };
  firstTokenSeconds = 3600;
  firstTokenExpiries = [];
  renewals = [];
  contexts = [];
});
afterEach(async () => {
  // Closed tabs renew nothing: the next test's counts start from zero.
  await Promise.all(contexts.map((context) => context.close()));
});

/** A token valid for at least `seconds` (its expiry is in whole seconds, rounded up). */
const accessToken = async (seconds: number) => {
  const expiresAt = Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000;
  const token = await new SignJWT({
    token_use: 'access',
    client_id: CLIENT,
    username: person.username,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject(person.sub)
    .setIssuer(`https://cognito-idp.us-east-1.amazonaws.com/${POOL}`)
    .setIssuedAt()
    .setExpirationTime(expiresAt / 1000)
    .sign(keys.privateKey);
  return { token, expiresAt };
};

const startHostedPages = () =>
  new Promise<string>((resolve) => {
    hosted = createServer(async (request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      response.setHeader('access-control-allow-origin', appUrl);
      if (url.pathname === '/oauth2/authorize') {
        const code = randomUUID();
        const redirectUri = url.searchParams.get('redirect_uri') ?? '';
        codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
        response
          .writeHead(302, {
            location: `${redirectUri}?code=${code}&state=${url.searchParams.get('state')}`,
          })
          .end();
        return;
      }
      if (url.pathname === '/oauth2/token' && request.method === 'POST') {
        let body = '';
        for await (const chunk of request) body += chunk;
        const form = new URLSearchParams(body);
        if (form.get('grant_type') === 'refresh_token') {
          const known =
            form.get('client_id') === CLIENT && refreshTokens.has(form.get('refresh_token') ?? '');
          if (known) renewals.push({ at: Date.now() });
          response.writeHead(known ? 200 : 400, { 'content-type': 'application/json' }).end(
            known
              ? JSON.stringify({
                  access_token: (await accessToken(3600)).token,
                  expires_in: 3600,
                  token_type: 'Bearer',
                })
              : '{"error":"invalid_grant"}',
          );
          return;
        }
        const issued = codes.get(form.get('code') ?? '');
        const verified =
          issued &&
          form.get('client_id') === CLIENT &&
          form.get('redirect_uri') === issued.redirectUri &&
          createHash('sha256')
            .update(form.get('code_verifier') ?? '')
            .digest('base64url') === issued.challenge;
        if (!verified) {
          response
            .writeHead(400, { 'content-type': 'application/json' })
            .end('{"error":"invalid_grant"}');
          return;
        }
        codes.delete(form.get('code') ?? '');
        const refreshToken = randomUUID();
        refreshTokens.add(refreshToken);
        const first = await accessToken(firstTokenSeconds);
        firstTokenExpiries.push(first.expiresAt);
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            access_token: first.token,
            expires_in: firstTokenSeconds,
            refresh_token: refreshToken,
            token_type: 'Bearer',
          }),
        );
        return;
      }
      response.writeHead(404).end();
    });
    hosted.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(hosted.address() as AddressInfo).port}`),
    );
  });

beforeAll(async () => {
  const domain = await startHostedPages();
  const verifier = new CognitoVerifier(POOL, CLIENT);
  verifier.cacheJwks({
    keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }],
  } as never);
  const unused = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
  app = await buildApp({
    context: localApiContext(
      t.messaging(),
      unused,
      tableHealthCheck(t.connection.client, t.tableName),
      {
        authMode: 'cognito',
        verifier,
        localIssuer: undefined,
        hostedSignIn: { domain, clientId: CLIENT },
      },
    ),
    webRoot: builtWebApp(),
  });
  appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await new Promise((resolve) => hosted?.close(resolve));
});

/** A new person in the browser, signed in through the stand-in hosted pages. */
const signInThroughHostedPages = async () => {
  const tab = await newPerson(browser, appUrl);
  contexts.push(tab.context);
  await tab.page.goto('/signin');
  await tab.page.getByRole('button', { name: 'Sign in with your account' }).click();
  await tab.page.waitForURL(/\/messages/);
  return tab;
};

/** The first token of the test's one sign-in: when it expires. */
const firstTokenExpiry = (): number => {
  expect(firstTokenExpiries).toHaveLength(1);
  return firstTokenExpiries[0] as number;
};

/** Waits until the clock reads past `ms`: here time passing is itself what is waited for. */
const timePasses = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));

describe('Cognito sign-in in the web app (authorization code + PKCE)', () => {
  it('goes to the hosted pages and back, trades the code, and lands signed in', async () => {
    expect(await t.messaging().getUser(person.sub)).toBeUndefined();
    const { page } = await signInThroughHostedPages();
    await page.getByText(`@${person.handle}`, { exact: true }).first().waitFor();
    // The first request with the token made the user, from the token's username.
    expect(await t.messaging().getUser(person.sub)).toMatchObject({ handle: person.handle });
  });

  it('renews the access token before it expires, and is still signed in after it has', {
    timeout: 60_000,
  }, async () => {
    // The web app renews at three quarters of the lifetime: here 3 s before the expiry, which
    // no late timer or slow request on loopback uses up (a 6 s token left too little margin).
    firstTokenSeconds = 12;
    const { page } = await signInThroughHostedPages();
    const refused: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 401) refused.push(response.url());
    });
    const expiry = firstTokenExpiry();
    await expect.poll(() => renewals.length, { timeout: 20_000 }).toBe(1);
    expect(renewals[0]?.at).toBeLessThan(expiry);
    // Past the first token's expiry, a reload asks the API who this is with the stored token.
    await timePasses(expiry + 500);
    await page.reload();
    await page.getByText(`@${person.handle}`, { exact: true }).first().waitFor();
    expect(await page.getByText('Your session has ended').count()).toBe(0);
    expect(page.url()).toMatch(/\/messages/);
    // Renewed ahead of time, not in answer to a refusal: the API refused nothing.
    expect(refused).toEqual([]);
  });

  it('comes back after its token expired elsewhere (a sleeping laptop) and renews instead of signing out', {
    timeout: 60_000,
  }, async () => {
    // Long enough that its renewal (at 7.5 s) cannot come before the tab leaves the app.
    firstTokenSeconds = 10;
    const { page } = await signInThroughHostedPages();
    const expiry = firstTokenExpiry();
    // Away from the app (its timers gone) until the token has expired; the tab keeps its storage.
    await page.goto('about:blank');
    expect(renewals).toEqual([]);
    await timePasses(expiry + 500);
    expect(renewals).toEqual([]);
    await page.goto(`${appUrl}/messages`);
    await expect.poll(() => renewals.length).toBe(1);
    await page.getByText(`@${person.handle}`, { exact: true }).first().waitFor();
    expect(await page.getByText('Your session has ended').count()).toBe(0);
  });
});
