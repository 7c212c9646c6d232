import { beforeEach, describe, expect, it } from 'vitest';
import { Messaging } from '../../src/messaging/messaging.js';
import type { Message, User } from '../../src/messaging/model.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { streamSteps } from '../support/stream-steps.js';
import { createTestTable, newUser, type TestTable } from '../support/test-table.js';

let t: TestTable;
let messaging: Messaging;
let steps: ReturnType<typeof streamSteps>;
beforeEach(async () => {
  t = await createTestTable();
  messaging = t.messaging();
  steps = streamSteps(t);
});

const applyStream = () => steps.applyStream();

const send = async (sender: User, to: User | string, text: string): Promise<Message> =>
  (
    await messaging.sendMessage({
      sender,
      to: typeof to === 'string' ? { messageGroupUuid: to } : { handle: to.handle },
      message: text,
    })
  ).message;

const rowOf = async (user: User, groupUuid: string) => {
  const { items } = await messaging.listMessageGroups(user.uuid);
  const row = items.find((g) => g.messageGroupUuid === groupUuid);
  if (!row) throw new Error(`no row of ${user.handle} for ${groupUuid}`);
  return row;
};

const pair = async () =>
  [await newUser(messaging, 'ana'), await newUser(messaging, 'ben')] as const;

describe('read state', () => {
  it('counts the other’s messages only, says who wrote last, and counts conversations with unread', async () => {
    const [ana, ben] = await pair();
    const first = await send(ana, ben, 'hi');
    const g = first.messageGroupUuid;
    expect(await rowOf(ben, g)).toMatchObject({ unreadCount: 1, lastMessageUserUuid: ana.uuid });
    expect(await rowOf(ana, g)).toMatchObject({ unreadCount: 0 });
    expect(await messaging.unreadConversations(ben.uuid)).toBe(1);

    await send(ana, g, 'two');
    await send(ana, g, 'three');
    await applyStream();
    expect(await rowOf(ben, g)).toMatchObject({
      unreadCount: 3,
      message: 'three',
      lastMessageUserUuid: ana.uuid,
    });
    expect(await rowOf(ana, g)).toMatchObject({ unreadCount: 0 });
    expect(await messaging.unreadConversations(ben.uuid)).toBe(1);
    expect(await messaging.unreadConversations(ana.uuid)).toBe(0);
  });

  it('marks read up to a message, monotonically, and sending marks the sender’s position', async () => {
    const [ana, ben] = await pair();
    const m1 = await send(ana, ben, 'one');
    const g = m1.messageGroupUuid;
    const m2 = await send(ana, g, 'two');
    const m3 = await send(ana, g, 'three');
    await applyStream();

    expect(await messaging.markRead(ben.uuid, g, m2.uuid)).toEqual({ unreadCount: 1 });
    expect(await rowOf(ben, g)).toMatchObject({ unreadCount: 1 });
    // Older than the position: nothing changes.
    expect(await messaging.markRead(ben.uuid, g, m1.uuid)).toEqual({ unreadCount: 1 });
    expect(await messaging.unreadConversations(ben.uuid)).toBe(1);
    expect(await messaging.markRead(ben.uuid, g, m3.uuid)).toEqual({ unreadCount: 0 });
    expect(await messaging.unreadConversations(ben.uuid)).toBe(0);

    // Ana has seen up to m3 per Ben's mark; Ben replying reads what came before it.
    expect((await messaging.listMessages(ana.uuid, g)).otherLastReadMessageUuid).toBe(m3.uuid);
    const m4 = await send(ana, g, 'four');
    const reply = await send(ben, g, 'reply');
    await applyStream();
    expect(await rowOf(ben, g)).toMatchObject({ unreadCount: 0, lastMessageUserUuid: ben.uuid });
    expect(await rowOf(ana, g)).toMatchObject({ unreadCount: 1 });
    expect((await messaging.listMessages(ana.uuid, g)).otherLastReadMessageUuid).toBe(reply.uuid);
    expect((await messaging.listMessages(ben.uuid, g)).otherLastReadMessageUuid).toBe(m4.uuid);
  });

  it('marks a message pattern E has not applied yet, and E then counts only what follows it', async () => {
    const [ana, ben] = await pair();
    const g = (await send(ana, ben, 'one')).messageGroupUuid;
    await applyStream();
    const m2 = await send(ana, g, 'two');
    expect(await messaging.markRead(ben.uuid, g, m2.uuid)).toEqual({ unreadCount: 0 });
    await send(ana, g, 'three');
    await applyStream();
    expect(await rowOf(ben, g)).toMatchObject({ unreadCount: 1, message: 'three' });
  });

  it('refuses strangers, unknown messages and messages of another conversation alike', async () => {
    const [ana, ben] = await pair();
    const eve = await newUser(messaging, 'eve');
    const m = await send(ana, ben, 'one');
    const other = await send(ana, eve, 'elsewhere');
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
    expect(await code(messaging.markRead(eve.uuid, m.messageGroupUuid, m.uuid))).toBe(
      'message_group_not_found',
    );
    expect(await code(messaging.markRead(ben.uuid, m.messageGroupUuid, other.uuid))).toBe(
      'message_not_found',
    );
    expect(
      await code(
        messaging.markRead(ben.uuid, m.messageGroupUuid, '0190a000-0000-7000-8000-000000000000'),
      ),
    ).toBe('message_not_found');
    expect(await code(messaging.markRead(ben.uuid, m.messageGroupUuid, 'nope'))).toBe(
      'invalid_uuid',
    );
    expect(await rowOf(ben, m.messageGroupUuid)).toMatchObject({ unreadCount: 1 });
    // Once everything is read, a uuid older than the position still has to be a message here.
    await messaging.markRead(ben.uuid, m.messageGroupUuid, m.uuid);
    expect(await code(messaging.markRead(ben.uuid, m.messageGroupUuid, other.uuid))).toBe(
      'message_not_found',
    );
    expect(
      await code(
        messaging.markRead(ben.uuid, m.messageGroupUuid, '00000000-0000-7000-8000-000000000000'),
      ),
    ).toBe('message_not_found');
  });

  it('stays exact when records are redelivered, and a read mark moves as a `read` outcome', async () => {
    const [ana, ben] = await pair();
    const g = (await send(ana, ben, 'one')).messageGroupUuid;
    await send(ana, g, 'two');
    const records = await applyStream();
    await steps.handler({ Records: records });
    await steps.handler({ Records: [...records].reverse() });
    expect(await rowOf(ben, g)).toMatchObject({ unreadCount: 2 });

    const m3 = await send(ana, g, 'three');
    await applyStream();
    await messaging.markRead(ben.uuid, g, m3.uuid);
    steps.outcomes.length = 0;
    await applyStream();
    expect(steps.outcomes.filter((o) => o.kind === 'read')).toEqual([
      expect.objectContaining({
        kind: 'read',
        row: expect.objectContaining({ sk: m3.sk, unread_count: 0 }),
      }),
    ]);
    // Read up to its last message, the row is compact: no position stored.
    const read = steps.outcomes.find((o) => o.kind === 'read');
    expect(read).not.toHaveProperty('row.last_read_sk');
    expect(read).not.toHaveProperty('row.last_read');
  });

  it('counts a message written after a newer one was counted (a slow or retried send)', async () => {
    const [ana, ben] = await pair();
    const g = (await send(ana, ben, 'one')).messageGroupUuid;
    // Its key says three seconds ago, but it is written (and streamed) after 'two'.
    const slow = t.messaging({ clock: () => new Date(Date.now() - 3_000) });
    await send(ana, g, 'two');
    await applyStream();
    expect(await rowOf(ben, g)).toMatchObject({ unreadCount: 2, message: 'two' });
    await slow.sendMessage({ sender: ana, to: { messageGroupUuid: g }, message: 'late' });
    await applyStream();
    expect(await rowOf(ben, g)).toMatchObject({ unreadCount: 3, message: 'two' });
  });

  it('sends a mark that leaves unread messages as one UpdateItem, and one that reads all as a transaction with the profile', async () => {
    const [ana, ben] = await pair();
    const m1 = await send(ana, ben, 'one');
    const g = m1.messageGroupUuid;
    const m2 = await send(ana, g, 'two');
    await applyStream();
    const writes: string[] = [];
    const metered = new Messaging({
      table: new DynamoTable(t.connection.doc, {
        tableName: t.tableName,
        onCapacity: (record) => {
          if (record.operation !== 'Query' && record.operation !== 'GetItem')
            writes.push(record.operation);
        },
      }),
    });
    expect(await metered.markRead(ben.uuid, g, m1.uuid)).toEqual({ unreadCount: 1 });
    expect(writes).toEqual(['UpdateItem']);
    expect(await metered.markRead(ben.uuid, g, m2.uuid)).toEqual({ unreadCount: 0 });
    expect(writes).toEqual(['UpdateItem', 'TransactWriteItems']);
  });
});
