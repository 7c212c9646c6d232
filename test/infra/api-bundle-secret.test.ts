import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { createCursorCodec } from '../../src/messaging/cursor.js';
import { messageSortKey } from '../../src/messaging/keys.js';
import { apiGatewayEvent } from '../support/api-gateway-event.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';
import { startBundleSession } from './support/bundle-session.js';
import { bundleOf, dynamoDbLocalEnv, invokeBundle } from './support/bundles.js';
import {
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from './support/secrets-manager-stand-in.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

// The deployed API function is given CURSOR_SECRET_ARN, never the key itself (infra/lib/api.ts),
// and fetches the key from Secrets Manager on its first invocation. Here the esbuild bundle of
// the cloud assembly runs against a stand-in speaking Secrets Manager's protocol, which the
// bundled SDK reaches through its standard per-service endpoint variable.

const t = withTestTable();
let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true });
});
afterAll(() => s.cleanup());

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:CursorSecret-AbCdEf';

/** A stand-in holding a fresh secret (48 characters, as the stack generates) under ARN. */
const secretsManagerFor = async (): Promise<{ secret: string; sm: SecretsManagerStandIn }> => {
  const secret = randomBytes(24).toString('hex');
  const sm = await startSecretsManagerStandIn({ [ARN]: secret });
  onTestFinished(() => sm.close());
  return { secret, sm };
};

/** The environment the stack gives the function, with test values for what it resolves. */
const deployedEnv = (sm: SecretsManagerStandIn) => ({
  ...dynamoDbLocalEnv(inject('dynamoEndpoint')),
  AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.endpoint,
  AUTH_MODE: 'cognito',
  COGNITO_USER_POOL_ID: 'us-east-1_Example01',
  COGNITO_CLIENT_ID: 'exampleclientid0123456789',
  DDB_TABLE: t.tableName,
  WEB_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
  CURSOR_SECRET_ARN: ARN,
  CURSOR_SECRET: undefined,
  SEND_RATE_LIMIT: '120',
  LOG_LEVEL: 'silent',
});

const fetchedOnce = [{ operation: 'GetSecretValue', secretId: ARN, signedFor: 'secretsmanager' }];

type Result = APIGatewayProxyStructuredResultV2;
const bodyOf = <T>(result: unknown): T => JSON.parse(String((result as Result).body)) as T;
const statusOf = (result: unknown) => (result as Result).statusCode;

describe('the API bundle fetches its cursor secret by CURSOR_SECRET_ARN', () => {
  it('as deployed (Cognito mode, which refuses to start without it): once per container', async () => {
    const { sm } = await secretsManagerFor();
    const results = await invokeBundle(
      bundleOf(s, /HTTP API/),
      [
        apiGatewayEvent('GET', '/api/health'),
        apiGatewayEvent('GET', '/api/health'),
        apiGatewayEvent('GET', '/api/me'),
      ],
      deployedEnv(sm),
    );
    expect(results.map(statusOf)).toEqual([200, 200, 401]);
    expect(sm.calls).toEqual(fetchedOnce);
  });

  it('does not start when the secret cannot be fetched', async () => {
    const { sm } = await secretsManagerFor();
    await expect(
      invokeBundle(bundleOf(s, /HTTP API/), [apiGatewayEvent('GET', '/api/health')], {
        ...deployedEnv(sm),
        CURSOR_SECRET_ARN: `${ARN}-gone`,
      }),
    ).rejects.toThrow(/ResourceNotFoundException/);
    expect(sm.calls).toEqual([
      { operation: 'GetSecretValue', secretId: `${ARN}-gone`, signedFor: 'secretsmanager' },
    ]);
  });

  // Signing in offline needs the dev sign-in of AUTH_MODE=local (a Cognito token would need
  // Cognito's published keys); the secret is fetched by the same code in either mode.
  it('signs and checks cursors with the fetched secret', async () => {
    const { secret, sm } = await secretsManagerFor();
    const bundle = startBundleSession(bundleOf(s, /HTTP API/), {
      ...deployedEnv(sm),
      AUTH_MODE: 'local',
    });
    onTestFinished(() => bundle.close());
    const call = async <T>(...event: Parameters<typeof apiGatewayEvent>) => {
      const result = await bundle.invoke(apiGatewayEvent(...event));
      return { status: statusOf(result), body: bodyOf<T>(result) };
    };

    const [alice, bob] = [uniqueHandle('alice'), uniqueHandle('bob')];
    for (const handle of [alice, bob]) {
      const created = await call('POST', '/api/dev/users', {
        body: { handle, display_name: handle },
      });
      expect(created.status).toBe(201);
    }
    const session = await call<{ token: string; user: { uuid: string } }>(
      'POST',
      '/api/dev/sessions',
      { body: { handle: alice } },
    );
    const { token, user } = session.body;
    let group = '';
    for (const message of ['one', 'two', 'three']) {
      const sent = await call<{ message_group_uuid: string }>('POST', '/api/messages', {
        token,
        body: { handle: bob, message },
      });
      expect(sent.status).toBe(201);
      group = sent.body.message_group_uuid;
    }
    type Page = {
      messages: { uuid: string; message: string; created_at: string }[];
      next_cursor: string | null;
    };
    const page = (cursor?: string) =>
      call<Page>('GET', `/api/messages/${group}`, {
        token,
        query: `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      });
    const texts = (p: { body: Page }) => p.body.messages.map((m) => m.message);

    const first = await page();
    expect(texts(first)).toEqual(['two', 'three']);
    const [two, three] = first.body.messages;
    if (!two || !three || !first.body.next_cursor) throw new Error('no full first page');

    // The function signs with the fetched secret: its cursor verifies with our copy of it.
    const codec = createCursorCodec(Buffer.from(secret, 'utf8'));
    const scope = `messages|${user.uuid}|${group}`;
    const skOf = (m: { uuid: string; created_at: string }) =>
      messageSortKey(new Date(m.created_at), m.uuid);
    expect(codec.decode(scope, first.body.next_cursor)).toBe(skOf(two));
    expect(texts(await page(first.body.next_cursor))).toEqual(['one']);

    // ... and checks with it: a cursor we sign is taken, one signed with another key is not.
    expect(texts(await page(codec.encode(scope, skOf(three))))).toEqual(['one', 'two']);
    const forged = createCursorCodec(randomBytes(32)).encode(scope, skOf(three));
    expect(await page(forged)).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_cursor' } },
    });

    expect(sm.calls).toEqual(fetchedOnce);
  });
});
