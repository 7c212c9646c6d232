import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
/** Access tokens from the code grant live this long; renewed ones an hour. */
let firstTokenSeconds = 3600;
const renewals: { at: number }[] = [];
const sub = randomUUID();

const accessToken = (seconds: number) =>
  new SignJWT({ token_use: 'access', client_id: CLIENT, username: 'Grace.Hopper' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject(sub)
    .setIssuer(`https://cognito-idp.us-east-1.amazonaws.com/${POOL}`)
    .setIssuedAt()
    .setExpirationTime(`${seconds}s`)
    .sign(keys.privateKey);

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
                  access_token: await accessToken(3600),
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
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            access_token: await accessToken(firstTokenSeconds),
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
  const person = await newPerson(browser, appUrl);
  await person.page.goto('/signin');
  await person.page.getByRole('button', { name: 'Sign in with your account' }).click();
  await person.page.waitForURL(/\/messages/);
  return person;
};

describe('Cognito sign-in in the web app (authorization code + PKCE)', () => {
  it('goes to the hosted pages and back, trades the code, and lands signed in', async () => {
    const { context, page } = await signInThroughHostedPages();
    await expect.poll(() => page.getByText('@grace_hopper').first().isVisible()).toBe(true);
    expect(await t.messaging().getUser(sub)).toMatchObject({ handle: 'grace_hopper' });
    await context.close();
  });

  it('renews the access token before it expires, and is still signed in after it has', async () => {
    firstTokenSeconds = 3;
    const { context, page } = await signInThroughHostedPages();
    const signedInAt = Date.now();
    await expect.poll(() => renewals.length, { timeout: 10_000 }).toBe(1);
    expect(renewals[0]?.at).toBeLessThan(signedInAt + 3_000); // before the first token expired
    // Past the first token's expiry, a reload asks the API who this is with the stored token.
    await expect.poll(() => Date.now() > signedInAt + 3_500, { timeout: 10_000 }).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByText('@grace_hopper').first().isVisible()).toBe(true);
    expect(await page.getByText('Your session has ended').count()).toBe(0);
    expect(page.url()).toMatch(/\/messages/);
    await context.close();
  });

  it('comes back after its token expired elsewhere (a sleeping laptop) and renews instead of signing out', async () => {
    // Long enough that its renewal (at 4.5 s) cannot come before the tab leaves the app.
    firstTokenSeconds = 6;
    const { context, page } = await signInThroughHostedPages();
    const signedInAt = Date.now();
    // Away from the app (its timers gone) until the token has expired; the tab keeps its storage.
    await page.goto('about:blank');
    const before = renewals.length;
    await expect.poll(() => Date.now() > signedInAt + 6_500, { timeout: 15_000 }).toBe(true);
    expect(renewals.length).toBe(before);
    await page.goto(`${appUrl}/messages`);
    await expect.poll(() => renewals.length).toBe(before + 1);
    await expect.poll(() => page.getByText('@grace_hopper').first().isVisible()).toBe(true);
    expect(await page.getByText('Your session has ended').count()).toBe(0);
    await context.close();
  });
});
