import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { apiGatewayEvent } from '../support/api-gateway-event.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';
import { startBundleSession } from './support/bundle-session.js';
import { bundleOf, dynamoDbLocalEnv } from './support/bundles.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

const t = withTestTable();
let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true });
});
afterAll(() => s.cleanup());

/** A Lambda that never returns times out on AWS; here it fails the test instead of hanging it. */
const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no whole response within ${ms} ms`)), ms),
    ),
  ]);

describe('the API function as deployed, on the realtime routes', () => {
  // Signing in offline needs the dev sign-in (AUTH_MODE=local); on AWS the routes are the same.
  it('names the WebSocket the stack gives it, and answers the retired /api/events with a whole 404', async () => {
    const bundle = startBundleSession(bundleOf(s, /HTTP API/), {
      ...dynamoDbLocalEnv(inject('dynamoEndpoint')),
      AUTH_MODE: 'local',
      DDB_TABLE: t.tableName,
      CURSOR_SECRET: 'a-test-cursor-secret-of-at-least-32-bytes',
      LOG_LEVEL: 'silent',
      REALTIME_URL: 'wss://abc123.execute-api.us-east-1.amazonaws.com/realtime',
    });
    onTestFinished(() => bundle.close());
    const handle = uniqueHandle('events');
    await bundle.invoke(
      apiGatewayEvent('POST', '/api/dev/users', { body: { handle, display_name: handle } }),
    );
    const session = (await bundle.invoke(
      apiGatewayEvent('POST', '/api/dev/sessions', { body: { handle } }),
    )) as APIGatewayProxyStructuredResultV2;
    const { token } = JSON.parse(String(session.body)) as { token: string };

    const events = (await within(
      10_000,
      bundle.invoke(
        apiGatewayEvent('GET', '/api/events', {
          query: `access_token=${encodeURIComponent(token)}`,
        }),
      ),
    )) as APIGatewayProxyStructuredResultV2;
    expect(events.statusCode).toBe(404);
    expect(JSON.parse(String(events.body))).toMatchObject({ error: { code: 'not_found' } });

    const config = (await bundle.invoke(
      apiGatewayEvent('GET', '/api/config'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(JSON.parse(String(config.body))).toEqual({
      realtime_url: 'wss://abc123.execute-api.us-east-1.amazonaws.com/realtime',
      edit_window_s: 900,
    });
  });
});
