import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_EDIT_WINDOW_SECONDS } from '../../src/contract/limits.js';
import type { User } from '../../src/messaging/model.js';
import { MAX_MESSAGE_LENGTH } from '../../src/messaging/validation.js';
import { apiGatewayEvent } from '../support/api-gateway-event.js';
import { cognitoTestPool } from '../support/cognito-test-pool.js';
import { streamSteps } from '../support/stream-steps.js';
import { newUser, uniqueHandle, withTestTable } from '../support/test-table.js';
import {
  CURSOR_SECRET_ARN,
  type DeployedAnswer,
  startDeployedApi,
} from './support/deployed-api.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

// The routes of message edits, unsends and read state, on the API function as deployed: the
// esbuild bundle of the cloud assembly, in the environment the stack gives it (Cognito mode,
// the cursor secret fetched by its ARN), called with access tokens a stand-in pool signs and
// checked against the keys a stand-in of Cognito's JWKS endpoint serves. Data is seeded and
// checked through the table; pattern E (the stream consumer: the group rows follow the newest
// message, and an edit or unsend of it) is applied by hand where the deployed stack would run it.

const t = withTestTable();
/** Pattern E on this file's table: `applyStream()` hands it the records written since. */
const stream = streamSteps(t);
let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true });
});
afterAll(() => s.cleanup());

const POOL_ID = 'us-east-1_RoutesPool1';
const CLIENT_ID = 'routes-test-client-id';

/** The pool the function is configured with; another of the same id, keys Cognito never served. */
const pool = await cognitoTestPool(POOL_ID, CLIENT_ID);
const otherKeys = await cognitoTestPool(POOL_ID, CLIENT_ID);

const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });

/** A token of the user, as Cognito signs one after sign-in: `sub` is the user's uuid. */
const tokenOf = (user: { uuid: string; handle: string }) =>
  pool.accessToken({ sub: user.uuid, username: user.handle });

/**
 * The deployed API function for this test: one warm container, its Secrets Manager and
 * Cognito's JWKS endpoint answered by stand-ins; ended when the test finishes.
 */
const deployedApi = async () => {
  const { invoke, secrets, jwks } = await startDeployedApi(s, {
    pool,
    tableName: t.tableName,
    dynamoEndpoint: inject('dynamoEndpoint'),
  });
  return {
    invoke,
    /** A request with a token of `as` (a user, or a token as is) and a JSON `body`. */
    call: async (
      method: string,
      path: string,
      as: { uuid: string; handle: string } | string,
      body?: unknown,
    ) => {
      const [route = path, query] = path.split('?');
      return invoke(
        apiGatewayEvent(method, route, {
          token: typeof as === 'string' ? as : await tokenOf(as),
          body,
          ...(query === undefined ? {} : { query }),
        }),
      );
    },
    secrets,
    jwks,
  };
};

/** A clock from `from`, a millisecond ahead at every reading: seeded messages keep their order. */
const steppingClock = (from = Date.now()) => {
  let next = from;
  return () => {
    next += 1;
    return new Date(next);
  };
};

/**
 * Alice and Bob as the table knows them after their first sign-in, and a conversation of
 * theirs: Alice's messages `texts` to Bob, sent in that order (`at`: when the first was).
 */
const seedConversation = async (texts: string[], at?: number) => {
  const messaging = t.messaging({ clock: steppingClock(at) });
  const alice = await newUser(messaging, 'alice');
  const bob = await newUser(messaging, 'bob');
  const messages = [];
  for (const text of texts) {
    const sent = await messaging.sendMessage({
      sender: alice,
      to: { handle: bob.handle },
      message: text,
    });
    messages.push(sent.message);
  }
  const group = messages[0]?.messageGroupUuid ?? '';
  // The group rows move to the newest message, as the stream consumer moves them.
  await stream.applyStream();
  return { alice, bob, group, messages };
};

const messagePath = (group: string, message: { uuid: string }) =>
  `/api/messages/${group}/${message.uuid}`;

/** A message as the table holds it now, read by its other participant. */
const storedMessage = async (reader: User, group: string, uuid: string) =>
  (await t.messaging().listMessages(reader.uuid, group)).items.find((m) => m.uuid === uuid);

