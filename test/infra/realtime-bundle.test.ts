import { randomUUID } from 'node:crypto';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { ConnectionRegistry } from '../../src/realtime/connection-registry.js';
import { type ServerFrame, TOKEN_PARAMETER } from '../../src/realtime/frames.js';
import {
  authorizerEvent,
  connectEvent,
  disconnectEvent,
  messageEvent,
} from '../../src/realtime/local-gateway/events.js';
import { type CognitoTestPool, cognitoTestPool } from '../support/cognito-test-pool.js';
import { readStream } from '../support/stream.js';
import { createTestTable, newUser, uniqueHandle, withTestTable } from '../support/test-table.js';
import { startBundleSession } from './support/bundle-session.js';
import { bundleOf, dynamoDbLocalEnv, invokeBundle } from './support/bundles.js';
import { cognitoJwksStandIn, jwksUrlOf } from './support/cognito-jwks.js';
import { connectionFacts } from './support/connection-facts.js';
import { managementApiStandIn } from './support/management-api-stand-in.js';
import { GONE_CONNECTION, pushScene } from './support/push-scene.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

const t = withTestTable();
let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true });
});
afterAll(() => s.cleanup());

const POOL_ID = 'us-east-1_TestPool1';
const CLIENT_ID = 'test-client-id';
/** Where aws-jwt-verify in the bundle fetches the pool's keys: <issuer>/.well-known/jwks.json */
const JWKS_URL = jwksUrlOf(POOL_ID);

const env = () => ({
  ...dynamoDbLocalEnv(inject('dynamoEndpoint')),
  DDB_TABLE: t.tableName,
  COGNITO_USER_POOL_ID: POOL_ID,
  COGNITO_CLIENT_ID: CLIENT_ID,
});

const METHOD_ARN = 'arn:aws:execute-api:local:000000000000:testapi/realtime/$connect';
const policy = (effect: 'Allow' | 'Deny') => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: METHOD_ARN }],
});
/** The whole answer to a token it does not trust: no context, so no connection either. */
const DENIED = { principalId: 'anonymous', policyDocument: policy('Deny') };

/** The pool the bundle is configured with; another of the same id, keys Cognito never served. */
const pool = await cognitoTestPool(POOL_ID, CLIENT_ID);
const otherKeys = await cognitoTestPool(POOL_ID, CLIENT_ID);

/**
 * The deployed `$connect` authorizer, Cognito's JWKS endpoint answered with `jwks` by
 * cognito-jwks-stand-in.mjs, preloaded into its process (the bundle stays as deployed).
 * `fetches()`: the URLs the stand-in answered so far, one per request.
 */
const authorizerServing = (jwks: CognitoTestPool['jwks']) => {
  const standIn = cognitoJwksStandIn(POOL_ID, jwks);
  const bundle = startBundleSession(
    bundleOf(s, /\$connect authorizer/),
    { ...env(), REALTIME_MANAGEMENT_ENDPOINT: undefined, ...standIn.env },
    'authorizer',
    standIn.options,
  );
  onTestFinished(() => bundle.close());
  return {
    connect: (token: string) =>
      bundle.invoke(
        authorizerEvent(
          connectionFacts('abc='),
          {},
          new URLSearchParams({ [TOKEN_PARAMETER]: token }),
        ),
      ),
    fetches: standIn.fetches,
  };
};

/** What Cognito puts in an access token about the user: `sub` and `username`. */
type Claims = { sub: string; username: string };
/** A user the table does not know yet. */
const claims = (): Claims => ({ sub: randomUUID(), username: uniqueHandle('cognito') });

