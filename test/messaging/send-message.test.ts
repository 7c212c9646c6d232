import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/messaging/errors.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import type { TablePort } from '../../src/messaging/table-port.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { interposedTable } from '../support/interposed-table.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

const t = withTestTable();
const messaging = t.messaging();

const newUser = (name = 'user'): Promise<User> =>
  messaging.createUser({ handle: uniqueHandle(name), displayName: `${name} display` });

/** The test table with its writes done by `write`: faults between DynamoDB and the core. */
const withWrite = (write: TablePort['write']): TablePort => interposedTable(t.table, { write });

const itemsOf = async (prefix: string) =>
  (await t.scanAll()).filter((item) => String(item.pk).startsWith(prefix));

describe('users', () => {
  it('creates a user and finds it by uuid and, case-insensitively, by handle', async () => {
    const handle = uniqueHandle('Bayko');
    const user = await messaging.createUser({ handle, displayName: '  Andrew Bayko ' });
    expect(user.handle).toBe(handle.toLowerCase());
    expect(user.displayName).toBe('Andrew Bayko');
    expect(await messaging.getUser(user.uuid)).toEqual(user);
    expect(await messaging.getUserByHandle(handle.toUpperCase())).toEqual(user);
  });

  it('refuses a handle that differs only in case, and writes nothing', async () => {
    const handle = uniqueHandle('taken');
    await messaging.createUser({ handle, displayName: 'First' });
    const before = (await t.scanAll()).length;
    await expect(
      messaging.createUser({ handle: handle.toUpperCase(), displayName: 'Second' }),
    ).rejects.toMatchObject({
      code: 'handle_taken',
    });
    expect((await t.scanAll()).length).toBe(before);
  });

  it('answers user_not_found for an unknown handle', async () => {
    await expect(messaging.getUserByHandle('nobody_here')).rejects.toMatchObject({
      code: 'user_not_found',
    });
  });
});

describe('sendMessage', () => {
  it('starts a conversation (pattern C) with one transaction of all its items', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const { message, created } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: ' hi ',
    });
    expect(created).toBe(true);
    expect(message).toMatchObject({ userUuid: a.uuid, handle: a.handle, message: 'hi' });
    const g = message.messageGroupUuid;

    const [mine] = (await messaging.listMessageGroups(a.uuid)).items;
    const [theirs] = (await messaging.listMessageGroups(b.uuid)).items;
    expect(mine).toMatchObject({
      messageGroupUuid: g,
      userUuid: b.uuid,
      handle: b.handle,
      message: 'hi',
      sk: message.sk,
    });
    expect(theirs).toMatchObject({
      messageGroupUuid: g,
      userUuid: a.uuid,
      handle: a.handle,
      message: 'hi',
      sk: message.sk,
    });
    expect(await itemsOf(`CONV#${g}`)).toHaveLength(1);
    expect((await itemsOf(`MSG#${g}`))[0]).not.toHaveProperty('message_group_uuid');
  });

  it('appends to the existing conversation when sending to the same handle again (pattern D)', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const first = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'one',
    });
    const second = await messaging.sendMessage({
      sender: b,
      to: { handle: a.handle },
      message: 'two',
    });
    const third = await messaging.sendMessage({
      sender: a,
      to: { messageGroupUuid: first.message.messageGroupUuid },
      message: 'three',
    });
    expect(second.message.messageGroupUuid).toBe(first.message.messageGroupUuid);
    expect(third.message.messageGroupUuid).toBe(first.message.messageGroupUuid);
    const page = await messaging.listMessages(b.uuid, first.message.messageGroupUuid);
    expect(page.items.map((m) => m.message)).toEqual(['one', 'two', 'three']);
    expect((await messaging.listMessageGroups(a.uuid)).items).toHaveLength(1);
  });

  it('lets only participants read or post, with the same answer as for no such group', async () => {
    const [a, b, c] = [await newUser('a'), await newUser('b'), await newUser('c')];
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'private',
    });
    const g = message.messageGroupUuid;
    const before = (await t.scanAll()).length;
    await expect(
      messaging.sendMessage({ sender: c, to: { messageGroupUuid: g }, message: 'let me in' }),
    ).rejects.toMatchObject({
      code: 'message_group_not_found',
    });
    await expect(messaging.listMessages(c.uuid, g)).rejects.toMatchObject({
      code: 'message_group_not_found',
    });
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(messaging.listMessages(c.uuid, missing)).rejects.toMatchObject({
      code: 'message_group_not_found',
    });
    await expect(messaging.listMessages(c.uuid, 'not-a-uuid')).rejects.toMatchObject({
      code: 'message_group_not_found',
    });
    expect((await t.scanAll()).length).toBe(before);
  });

  it.each([
    ['message_blank', '   '],
    ['message_too_long', 'x'.repeat(1025)],
  ])('rejects %s and writes nothing', async (code, text) => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const before = (await t.scanAll()).length;
    await expect(
      messaging.sendMessage({ sender: a, to: { handle: b.handle }, message: text }),
    ).rejects.toMatchObject({
      code,
    });
    expect((await t.scanAll()).length).toBe(before);
  });

  it('rejects unknown handles, oneself and bad client_message_ids, writing nothing', async () => {
    const a = await newUser('a');
    const before = (await t.scanAll()).length;
    const send = (to: { handle: string }, clientMessageId?: string) =>
      messaging.sendMessage({ sender: a, to, message: 'hello', clientMessageId });
    await expect(send({ handle: 'nobody_at_all' })).rejects.toMatchObject({
      code: 'user_not_found',
    });
    await expect(send({ handle: a.handle.toUpperCase() })).rejects.toMatchObject({
      code: 'cannot_message_self',
    });
    await expect(send({ handle: 'x' })).rejects.toMatchObject({ code: 'user_not_found' });
    await expect(send({ handle: a.handle }, 'no spaces')).rejects.toMatchObject({
      code: 'invalid_client_message_id',
    });
    expect((await t.scanAll()).length).toBe(before);
  });

  it('accepts 1024 characters counted as code points, emoji as one', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const text = '😀'.repeat(1024);
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: text,
    });
    expect(message.message).toBe(text);
  });
});

