import { GetConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectionKey } from '../../src/messaging/keys.js';
import { CONNECTION_TTL_SECONDS } from '../../src/realtime/connection-requests.js';
import { MAX_FRAME_BYTES } from '../../src/realtime/frames.js';
import { pollUntil } from '../support/processes.js';
import { RefusedError, startRealtime } from '../support/realtime.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const messaging = t.messaging();
let realtime: Awaited<ReturnType<typeof startRealtime>>;
beforeAll(async () => {
  realtime = await startRealtime(t, messaging);
});
afterAll(() => realtime.stop());

const connectionItem = async (userUuid: string, connectionId: string) =>
  (
    await t.connection.doc.send(
      new GetCommand({
        TableName: t.tableName,
        Key: connectionKey(userUuid, connectionId),
        ConsistentRead: true,
      }),
    )
  ).Item;

const refusal = (attempt: Promise<unknown>) =>
  attempt.then(
    () => 'opened',
    (error: unknown) => (error instanceof RefusedError ? error.status : String(error)),
  );

/** A conversation between two new users, started by the first. */
const conversation = async () => {
  const [a, b] = [await realtime.newUser('a'), await realtime.newUser('b')];
  const { message } = await messaging.sendMessage({
    sender: a.user,
    to: { handle: b.user.handle },
    message: 'hi',
  });
  return { a, b, groupUuid: message.messageGroupUuid };
};

