import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** An API Gateway HTTP API (payload format 2.0) event, as the deployed integration sends it. */
export const apiGatewayEvent = (
  method: string,
  path: string,
  options: { token?: string; body?: unknown; query?: string } = {},
): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: options.query ?? '',
  ...(options.query
    ? { queryStringParameters: Object.fromEntries(new URLSearchParams(options.query)) }
    : {}),
  headers: {
    host: 'abc123.execute-api.us-east-1.amazonaws.com',
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
  },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abc123',
    domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'abc123',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
    requestId: randomUUID(),
    routeKey: '$default',
    stage: '$default',
    time: new Date().toUTCString(),
    timeEpoch: Date.now(),
  },
  body: options.body === undefined ? undefined : JSON.stringify(options.body),
  isBase64Encoded: false,
});
