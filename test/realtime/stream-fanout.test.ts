import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConnectionRegistry } from '../../src/realtime/connection-registry.js';
import type { ServerFrame } from '../../src/realtime/frames.js';
import { RealtimePusher } from '../../src/realtime/pusher.js';
import { createStreamFanout } from '../../src/realtime/stream-fanout.js';
import { isMessageInsert, passesStreamFilters } from '../../src/stream/filter.js';
import { createStreamHandler } from '../../src/stream/handler.js';
import { interposedTable } from '../support/interposed-table.js';
import { startRealtime } from '../support/realtime.js';
import { expectConverged, readStream } from '../support/stream.js';
import { createTestTable, type TestTable, uniqueHandle } from '../support/test-table.js';

const kinds = (frames: ServerFrame[]) => frames.map((f) => f.type);

/** Reads the stream's records that pass `filter` and were not read by an earlier call. */
const newRecordsOf = (t: TestTable, filter: (record: DynamoDBRecord) => boolean) => {
  const seen = new Set<string>();
  return async () => {
    const records = (await readStream(t.connection, t.tableName)).filter(
      (r) => filter(r) && !seen.has(r.dynamodb?.SequenceNumber ?? ''),
    );
    for (const r of records) seen.add(r.dynamodb?.SequenceNumber ?? '');
    return records;
  };
};