describe('idempotent send', () => {
  it('returns the original message to a retry with the same client_message_id', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const first = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'once',
      clientMessageId: 'c-1',
    });
    const retry = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'once',
      clientMessageId: 'c-1',
    });
    expect(retry).toEqual({ message: first.message, created: false });
    const viaGroup = await messaging.sendMessage({
      sender: a,
      to: { messageGroupUuid: first.message.messageGroupUuid },
      message: 'once',
      clientMessageId: 'c-1',
    });
    expect(viaGroup.message).toEqual(first.message);
    expect(
      (await messaging.listMessages(a.uuid, first.message.messageGroupUuid)).items,
    ).toHaveLength(1);
  });

  it('sends a message with a client_message_id as two PutItems, the claim first', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const started = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'x',
    });
    const operations: string[] = [];
    const counted = new Messaging({
      table: new DynamoTable(t.connection.doc, {
        tableName: t.tableName,
        onCapacity: (record) => operations.push(record.operation),
      }),
    });
    await counted.sendMessage({
      sender: a,
      to: { messageGroupUuid: started.message.messageGroupUuid },
      message: 'y',
      clientMessageId: 'two-puts',
    });
    // participants and blocks (a cold process: both read once), claim, message
    expect(operations).toEqual(['GetItem', 'GetItem', 'PutItem', 'PutItem']);
    operations.length = 0;
    await counted.sendMessage({
      sender: a,
      to: { messageGroupUuid: started.message.messageGroupUuid },
      message: 'z',
      clientMessageId: 'two-puts-again',
    });
    expect(operations).toEqual(['PutItem', 'PutItem']); // both cached
  });

  it('finishes a send that stopped between its claim and its message, exactly once', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const started = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'one',
    });
    const g = started.message.messageGroupUuid;
    // The database goes away right after the claim was written.
    const interrupted = new Messaging({
      table: withWrite(async (request) => {
        if (request.items[0]?.Put?.Item?.item_type === 'message') throw new StoreUnavailableError();
        await t.table.write(request);
      }),
    });
    const send = {
      sender: a,
      to: { messageGroupUuid: g },
      message: 'two',
      clientMessageId: 'half',
    };
    await expect(interrupted.sendMessage(send)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await messaging.listMessages(a.uuid, g)).items.map((m) => m.message)).toEqual(['one']);

    const retried = await messaging.sendMessage(send);
    expect(retried.created).toBe(false);
    const again = await messaging.sendMessage({ ...send, to: { handle: b.handle } });
    expect(again.message).toEqual(retried.message);
    const stored = (await messaging.listMessages(b.uuid, g)).items;
    expect(stored.map((m) => m.message)).toEqual(['one', 'two']);
    expect(stored[1]).toEqual(retried.message);
  });

  it('takes a write the SDK retried after a lost answer as done: one user, one conversation, one message', async () => {
    // Every write is applied, then sent again, as the SDK does when the first answer is lost;
    // what the caller sees is the second attempt's outcome.
    const retrying = new Messaging({
      table: withWrite(async (request) => {
        await t.table.write(request);
        await t.table.write(request);
      }),
    });
    const a = await retrying.createUser({ handle: uniqueHandle('a'), displayName: 'A' });
    const b = await newUser('b');
    const started = await retrying.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'one',
    });
    const added = await retrying.sendMessage({
      sender: a,
      to: { messageGroupUuid: started.message.messageGroupUuid },
      message: 'two',
    });
    expect([started.created, added.created]).toEqual([true, true]);
    expect(await messaging.getUserByHandle(a.handle)).toEqual(a);
    expect(await itemsOf(`GRP#${a.uuid}`)).toHaveLength(1);
    const stored = (await messaging.listMessages(a.uuid, started.message.messageGroupUuid)).items;
    expect(stored).toEqual([started.message, added.message]);
  });

  it('keeps client_message_ids per sender', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const fromA = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'x',
      clientMessageId: 'same',
    });
    const fromB = await messaging.sendMessage({
      sender: b,
      to: { handle: a.handle },
      message: 'y',
      clientMessageId: 'same',
    });
    expect(fromB.created).toBe(true);
    expect(fromB.message.uuid).not.toBe(fromA.message.uuid);
  });

  it('writes one message when retries race, starting a conversation or appending to one', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const race = (clientMessageId: string) =>
      Promise.all(
        Array.from({ length: 10 }, () =>
          messaging.sendMessage({
            sender: a,
            to: { handle: b.handle },
            message: 'racing',
            clientMessageId,
          }),
        ),
      );
    const starts = await race('start-race');
    const appends = await race('append-race');
    for (const results of [starts, appends]) {
      expect(new Set(results.map((r) => r.message.uuid)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    }
    const g = starts[0]?.message.messageGroupUuid ?? '';
    expect((await messaging.listMessages(a.uuid, g)).items.map((m) => m.message)).toEqual([
      'racing',
      'racing',
    ]);
  });
});

