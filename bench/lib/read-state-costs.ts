import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { itemSize } from '../../src/costs/cost-model.js';
import { MessageGroupAdvancer } from '../../src/messaging/advance-message-groups.js';
import type { MessageGroupItem, MessageItem, UserItem } from '../../src/messaging/items.js';
import { messageGroupPartition, messagePartition, userKey } from '../../src/messaging/keys.js';
import { messageItem } from '../../src/messaging/message-items.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { Message, User } from '../../src/messaging/model.js';
import { findGroupRowsQuery } from '../../src/messaging/requests/message-groups.js';
import { appendMessageRequest } from '../../src/messaging/requests/messages.js';
import { listMessagesQuery } from '../../src/messaging/requests/queries.js';
import type { DynamoConnection } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { type CostRow, costRow } from './cost-rows.js';
import { legacyRow } from './dataset.js';
import { addMeters, emptyMeter, type Meter, MeteringTable, meterDelta } from './metering-table.js';

/** A 99-character text, as data-model.md's sizes assume. */
export const TEXT_99 =
  'Lunch at noon? I booked the table by the window; tell me if you would rather meet a bit closer.'
    .padEnd(99, '.')
    .slice(0, 99);

export interface ItemSizeRow {
  item: string;
  min: number;
  max: number;
}

export interface ReadStateCosts {
  cost: CostRow[];
  itemSizes: ItemSizeRow[];
}

export const sizeOf = (item: object): number => itemSize(item as Record<string, unknown>);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The capacity of each read-state operation, measured through the core with a metering table
 * that reads the real size of every item it updates or deletes: pattern E in the cases that
 * differ (a message to someone who has unread already, one right after they marked read, a
 * reply, a batch, a late message), mark read (to the newest, partway, an older message, a
 * pre-UUIDv7 message), pattern A's page with its extra GSI Query, pattern B's full page with
 * and without read state, and `/api/me`'s count. Pattern E runs as the stream consumer runs
 * it: one MessageGroupAdvancer that remembers the rows it wrote, over the metering table.
 * Each case is repeated `times` times in one conversation, 99-character texts.
 */