describe('the stream consumer pushes after pattern E', () => {
  it('sends each message once to every connection of both participants, rows to their owners, nothing to others', async () => {
    const t = await createTestTable();
    const messaging = t.messaging();
    const realtime = await startRealtime(t, messaging);
    onTestFinished(() => realtime.stop());
    const [a, b, c] = [
      await realtime.newUser('a'),
      await realtime.newUser('b'),
      await realtime.newUser('c'),
    ];
    const [aTab1, aTab2, bTab, cTab] = [
      await realtime.connect(a.token),
      await realtime.connect(a.token),
      await realtime.connect(b.token),
      await realtime.connect(c.token),
    ];
    const { message: first } = await messaging.sendMessage({
      sender: a.user,
      to: { handle: b.user.handle },
      message: 'one',
    });
    const { message: second } = await messaging.sendMessage({
      sender: b.user,
      to: { messageGroupUuid: first.messageGroupUuid },
      message: 'two',
    });
    const reports: unknown[] = [];
    const fanout = createStreamFanout(realtime.pusher, messaging);
    const handler = createStreamHandler({
      table: t.table,
      afterStep: async (outcomes) => reports.push(await fanout(outcomes)),
    });
    // One batch per message, as a quiet stream delivers them after the mapping's filter.
    const records = (await readStream(t.connection, t.tableName)).filter(isMessageInsert);
    for (const record of records)
      expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    await expectConverged(t);

    // Pushes were awaited by the handler: every frame is on its way before it returned.
    for (const socket of [aTab1, aTab2, bTab]) {
      await socket.next((f) => f.type === 'message' && f.data.uuid === second.uuid);
      await socket.next((f) => f.type === 'message_group' && f.data.message === 'two');
      expect(kinds(socket.frames)).toEqual(['message', 'message', 'message_group']);
      expect(socket.frames[0]).toEqual({
        type: 'message',
        data: {
          uuid: first.uuid,
          user_uuid: a.user.uuid,
          handle: a.user.handle,
          display_name: 'a',
          message: 'one',
          created_at: first.createdAt,
          edited_at: null,
          deleted: false,
          message_group_uuid: first.messageGroupUuid,
        },
      });
    }
    // Each owner gets their own row: it names the other participant.
    expect(aTab1.frames[2]).toMatchObject({ data: { handle: b.user.handle } });
    expect(bTab.frames[2]).toMatchObject({ data: { handle: a.user.handle } });
    expect(cTab.frames).toEqual([]);
    // C (the first message) needs no move; D's record moved both rows.
    expect(reports).toEqual([
      { sent: 3, gone: 0, failed: 0 },
      { sent: 3 + 3, gone: 0, failed: 0 },
    ]);
  });

  it('logs and counts a failed push, and neither fails the batch nor holds back pattern E', async () => {
    const t = await createTestTable();
    const messaging = t.messaging();
    const [a, b] = [
      await messaging.createUser({ handle: uniqueHandle('pa'), displayName: 'a' }),
      await messaging.createUser({ handle: uniqueHandle('pb'), displayName: 'b' }),
    ];
    const registry = new ConnectionRegistry(t.table);
    await registry.register(b.uuid, 'unreachable=');
    // A Management API that is not there: every post fails with a network error.
    const client = new ApiGatewayManagementApiClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    onTestFinished(() => client.destroy());
    const errors: unknown[] = [];
    const pusher = new RealtimePusher({
      registry,
      client,
      logger: { error: (...e) => errors.push(e) },
    });
    const fanout = createStreamFanout(pusher, messaging);
    const reports: unknown[] = [];
    const handler = createStreamHandler({
      table: t.table,
      afterStep: async (outcomes) => reports.push(await fanout(outcomes)),
    });
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'x',
    });
    await messaging.sendMessage({
      sender: a,
      to: { messageGroupUuid: message.messageGroupUuid },
      message: 'y',
    });
    const records = await readStream(t.connection, t.tableName);
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    await expectConverged(t);
    expect(reports).toEqual([{ sent: 0, gone: 0, failed: 3 }]);
    expect(errors).toHaveLength(3);
    // A failure is not a 410: the connection is kept for the next push.
    expect(await registry.connectionsOf(b.uuid)).toEqual(['unreachable=']);
  });

  it('pushes a read mark: `read` to both participants, the reader’s row with its count to the reader', async () => {
    const t = await createTestTable();
    const messaging = t.messaging();
    const realtime = await startRealtime(t, messaging);
    onTestFinished(() => realtime.stop());
    const [a, b, c] = [
      await realtime.newUser('a'),
      await realtime.newUser('b'),
      await realtime.newUser('c'),
    ];
    const { message } = await messaging.sendMessage({
      sender: a.user,
      to: { handle: b.user.handle },
      message: 'one',
    });
    const fanout = createStreamFanout(realtime.pusher, messaging);
    const reports: unknown[] = [];
    const handler = createStreamHandler({
      table: t.table,
      afterStep: async (outcomes) => reports.push(await fanout(outcomes)),
    });
    const fresh = newRecordsOf(t, passesStreamFilters);
    await handler({ Records: await fresh() });
    const [aTab, bTab1, bTab2, cTab] = [
      await realtime.connect(a.token),
      await realtime.connect(b.token),
      await realtime.connect(b.token),
      await realtime.connect(c.token),
    ];

    expect(await messaging.markRead(b.user.uuid, message.messageGroupUuid, message.uuid)).toEqual({
      unreadCount: 0,
    });
    const records = await fresh();
    // The row's MODIFY passes the filter; the profile's count (a user item) does not.
    expect(records.map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S])).toEqual([
      ['MODIFY', `GRP#${b.user.uuid}`],
    ]);
    await handler({ Records: records });
    const read = {
      type: 'read',
      data: {
        message_group_uuid: message.messageGroupUuid,
        user_uuid: b.user.uuid,
        message_uuid: message.uuid,
      },
    };
    for (const socket of [aTab, bTab1, bTab2]) await socket.next((f) => f.type === 'read');
    expect(aTab.frames).toEqual([read]);
    for (const socket of [bTab1, bTab2]) {
      await socket.next((f) => f.type === 'message_group');
      expect(socket.frames).toEqual([
        read,
        {
          type: 'message_group',
          data: expect.objectContaining({ uuid: message.messageGroupUuid, unread_count: 0 }),
        },
      ]);
    }
    expect(cTab.frames).toEqual([]);
    expect(reports.at(-1)).toEqual({ sent: 5, gone: 0, failed: 0 });
  });

  it('pushes each conversation as soon as its rows have moved, not after the slowest one of the batch', async () => {
    const t = await createTestTable();
    const messaging = t.messaging();
    const realtime = await startRealtime(t, messaging);
    onTestFinished(() => realtime.stop());
    const [a, b, c, d] = [
      await realtime.newUser('a'),
      await realtime.newUser('b'),
      await realtime.newUser('c'),
      await realtime.newUser('d'),
    ];
    const send = async (sender: typeof a, to: typeof b, text: string, groupUuid?: string) =>
      (
        await messaging.sendMessage({
          sender: sender.user,
          to: groupUuid ? { messageGroupUuid: groupUuid } : { handle: to.user.handle },
          message: text,
        })
      ).message;
    const x1 = await send(a, b, 'x1');
    const y1 = await send(c, d, 'y1');
    const fresh = newRecordsOf(t, isMessageInsert);
    await createStreamHandler({ table: t.table })({ Records: await fresh() });
    const x2 = await send(a, b, 'x2', x1.messageGroupUuid);
    const y2 = await send(c, d, 'y2', y1.messageGroupUuid);
    const [bTab, dTab] = [await realtime.connect(b.token), await realtime.connect(d.token)];

    // Pattern E of conversation y is held at its read of the messages until released.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let yHeld = false;
    const table = interposedTable(t.table, {
      query: async (input) => {
        if (JSON.stringify(input).includes(`MSG#${y1.messageGroupUuid}`)) {
          yHeld = true;
          await held;
        }
        return t.table.query(input);
      },
    });
    const fanout = createStreamFanout(realtime.pusher, messaging);
    const handler = createStreamHandler({ table, afterStep: fanout });
    let returned = false;
    const handled = handler({ Records: await fresh() }).finally(() => {
      returned = true;
    });

    // x's rows moved and its frames arrived while y's pattern E is still held.
    await bTab.next((f) => f.type === 'message' && f.data.uuid === x2.uuid);
    await bTab.next((f) => f.type === 'message_group' && f.data.message === 'x2');
    expect(yHeld).toBe(true);
    expect(returned).toBe(false);
    expect(dTab.frames).toEqual([]);

    release();
    expect(await handled).toEqual({ batchItemFailures: [] });
    await dTab.next((f) => f.type === 'message' && f.data.uuid === y2.uuid);
    await dTab.next((f) => f.type === 'message_group' && f.data.message === 'y2');
    await expectConverged(t);
  });

  it('reads a user’s connections once when several conversations of a batch push to them at once', async () => {
    const t = await createTestTable();
    const messaging = t.messaging();
    const realtime = await startRealtime(t, messaging);
    onTestFinished(() => realtime.stop());
    const [a, b, c] = [
      await realtime.newUser('a'),
      await realtime.newUser('b'),
      await realtime.newUser('c'),
    ];
    const groups: string[] = [];
    for (const to of [b, c]) {
      const sent = await messaging.sendMessage({
        sender: a.user,
        to: { handle: to.user.handle },
        message: 'hi',
      });
      groups.push(sent.message.messageGroupUuid);
    }
    const fresh = newRecordsOf(t, isMessageInsert);
    await createStreamHandler({ table: t.table })({ Records: await fresh() });
    for (const groupUuid of groups)
      await messaging.sendMessage({
        sender: a.user,
        to: { messageGroupUuid: groupUuid },
        message: 'again',
      });
    const aTab = await realtime.connect(a.token);

    // a's connections are read only once both conversations' rows have moved, so that both
    // pushes want them at the same time.
    let bothMoved = () => {};
    const moved = new Promise<void>((resolve) => {
      bothMoved = resolve;
    });
    let moves = 0;
    const handlerTable = interposedTable(t.table, {
      write: async (request) => {
        await t.table.write(request);
        if (++moves === groups.length) bothMoved();
      },
    });
    const lists: string[] = [];
    const registryTable = interposedTable(t.table, {
      query: async (input) => {
        const pk = String(input.ExpressionAttributeValues?.[':pk']);
        lists.push(pk);
        if (pk === `CONN#${a.user.uuid}`) await moved;
        return t.table.query(input);
      },
    });
    const pusher = new RealtimePusher({
      registry: new ConnectionRegistry(registryTable),
      client: realtime.client,
    });
    const handler = createStreamHandler({
      table: handlerTable,
      afterStep: createStreamFanout(pusher, messaging),
    });
    expect(await handler({ Records: await fresh() })).toEqual({ batchItemFailures: [] });

    expect(moves).toBe(2);
    await expect.poll(() => aTab.frames.filter((f) => f.type === 'message')).toHaveLength(2);
    expect(lists.filter((pk) => pk === `CONN#${a.user.uuid}`)).toEqual([`CONN#${a.user.uuid}`]);
    expect(lists.sort()).toEqual(
      [`CONN#${a.user.uuid}`, `CONN#${b.user.uuid}`, `CONN#${c.user.uuid}`].sort(),
    );
  });
});
