import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import type { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import { backfillPeople } from '../../src/messaging/people-backfill.js';
import { peopleItems } from '../../src/messaging/requests/people.js';
import { handleItem, userItem } from '../../src/messaging/requests/users.js';
import {
  MESSAGE_INSERT_FILTER,
  MODIFY_FILTER,
  matchesFilter,
  passesStreamFilters,
} from '../../src/stream/filter.js';
import { createStreamHandler } from '../../src/stream/handler.js';
import type { StreamOutcome } from '../../src/stream/outcomes.js';
import { expectConverged, readStream } from '../support/stream.js';
import {
  createTestTable,
  newUser as newUserOf,
  type TestTable,
  uniqueHandle,
} from '../support/test-table.js';

// Each test reads its table's whole stream and checks invariants over the whole table: a table
// of its own keeps another test's records and rows out of both.
let t: TestTable;
let messaging: Messaging;
let outcomes: StreamOutcome[];
let handler: ReturnType<typeof createStreamHandler>;
beforeEach(async () => {
  t = await createTestTable();
  messaging = t.messaging();
  outcomes = [];
  handler = createStreamHandler({
    table: t.table,
    observer: (o) => outcomes.push(o),
    logger: { error: () => {} },
  });
});

const newUser = (name: string): Promise<User> => newUserOf(messaging, name);
const sequence = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? '';

/** Two users talking: a conversation (C) then `count` more messages (D), stream not applied yet. */
const conversation = async (count: number) => {
  const [a, b] = [await newUser('a'), await newUser('b')];
  const { message } = await messaging.sendMessage({
    sender: a,
    to: { handle: b.handle },
    message: 'start',
  });
  for (let i = 0; i < count; i++) {
    await messaging.sendMessage({
      sender: i % 2 ? a : b,
      to: { messageGroupUuid: message.messageGroupUuid },
      message: `reply ${i}`,
    });
  }
  return { a, b, groupUuid: message.messageGroupUuid };
};

const shuffled = <T>(items: T[]): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

describe('stream handler (pattern E) on DynamoDB Local stream records', () => {
  it('leaves the state unconverged until the stream is applied (the test can fail)', async () => {
    const { a, b, groupUuid } = await conversation(3);
    // Pattern C put both rows at the first message; only the stream moves them to the newest.
    const sks = (await messaging.listMessages(a.uuid, groupUuid)).items.map((m) => m.sk);
    expect(sks).toHaveLength(4);
    const behind = (owner: User) =>
      expect.objectContaining({
        kind: 'row_behind',
        keys: [{ pk: `GRP#${owner.uuid}`, sk: sks[0] }],
        expected: expect.stringContaining(`${sks.at(-1)}`),
      });
    const { violations } = checkInvariants(await t.scanAll());
    expect(violations).toHaveLength(2);
    expect(violations).toEqual(expect.arrayContaining([behind(a), behind(b)]));
    await handler({ Records: await readStream(t.connection, t.tableName) });
    await expectConverged(t);
  });

  it('converges with every record delivered twice', async () => {
    await conversation(5);
    const records = await readStream(t.connection, t.tableName);
    expect(await handler({ Records: [...records, ...records] })).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    await expectConverged(t);
  });

  it('converges with records delivered newest first, one at a time', async () => {
    await conversation(6);
    for (const record of (await readStream(t.connection, t.tableName)).reverse()) {
      expect(await handler({ Records: [record] })).toEqual({ batchItemFailures: [] });
    }
    await expectConverged(t);
  });

  it('converges with batches shuffled, and never moves a row back in time', async () => {
    const { a, groupUuid } = await conversation(8);
    const records = shuffled(await readStream(t.connection, t.tableName));
    for (let i = 0; i < records.length; i += 3) await handler({ Records: records.slice(i, i + 3) });
    await expectConverged(t);
    const [row] = (await messaging.listMessageGroups(a.uuid)).items;
    const newest = (await messaging.listMessages(a.uuid, groupUuid)).items.at(-1);
    expect(row).toMatchObject({ sk: newest?.sk, message: 'reply 7' });
  });

  it('applies one update per conversation per batch', async () => {
    const { groupUuid } = await conversation(4);
    const records = (await readStream(t.connection, t.tableName)).filter((r) =>
      r.dynamodb?.NewImage?.pk?.S?.endsWith(groupUuid),
    );
    await handler({ Records: records });
    const mine = outcomes.filter((o) => o.kind !== 'read' && o.message?.pk === `MSG#${groupUuid}`);
    expect(mine.filter((o) => o.kind === 'applied')).toHaveLength(1);
    expect(
      mine.filter((o) => o.kind === 'skipped' && o.reason === 'superseded_in_batch'),
    ).toHaveLength(4);
  });

  it('keeps one user’s two conversations apart when their last messages share a millisecond', async () => {
    // Within one conversation the messages are a second apart; across the two, the last
    // messages share a millisecond (their order inside it would follow the random uuid).
    let now = new Date('2026-07-07T07:07:06.007Z');
    const sameMs = t.messaging({ clock: () => now });
    const [me, x, y] = [await newUser('me'), await newUser('x'), await newUser('y')];
    const one = await sameMs.sendMessage({ sender: me, to: { handle: x.handle }, message: 'to x' });
    const two = await sameMs.sendMessage({ sender: me, to: { handle: y.handle }, message: 'to y' });
    now = new Date('2026-07-07T07:07:07.007Z');
    await sameMs.sendMessage({
      sender: x,
      to: { messageGroupUuid: one.message.messageGroupUuid },
      message: 'x again',
    });
    await sameMs.sendMessage({
      sender: y,
      to: { messageGroupUuid: two.message.messageGroupUuid },
      message: 'y again',
    });
    await handler({ Records: await readStream(t.connection, t.tableName) });
    await expectConverged(t);
    const rows = (await messaging.listMessageGroups(me.uuid)).items;
    expect(rows.map((r) => r.message).sort()).toEqual(['x again', 'y again']);
  });

  it('reports a poisoned record by its sequence number and still applies the rest', async () => {
    const { a, groupUuid } = await conversation(2);
    const records = (await readStream(t.connection, t.tableName)).filter((r) =>
      r.dynamodb?.NewImage?.pk?.S?.endsWith(groupUuid),
    );
    const poison: DynamoDBRecord = structuredClone(records[1] as DynamoDBRecord);
    poison.dynamodb = {
      ...poison.dynamodb,
      SequenceNumber: '1',
      NewImage: { item_type: { S: 'message' }, pk: { S: 'MSG#x' }, sk: { S: 'garbage' } },
    };
    const response = await handler({
      Records: [records[0] as DynamoDBRecord, poison, ...records.slice(1)],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
    const [row] = (await messaging.listMessageGroups(a.uuid)).items;
    expect(row?.message).toBe('reply 1');
  });

  it('ignores everything that is not the INSERT of a message', async () => {
    await conversation(2);
    await handler({ Records: await readStream(t.connection, t.tableName) });
    const records = await readStream(t.connection, t.tableName);
    const others = records.filter(
      (r) => r.eventName !== 'INSERT' || r.dynamodb?.NewImage?.item_type?.S !== 'message',
    );
    expect(others.some((r) => r.eventName === 'REMOVE')).toBe(true);
    expect(others.some((r) => r.dynamodb?.NewImage?.item_type?.S === 'message_group')).toBe(true);
    outcomes.length = 0;
    expect(await handler({ Records: others })).toEqual({ batchItemFailures: [] });
    expect(outcomes.every((o) => o.kind === 'skipped' && o.reason === 'not_a_message_insert')).toBe(
      true,
    );
    expect(outcomes).toHaveLength(others.length);
    expect(others.map(sequence)).not.toContain('');
  });

  it("filters out blocks: the block item's INSERT and REMOVE, and every record of the pair", async () => {
    const { a, b } = await conversation(0);
    const c = await newUser('c');
    await messaging.block(a, b.handle); // a conversation's pair: MODIFY
    await messaging.block(b, a.handle);
    await messaging.unblock(a, b.handle);
    await messaging.block(c, a.handle); // they never talked: the pair's INSERT
    await messaging.unblock(c, a.handle); // the emptied set: MODIFY to a bare pair
    const records = (await readStream(t.connection, t.tableName)).filter((r) =>
      /^(BLOCK|PAIR)#/.test(r.dynamodb?.Keys?.pk?.S ?? ''),
    );
    const seen = (prefix: string) =>
      records
        .filter((r) => r.dynamodb?.Keys?.pk?.S?.startsWith(prefix))
        .map((r) => r.eventName)
        .sort();
    // Pattern C's INSERT of the first pair, then what the blocks did to both.
    expect(seen('PAIR#')).toEqual(['INSERT', 'INSERT', 'MODIFY', 'MODIFY', 'MODIFY', 'MODIFY']);
    expect(seen('BLOCK#')).toEqual(['INSERT', 'INSERT', 'INSERT', 'REMOVE', 'REMOVE']);
    for (const record of records) {
      const what = `${record.eventName} ${record.dynamodb?.Keys?.pk?.S}`;
      expect({ what, insert: matchesFilter(record, MESSAGE_INSERT_FILTER) }).toEqual({
        what,
        insert: false,
      });
      expect({ what, modify: matchesFilter(record, MODIFY_FILTER) }).toEqual({
        what,
        modify: false,
      });
      expect({ what, passes: passesStreamFilters(record) }).toEqual({ what, passes: false });
    }
    // Handed over anyway (filters are no guarantee), the handler skips them without a write.
    outcomes.length = 0;
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(outcomes.map((o) => o.kind === 'skipped' && o.reason)).toEqual(
      records.map(() => 'not_a_message_insert'),
    );
    await expectConverged(t);
  });

  it('filters out people items: their INSERTs (with the profile, and by the backfill), a MODIFY and a REMOVE', async () => {
    const ines = await messaging.createUser({
      handle: uniqueHandle('ines'),
      displayName: 'Inès Okafor',
    });
    // A user as written before people search, then backfilled: INSERTs outside a transaction.
    const old = { uuid: randomUUID(), handle: uniqueHandle('old'), displayName: 'Zoë Old' };
    for (const item of [userItem(old, '2025-12-01T00:00:00.000Z'), handleItem(old)])
      await t.connection.doc.send(new PutCommand({ TableName: t.tableName, Item: item }));
    expect(await backfillPeople(t.table)).toMatchObject({ itemsWritten: 3 });
    // No product path changes or deletes one yet; a rename would: overwrite one, remove one,
    // and the backfill puts it back.
    const [, word] = peopleItems(ines);
    if (!word) throw new Error('no name word');
    const { pk, sk } = word;
    await t.connection.doc.send(
      new PutCommand({ TableName: t.tableName, Item: { ...word, display_name: 'Inès O.' } }),
    );
    await t.connection.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk, sk } }));
    expect(await backfillPeople(t.table)).toMatchObject({ itemsWritten: 1 });

    const records = (await readStream(t.connection, t.tableName)).filter((r) =>
      r.dynamodb?.Keys?.pk?.S?.startsWith('PEOPLE#'),
    );
    // Ines's three (handle, "ines", "okafor"), the backfill's three, the overwrite, the
    // delete, and the backfill's one again.
    expect(records.map((r) => r.eventName).sort()).toEqual([
      ...Array<string>(7).fill('INSERT'),
      'MODIFY',
      'REMOVE',
    ]);
    for (const record of records) {
      const what = `${record.eventName} ${record.dynamodb?.Keys?.pk?.S} ${record.dynamodb?.Keys?.sk?.S}`;
      expect({
        what,
        insert: matchesFilter(record, MESSAGE_INSERT_FILTER),
        modify: matchesFilter(record, MODIFY_FILTER),
        passes: passesStreamFilters(record),
      }).toEqual({ what, insert: false, modify: false, passes: false });
    }
    // Handed over anyway (filters are no guarantee), the handler skips them without a write.
    expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(outcomes.map((o) => o.kind === 'skipped' && o.reason)).toEqual(
      records.map(() => 'not_a_message_insert'),
    );
    await expectConverged(t);
  });
});