export const measureReadStateCosts = async (
  connection: DynamoConnection,
  tableName: string,
  times = 10,
): Promise<ReadStateCosts> => {
  const { doc } = connection;
  const plainTable = new DynamoTable(doc, { tableName });
  const plain = new Messaging({ table: plainTable });
  let lateAt = new Date();
  const late = new Messaging({ table: plainTable, clock: () => lateAt });
  const metering = new MeteringTable(connection, tableName, { readSizes: true });
  const metered = new Messaging({ table: metering });
  const advancer = new MessageGroupAdvancer(metering);
  const meter = metering.meter;
  const cost: CostRow[] = [];
  const tag = randomUUID().slice(0, 8);
  let users = 0;
  const newUser = () =>
    plain.createUser({ handle: `rs_${tag}_${users++}`, displayName: `Read State ${users}` });
  const itemOf = async (m: Message): Promise<MessageItem> => {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: messagePartition(m.messageGroupUuid), sk: m.sk },
        ConsistentRead: true,
      }),
    );
    return Item as MessageItem;
  };
  const send = async (from: User, group: string, text = TEXT_99) =>
    itemOf(
      (await plain.sendMessage({ sender: from, to: { messageGroupUuid: group }, message: text }))
        .message,
    );
  const rowsOf = async (owner: string): Promise<MessageGroupItem[]> =>
    ((
      await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': messageGroupPartition(owner) },
          ConsistentRead: true,
        }),
      )
    ).Items ?? []) as MessageGroupItem[];
  /** Runs `setup` unmetered and `measured` metered, `times` times; one cost row. */
  const repeat = async (
    name: string,
    step: () => Promise<() => Promise<unknown>>,
    count = times,
  ): Promise<void> => {
    let total: Meter = emptyMeter();
    for (let i = 0; i < count; i++) {
      const measured = await step();
      total = addMeters(total, await meterDelta(meter, measured));
    }
    cost.push(costRow(name, total, count));
  };

  // One conversation of X and Y, 25 messages, pattern E applied after each.
  const [x, y] = [await newUser(), await newUser()];
  const group = (await plain.sendMessage({ sender: y, to: { handle: x.handle }, message: TEXT_99 }))
    .message.messageGroupUuid;
  let newest: MessageItem | undefined;
  for (let i = 0; i < 24; i++) {
    newest = await send(i % 2 ? y : x, group);
    await advancer.advance([newest]);
  }
  await metered.participants(group); // steady state: participants cached, as in the latency runs
  newest = await send(y, group);
  await advancer.advance([newest]);

  await repeat('E, 1 message of the other, recipient has unread already', async () => {
    const m = await send(y, group);
    return () => advancer.advance([m]);
  });
  await repeat(
    'E, 1 message of the other right after the recipient marked read (unread 0 → 1: + profile ADD; the rows pattern E cached are stale)',
    async () => {
      const last = await send(y, group);
      await advancer.advance([last]);
      await plain.markRead(x.uuid, group, last.message_uuid);
      const m = await send(y, group);
      return () => advancer.advance([m]);
    },
  );
  await repeat('E, 1 reply (both read positions and counts move: two profile ADDs)', async () => {
    await advancer.advance([await send(y, group)]);
    const reply = await send(x, group);
    return () => advancer.advance([reply]);
  });
  await repeat('E, a batch of 10 messages of the other (per batch)', async () => {
    const batch: MessageItem[] = [];
    for (let i = 0; i < 10; i++) batch.push(await send(y, group));
    return () => advancer.advance(batch);
  });
  await repeat(
    'E, a late message (the unread range counted again; the row updated in place)',
    async () => {
      const last = await send(y, group);
      await advancer.advance([last]);
      await plain.markRead(x.uuid, group, last.message_uuid);
      await pause(5);
      const newer = [await send(y, group), await send(y, group)];
      await advancer.advance(newer);
      lateAt = new Date(Date.parse(last.created_at) + 2);
      const item = await itemOf(
        (await late.sendMessage({ sender: y, to: { messageGroupUuid: group }, message: TEXT_99 }))
          .message,
      );
      return () => advancer.advance([item]);
    },
  );

  await repeat(
    'mark read, the newest message (unread 1 → 0: transaction with the profile ADD)',
    async () => {
      const m = await send(y, group);
      await advancer.advance([m]);
      newest = m;
      return () => metered.markRead(x.uuid, group, m.message_uuid);
    },
  );
  await repeat('mark read, partway (unread 3 → 2: one UpdateItem)', async () => {
    if (newest) await plain.markRead(x.uuid, group, newest.message_uuid); // all read first
    const batch = [await send(y, group), await send(y, group), await send(y, group)];
    await advancer.advance(batch);
    newest = batch[2];
    return () => metered.markRead(x.uuid, group, (batch[0] as MessageItem).message_uuid);
  });
  await plain.markRead(x.uuid, group, (await send(x, group)).message_uuid);
  await repeat('mark read, an older message (monotonic: nothing written)', async () => {
    const old = (await plain.listMessages(x.uuid, group, { limit: 30 })).items[0] as Message;
    return () => metered.markRead(x.uuid, group, old.uuid);
  });

  // A conversation of 100 messages whose uuids are version 4, as before UUIDv7.
  const z = await newUser();
  const legacyGroup = (
    await plain.sendMessage({ sender: y, to: { handle: z.handle }, message: TEXT_99 })
  ).message.messageGroupUuid;
  const legacyMessages: MessageItem[] = [];
  for (let i = 0; i < 99; i++) {
    const message = messageItem({
      messageGroupUuid: legacyGroup,
      messageUuid: randomUUID(),
      sender: i % 2 ? z : y,
      text: TEXT_99,
      createdAt: new Date(),
    });
    await plainTable.write(appendMessageRequest(tableName, message));
    legacyMessages.push(message);
    await pause(1);
  }
  await advancer.advance(legacyMessages);
  await metered.participants(legacyGroup);
  let legacyIndex = 40;
  await repeat(
    'mark read, a version 4 uuid (written before UUIDv7): filtered Query of the whole conversation, 100 messages',
    async () => {
      const target = legacyMessages[legacyIndex] as MessageItem;
      legacyIndex += 2;
      return () => metered.markRead(z.uuid, legacyGroup, target.message_uuid);
    },
  );

  await repeat('A, page of 20 (+ GSI Query for the other’s read position)', async () => {
    return () => metered.listMessages(x.uuid, group, { limit: 20 });
  });
  await repeat('A, page of 20: its Query alone (as before read state)', async () => {
    return () => metering.query(listMessagesQuery(tableName, group, 20));
  });
  await repeat('A: the GSI Query alone (the two group rows)', async () => {
    return () => metering.query(findGroupRowsQuery(tableName, group));
  });

  // A user with 22 conversations: each started by the other, replied to, answered again.
  const h = await newUser();
  for (let i = 0; i < 22; i++) {
    const p = await newUser();
    const g = (await plain.sendMessage({ sender: p, to: { handle: h.handle }, message: TEXT_99 }))
      .message.messageGroupUuid;
    await advancer.advance([await send(h, g)]);
    await advancer.advance([await send(p, g)]);
  }
  const hRows = await rowsOf(h.uuid);
  const legacyOwner = randomUUID();
  for (const row of hRows) {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: legacyRow({
          ...row,
          pk: messageGroupPartition(legacyOwner),
          message_group_uuid: randomUUID(),
        }),
      }),
    );
  }
  await repeat('B, page of 20 (21 rows read), 99-character previews, with read state', async () => {
    return () => metered.listMessageGroups(h.uuid, { limit: 20 });
  });
  await repeat(
    'B, page of 20 (21 rows read), 99-character previews, rows as before read state',
    async () => {
      return () => metered.listMessageGroups(legacyOwner, { limit: 20 });
    },
  );
  await repeat('/api/me: unread_conversations (GetItem of the profile)', async () => {
    return () => metered.unreadConversations(h.uuid);
  });

  const sizes = (item: string, values: number[]): ItemSizeRow => ({
    item,
    min: Math.min(...values),
    max: Math.max(...values),
  });
  const profile = (
    await doc.send(
      new GetCommand({ TableName: tableName, Key: userKey(h.uuid), ConsistentRead: true }),
    )
  ).Item as UserItem;
  const messages = (await plain.listMessages(x.uuid, group, { limit: 20 })).items;
  const messageItems = await Promise.all(messages.map(itemOf));
  const { unread_conversations: _, ...profileBefore } = profile;
  const itemSizes = [
    sizes(
      'message_group row, 99-character preview, as pattern E writes it now (read state, message_deleted, preview_revision)',
      hRows.map((row) => sizeOf(row)),
    ),
    sizes(
      'message_group row, 99-character preview, without read state (message_deleted, preview_revision kept)',
      hRows.map((row) => sizeOf(legacyRow(row))),
    ),
    sizes(
      'message_group row, 99-character preview, as the seed and the code before round 2 wrote it',
      hRows.map((row) => {
        const { message_deleted: _d, preview_revision: _r, ...original } = legacyRow(row);
        return sizeOf(original);
      }),
    ),
    sizes('user profile with unread_conversations', [sizeOf(profile)]),
    sizes('user profile without it', [sizeOf(profileBefore)]),
    sizes(
      'message, 99 characters, UUIDv7, no client_message_id',
      messageItems.map((m) => sizeOf(m)),
    ),
  ];
  return { cost, itemSizes };
};
