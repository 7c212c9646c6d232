import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { ConnectionRegistry } from '../../src/realtime/connection-registry.js';
import type { ServerFrame } from '../../src/realtime/frames.js';
import {
  authorizerEvent,
  type ConnectionFacts,
  connectEvent,
  disconnectEvent,
  messageEvent,
} from '../../src/realtime/local-gateway/events.js';
import { readStream } from '../support/stream.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';
import { startBundleSession } from './support/bundle-session.js';
import { bundleOf, dynamoDbLocalEnv, invokeBundle } from './support/bundles.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

const t = withTestTable();
let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true });
});
afterAll(() => s.cleanup());

interface Post {
  method: string;
  /** The raw request path: connection ids are URL-encoded in it. */
  path: string;
  body: string;
}

/**
 * API Gateway's Management API, as far as pushing goes: records every request and answers
 * 200, or 410 GoneException for the connection ids in `gone`.
 */
const managementApiStandIn = async (gone: string[] = []) => {
  const posts: Post[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      posts.push({ method: request.method ?? '', path, body: Buffer.concat(chunks).toString() });
      const id = decodeURIComponent(path.split('/@connections/')[1] ?? '');
      if (gone.includes(id)) {
        response.writeHead(410, { 'x-amzn-ErrorType': 'GoneException' });
        response.end('{"message":null}');
      } else response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  // The stage's path, as on AWS: https://{apiId}.execute-api.{region}.amazonaws.com/realtime
  return { posts, endpoint: `http://127.0.0.1:${port}/realtime` };
};

const facts = (connectionId: string): ConnectionFacts => ({
  connectionId,
  connectedAt: Date.now(),
  apiId: 'testapi',
  stage: 'realtime',
  domainName: 'testapi.execute-api.us-east-1.amazonaws.com',
  sourceIp: '127.0.0.1',
  userAgent: 'test',
});

const env = () => ({
  ...dynamoDbLocalEnv(inject('dynamoEndpoint')),
  DDB_TABLE: t.tableName,
  COGNITO_USER_POOL_ID: 'us-east-1_TestPool1',
  COGNITO_CLIENT_ID: 'test-client-id',
});

describe('the realtime authorizer as deployed', () => {
  // Accepting a token needs the pool's public keys, which aws-jwt-verify fetches from Cognito:
  // not offline, and the deployed bundle has (rightly) no way to be given other keys.
  it('throws Unauthorized without a token (401), denies a junk one (403): no socket opens', async () => {
    const bundle = startBundleSession(
      bundleOf(s, /\$connect authorizer/),
      { ...env(), REALTIME_MANAGEMENT_ENDPOINT: undefined },
      'authorizer',
    );
    onTestFinished(() => bundle.close());
    const event = (query: string) => authorizerEvent(facts('abc='), {}, new URLSearchParams(query));

    await expect(bundle.invoke(event(''))).rejects.toThrow(/^Error: Unauthorized/);
    const junk = await bundle.invoke(event('access_token=junk'));
    expect(junk).toMatchObject({
      principalId: 'anonymous',
      policyDocument: {
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Deny',
            Resource: 'arn:aws:execute-api:local:000000000000:testapi/realtime/$connect',
          },
        ],
      },
    });
    expect(junk).not.toHaveProperty('context');
  });
});

