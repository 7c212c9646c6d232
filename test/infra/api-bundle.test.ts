import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
        apiGatewayEvent('GET', '/api/docs/yaml'),
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

  it('serves the OpenAPI document as YAML from the docs page (its bundle has the yaml package)', () => {
    expect(responses[5]?.statusCode).toBe(200);
    expect(responses[5]?.headers?.['content-type']).toMatch(/^application\/x-yaml/);
    expect(String(responses[5]?.body)).toMatch(/^openapi: 3\.0\.3\n/);
  });
});

describe('the API bundle', () => {
  it('answers its first request in a fresh process (the cold start bench/api-cold-start.ts times)', () => {
    const runner = fileURLToPath(new URL('./support/cold-start.mjs', import.meta.url));
    const [api] = Object.values(s.template.findResources('AWS::Lambda::Function')).filter((fn) =>
      /HTTP API/.test(String(fn.Properties.Description)),
    );
    // The function's NODE_OPTIONS, as Lambda passes them; unset where the deployed environment
    // has undefined (DYNAMODB_ENDPOINT and the like).
    const env = Object.fromEntries(
      Object.entries({
        ...process.env,
        ...deployedEnv(),
        NODE_OPTIONS: api?.Properties.Environment?.Variables?.NODE_OPTIONS,
      }).filter(([, v]) => v !== undefined),
    );
    const output = execFileSync(process.execPath, [runner, bundleOf(s, /HTTP API/)], {
      env,
    }).toString();
    const figures = JSON.parse(output) as { status: number; total: number; cpu: number };
    console.info(`API cold start (import + first answer): ${output.trim()}`);
    expect(figures.status).toBe(200);
  });
});