/** The table's items that hold `text` anywhere. */
const itemsHolding = async (text: string) =>
  (await t.scanAll()).filter((item) => JSON.stringify(item).includes(text));

describe('the API function as deployed, on the message-change and read-state routes', () => {
  it('PATCH /api/messages/{group}/{message}: the author edits (200 with edited_at); the table and the listing hold the new text', async () => {
    const { alice, bob, group, messages } = await seedConversation(['helo']);
    const [sent] = messages;
    if (!sent) throw new Error('nothing seeded');
    const api = await deployedApi();

    const edited = await api.call('PATCH', messagePath(group, sent), alice, { message: 'hello' });
    expect(edited).toEqual({
      status: 200,
      body: {
        uuid: sent.uuid,
        user_uuid: alice.uuid,
        handle: alice.handle,
        display_name: alice.displayName,
        message: 'hello',
        created_at: sent.createdAt,
        edited_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
        deleted: false,
      },
    });
    expect(Date.parse(String(edited.body?.edited_at))).toBeGreaterThanOrEqual(
      Date.parse(sent.createdAt),
    );

    // The work happened in the table: the message, and (through the stream) both previews.
    expect(await storedMessage(bob, group, sent.uuid)).toMatchObject({
      message: 'hello',
      editedAt: edited.body?.edited_at,
      deleted: false,
    });
    await stream.applyStream();
    for (const reader of [alice, bob]) {
      expect((await t.messaging().listMessageGroups(reader.uuid)).items).toEqual([
        expect.objectContaining({ messageGroupUuid: group, message: 'hello' }),
      ]);
    }
    // ... and the function lists it so to the other participant.
    const page = await api.call('GET', `/api/messages/${group}`, bob);
    expect(page.status).toBe(200);
    expect(page.body?.messages).toEqual([
      expect.objectContaining({
        uuid: sent.uuid,
        message: 'hello',
        edited_at: edited.body?.edited_at,
      }),
    ]);

    // The token was checked with the keys the JWKS stand-in served (fetched once, then cached),
    // and the cursor secret came from Secrets Manager by the stack's ARN.
    expect(api.jwks.fetches()).toEqual([api.jwks.url]);
    expect(api.secrets.calls.map((c) => [c.operation, c.secretId])).toEqual([
      ['GetSecretValue', CURSOR_SECRET_ARN],
    ]);
  });

  it('DELETE /api/messages/{group}/{message}: the author unsends (204); listed as a tombstone, its text gone from every item', async () => {
    const text = `unsend me ${randomUUID()}`;
    const { alice, bob, group, messages } = await seedConversation(['first', text]);
    const [first, sent] = messages;
    if (!first || !sent) throw new Error('nothing seeded');
    const api = await deployedApi();
    // The message item and both group rows (their preview) hold it.
    expect(await itemsHolding(text)).toHaveLength(3);

    const unsent = await api.call('DELETE', messagePath(group, sent), alice);
    expect(unsent).toEqual({ status: 204, body: undefined });
    expect(await storedMessage(bob, group, sent.uuid)).toMatchObject({
      message: '',
      deleted: true,
    });

    // The previews follow through the stream: then no item holds the text any more.
    await stream.applyStream();
    expect(await itemsHolding(text)).toEqual([]);
    for (const reader of [alice, bob]) {
      const page = await api.call('GET', `/api/messages/${group}`, reader);
      expect(page.status).toBe(200);
      expect(page.body?.messages).toEqual([
        expect.objectContaining({ uuid: first.uuid, message: 'first', deleted: false }),
        expect.objectContaining({ uuid: sent.uuid, message: '', deleted: true, edited_at: null }),
      ]);
    }
    const groups = await api.call('GET', '/api/message_groups', bob);
    expect(groups.body?.message_groups).toEqual([
      expect.objectContaining({ uuid: group, message: '', message_deleted: true }),
    ]);

    // An unsent message has nothing left to edit; unsending it again changes nothing.
    expect(await api.call('PATCH', messagePath(group, sent), alice, { message: 'back' })).toEqual({
      status: 404,
      body: errorBody('message_not_found'),
    });
    expect(await api.call('DELETE', messagePath(group, sent), alice)).toEqual({
      status: 204,
      body: undefined,
    });
    expect(await storedMessage(bob, group, sent.uuid)).toMatchObject({
      message: '',
      deleted: true,
    });
  });

  it('POST /api/message_groups/{uuid}/read and GET /api/me: the reader marks read (200 with unread_count); unread_conversations follows', async () => {
    const { alice, bob, group, messages } = await seedConversation(['one', 'two', 'three']);
    const [one, two, three] = messages;
    if (!one || !two || !three) throw new Error('nothing seeded');
    const api = await deployedApi();

    const me = await api.call('GET', '/api/me', bob);
    expect(me).toEqual({
      status: 200,
      body: {
        uuid: bob.uuid,
        handle: bob.handle,
        display_name: bob.displayName,
        unread_conversations: 1,
      },
    });

    const read = (message: { uuid: string }) =>
      api.call('POST', `/api/message_groups/${group}/read`, bob, { message_uuid: message.uuid });
    expect(await read(one)).toEqual({ status: 200, body: { unread_count: 2 } });
    expect((await t.messaging().listMessageGroups(bob.uuid)).items).toEqual([
      expect.objectContaining({ messageGroupUuid: group, unreadCount: 2 }),
    ]);
    expect((await api.call('GET', '/api/me', bob)).body?.unread_conversations).toBe(1);

    expect(await read(three)).toEqual({ status: 200, body: { unread_count: 0 } });
    // Monotonic: an older message moves nothing back.
    expect(await read(two)).toEqual({ status: 200, body: { unread_count: 0 } });
    expect((await t.messaging().listMessageGroups(bob.uuid)).items).toEqual([
      expect.objectContaining({ messageGroupUuid: group, unreadCount: 0 }),
    ]);
    expect((await t.messaging().listMessages(alice.uuid, group)).otherLastReadMessageUuid).toBe(
      three.uuid,
    );
    expect((await api.call('GET', '/api/me', bob)).body?.unread_conversations).toBe(0);
    // Alice has read her own messages all along.
    expect((await api.call('GET', '/api/me', alice)).body?.unread_conversations).toBe(0);
  });

  it('GET /api/me: a first sign-in creates the user from the token (200, unread_conversations 0), then counts a conversation with news', async () => {
    const api = await deployedApi();
    const newcomer = { uuid: randomUUID(), handle: uniqueHandle('newcomer') };
    expect(await t.messaging().getUser(newcomer.uuid)).toBeUndefined();

    const first = await api.call('GET', '/api/me', newcomer);
    expect(first).toEqual({
      status: 200,
      body: {
        uuid: newcomer.uuid,
        handle: newcomer.handle,
        display_name: newcomer.handle,
        unread_conversations: 0,
      },
    });
    const created = await t.messaging().getUser(newcomer.uuid);
    expect(created).toEqual({
      uuid: newcomer.uuid,
      handle: newcomer.handle,
      displayName: newcomer.handle,
    });

    const messaging = t.messaging();
    const sender = await newUser(messaging, 'sender');
    await messaging.sendMessage({ sender, to: { handle: newcomer.handle }, message: 'welcome' });
    expect((await api.call('GET', '/api/me', newcomer)).body?.unread_conversations).toBe(1);
  });
});