describe('concurrency', () => {
  it('makes one conversation when both sides start it at once, 20 racing creates', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? messaging.sendMessage({ sender: a, to: { handle: b.handle }, message: `a${i}` })
          : messaging.sendMessage({ sender: b, to: { handle: a.handle }, message: `b${i}` }),
      ),
    );
    const groups = new Set(results.map((r) => r.message.messageGroupUuid));
    expect(groups.size).toBe(1);
    const [g] = [...groups];
    expect(await itemsOf(`GRP#${a.uuid}`)).toHaveLength(1);
    expect(await itemsOf(`GRP#${b.uuid}`)).toHaveLength(1);
    const page = await messaging.listMessages(a.uuid, g ?? '', { limit: 100 });
    expect(page.items).toHaveLength(20);
  });

  it('stores 100 concurrent messages of one millisecond, all of them, in a stable order', async () => {
    const frozen = new Date('2026-05-05T12:00:00.000Z');
    const fixedClock = t.messaging({ clock: () => frozen });
    const [a, b] = [await newUser('a'), await newUser('b')];
    const { message } = await fixedClock.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'first',
    });
    const g = message.messageGroupUuid;
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fixedClock.sendMessage({
          sender: i % 2 ? a : b,
          to: { messageGroupUuid: g },
          message: `m${i}`,
        }),
      ),
    );
    const once = await fixedClock.listMessages(a.uuid, g, { limit: 100 });
    const again = await fixedClock.listMessages(b.uuid, g, { limit: 100 });
    const older = await fixedClock.listMessages(a.uuid, g, { limit: 100, cursor: once.nextCursor });
    const all = [...older.items, ...once.items];
    expect(all).toHaveLength(101);
    expect(new Set(all.map((m) => m.message)).size).toBe(101);
    expect(all.every((m) => m.createdAt === '2026-05-05T12:00:00.000Z')).toBe(true);
    expect(again.items.map((m) => m.uuid)).toEqual(once.items.map((m) => m.uuid));
  });
});
