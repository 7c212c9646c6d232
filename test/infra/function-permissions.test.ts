import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { ConnectionRegistry } from '../../src/realtime/connection-registry.js';
import { TOKEN_PARAMETER } from '../../src/realtime/frames.js';
import {
  authorizerEvent,
  connectEvent,
  disconnectEvent,
  messageEvent,
} from '../../src/realtime/local-gateway/events.js';
import { passesStreamFilters } from '../../src/stream/filter.js';
import { apiGatewayEvent } from '../support/api-gateway-event.js';
import { cognitoTestPool } from '../support/cognito-test-pool.js';
import { readStream } from '../support/stream.js';
import { createTestTable, uniqueHandle } from '../support/test-table.js';
import { startBundleSession } from './support/bundle-session.js';
import { bundleOf, dynamoDbLocalEnv, invokeBundle, stackEnvironmentOf } from './support/bundles.js';
import { cognitoJwksStandIn } from './support/cognito-jwks.js';
import { connectionFacts } from './support/connection-facts.js';
import { startDeployedApi } from './support/deployed-api.js';
import { type DynamoAuthorization, startDynamoRecorder } from './support/dynamodb-recorder.js';
import { managementApiStandIn } from './support/management-api-stand-in.js';
import { GONE_CONNECTION, pushScene } from './support/push-scene.js';
import {
  allowStatementsOf,
  arnOf,
  describeAuthorization,
  isAllowed,
} from './support/role-policy.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

// Each function's role against the DynamoDB requests its code makes. Every deployed bundle
// runs its routes against DynamoDB Local through a recording proxy (X-Amz-Target and the body
// of each request: the table, the index, each item of a transaction), and every request must
// be allowed by the role's policy in the synthesized template; every DynamoDB action the role
// grants on the table or an index must be used by one of them. On AWS, a request the role does
// not allow fails with AccessDenied: a 500 on the API, a failed batch of the stream consumer.

let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true });
});
afterAll(() => s.cleanup());

const POOL_ID = 'us-east-1_PermsPool1';
const CLIENT_ID = 'permissions-test-client-id';
const pool = await cognitoTestPool(POOL_ID, CLIENT_ID);

const FUNCTIONS = {
  api: /HTTP API/,
  streamConsumer: /^Pattern E/,
  realtimeAuthorizer: /\$connect authorizer/,
  realtimeHandler: /WebSocket routes/,
} as const;

/** DynamoDB Local behind a recording proxy, closed when the test ends. */
const recorder = async () => {
  const proxy = await startDynamoRecorder(inject('dynamoEndpoint'));
  onTestFinished(() => proxy.close());
  return proxy;
};

const key = (need: DynamoAuthorization) => `${need.action} ${arnOf(need)}`;

/**
 * What the function's role lacks for the requests recorded, and what it grants on the table
 * or its indexes that no request used: both empty when the role allows exactly what the code
 * does (on these routes).
 */
const checkRole = (
  fn: keyof typeof FUNCTIONS,
  tableName: string,
  requests: { authorizations: DynamoAuthorization[] }[],
) => {
  const statements = allowStatementsOf(s, FUNCTIONS[fn], tableName);
  const needed = [
    ...new Map(requests.flatMap((r) => r.authorizations).map((n) => [key(n), n])).values(),
  ];
  const missing = needed.filter((need) => !isAllowed(statements, need));
  const tableArn = arnOf({ table: tableName });
  const unused = statements.flatMap((statement) =>
    statement.actions
      .filter((action) => action.startsWith('dynamodb:'))
      .flatMap((action) =>
        statement.resources
          .filter((r) => r === tableArn || r.startsWith(`${tableArn}/index/`))
          .filter((resource) => !needed.some((n) => n.action === action && arnOf(n) === resource))
          .map((resource) => `${action} on ${resource.slice(tableArn.length) || 'table'}`),
      ),
  );
  return {
    fn,
    missing: missing.map(describeAuthorization).sort(),
    unused: unused.sort(),
    used: needed.map(describeAuthorization).sort(),
  };
};

/**
 * Fails naming what the role lacks for the recorded requests, or grants on the table or an index
 * that none of them used; returns the authorizations used (`dynamodb:Query on table`, ...).
 */
const expectRoleAllowsExactly = (
  fn: keyof typeof FUNCTIONS,
  tableName: string,
  requests: { authorizations: DynamoAuthorization[] }[],
) => {
  const { used, ...result } = checkRole(fn, tableName, requests);
  expect(used.length, `${fn}: no DynamoDB request recorded`).toBeGreaterThan(0);
  expect(result).toEqual({ fn, missing: [], unused: [] });
  return used;
};

// Each test makes a few dozen invocations of warm bundles: seconds, more on a busy machine.
const SLOW = { timeout: 120_000 };