describe('the local gateway (API Gateway WebSocket semantics)', () => {
  it('refuses the upgrade without a token (401) and with a junk, expired or forged one (403)', async () => {
    const { user } = await realtime.newUser('refused');
    const { LocalIssuer } = await import('../../src/api/auth/local-issuer.js');
    const stranger = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
    // Other tests of this file may hold sockets open: count what the refusals add.
    const before = realtime.gateway.size;
    expect(await refusal(realtime.connect(undefined))).toBe(401);
    expect(await refusal(realtime.connect('junk'))).toBe(403);
    expect(await refusal(realtime.connect(await realtime.issuer.issue(user, 1_000)))).toBe(403);
    expect(await refusal(realtime.connect(await stranger.issue(user)))).toBe(403);
    expect(realtime.gateway.size).toBe(before);
    expect(await realtime.registry.connectionsOf(user.uuid)).toEqual([]);
  });

  it('records a connection at $connect, with its TTL, and forgets it at $disconnect', async () => {
    const { user, token } = await realtime.newUser('connects');
    const socket = await realtime.connect(token);
    const [connectionId] = await realtime.registry.connectionsOf(user.uuid);
    expect(connectionId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const item = await connectionItem(user.uuid, connectionId as string);
    expect(item).toMatchObject({ item_type: 'connection', user_uuid: user.uuid });
    expect(item?.message_group_uuid).toBeUndefined();
    const connectedAt = Math.floor(Date.parse(item?.connected_at as string) / 1000);
    expect(item?.expires_at).toBe(connectedAt + CONNECTION_TTL_SECONDS);

    const info = await realtime.client.send(
      new GetConnectionCommand({ ConnectionId: connectionId }),
    );
    expect(info.Identity?.SourceIp).toBe('127.0.0.1');

    socket.socket.close();
    await pollUntil(
      async () => (await connectionItem(user.uuid, connectionId as string)) === undefined,
    );
  });

  it('pushes through the real SDK client to every connection of a user, once each', async () => {
    const { user, token } = await realtime.newUser('two_tabs');
    const [first, second] = [await realtime.connect(token), await realtime.connect(token)];
    const report = await realtime.pusher.push([
      { userUuid: user.uuid, frame: { type: 'pong', data: {} } },
    ]);
    expect(report).toEqual({ sent: 2, gone: 0, failed: 0 });
    for (const socket of [first, second]) {
      await socket.next((f) => f.type === 'pong');
      expect(socket.frames).toEqual([{ type: 'pong', data: {} }]);
    }
  });

  it('deletes a connection that a push finds gone (410), as after a crash', async () => {
    const { user } = await realtime.newUser('crashed');
    // A connection of a gateway that died: its item is there, its socket is not.
    const deadId = 'dead+conn/id+1=';
    await realtime.registry.register(user.uuid, deadId);
    const report = await realtime.pusher.push([
      { userUuid: user.uuid, frame: { type: 'pong', data: {} } },
    ]);
    expect(report).toEqual({ sent: 0, gone: 1, failed: 0 });
    expect(await connectionItem(user.uuid, deadId)).toBeUndefined();
  });

  it('answers ping with pong', async () => {
    const { token } = await realtime.newUser('pinger');
    const socket = await realtime.connect(token);
    socket.send({ action: 'ping' });
    expect(await socket.next(() => true)).toEqual({ type: 'pong', data: {} });
  });

  it("delivers typing to the other participant's connections only", async () => {
    const { a, b, groupUuid } = await conversation();
    const [aSocket, bSocket] = [await realtime.connect(a.token), await realtime.connect(b.token)];
    aSocket.send({ action: 'typing', message_group_uuid: groupUuid });
    expect(await bSocket.next(() => true)).toEqual({
      type: 'typing',
      data: { message_group_uuid: groupUuid, user_uuid: a.user.uuid },
    });
    // The sender's own socket gets nothing: a ping's pong is the first frame it sees.
    aSocket.send({ action: 'ping' });
    expect(await aSocket.next(() => true)).toEqual({ type: 'pong', data: {} });
  });

  it('tells a non-participant no such conversation, and delivers nothing to anyone', async () => {
    const { a, b, groupUuid } = await conversation();
    const stranger = await realtime.newUser('stranger');
    const [bSocket, strangerSocket] = [
      await realtime.connect(b.token),
      await realtime.connect(stranger.token),
    ];
    strangerSocket.send({ action: 'typing', message_group_uuid: groupUuid });
    const answer = await strangerSocket.next(() => true);
    expect(answer).toMatchObject({ type: 'error', data: { code: 'not_a_participant' } });
    // The same answer for a conversation that does not exist: nothing leaks.
    strangerSocket.send({ action: 'typing', message_group_uuid: crypto.randomUUID() });
    await strangerSocket.next((f) => f !== answer);
    expect(strangerSocket.frames[1]).toEqual(answer);
    // Had the stranger's typing reached b, it would come before a's.
    const aSocket = await realtime.connect(a.token);
    aSocket.send({ action: 'typing', message_group_uuid: groupUuid });
    await bSocket.next(() => true);
    expect(bSocket.frames).toEqual([
      { type: 'typing', data: { message_group_uuid: groupUuid, user_uuid: a.user.uuid } },
    ]);
  });

  it('drops typing both ways while either blocks the other, silently; delivers it again once unblocked', async () => {
    const { a, b, groupUuid } = await conversation();
    const [aSocket, bSocket] = [await realtime.connect(a.token), await realtime.connect(b.token)];
    await messaging.block(b.user, a.user.handle);
    const checks = vi.spyOn(messaging, 'blocked');
    aSocket.send({ action: 'typing', message_group_uuid: groupUuid });
    bSocket.send({ action: 'typing', message_group_uuid: groupUuid });
    // Both handlers found the block (and so pushed nothing, nor told anyone why).
    await expect.poll(() => checks.mock.results.length).toBe(2);
    expect(await Promise.all(checks.mock.results.map((result) => result.value))).toEqual([
      true,
      true,
    ]);
    checks.mockRestore();

    await messaging.unblock(b.user, a.user.handle);
    aSocket.send({ action: 'typing', message_group_uuid: groupUuid });
    await bSocket.next(() => true);
    expect(bSocket.frames).toEqual([
      { type: 'typing', data: { message_group_uuid: groupUuid, user_uuid: a.user.uuid } },
    ]);
    expect(aSocket.frames).toEqual([]);
  });

  it('answers junk and unknown actions with an error frame and stays open', async () => {
    const { token } = await realtime.newUser('junk');
    const socket = await realtime.connect(token);
    for (const junk of ['not json', '[1,2]', '{"action":"launch"}', '{"action":"typing"}']) {
      socket.send(junk);
    }
    await pollUntil(() => socket.frames.length === 4);
    expect(socket.frames.map((f) => f.type === 'error' && f.data.code).sort()).toEqual(
      ['invalid_frame', 'invalid_frame', 'invalid_frame', 'unknown_action'].sort(),
    );
    socket.send({ action: 'ping' });
    await socket.next((f) => f.type === 'pong');
  });

  it('closes a connection that sends a frame over 32 KB (1009), and forgets it', async () => {
    const { user, token } = await realtime.newUser('big');
    const socket = await realtime.connect(token);
    socket.send(JSON.stringify({ action: 'ping', pad: 'x'.repeat(MAX_FRAME_BYTES) }));
    expect((await socket.closed).code).toBe(1009);
    await pollUntil(async () => (await realtime.registry.connectionsOf(user.uuid)).length === 0);
  });
});

describe('the local gateway’s timeouts', () => {
  it('closes an idle connection (1001) after the configured time, and forgets it', async () => {
    const short = await startRealtime(t, messaging, { idleTimeoutMs: 300 });
    try {
      const { user, token } = await short.newUser('idle');
      const socket = await short.connect(token);
      expect(await short.registry.connectionsOf(user.uuid)).toHaveLength(1);
      expect((await socket.closed).code).toBe(1001);
      await pollUntil(async () => (await short.registry.connectionsOf(user.uuid)).length === 0);
    } finally {
      await short.stop();
    }
  });

  it('closes a busy connection at its maximum age', async () => {
    const short = await startRealtime(t, messaging, { maxConnectionAgeMs: 500 });
    try {
      const { token } = await short.newUser('old');
      const socket = await short.connect(token);
      const keepBusy = setInterval(() => socket.send({ action: 'ping' }), 50);
      expect((await socket.closed).code).toBe(1001);
      clearInterval(keepBusy);
      expect(socket.frames.filter((f) => f.type === 'pong').length).toBeGreaterThan(1);
    } finally {
      await short.stop();
    }
  });
});
