import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import { localApiContext } from '../../src/api/create-context.js';
import { tableHealthCheck } from '../../src/api/health-check.js';
import { createLambdaHandler } from '../../src/api/lambda.js';
import { apiGatewayEvent } from '../support/api-gateway-event.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

const t = withTestTable();

const lambdaContext = { awsRequestId: randomUUID(), functionName: 'api' } as Context;

describe('the API as a Lambda behind API Gateway (payload 2.0)', () => {
  it('serves a whole conversation through the handler, on DynamoDB Local', async () => {
    const issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
    const messaging = t.messaging();
    const { app, handler } = await createLambdaHandler(
      localApiContext(messaging, issuer, tableHealthCheck(t.connection.client, t.tableName), {
        webOrigin: 'https://example.cloudfront.net',
        sendRateLimit: 10,
      }),
      false,
    );
    const a = await messaging.createUser({ handle: uniqueHandle('a'), displayName: 'A' });
    const b = await messaging.createUser({ handle: uniqueHandle('b'), displayName: 'B' });
    const token = await issuer.issue(a);

    expect(await handler(apiGatewayEvent('GET', '/api/health'), lambdaContext)).toMatchObject({
      statusCode: 200,
      body: '{"status":"ok"}',
    });
    expect((await handler(apiGatewayEvent('GET', '/api/me'), lambdaContext)).statusCode).toBe(401);

    const sent = await handler(
      apiGatewayEvent('POST', '/api/messages', {
        token,
        body: { handle: b.handle, message: 'via lambda' },
      }),
      lambdaContext,
    );
    expect(sent.statusCode).toBe(201);
    const { message_group_uuid } = JSON.parse(sent.body) as { message_group_uuid: string };

    const page = await handler(
      apiGatewayEvent('GET', `/api/messages/${message_group_uuid}`, { token, query: 'limit=5' }),
      lambdaContext,
    );
    expect(page.statusCode).toBe(200);
    expect(JSON.parse(page.body).messages.map((m: { message: string }) => m.message)).toEqual([
      'via lambda',
    ]);
    expect(page.headers?.['content-type']).toContain('application/json');

    const bad = await handler(
      apiGatewayEvent('GET', '/api/message_groups', { token, query: 'limit=500' }),
      lambdaContext,
    );
    expect(bad.statusCode).toBe(400);

    // The retired event stream is gone everywhere: a whole 404, not a response that never ends.
    const events = await handler(
      apiGatewayEvent('GET', '/api/events', { query: `access_token=${token}` }),
      lambdaContext,
    );
    expect(events.statusCode).toBe(404);
    expect(JSON.parse(String(events.body))).toMatchObject({ error: { code: 'not_found' } });
    await app.close();
  });

  it('builds itself from the environment on the first invocation', async () => {
    const saved = { ...process.env };
    onTestFinished(() => {
      process.env = saved;
    });
    Object.assign(process.env, {
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      DDB_TABLE: t.tableName,
      AUTH_MODE: 'cognito',
      COGNITO_USER_POOL_ID: 'us-east-1_Example1',
      COGNITO_CLIENT_ID: 'example-client',
      CURSOR_SECRET: 'x'.repeat(32),
      LOG_LEVEL: 'silent',
    });
    const { handler } = await import('../../src/api/lambda.js');
    expect(await handler(apiGatewayEvent('GET', '/api/health'), lambdaContext)).toMatchObject({
      statusCode: 200,
    });
    expect(
      (await handler(apiGatewayEvent('GET', '/api/message_groups'), lambdaContext)).statusCode,
    ).toBe(401);
    expect(
      (
        await handler(
          apiGatewayEvent('POST', '/api/dev/sessions', { body: { handle: 'x' } }),
          lambdaContext,
        )
      ).statusCode,
    ).toBe(404);
  });
});