describe('the role of each function allows exactly the DynamoDB requests its bundle makes', () => {
  it('the API function, on every route of the product', SLOW, async () => {
    const table = await createTestTable();
    const proxy = await recorder();
    const { invoke } = await startDeployedApi(s, {
      pool,
      tableName: table.tableName,
      dynamoEndpoint: proxy.endpoint,
    });
    const call = async (
      method: string,
      path: string,
      as: { uuid: string; handle: string },
      body?: unknown,
    ) => {
      const [route = path, query] = path.split('?');
      const token = await pool.accessToken({ sub: as.uuid, username: as.handle });
      return invoke(apiGatewayEvent(method, route, { token, body, ...(query ? { query } : {}) }));
    };
    const uuidOf = (sent: { body?: Record<string, unknown> | undefined }) =>
      String((sent.body?.message as { uuid?: string } | undefined)?.uuid);
    const alice = { uuid: randomUUID(), handle: uniqueHandle('alice') };
    const bob = { uuid: randomUUID(), handle: uniqueHandle('bob') };

    expect((await invoke(apiGatewayEvent('GET', '/api/health'))).status).toBe(200);
    // First sign-ins: each user is created from the token.
    for (const user of [alice, bob]) {
      expect(await call('GET', '/api/me', user)).toMatchObject({ status: 200 });
    }
    // Pattern C: by handle, the first message of the pair.
    const first = await call('POST', '/api/messages', alice, {
      handle: bob.handle,
      message: 'hi Bob',
    });
    expect(first.status).toBe(201);
    const group = String(first.body?.message_group_uuid);
    // Pattern D: into the conversation, with a client_message_id (claim, then message), then
    // the same send retried (the claim answers), then without one.
    const send = { message_group_uuid: group, message: 'are you there?', client_message_id: 'c-1' };
    const second = await call('POST', '/api/messages', alice, send);
    expect(second.status).toBe(201);
    const retried = await call('POST', '/api/messages', alice, send);
    expect(retried.status).toBe(200);
    expect(uuidOf(retried)).toBe(uuidOf(second));
    const third = await call('POST', '/api/messages', bob, {
      message_group_uuid: group,
      message: 'yes',
    });
    expect(third.status).toBe(201);

    expect((await call('GET', `/api/messages/${group}`, bob)).status).toBe(200);
    expect((await call('GET', '/api/message_groups', bob)).status).toBe(200);
    expect(
      await call('POST', `/api/message_groups/${group}/read`, bob, {
        message_uuid: uuidOf(second),
      }),
    ).toEqual({ status: 200, body: { unread_count: 0 } });
    expect((await call('GET', '/api/me', bob)).body?.unread_conversations).toBe(0);
    // An edit of a message with a claim (two updates), an unsend of one without (one update).
    expect(
      (
        await call('PATCH', `/api/messages/${group}/${uuidOf(second)}`, alice, {
          message: 'still there?',
        })
      ).status,
    ).toBe(200);
    expect((await call('DELETE', `/api/messages/${group}/${uuidOf(first)}`, alice)).status).toBe(
      204,
    );

    expect((await call('GET', `/api/users?q=${bob.handle}`, alice)).body?.users).toHaveLength(1);
    expect((await call('GET', `/api/users/@${bob.handle}/short`, alice)).body).toMatchObject({
      message_group_uuid: group,
    });

    const blockPath = `/api/users/@${bob.handle}/block`;
    expect((await call('POST', blockPath, alice)).status).toBe(204);
    expect((await call('GET', '/api/blocks', alice)).body?.users).toHaveLength(1);
    expect(
      (await call('POST', '/api/messages', bob, { message_group_uuid: group, message: 'hey' }))
        .status,
    ).toBe(403);
    expect((await call('DELETE', blockPath, alice)).status).toBe(204);
    expect((await call('GET', '/api/blocks', alice)).body?.users).toEqual([]);

    expect(expectRoleAllowsExactly('api', table.tableName, proxy.requests)).toEqual(
      expect.arrayContaining([
        'dynamodb:DeleteItem on table',
        'dynamodb:Query on index message-group-sk-index',
        'dynamodb:UpdateItem on table',
      ]),
    );
  });

  it(
    'the stream consumer, on a batch of new messages, an edit and a read mark, pushing to connections (one gone)',
    SLOW,
    async () => {
      const table = await createTestTable();
      const proxy = await recorder();
      const management = await managementApiStandIn([GONE_CONNECTION]);
      const { messaging, registry, alice, bob, message: hi } = await pushScene(table);
      const group = hi.messageGroupUuid;
      // Alice has read all there is; Bob's answer makes her conversation unread (her count moves).
      const { message: answer } = await messaging.sendMessage({
        sender: bob,
        to: { messageGroupUuid: group },
        message: 'Hi Alce',
      });
      await messaging.editMessage(bob, group, answer.uuid, 'Hi Alice');
      await messaging.markRead(bob.uuid, group, hi.uuid);

      const records = (await readStream(table.connection, table.tableName)).filter(
        passesStreamFilters,
      );
      expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT', 'MODIFY', 'MODIFY']);
      const responses = await invokeBundle(
        bundleOf(s, FUNCTIONS.streamConsumer),
        [{ Records: records }],
        {
          ...dynamoDbLocalEnv(proxy.endpoint),
          ...stackEnvironmentOf(s, FUNCTIONS.streamConsumer, {
            DDB_TABLE: table.tableName,
            REALTIME_MANAGEMENT_ENDPOINT: management.endpoint,
          }),
        },
      );

      expect(responses).toEqual([{ batchItemFailures: [] }]);
      expect(checkInvariants(await table.scanAll()).violations).toEqual([]);
      const [row] = (await messaging.listMessageGroups(alice.uuid)).items;
      expect(row).toMatchObject({ message: 'Hi Alice', unreadCount: 1 });
      expect(management.posts.map((post) => post.path)).toContain(
        '/realtime/@connections/bob-gone%3D',
      );
      expect(await registry.connectionsOf(bob.uuid)).toEqual(['bob/1']);

      expect(expectRoleAllowsExactly('streamConsumer', table.tableName, proxy.requests)).toEqual(
        expect.arrayContaining(['dynamodb:UpdateItem on table']),
      );
    },
  );

  it(
    'the realtime authorizer and route handler: $connect (a newcomer and a known user), typing, ping, $disconnect',
    SLOW,
    async () => {
      const table = await createTestTable();
      const messaging = table.messaging();
      const [ann, ben] = [
        await messaging.createUser({ handle: uniqueHandle('ann'), displayName: 'Ann' }),
        await messaging.createUser({ handle: uniqueHandle('ben'), displayName: 'Ben' }),
      ];
      const { message } = await messaging.sendMessage({
        sender: ann,
        to: { handle: ben.handle },
        message: 'Hi Ben',
      });

      // The authorizer: a newcomer is created, a known user read.
      const authorizerProxy = await recorder();
      const jwks = cognitoJwksStandIn(POOL_ID, pool.jwks);
      const authorizer = startBundleSession(
        bundleOf(s, FUNCTIONS.realtimeAuthorizer),
        {
          ...dynamoDbLocalEnv(authorizerProxy.endpoint),
          ...stackEnvironmentOf(s, FUNCTIONS.realtimeAuthorizer, {
            DDB_TABLE: table.tableName,
            COGNITO_USER_POOL_ID: POOL_ID,
            COGNITO_CLIENT_ID: CLIENT_ID,
          }),
          ...jwks.env,
        },
        'authorizer',
        jwks.options,
      );
      onTestFinished(() => authorizer.close());
      const newcomer = { sub: randomUUID(), username: uniqueHandle('newcomer') };
      for (const claims of [newcomer, { sub: ann.uuid, username: ann.handle }]) {
        const query = new URLSearchParams({ [TOKEN_PARAMETER]: await pool.accessToken(claims) });
        expect(
          await authorizer.invoke(authorizerEvent(connectionFacts('abc='), {}, query)),
        ).toMatchObject({
          context: { user_uuid: claims.sub },
        });
      }
      expect(await messaging.getUser(newcomer.sub)).toBeDefined();
      expectRoleAllowsExactly('realtimeAuthorizer', table.tableName, authorizerProxy.requests);

      // The route handler: both connect, Ann types to Ben (delivered), pings, both disconnect.
      const handlerProxy = await recorder();
      const management = await managementApiStandIn();
      const handler = startBundleSession(bundleOf(s, FUNCTIONS.realtimeHandler), {
        ...dynamoDbLocalEnv(handlerProxy.endpoint),
        ...stackEnvironmentOf(s, FUNCTIONS.realtimeHandler, {
          DDB_TABLE: table.tableName,
          REALTIME_MANAGEMENT_ENDPOINT: management.endpoint,
        }),
      });
      onTestFinished(() => handler.close());
      const contextOf = (user: { uuid: string; handle: string }) => ({
        principalId: user.uuid,
        integrationLatency: 0,
        user_uuid: user.uuid,
        handle: user.handle,
      });
      const connections = [
        [ann, 'ann+1'],
        [ben, 'ben/1'],
      ] as const;
      for (const [user, id] of connections) {
        expect(
          await handler.invoke(
            connectEvent(connectionFacts(id), contextOf(user), {}, new URLSearchParams()),
          ),
        ).toEqual({ statusCode: 200 });
      }
      const typing = JSON.stringify({
        action: 'typing',
        message_group_uuid: message.messageGroupUuid,
      });
      expect(
        await handler.invoke(
          messageEvent(connectionFacts('ann+1'), contextOf(ann), 'typing', typing),
        ),
      ).toEqual({ statusCode: 200 });
      expect(management.posts.map((post) => post.path)).toEqual(['/realtime/@connections/ben%2F1']);
      expect(
        await handler.invoke(
          messageEvent(connectionFacts('ann+1'), contextOf(ann), 'ping', '{"action":"ping"}'),
        ),
      ).toEqual({ statusCode: 200 });
      for (const [user, id] of connections) {
        expect(
          await handler.invoke(disconnectEvent(connectionFacts(id), contextOf(user), 1000, 'bye')),
        ).toEqual({ statusCode: 200 });
      }
      const registry = new ConnectionRegistry(table.table);
      expect(await registry.connectionsOf(ann.uuid)).toEqual([]);
      expectRoleAllowsExactly('realtimeHandler', table.tableName, handlerProxy.requests);
    },
  );
});