describe('the API function as deployed, on the block routes', () => {
  it('POST and DELETE /api/users/@{handle}/block and GET /api/blocks: a block refuses sends both ways (403 blocked, nothing written), unblocking lifts it', async () => {
    const { alice, bob, group } = await seedConversation(['hi Bob']);
    const api = await deployedApi();
    const blockPath = `/api/users/@${bob.handle}/block`;

    expect(await api.call('POST', blockPath, alice)).toEqual({ status: 204 });
    expect(await api.call('POST', blockPath, alice)).toEqual({ status: 204 }); // idempotent
    expect(await api.call('GET', '/api/blocks', alice)).toEqual({
      status: 200,
      body: {
        users: [
          {
            uuid: bob.uuid,
            handle: bob.handle,
            display_name: bob.displayName,
            blocked_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
          },
        ],
      },
    });
    const before = await t.scanAll();
    for (const [from, body] of [
      [bob, { message_group_uuid: group, message: 'hello?' }],
      [alice, { handle: bob.handle, message: 'go away' }],
    ] as const) {
      expect(await api.call('POST', '/api/messages', from, body)).toEqual({
        status: 403,
        body: errorBody('blocked'),
      });
    }
    expect(await t.scanAll()).toEqual(before);
    expect(await api.call('POST', '/api/users/@nobody_at_all_here/block', alice)).toEqual({
      status: 404,
      body: errorBody('user_not_found'),
    });

    expect(await api.call('DELETE', blockPath, alice)).toEqual({ status: 204 });
    const sent = await api.call('POST', '/api/messages', bob, {
      message_group_uuid: group,
      message: 'hello again',
    });
    expect(sent.status).toBe(201);
    expect(await api.call('GET', '/api/blocks', alice)).toEqual({
      status: 200,
      body: { users: [] },
    });
  });
});

