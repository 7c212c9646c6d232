import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiGatewayEvent } from '../support/api-gateway-event.js';
import { withTestTable } from '../support/test-table.js';
import { bundleOf, dynamoDbLocalEnv, invokeBundle } from './support/bundles.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

/**
 * The API bundle's budget: V8 parses all of it on every cold start, about a third of the
 * import (docs/performance.md, "API cold start"). 1,736,876 B on 2026-12-02; raise it only
 * with a reason, after looking at what grew (esbuild's metafile says who brings what).
 */
const API_BUNDLE_BUDGET_BYTES = 1_760_000;

const t = withTestTable();
let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true });
});
afterAll(() => s.cleanup());

/** The environment the stack gives the function, with test values for Cognito. */
const deployedEnv = () => ({
  ...dynamoDbLocalEnv(inject('dynamoEndpoint')),
  AUTH_MODE: 'cognito',
  COGNITO_USER_POOL_ID: 'us-east-1_Example01',
  COGNITO_CLIENT_ID: 'exampleclientid0123456789',
  DDB_TABLE: t.tableName,
  WEB_ORIGIN: 'https://d111111abcdef8.cloudfront.net',
  // CURSOR_SECRET wins over CURSOR_SECRET_ARN, so the test needs no Secrets Manager.
  CURSOR_SECRET: 'a-test-cursor-secret-of-at-least-32-bytes',
  SEND_RATE_LIMIT: '120',
  LOG_LEVEL: 'silent',
});

describe('the API function as deployed (the esbuild bundle in the cloud assembly)', () => {
  let responses: APIGatewayProxyStructuredResultV2[];
  beforeAll(async () => {
    responses = (await invokeBundle(
      bundleOf(s, /HTTP API/),
      [
        apiGatewayEvent('GET', '/api/health'),
        apiGatewayEvent('GET', '/api/openapi.json'),
        apiGatewayEvent('GET', '/api/docs'),
        apiGatewayEvent('GET', '/api/me'),
        apiGatewayEvent('GET', '/api/docs/static/swagger-ui.css'),
      ],
      deployedEnv(),
    )) as APIGatewayProxyStructuredResultV2[];
  });

  it('starts in Cognito mode and reaches DynamoDB (health answers 200)', () => {
    expect(responses[0]).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(String(responses[0]?.body))).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document and the docs page, both public routes at the gateway', () => {
    expect(responses[1]?.statusCode).toBe(200);
    expect(JSON.parse(String(responses[1]?.body)).info.title).toBe('Cruddur Messaging API');
    expect(responses[2]?.statusCode).toBe(200);
    expect(responses[2]?.headers?.['content-type']).toMatch(/^text\/html/);
  });

  it('checks the token itself too: no token, 401', () => {
    expect(responses[3]?.statusCode).toBe(401);
    expect(JSON.parse(String(responses[3]?.body))).toMatchObject({
      error: { code: 'unauthorized' },
    });
  });

  it('serves the docs page assets (/api/docs/static/*) from the files copied beside the bundle', () => {
    expect(responses[4]?.statusCode).toBe(200);
    expect(responses[4]?.headers?.['content-type']).toMatch(/^text\/css/);
  });
});

describe('the API bundle', () => {
  it(`stays within its ${API_BUNDLE_BUDGET_BYTES.toLocaleString('en')} B budget`, () => {
    expect(statSync(bundleOf(s, /HTTP API/)).size).toBeLessThanOrEqual(API_BUNDLE_BUDGET_BYTES);
  });

  it('answers its first request in a fresh process (the cold start bench/api-cold-start.ts times)', () => {
    const runner = fileURLToPath(new URL('./support/cold-start.mjs', import.meta.url));
    const output = execFileSync(
      process.execPath,
      ['--enable-source-maps', runner, bundleOf(s, /HTTP API/)],
      // Unset where the deployed environment has undefined (DYNAMODB_ENDPOINT and the like).
      {
        env: Object.fromEntries(
          Object.entries({ ...process.env, ...deployedEnv() }).filter(([, v]) => v !== undefined),
        ),
      },
    ).toString();
    const figures = JSON.parse(output) as { status: number; total: number; cpu: number };
    console.info(`API cold start (import + first answer): ${output.trim()}`);
    expect(figures.status).toBe(200);
  });
});
