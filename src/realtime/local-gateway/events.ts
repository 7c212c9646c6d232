import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { RealtimeEvent } from '../websocket-handler.js';

/**
 * API Gateway's WebSocket events, built as API Gateway builds them (developer guide:
 * "WebSocket API Lambda REQUEST authorizers" and the `$connect`/`$disconnect`/message
 * integration inputs), so the handlers the stack deploys run unchanged on a laptop.
 */
export interface ConnectionFacts {
  connectionId: string;
  connectedAt: number;
  apiId: string;
  stage: string;
  domainName: string;
  sourceIp: string;
  userAgent: string;
}

/** API Gateway's ids are 16 characters of base64 (`+`, `/` and `=` included): paths must encode them. */
export const newConnectionId = (): string => randomBytes(11).toString('base64');

const single = (values: Record<string, string[]>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[v.length - 1] ?? '']));

const multiHeaders = (headers: IncomingHttpHeaders): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v : [String(v)]]),
  );

const multiQuery = (query: URLSearchParams): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of query) out[k] = [...(out[k] ?? []), v];
  return out;
};

const requestTime = (at: Date) =>
  `${at.toUTCString().slice(5, 16).replaceAll(' ', '/')}:${at.toISOString().slice(11, 19)} +0000`;

const baseContext = (facts: ConnectionFacts, routeKey: string, eventType: string) => {
  const now = new Date();
  return {
    routeKey,
    eventType,
    extendedRequestId: randomUUID(),
    requestTime: requestTime(now),
    messageDirection: 'IN' as const,
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: { sourceIp: facts.sourceIp, userAgent: facts.userAgent },
    requestId: randomUUID(),
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
  };
};

export const authorizerEvent = (
  facts: ConnectionFacts,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): APIGatewayRequestAuthorizerEvent => {
  const multiValueHeaders = multiHeaders(headers);
  const multiValueQueryStringParameters = multiQuery(query);
  return {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:local:000000000000:${facts.apiId}/${facts.stage}/$connect`,
    headers: single(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: single(multiValueQueryStringParameters),
    multiValueQueryStringParameters,
    stageVariables: {},
    requestContext: baseContext(facts, '$connect', 'CONNECT'),
  } as unknown as APIGatewayRequestAuthorizerEvent;
};

/** What API Gateway puts in `requestContext.authorizer`: the principal and the context, flat. */
export const authorizerOf = (result: APIGatewayAuthorizerResult, integrationLatency: number) => ({
  principalId: result.principalId,
  integrationLatency,
  ...(result.context ?? {}),
});

type Authorizer = ReturnType<typeof authorizerOf>;

export const connectEvent = (
  facts: ConnectionFacts,
  authorizer: Authorizer,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): RealtimeEvent => {
  const multiValueHeaders = multiHeaders(headers);
  const multiValueQueryStringParameters = multiQuery(query);
  return {
    headers: single(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: single(multiValueQueryStringParameters),
    multiValueQueryStringParameters,
    requestContext: { ...baseContext(facts, '$connect', 'CONNECT'), authorizer },
    isBase64Encoded: false,
  } as unknown as RealtimeEvent;
};

export const messageEvent = (
  facts: ConnectionFacts,
  authorizer: Authorizer,
  routeKey: string,
  body: string,
): RealtimeEvent =>
  ({
    requestContext: {
      ...baseContext(facts, routeKey, 'MESSAGE'),
      messageId: randomBytes(11).toString('base64'),
      authorizer,
    },
    body,
    isBase64Encoded: false,
  }) as unknown as RealtimeEvent;

export const disconnectEvent = (
  facts: ConnectionFacts,
  authorizer: Authorizer,
  statusCode: number,
  reason: string,
): RealtimeEvent =>
  ({
    headers: { Host: facts.domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' },
    multiValueHeaders: {
      Host: [facts.domainName],
      'x-api-key': [''],
      'X-Forwarded-For': [''],
      'x-restapi': [''],
    },
    requestContext: {
      ...baseContext(facts, '$disconnect', 'DISCONNECT'),
      disconnectStatusCode: statusCode,
      disconnectReason: reason,
      authorizer,
    },
    isBase64Encoded: false,
  }) as unknown as RealtimeEvent;

/** API Gateway's route selection on `$request.body.action`: a declared action, else `$default`. */
export const routeOf = (body: string, actions: readonly string[]): string => {
  try {
    const value: unknown = JSON.parse(body);
    const action =
      typeof value === 'object' && value !== null
        ? (value as { action?: unknown }).action
        : undefined;
    return typeof action === 'string' && actions.includes(action) ? action : '$default';
  } catch {
    return '$default';
  }
};