describe('the API function as deployed finds people', () => {
  it('GET /api/users?q= finds others by handle, case-insensitively, never the caller; /short names our conversation; a blank q or limit 21 is a 400', async () => {
    const { alice, bob, group } = await seedConversation(['hi Bob']);
    const api = await deployedApi();
    // The whole handle: the file's table holds other tests' Bobs with the same beginning.
    expect(
      await api.call('GET', `/api/users?q=${bob.handle.toUpperCase()}&limit=5`, alice),
    ).toEqual({
      status: 200,
      body: { users: [{ uuid: bob.uuid, handle: bob.handle, display_name: bob.displayName }] },
    });
    expect(await api.call('GET', `/api/users?q=${bob.handle}`, bob)).toEqual({
      status: 200,
      body: { users: [] },
    });
    for (const query of ['q=%20%20', 'q=bo&limit=21', 'limit=3']) {
      expect((await api.call('GET', `/api/users?${query}`, alice)).status).toBe(400);
    }
    expect(await api.call('GET', `/api/users/@${bob.handle}/short`, alice)).toEqual({
      status: 200,
      body: {
        uuid: bob.uuid,
        handle: bob.handle,
        display_name: bob.displayName,
        message_group_uuid: group,
      },
    });
    const stranger = await newUser(t.messaging(), 'stranger');
    expect(await api.call('GET', `/api/users/@${stranger.handle}/short`, alice)).toMatchObject({
      status: 200,
      body: { handle: stranger.handle, message_group_uuid: null },
    });
  });
});

