import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiGatewayEvent } from '../support/api-gateway-event.js';
import { withTestTable } from '../support/test-table.js';
import { bundleOf, dynamoDbLocalEnv, invokeBundle } from './support/bundles.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

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