describe('the realtime authorizer as deployed', () => {
  // Without the JWKS stand-in: neither answer needs the pool's keys.
  it('throws Unauthorized without a token (401), denies a junk one (403): no socket opens', async () => {
    const bundle = startBundleSession(
      bundleOf(s, /\$connect authorizer/),
      { ...env(), REALTIME_MANAGEMENT_ENDPOINT: undefined },
      'authorizer',
    );
    onTestFinished(() => bundle.close());
    const event = (query: string) =>
      authorizerEvent(connectionFacts('abc='), {}, new URLSearchParams(query));

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

  it('allows a valid Cognito access token for the user the API knows by it: a newcomer is created from the claims, a known user is looked up', async () => {
    const authorizer = authorizerServing(pool.jwks);
    const messaging = t.messaging();

    // First sign-in: the user is created, `sub` becoming the uuid, `username` the handle.
    const newcomer = claims();
    const first = await authorizer.connect(await pool.accessToken(newcomer));
    const created = await messaging.getUser(newcomer.sub);
    expect(created).toMatchObject({ uuid: newcomer.sub, handle: newcomer.username });
    expect(first).toEqual({
      principalId: created?.uuid,
      policyDocument: policy('Allow'),
      context: { user_uuid: created?.uuid, handle: created?.handle },
    });

    // A known user: the stored profile speaks, not the token's claims.
    const known = await messaging.createUser({
      uuid: randomUUID(),
      handle: uniqueHandle('known'),
      displayName: 'Known',
    });
    const again = await authorizer.connect(
      await pool.accessToken({ sub: known.uuid, username: uniqueHandle('claimed') }),
    );
    const stored = await messaging.getUser(known.uuid);
    expect(stored).toMatchObject({ uuid: known.uuid, handle: known.handle });
    expect(again).toEqual({
      principalId: stored?.uuid,
      policyDocument: policy('Allow'),
      context: { user_uuid: stored?.uuid, handle: stored?.handle },
    });

    // The keys came from the stand-in, fetched once and cached by the warm container.
    expect(authorizer.fetches()).toEqual([JWKS_URL]);
  });

  it('denies an expired access token, one signed by another key and an id token: no context, no user created', async () => {
    const authorizer = authorizerServing(pool.jwks);
    const messaging = t.messaging();

    // The session does accept the pool's tokens: what follows is denied for its own fault.
    const valid = claims();
    const allowed = await authorizer.connect(await pool.accessToken(valid));
    expect(allowed).toMatchObject({
      policyDocument: policy('Allow'),
      context: { user_uuid: valid.sub },
    });

    const refused = [
      ['expired', claims(), (c: Claims) => pool.accessToken(c, '-1m')],
      ['another key', claims(), (c: Claims) => otherKeys.accessToken(c)],
      [
        'id token',
        claims(),
        (c: Claims) => pool.accessToken({ ...c, token_use: 'id', aud: CLIENT_ID }),
      ],
    ] as const;
    for (const [why, denied, sign] of refused) {
      expect(await authorizer.connect(await sign(denied)), why).toEqual(DENIED);
      expect(await messaging.getUser(denied.sub), why).toBeUndefined();
    }
    expect(authorizer.fetches().length).toBeGreaterThan(0);
    expect(new Set(authorizer.fetches())).toEqual(new Set([JWKS_URL]));
  });

  it("rests its Allow on the keys the JWKS endpoint serves: serving another key pair's, it denies a token the pool signed", async () => {
    const authorizer = authorizerServing(otherKeys.jwks);
    const user = claims();

    expect(await authorizer.connect(await pool.accessToken(user))).toEqual(DENIED);
    expect(await t.messaging().getUser(user.sub)).toBeUndefined();
    // Asked, and answered with keys that do not match the token's signature.
    expect(authorizer.fetches()).toEqual([JWKS_URL]);
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
      bundle.invoke(
        connectEvent(connectionFacts(connectionId), authorizer, {}, new URLSearchParams()),
      ),
    ).resolves.toEqual({ statusCode: 200 });
    expect(await registry.connectionsOf(userUuid)).toEqual([connectionId]);

    await expect(
      bundle.invoke(
        messageEvent(connectionFacts(connectionId), authorizer, 'ping', '{"action":"ping"}'),
      ),
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
        bundle.invoke(messageEvent(connectionFacts(connectionId), authorizer, route, body)),
      ).resolves.toEqual({ statusCode: 200 });
    }
    expect(management.posts.slice(1).map((p) => JSON.parse(p.body).data.code)).toEqual([
      'not_a_participant',
      'invalid_frame',
    ]);
    expect(management.posts.slice(1).every((p) => p.path === management.posts[0]?.path)).toBe(true);

    await expect(
      bundle.invoke(disconnectEvent(connectionFacts(connectionId), authorizer, 1000, 'bye')),
    ).resolves.toEqual({ statusCode: 200 });
    expect(await registry.connectionsOf(userUuid)).toEqual([]);
  });
});