describe('the API function as deployed refuses, and changes nothing', () => {
  it("serves none of local mode's tools: the inspector (its cost ledger included) and dev sign-in are 404, with a valid token or none", async () => {
    const api = await deployedApi();
    const alice = await newUser(t.messaging(), 'alice');
    const paths = [
      ['GET', '/api/inspect/items'],
      ['GET', '/api/inspect/stream'],
      ['GET', '/api/inspect/costs'],
      ['GET', '/api/inspect/costs?limit=5'],
      ['GET', '/api/inspect/costs/stream'],
      ['GET', '/api/dev/users'],
      ['POST', '/api/dev/sessions'],
    ] as const;
    for (const [method, path] of paths) {
      for (const as of [alice, '']) {
        const answer = await api.call(method, path, as);
        expect({ path, ...answer }).toEqual({ path, status: 404, body: errorBody('not_found') });
      }
    }
  });

  it('PATCH and DELETE of a message by its other participant, a stranger or for a missing message: the same 404 message_not_found', async () => {
    const { alice, bob, group, messages } = await seedConversation(['mine']);
    const [sent] = messages;
    if (!sent) throw new Error('nothing seeded');
    const stranger = await newUser(t.messaging(), 'stranger');
    const api = await deployedApi();
    const missing = { uuid: '0190a000-0000-7000-8000-000000000000' };

    const refusals = [
      ['the other participant', bob, messagePath(group, sent)],
      ['a stranger', stranger, messagePath(group, sent)],
      ['a missing message', alice, messagePath(group, missing)],
      ['a malformed message uuid', alice, messagePath(group, { uuid: 'not-a-uuid' })],
      ['a missing conversation', alice, messagePath(randomUUID(), sent)],
    ] as const;
    for (const [who, user, path] of refusals) {
      expect(await api.call('PATCH', path, user, { message: 'x' }), who).toEqual({
        status: 404,
        body: errorBody('message_not_found'),
      });
      expect(await api.call('DELETE', path, user), who).toEqual({
        status: 404,
        body: errorBody('message_not_found'),
      });
    }
    expect(await storedMessage(bob, group, sent.uuid)).toMatchObject({
      message: 'mine',
      editedAt: null,
      deleted: false,
    });
  });

  it('PATCH after the edit window the stack leaves at its default: 403 edit_window_closed; DELETE still works', async () => {
    const sentAt = Date.now() - (DEFAULT_EDIT_WINDOW_SECONDS + 60) * 1000;
    const { alice, bob, group, messages } = await seedConversation(['old'], sentAt);
    const [sent] = messages;
    if (!sent) throw new Error('nothing seeded');
    const api = await deployedApi();

    expect(await api.call('PATCH', messagePath(group, sent), alice, { message: 'new' })).toEqual({
      status: 403,
      body: errorBody('edit_window_closed'),
    });
    expect(await storedMessage(bob, group, sent.uuid)).toMatchObject({
      message: 'old',
      editedAt: null,
    });
    expect((await api.call('DELETE', messagePath(group, sent), alice)).status).toBe(204);
    expect(await storedMessage(bob, group, sent.uuid)).toMatchObject({ deleted: true });
  });

  it('malformed bodies on PATCH and read: 4xx with the error, never 5xx', async () => {
    const { alice, bob, group, messages } = await seedConversation(['as sent', 'unread']);
    const [sent, unread] = messages;
    if (!sent || !unread) throw new Error('nothing seeded');
    const api = await deployedApi();
    const [aliceToken, bobToken] = [await tokenOf(alice), await tokenOf(bob)];
    const edit = messagePath(group, sent);
    const read = `/api/message_groups/${group}/read`;
    /** An event with a body as is, under `contentType`. */
    const raw = (path: string, token: string, body: string, contentType: string) => {
      const event = apiGatewayEvent(path === edit ? 'PATCH' : 'POST', path, { token, body: {} });
      return { ...event, body, headers: { ...event.headers, 'content-type': contentType } };
    };

    const cases: [string, () => Promise<DeployedAnswer>, number, string][] = [
      ['no message', () => api.call('PATCH', edit, aliceToken, {}), 400, 'invalid_request'],
      [
        'a number',
        () => api.call('PATCH', edit, aliceToken, { message: 5 }),
        400,
        'invalid_request',
      ],
      [
        'an extra field',
        () => api.call('PATCH', edit, aliceToken, { message: 'x', admin: true }),
        400,
        'invalid_request',
      ],
      [
        'blank text',
        () => api.call('PATCH', edit, aliceToken, { message: '   ' }),
        422,
        'message_blank',
      ],
      [
        'text over the limit',
        () => api.call('PATCH', edit, aliceToken, { message: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) }),
        422,
        'message_too_long',
      ],
      [
        'malformed JSON',
        () => api.invoke(raw(edit, aliceToken, '{"message": ', 'application/json')),
        400,
        'invalid_request',
      ],
      [
        'a text body',
        () => api.invoke(raw(edit, aliceToken, 'hello', 'text/plain')),
        415,
        'unsupported_media_type',
      ],
      ['read: no message_uuid', () => api.call('POST', read, bobToken, {}), 400, 'invalid_request'],
      [
        'read: a malformed uuid',
        () => api.call('POST', read, bobToken, { message_uuid: 'not-a-uuid' }),
        400,
        'invalid_uuid',
      ],
      [
        'read: an extra field',
        () => api.call('POST', read, bobToken, { message_uuid: unread.uuid, x: 1 }),
        400,
        'invalid_request',
      ],
      [
        'read: malformed JSON',
        () => api.invoke(raw(read, bobToken, '{"message_uuid"', 'application/json')),
        400,
        'invalid_request',
      ],
    ];
    for (const [what, request, status, code] of cases) {
      expect({ what, ...(await request()) }).toEqual({ what, status, body: errorBody(code) });
    }

    expect(await storedMessage(bob, group, sent.uuid)).toMatchObject({
      message: 'as sent',
      editedAt: null,
    });
    expect((await t.messaging().listMessageGroups(bob.uuid)).items).toEqual([
      expect.objectContaining({ messageGroupUuid: group, unreadCount: 2 }),
    ]);
  });

  it('POST read by a stranger, in a missing conversation or for a message of another: 404', async () => {
    const { alice, bob, group, messages } = await seedConversation(['here']);
    const [here] = messages;
    if (!here) throw new Error('nothing seeded');
    // Alice's conversation with Carol, and a stranger to Alice and Bob's.
    const carol = await newUser(t.messaging(), 'carol');
    const elsewhere = await t
      .messaging()
      .sendMessage({ sender: alice, to: { handle: carol.handle }, message: 'there' });
    const stranger = await newUser(t.messaging(), 'stranger');
    const api = await deployedApi();
    const read = (user: User, groupUuid: string, messageUuid: string) =>
      api.call('POST', `/api/message_groups/${groupUuid}/read`, user, {
        message_uuid: messageUuid,
      });

    expect(await read(stranger, group, here.uuid)).toEqual({
      status: 404,
      body: errorBody('message_group_not_found'),
    });
    expect(await read(bob, randomUUID(), here.uuid)).toEqual({
      status: 404,
      body: errorBody('message_group_not_found'),
    });
    expect(await read(bob, group, elsewhere.message.uuid)).toEqual({
      status: 404,
      body: errorBody('message_not_found'),
    });
    expect((await t.messaging().listMessageGroups(bob.uuid)).items).toEqual([
      expect.objectContaining({ messageGroupUuid: group, unreadCount: 1 }),
    ]);
  });

  it('a token Cognito did not issue (another key, expired, an id token): 401 on every route, no user created, nothing changed', async () => {
    const { alice, bob, group, messages } = await seedConversation(['untouched']);
    const [sent] = messages;
    if (!sent) throw new Error('nothing seeded');
    const api = await deployedApi();
    const claims = { sub: alice.uuid, username: alice.handle };
    const newcomer = { sub: randomUUID(), username: uniqueHandle('nobody') };

    const tokens = [
      ['another key', await otherKeys.accessToken(claims)],
      ['expired', await pool.accessToken(claims, '-1m')],
      ['an id token', await pool.accessToken({ ...claims, token_use: 'id', aud: CLIENT_ID })],
      ['another key, a newcomer', await otherKeys.accessToken(newcomer)],
    ] as const;
    for (const [why, token] of tokens) {
      const answers = [
        await api.call('PATCH', messagePath(group, sent), token, { message: 'hijacked' }),
        await api.call('DELETE', messagePath(group, sent), token),
        await api.call('POST', `/api/message_groups/${group}/read`, token, {
          message_uuid: sent.uuid,
        }),
        await api.call('GET', '/api/me', token),
      ];
      for (const answer of answers) {
        expect({ why, ...answer }).toEqual({ why, status: 401, body: errorBody('unauthorized') });
      }
    }
    expect(await t.messaging().getUser(newcomer.sub)).toBeUndefined();
    expect(await storedMessage(bob, group, sent.uuid)).toMatchObject({
      message: 'untouched',
      editedAt: null,
      deleted: false,
    });
    expect((await t.messaging().listMessageGroups(alice.uuid)).items).toEqual([
      expect.objectContaining({ messageGroupUuid: group, message: 'untouched' }),
    ]);
    // The keys were asked for, and the same container takes Alice's valid token: the
    // refusals are the tokens' own fault.
    expect(api.jwks.fetches().length).toBeGreaterThan(0);
    expect(new Set(api.jwks.fetches())).toEqual(new Set([api.jwks.url]));
    expect((await api.call('GET', '/api/me', alice)).status).toBe(200);
  });
});