describe('the realtime route handler as deployed', () => {
  it('records a connection at $connect, answers ping with pong through the Management API, forgets it at $disconnect', async () => {
    const management = await managementApiStandIn();
    const bundle = startBundleSession(bundleOf(s, /WebSocket routes/), {
      ...env(),
      REALTIME_MANAGEMENT_ENDPOINT: management.endpoint,
    });
    onTestFinished(() => bundle.close());
    const userUuid = randomUUID();
    // API Gateway's ids are base64: `+`, `/` and `=` must travel URL-encoded in the path.
    const connectionId = 'Ab+c/DeFgHiJkL0=';
    const authorizer = {
      principalId: userUuid,
      integrationLatency: 0,
      user_uuid: userUuid,
      handle: 'sol',
    };
    const registry = new ConnectionRegistry(t.table);

    await expect(
      bundle.invoke(connectEvent(facts(connectionId), authorizer, {}, new URLSearchParams())),
    ).resolves.toEqual({ statusCode: 200 });
    expect(await registry.connectionsOf(userUuid)).toEqual([connectionId]);

    await expect(
      bundle.invoke(messageEvent(facts(connectionId), authorizer, 'ping', '{"action":"ping"}')),
    ).resolves.toEqual({ statusCode: 200 });
    expect(management.posts).toEqual([
      {
        method: 'POST',
        path: '/realtime/@connections/Ab%2Bc%2FDeFgHiJkL0%3D',
        body: JSON.stringify({ type: 'pong', data: {} } satisfies ServerFrame),
      },
    ]);

    // The other routes the stack gives this function: typing (here in no conversation of the
    // user's, so nothing is delivered) and $default.
    const group = randomUUID();
    for (const [route, body] of [
      ['typing', JSON.stringify({ action: 'typing', message_group_uuid: group })],
      ['$default', 'not json'],
    ] as const) {
      await expect(
        bundle.invoke(messageEvent(facts(connectionId), authorizer, route, body)),
      ).resolves.toEqual({ statusCode: 200 });
    }
    expect(management.posts.slice(1).map((p) => JSON.parse(p.body).data.code)).toEqual([
      'not_a_participant',
      'invalid_frame',
    ]);
    expect(management.posts.slice(1).every((p) => p.path === management.posts[0]?.path)).toBe(true);

    await expect(
      bundle.invoke(disconnectEvent(facts(connectionId), authorizer, 1000, 'bye')),
    ).resolves.toEqual({ statusCode: 200 });
    expect(await registry.connectionsOf(userUuid)).toEqual([]);
  });
});

describe('the stream function as deployed, with the Management API endpoint', () => {
  it("pushes each new message to both participants' connections, and deletes a gone one", async () => {
    const management = await managementApiStandIn(['bob-gone=']);
    const messaging = t.messaging();
    const [alice, bob] = [
      await messaging.createUser({ handle: uniqueHandle('alice'), displayName: 'Alice' }),
      await messaging.createUser({ handle: uniqueHandle('bob'), displayName: 'Bob' }),
    ];
    const registry = new ConnectionRegistry(t.table);
    await registry.register(alice.uuid, 'alice+1');
    await registry.register(bob.uuid, 'bob/1');
    await registry.register(bob.uuid, 'bob-gone=');
    const { message } = await messaging.sendMessage({
      sender: alice,
      to: { handle: bob.handle },
      message: 'Hi Bob',
    });

    const event: DynamoDBStreamEvent = { Records: await readStream(t.connection, t.tableName) };
    const responses = await invokeBundle(bundleOf(s, /^Pattern E/), [event], {
      ...env(),
      REALTIME_MANAGEMENT_ENDPOINT: management.endpoint,
    });

    expect(responses).toEqual([{ batchItemFailures: [] }]);
    const messageFrames = management.posts.filter(
      (post) => (JSON.parse(post.body) as ServerFrame).type === 'message',
    );
    expect(messageFrames.map((post) => post.path).sort()).toEqual([
      '/realtime/@connections/alice%2B1',
      '/realtime/@connections/bob%2F1',
      '/realtime/@connections/bob-gone%3D',
    ]);
    for (const post of messageFrames) {
      expect(post.method).toBe('POST');
      expect(JSON.parse(post.body)).toMatchObject({
        type: 'message',
        data: {
          uuid: message.uuid,
          message: 'Hi Bob',
          message_group_uuid: message.messageGroupUuid,
        },
      });
    }
    // Answered 410: the connection item is gone, the others stay.
    expect(await registry.connectionsOf(bob.uuid)).toEqual(['bob/1']);
    expect(await registry.connectionsOf(alice.uuid)).toEqual(['alice+1']);
  });
});