describe('typing between blocked users, as deployed', () => {
  it("drops a typing frame either way between a blocker and whom they block (nothing pushed, no error), and delivers the blocker's typing to someone unblocked", async () => {
    // A table of its own: its messages are not for the stream test to push.
    const own = await createTestTable();
    const management = await managementApiStandIn();
    const bundle = startBundleSession(bundleOf(s, /WebSocket routes/), {
      ...env(),
      DDB_TABLE: own.tableName,
      REALTIME_MANAGEMENT_ENDPOINT: management.endpoint,
    });
    onTestFinished(() => bundle.close());
    const messaging = own.messaging();
    const [ann, bob, cat] = [
      await newUser(messaging, 'ann'),
      await newUser(messaging, 'bob'),
      await newUser(messaging, 'cat'),
    ];
    const withBob = await messaging.sendMessage({
      sender: ann,
      to: { handle: bob.handle },
      message: 'Hi Bob',
    });
    const withCat = await messaging.sendMessage({
      sender: ann,
      to: { handle: cat.handle },
      message: 'Hi Cat',
    });
    await messaging.block(ann, bob.handle);
    const connections = new Map([
      [ann.uuid, 'ann+1'],
      [bob.uuid, 'bob/1'],
      [cat.uuid, 'cat=1'],
    ]);
    const registry = new ConnectionRegistry(own.table);
    for (const [userUuid, connectionId] of connections)
      await registry.register(userUuid, connectionId);
    /** A typing frame from `user`'s connection, with what the authorizer put in at $connect. */
    const typing = (user: { uuid: string; handle: string }, groupUuid: string) => {
      const authorizer = {
        principalId: user.uuid,
        integrationLatency: 0,
        user_uuid: user.uuid,
        handle: user.handle,
      };
      return bundle.invoke(
        messageEvent(
          connectionFacts(connections.get(user.uuid) ?? ''),
          authorizer,
          'typing',
          JSON.stringify({ action: 'typing', message_group_uuid: groupUuid }),
        ),
      );
    };

    // Bob types to Ann, who blocks him; Ann to Cat; Ann to Bob, whom she blocks.
    await expect(typing(bob, withBob.message.messageGroupUuid)).resolves.toEqual({
      statusCode: 200,
    });
    await expect(typing(ann, withCat.message.messageGroupUuid)).resolves.toEqual({
      statusCode: 200,
    });
    await expect(typing(ann, withBob.message.messageGroupUuid)).resolves.toEqual({
      statusCode: 200,
    });

    // Only Cat heard of it: the two frames across the block went nowhere, not even an error.
    expect(management.posts).toEqual([
      {
        method: 'POST',
        path: '/realtime/@connections/cat%3D1',
        body: JSON.stringify({
          type: 'typing',
          data: { message_group_uuid: withCat.message.messageGroupUuid, user_uuid: ann.uuid },
        } satisfies ServerFrame),
      },
    ]);
  });
});

describe('the stream function as deployed, with the Management API endpoint', () => {
  it("pushes each new message to both participants' connections, and deletes a gone one", async () => {
    const management = await managementApiStandIn([GONE_CONNECTION]);
    const { registry, alice, bob, message } = await pushScene(t);

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
