import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { auditTable } from '../../src/consistency/audit-table.js';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { InvariantChecker } from '../../src/consistency/invariant-checker.js';
import {
  VIOLATION_KINDS,
  type Violation,
  type ViolationKind,
} from '../../src/consistency/violations.js';
import {
  blockKey,
  clientMessageKey,
  conversationKey,
  handleKey,
  type ItemKey,
  messagePartition,
  messageSortKey,
  pairKey,
  peopleTokenKey,
  userKey,
} from '../../src/messaging/keys.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { Message, User } from '../../src/messaging/model.js';
import { blockItem, blockRequest } from '../../src/messaging/requests/blocks.js';
import { peopleItems } from '../../src/messaging/requests/people.js';
import { handleItem, userItem } from '../../src/messaging/requests/users.js';
import { ConnectionRegistry } from '../../src/realtime/connection-registry.js';
import { connectionItem } from '../../src/realtime/connection-requests.js';
import { createStreamHandler } from '../../src/stream/handler.js';
import { interposedTable } from '../support/interposed-table.js';
import { shuffled } from '../support/shuffled.js';
import { readStream } from '../support/stream.js';
import { streamSteps } from '../support/stream-steps.js';
import { createTestTable, type TestTable, uniqueHandle } from '../support/test-table.js';

/**
 * A consistent table, made by the product itself: three users and two conversations, each
 * started by pattern C (which writes both group rows at its first message).
 */
const consistentTable = async () => {
  const t = await createTestTable();
  const messaging = t.messaging();
  const user = (name: string) =>
    messaging.createUser({ handle: uniqueHandle(name), displayName: name });
  const [ana, ben, cy] = [await user('ana'), await user('ben'), await user('cy')];
  const send = async (sender: User, to: User, text: string) =>
    (await messaging.sendMessage({ sender, to: { handle: to.handle }, message: text })).message;
  const anaBen = await send(ana, ben, 'hello Ben');
  await send(cy, ana, 'hi Ana');
  return { t, messaging, ana, ben, cy, anaBen };
};
type Scene = Awaited<ReturnType<typeof consistentTable>>;

const put = (t: TestTable, item: Record<string, unknown>) =>
  t.connection.doc.send(new PutCommand({ TableName: t.tableName, Item: item }));
const remove = (t: TestTable, key: ItemKey) =>
  t.connection.doc.send(new DeleteCommand({ TableName: t.tableName, Key: key }));
const read = async (t: TestTable, key: ItemKey): Promise<Record<string, unknown>> => {
  const { Item } = await t.connection.doc.send(
    new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }),
  );
  if (!Item) throw new Error(`no item ${key.pk} / ${key.sk}`);
  return Item;
};
const set = (t: TestTable, key: ItemKey, attribute: string, value: unknown) =>
  t.connection.doc.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key,
      UpdateExpression: 'SET #a = :v',
      ExpressionAttributeNames: { '#a': attribute },
      ExpressionAttributeValues: { ':v': value },
    }),
  );

/** A DynamoDB string set of `uuids`, added to (or, `DELETE`, taken from) an attribute. */
const changeSet = (
  t: TestTable,
  key: ItemKey,
  action: 'ADD' | 'DELETE' | 'REMOVE',
  attribute: string,
  uuids: string[] = [],
) =>
  t.connection.doc.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key,
      UpdateExpression: `${action} #a${action === 'REMOVE' ? '' : ' :v'}`,
      ExpressionAttributeNames: { '#a': attribute },
      ...(action === 'REMOVE' ? {} : { ExpressionAttributeValues: { ':v': new Set(uuids) } }),
    }),
  );

const rowKey = (owner: User, message: Message): ItemKey => ({
  pk: `GRP#${owner.uuid}`,
  sk: message.sk,
});
const messageKey = (message: Message): ItemKey => ({
  pk: messagePartition(message.messageGroupUuid),
  sk: message.sk,
});
/** A well-formed message sort key older than anything the scene wrote. */
const olderKey = () => messageSortKey(new Date('2020-01-01T00:00:00.000Z'), randomUUID());
/** One newer than anything it wrote. */
const futureKey = () => messageSortKey(new Date('2099-01-01T00:00:00.000Z'), randomUUID());
/** A user who does not exist, and one written as users were before people search. */
const ghost: User = { uuid: randomUUID(), handle: 'ghost_people', displayName: 'Ghost' };
const oldDee: User = { uuid: randomUUID(), handle: 'dee_before', displayName: 'Dee Old-Timer' };
const keyOf = (item: ItemKey): ItemKey => ({ pk: item.pk, sk: item.sk });
/** Ana's row of the conversation Cy started (she has not read his message). */
const cyAnaRow = async (t: TestTable, ana: User): Promise<ItemKey> => {
  const rows = (await t.scanAll()).filter(
    (item) => item.pk === `GRP#${ana.uuid}` && item.unread_count === 1,
  );
  if (rows.length !== 1) throw new Error(`expected one unread row of Ana, found ${rows.length}`);
  return rows[0] as unknown as ItemKey;
};

/** Pattern E and the previews' follow, over every record of the stream so far. */
const applyStream = (t: TestTable) => streamSteps(t).applyStream();

/** A message of `sender` into `groupUuid`, with a client_message_id if given. */
const sendTo = async (
  messaging: Messaging,
  sender: User,
  groupUuid: string,
  text: string,
  clientMessageId?: string,
) =>
  (
    await messaging.sendMessage({
      sender,
      to: { messageGroupUuid: groupUuid },
      message: text,
      clientMessageId,
    })
  ).message;

/** A message key of Ana and Ben's conversation, whichever message it is. */
const anyMessageKey = (anaBen: Message): ItemKey => ({
  pk: messagePartition(anaBen.messageGroupUuid),
  sk: expect.stringMatching(/^\d{4}-/),
});

interface Corruption {
  kind: ViolationKind;
  /** What is done to the consistent table. */
  does: string;
  corrupt(scene: Scene): Promise<void>;
  /** Every violation the checker must then report, as kind and keys, and nothing else. */
  expected(scene: Scene): Pick<Violation, 'kind' | 'keys'>[];
}

const corruptions: Corruption[] = [
  {
    kind: 'missing_group_row',
    does: "deletes Ben's row",
    corrupt: ({ t, ben, anaBen }) => remove(t, rowKey(ben, anaBen)).then(() => undefined),
    expected: ({ ben, anaBen }) => [
      { kind: 'missing_group_row', keys: [rowKey(ben, anaBen)] },
      // It was his only conversation with an unread message, and his profile still counts it.
      { kind: 'wrong_unread_conversations', keys: [userKey(ben.uuid)] },
    ],
  },
  {
    kind: 'duplicate_group_row',
    does: "copies Ana's row to another sort key",
    corrupt: async ({ t, ana, anaBen }) => {
      await put(t, { ...(await read(t, rowKey(ana, anaBen))), sk: olderKey() });
    },
    expected: ({ ana, anaBen }) => [
      {
        kind: 'duplicate_group_row',
        keys: [{ pk: `GRP#${ana.uuid}`, sk: expect.stringMatching(/^2020-/) }, rowKey(ana, anaBen)],
      },
    ],
  },
  {
    kind: 'non_participant_row',
    does: "copies Ana's row into Cy's list",
    corrupt: async ({ t, ana, cy, anaBen }) => {
      await put(t, { ...(await read(t, rowKey(ana, anaBen))), pk: `GRP#${cy.uuid}` });
    },
    expected: ({ cy, anaBen }) => [{ kind: 'non_participant_row', keys: [rowKey(cy, anaBen)] }],
  },
  {
    kind: 'row_behind',
    does: 'sends a reply that pattern E never applies',
    corrupt: async ({ messaging, ben, anaBen }) => {
      await messaging.sendMessage({
        sender: ben,
        to: { messageGroupUuid: anaBen.messageGroupUuid },
        message: 'reply',
      });
    },
    expected: ({ ana, ben, anaBen }) => [
      { kind: 'row_behind', keys: [rowKey(ana, anaBen)] },
      { kind: 'row_behind', keys: [rowKey(ben, anaBen)] },
    ],
  },
  {
    kind: 'row_ahead',
    does: "moves Ana's row past the newest message",
    corrupt: async ({ t, ana, anaBen }) => {
      const row = await read(t, rowKey(ana, anaBen));
      await remove(t, rowKey(ana, anaBen));
      await put(t, {
        ...row,
        sk: messageSortKey(new Date('2099-01-01T00:00:00.000Z'), randomUUID()),
      });
    },
    expected: ({ ana }) => [
      { kind: 'row_ahead', keys: [{ pk: `GRP#${ana.uuid}`, sk: expect.stringMatching(/^2099-/) }] },
    ],
  },
  {
    kind: 'wrong_preview',
    does: "changes the preview on Ana's row",
    corrupt: ({ t, ana, anaBen }) =>
      set(t, rowKey(ana, anaBen), 'message', 'not what was said').then(() => undefined),
    expected: ({ ana, anaBen }) => [{ kind: 'wrong_preview', keys: [rowKey(ana, anaBen)] }],
  },
  {
    kind: 'wrong_preview',
    does: "shows Ana's row's last message as unsent while it is not",
    corrupt: ({ t, ana, anaBen }) =>
      set(t, rowKey(ana, anaBen), 'message_deleted', true).then(() => undefined),
    expected: ({ ana, anaBen }) => [{ kind: 'wrong_preview', keys: [rowKey(ana, anaBen)] }],
  },
  {
    kind: 'stale_preview_revision',
    does: "edits Ana's message to Ben and back, and the stream never delivers the edits (the same text, at revision 0)",
    corrupt: async ({ messaging, ana, anaBen }) => {
      const g = anaBen.messageGroupUuid;
      await messaging.editMessage(ana, g, anaBen.uuid, 'hello Ben!');
      await messaging.editMessage(ana, g, anaBen.uuid, 'hello Ben');
    },
    // wrong_preview says nothing: the text is the message's. A late record of revision 1
    // would still pass the previews' condition (0 < 1) and show 'hello Ben!'.
    expected: ({ ana, ben, anaBen }) => [
      { kind: 'stale_preview_revision', keys: [rowKey(ana, anaBen)] },
      { kind: 'stale_preview_revision', keys: [rowKey(ben, anaBen)] },
    ],
  },
  {
    kind: 'stale_preview_revision',
    does: "edits Ana's message to Ben (the previews follow), then takes preview_revision off Ben's row",
    corrupt: async ({ t, messaging, ana, ben, anaBen }) => {
      await messaging.editMessage(ana, anaBen.messageGroupUuid, anaBen.uuid, 'hello again');
      await applyStream(t);
      await t.connection.doc.send(
        new UpdateCommand({
          TableName: t.tableName,
          Key: rowKey(ben, anaBen),
          UpdateExpression: 'REMOVE preview_revision',
        }),
      );
    },
    expected: ({ ben, anaBen }) => [
      { kind: 'stale_preview_revision', keys: [rowKey(ben, anaBen)] },
    ],
  },
  {
    kind: 'preview_revision_ahead',
    does: "sets preview_revision 3 on Ana's row (the message was never changed)",
    corrupt: ({ t, ana, anaBen }) =>
      set(t, rowKey(ana, anaBen), 'preview_revision', 3).then(() => undefined),
    expected: ({ ana, anaBen }) => [
      { kind: 'preview_revision_ahead', keys: [rowKey(ana, anaBen)] },
    ],
  },
  {
    kind: 'wrong_counterpart',
    does: "names Cy instead of Ben on Ana's row",
    corrupt: ({ t, ana, cy, anaBen }) =>
      set(t, rowKey(ana, anaBen), 'user_uuid', cy.uuid).then(() => undefined),
    expected: ({ ana, anaBen }) => [{ kind: 'wrong_counterpart', keys: [rowKey(ana, anaBen)] }],
  },
  {
    kind: 'wrong_last_message_user',
    does: "names Ben as the last sender on Ana's row",
    corrupt: ({ t, ana, ben, anaBen }) =>
      set(t, rowKey(ana, anaBen), 'last_message_user_uuid', ben.uuid).then(() => undefined),
    expected: ({ ana, anaBen }) => [
      { kind: 'wrong_last_message_user', keys: [rowKey(ana, anaBen)] },
    ],
  },
  {
    kind: 'wrong_last_message_user',
    does: "says on Ben's row that he wrote the last message (last_mine), which Ana wrote",
    corrupt: ({ t, ben, anaBen }) =>
      set(t, rowKey(ben, anaBen), 'last_mine', true).then(() => undefined),
    expected: ({ ben, anaBen }) => [
      { kind: 'wrong_last_message_user', keys: [rowKey(ben, anaBen)] },
    ],
  },
  {
    kind: 'wrong_unread_count',
    does: "says 2 unread on Ben's row (Ana sent him one message)",
    corrupt: ({ t, ben, anaBen }) =>
      set(t, rowKey(ben, anaBen), 'unread_count', 2).then(() => undefined),
    expected: ({ ben, anaBen }) => [{ kind: 'wrong_unread_count', keys: [rowKey(ben, anaBen)] }],
  },
  {
    kind: 'wrong_unread_count',
    does: "removes Ben's read position (read up to the row, then) but leaves his 1 unread",
    corrupt: ({ t, ben, anaBen }) =>
      t.connection.doc
        .send(
          new UpdateCommand({
            TableName: t.tableName,
            Key: rowKey(ben, anaBen),
            UpdateExpression: 'REMOVE last_read_sk',
          }),
        )
        .then(() => undefined),
    expected: ({ ben, anaBen }) => [{ kind: 'wrong_unread_count', keys: [rowKey(ben, anaBen)] }],
  },
  {
    kind: 'wrong_unread_count',
    does: "removes the unread_count of Cy's message from Ana's row (absent means 0)",
    corrupt: async ({ t, ana }) => {
      const row = await cyAnaRow(t, ana);
      await t.connection.doc.send(
        new UpdateCommand({
          TableName: t.tableName,
          Key: { pk: row.pk, sk: row.sk },
          UpdateExpression: 'REMOVE unread_count',
        }),
      );
    },
    expected: ({ ana }) => [
      { kind: 'wrong_unread_count', keys: [{ pk: `GRP#${ana.uuid}`, sk: expect.any(String) }] },
      // Her profile still counts the conversation as unread.
      { kind: 'wrong_unread_conversations', keys: [userKey(ana.uuid)] },
    ],
  },
  {
    kind: 'invalid_read_position',
    does: "moves Ana's read position to a well-formed key of no message",
    corrupt: ({ t, ana, anaBen }) =>
      set(t, rowKey(ana, anaBen), 'last_read_sk', olderKey()).then(() => undefined),
    expected: ({ ana, anaBen }) => [{ kind: 'invalid_read_position', keys: [rowKey(ana, anaBen)] }],
  },
  {
    kind: 'invalid_read_position',
    does: "moves Ana's read position past the newest message",
    corrupt: ({ t, ana, anaBen }) =>
      set(t, rowKey(ana, anaBen), 'last_read_sk', futureKey()).then(() => undefined),
    expected: ({ ana, anaBen }) => [{ kind: 'invalid_read_position', keys: [rowKey(ana, anaBen)] }],
  },
  {
    kind: 'invalid_read_position',
    does: "moves Ana's read position to the sk of a message of another conversation",
    corrupt: async ({ t, ana, anaBen }) => {
      const other = await cyAnaRow(t, ana);
      await set(t, rowKey(ana, anaBen), 'last_read_sk', other.sk);
    },
    expected: ({ ana, anaBen }) => [{ kind: 'invalid_read_position', keys: [rowKey(ana, anaBen)] }],
  },
  {
    kind: 'wrong_unread_conversations',
    does: "says 2 conversations unread on Ana's profile (one is: Cy's)",
    corrupt: ({ t, ana }) =>
      set(t, userKey(ana.uuid), 'unread_conversations', 2).then(() => undefined),
    expected: ({ ana }) => [{ kind: 'wrong_unread_conversations', keys: [userKey(ana.uuid)] }],
  },
  {
    kind: 'wrong_unread_conversations',
    does: "removes the unread_conversations of Ben's profile (absent means 0; he has 1)",
    corrupt: ({ t, ben }) =>
      t.connection.doc
        .send(
          new UpdateCommand({
            TableName: t.tableName,
            Key: userKey(ben.uuid),
            UpdateExpression: 'REMOVE unread_conversations',
          }),
        )
        .then(() => undefined),
    expected: ({ ben }) => [{ kind: 'wrong_unread_conversations', keys: [userKey(ben.uuid)] }],
  },
  {
    kind: 'orphan_group_row',
    does: "adds a row to Ana's list for a conversation that does not exist",
    corrupt: async ({ t, ana, anaBen }) => {
      const row = await read(t, rowKey(ana, anaBen));
      await put(t, { ...row, sk: olderKey(), message_group_uuid: randomUUID() });
    },
    expected: ({ ana }) => [
      { kind: 'orphan_group_row', keys: [{ pk: `GRP#${ana.uuid}`, sk: expect.any(String) }] },
    ],
  },
  {
    kind: 'orphan_message',
    does: 'adds a message to a conversation that does not exist',
    corrupt: async ({ t, anaBen }) => {
      await put(t, { ...(await read(t, messageKey(anaBen))), pk: messagePartition(randomUUID()) });
    },
    expected: ({ anaBen }) => [
      {
        kind: 'orphan_message',
        keys: [{ pk: expect.not.stringContaining(anaBen.messageGroupUuid), sk: anaBen.sk }],
      },
    ],
  },
  {
    kind: 'message_from_non_participant',
    does: "adds an older message by Cy to Ana and Ben's conversation",
    corrupt: async ({ t, cy, anaBen }) => {
      const sk = olderKey();
      const [createdAt, messageUuid] = sk.split('#');
      await put(t, {
        ...(await read(t, messageKey(anaBen))),
        sk,
        created_at: createdAt,
        message_uuid: messageUuid,
        user_uuid: cy.uuid,
      });
    },
    expected: ({ anaBen }) => [
      {
        kind: 'message_from_non_participant',
        keys: [
          { pk: messagePartition(anaBen.messageGroupUuid), sk: expect.stringMatching(/^2020-/) },
        ],
      },
    ],
  },
  {
    kind: 'invalid_message_key',
    does: 'adds an older message whose sort key is not its created_at#message_uuid',
    corrupt: async ({ t, anaBen }) => {
      await put(t, { ...(await read(t, messageKey(anaBen))), sk: olderKey() });
    },
    expected: ({ ben, anaBen }) => [
      {
        kind: 'invalid_message_key',
        keys: [
          { pk: messagePartition(anaBen.messageGroupUuid), sk: expect.stringMatching(/^2020-/) },
        ],
      },
      // It is one more message of Ana's that Ben has not read.
      { kind: 'wrong_unread_count', keys: [rowKey(ben, anaBen)] },
    ],
  },
  {
    kind: 'unsent_with_text',
    does: "unsends Ana's message to Ben (the previews follow), then puts an edited_at back on it",
    corrupt: async ({ t, messaging, ana, anaBen }) => {
      await messaging.unsendMessage(ana, anaBen.messageGroupUuid, anaBen.uuid);
      await applyStream(t);
      await set(t, messageKey(anaBen), 'edited_at', new Date().toISOString());
    },
    expected: ({ anaBen }) => [{ kind: 'unsent_with_text', keys: [messageKey(anaBen)] }],
  },
  {
    kind: 'unsent_with_text',
    does: "unsends Ana's first message to Ben once she has sent another, then puts its text back",
    corrupt: async ({ t, messaging, ana, anaBen }) => {
      await sendTo(messaging, ana, anaBen.messageGroupUuid, 'and another');
      await messaging.unsendMessage(ana, anaBen.messageGroupUuid, anaBen.uuid);
      await applyStream(t);
      await set(t, messageKey(anaBen), 'message', 'hello Ben');
    },
    expected: ({ anaBen }) => [{ kind: 'unsent_with_text', keys: [messageKey(anaBen)] }],
  },
  {
    kind: 'claim_text_differs',
    does: "sends a message of Ana's with a client_message_id, then changes its claim's copy of the text",
    corrupt: async ({ t, messaging, ana, anaBen }) => {
      await sendTo(messaging, ana, anaBen.messageGroupUuid, 'with an id', 'id-1');
      await applyStream(t);
      await set(t, clientMessageKey(ana.uuid, 'id-1'), 'message', 'not what was said');
    },
    expected: ({ ana, anaBen }) => [
      {
        kind: 'claim_text_differs',
        keys: [anyMessageKey(anaBen), clientMessageKey(ana.uuid, 'id-1')],
      },
    ],
  },
  {
    kind: 'claim_text_differs',
    does: 'unsends a message sent with a client_message_id (its claim follows), then puts the text back into the claim',
    corrupt: async ({ t, messaging, ana, anaBen }) => {
      const g = anaBen.messageGroupUuid;
      const sent = await sendTo(messaging, ana, g, 'taken back', 'id-2');
      await messaging.unsendMessage(ana, g, sent.uuid);
      await applyStream(t);
      await set(t, clientMessageKey(ana.uuid, 'id-2'), 'message', 'taken back');
    },
    expected: ({ ana, anaBen }) => [
      {
        kind: 'claim_text_differs',
        keys: [anyMessageKey(anaBen), clientMessageKey(ana.uuid, 'id-2')],
      },
    ],
  },
  {
    kind: 'conversation_without_messages',
    does: "deletes the only message of Ana and Ben's conversation",
    corrupt: ({ t, anaBen }) => remove(t, messageKey(anaBen)).then(() => undefined),
    expected: ({ anaBen }) => [
      { kind: 'conversation_without_messages', keys: [conversationKey(anaBen.messageGroupUuid)] },
    ],
  },
  {
    kind: 'unknown_participant',
    does: "deletes Ben's user item (his handle item then names no user)",
    corrupt: ({ t, ben }) => remove(t, userKey(ben.uuid)).then(() => undefined),
    expected: ({ ben, anaBen }) => [
      { kind: 'unknown_participant', keys: [conversationKey(anaBen.messageGroupUuid)] },
      { kind: 'orphan_handle', keys: [handleKey(ben.handle)] },
      // His people items too: search would find a user who is not there.
      ...peopleItems(ben).map((item) => ({
        kind: 'orphan_people_item' as const,
        keys: [keyOf(item)],
      })),
    ],
  },
  {
    kind: 'duplicate_conversation',
    does: 'adds a second conversation between Ana and Ben',
    corrupt: async ({ t, anaBen }) => {
      const conversation = await read(t, conversationKey(anaBen.messageGroupUuid));
      const second = randomUUID();
      await put(t, { ...conversation, ...conversationKey(second), group_uuid: second });
    },
    expected: ({ ana, ben, anaBen }) => [
      {
        kind: 'duplicate_conversation',
        keys: expect.arrayContaining([conversationKey(anaBen.messageGroupUuid)]),
      },
      { kind: 'conversation_without_messages', keys: [expect.anything()] },
      { kind: 'missing_group_row', keys: [{ pk: `GRP#${ana.uuid}`, sk: '' }] },
      { kind: 'missing_group_row', keys: [{ pk: `GRP#${ben.uuid}`, sk: '' }] },
      { kind: 'missing_pair', keys: [pairKey(ana.uuid, ben.uuid)] },
    ],
  },
  {
    kind: 'missing_pair',
    does: "deletes Ana and Ben's pair item",
    corrupt: ({ t, ana, ben }) => remove(t, pairKey(ana.uuid, ben.uuid)).then(() => undefined),
    expected: ({ ana, ben }) => [{ kind: 'missing_pair', keys: [pairKey(ana.uuid, ben.uuid)] }],
  },
  {
    kind: 'orphan_pair',
    does: "adds a pair of Ben and Cy pointing at Ana and Ben's conversation",
    corrupt: async ({ t, ana, ben, cy }) => {
      await put(t, {
        ...(await read(t, pairKey(ana.uuid, ben.uuid))),
        ...pairKey(ben.uuid, cy.uuid),
      });
    },
    expected: ({ ben, cy }) => [{ kind: 'orphan_pair', keys: [pairKey(ben.uuid, cy.uuid)] }],
  },
  {
    kind: 'orphan_pair',
    does: "points Ana and Ben's pair at a conversation that does not exist",
    corrupt: ({ t, ana, ben }) =>
      set(t, pairKey(ana.uuid, ben.uuid), 'group_uuid', randomUUID()).then(() => undefined),
    expected: ({ ana, ben }) => [
      { kind: 'orphan_pair', keys: [pairKey(ana.uuid, ben.uuid)] },
      { kind: 'missing_pair', keys: [pairKey(ana.uuid, ben.uuid)] },
    ],
  },
  {
    kind: 'missing_pair',
    does: "removes the group_uuid of Ana and Ben's pair (a block-only pair, while they talk)",
    corrupt: ({ t, ana, ben }) =>
      changeSet(t, pairKey(ana.uuid, ben.uuid), 'REMOVE', 'group_uuid').then(() => undefined),
    expected: ({ ana, ben }) => [{ kind: 'missing_pair', keys: [pairKey(ana.uuid, ben.uuid)] }],
  },
  {
    kind: 'block_without_mark',
    does: "lets Ana block Ben, then takes her uuid out of their pair's blocked_by",
    corrupt: async ({ t, messaging, ana, ben }) => {
      await messaging.block(ana, ben.handle);
      await changeSet(t, pairKey(ana.uuid, ben.uuid), 'DELETE', 'blocked_by', [ana.uuid]);
    },
    expected: ({ ana, ben }) => [
      { kind: 'block_without_mark', keys: [blockKey(ana.uuid, ben.uuid)] },
    ],
  },
  {
    kind: 'block_without_mark',
    does: 'lets Ana block Ben, then Ben block her, then takes the set off their pair',
    corrupt: async ({ t, messaging, ana, ben }) => {
      await messaging.block(ana, ben.handle);
      await messaging.block(ben, ana.handle);
      await changeSet(t, pairKey(ana.uuid, ben.uuid), 'REMOVE', 'blocked_by');
    },
    expected: ({ ana, ben }) => [
      { kind: 'block_without_mark', keys: [blockKey(ana.uuid, ben.uuid)] },
      { kind: 'block_without_mark', keys: [blockKey(ben.uuid, ana.uuid)] },
    ],
  },
  {
    kind: 'block_without_mark',
    does: 'writes a block of Cy by Ben (who never talked) without a pair item',
    corrupt: ({ t, ben, cy }) =>
      put(t, { ...blockItem(ben, cy, new Date().toISOString()) }).then(() => undefined),
    expected: ({ ben, cy }) => [
      { kind: 'block_without_mark', keys: [blockKey(ben.uuid, cy.uuid)] },
    ],
  },
  {
    kind: 'mark_without_block',
    does: "lets Ana block Ben, then deletes her block item (the pair's mark stays)",
    corrupt: async ({ t, messaging, ana, ben }) => {
      await messaging.block(ana, ben.handle);
      await remove(t, blockKey(ana.uuid, ben.uuid));
    },
    expected: ({ ana, ben }) => [
      { kind: 'mark_without_block', keys: [pairKey(ana.uuid, ben.uuid)] },
    ],
  },
  {
    kind: 'mark_without_block',
    does: "marks Ben and Cy's pair (made for it: they never talked) with Ben, without a block",
    corrupt: ({ t, ben, cy }) =>
      t.connection.doc
        .send(
          new UpdateCommand({
            TableName: t.tableName,
            Key: pairKey(ben.uuid, cy.uuid),
            UpdateExpression: 'SET item_type = :pair ADD blocked_by :v',
            ExpressionAttributeValues: { ':pair': 'pair', ':v': new Set([ben.uuid]) },
          }),
        )
        .then(() => undefined),
    expected: ({ ben, cy }) => [{ kind: 'mark_without_block', keys: [pairKey(ben.uuid, cy.uuid)] }],
  },
  {
    kind: 'mark_without_block',
    does: "puts Cy, who is not one of them, into Ana and Ben's blocked_by",
    corrupt: ({ t, ana, ben, cy }) =>
      changeSet(t, pairKey(ana.uuid, ben.uuid), 'ADD', 'blocked_by', [cy.uuid]).then(
        () => undefined,
      ),
    expected: ({ ana, ben }) => [
      { kind: 'mark_without_block', keys: [pairKey(ana.uuid, ben.uuid)] },
    ],
  },
  {
    kind: 'mark_without_block',
    does: "sets Ana and Ben's blocked_by to a string, not a set",
    corrupt: ({ t, ana, ben }) =>
      set(t, pairKey(ana.uuid, ben.uuid), 'blocked_by', ana.uuid).then(() => undefined),
    expected: ({ ana, ben }) => [
      { kind: 'mark_without_block', keys: [pairKey(ana.uuid, ben.uuid)] },
    ],
  },
  {
    kind: 'invalid_block_key',
    does: 'lets Ana block Ben, then names Cy as the blocked user in her block item',
    corrupt: async ({ t, messaging, ana, ben, cy }) => {
      await messaging.block(ana, ben.handle);
      await set(t, blockKey(ana.uuid, ben.uuid), 'blocked_uuid', cy.uuid);
    },
    expected: ({ ana, ben }) => [
      { kind: 'invalid_block_key', keys: [blockKey(ana.uuid, ben.uuid)] },
    ],
  },
  {
    kind: 'invalid_block_key',
    does: 'writes a block of Ana by Ana (her own pair marked)',
    corrupt: async ({ t, ana }) => {
      await t.table.write(blockRequest(t.tableName, ana, ana, new Date().toISOString()));
    },
    expected: ({ ana }) => [{ kind: 'invalid_block_key', keys: [blockKey(ana.uuid, ana.uuid)] }],
  },
  {
    kind: 'block_of_unknown_user',
    does: 'writes a block (and its mark) of a user who does not exist',
    corrupt: async ({ t, ana }) => {
      const ghost = {
        uuid: '00000000-0000-4000-8000-000000000000',
        handle: 'ghost',
        displayName: 'Ghost',
      };
      await t.table.write(blockRequest(t.tableName, ana, ghost, new Date().toISOString()));
    },
    expected: ({ ana }) => [
      {
        kind: 'block_of_unknown_user',
        keys: [blockKey(ana.uuid, '00000000-0000-4000-8000-000000000000')],
      },
    ],
  },
  {
    kind: 'missing_handle',
    does: "deletes Cy's handle item",
    corrupt: ({ t, cy }) => remove(t, handleKey(cy.handle)).then(() => undefined),
    expected: ({ cy }) => [{ kind: 'missing_handle', keys: [userKey(cy.uuid)] }],
  },
  {
    kind: 'orphan_handle',
    does: 'adds a handle item for a user who does not exist',
    corrupt: async ({ t, cy }) => {
      const handle = await read(t, handleKey(cy.handle));
      await put(t, { ...handle, ...handleKey('ghost'), handle: 'ghost', user_uuid: randomUUID() });
    },
    expected: () => [{ kind: 'orphan_handle', keys: [handleKey('ghost')] }],
  },
  {
    kind: 'missing_people_item',
    does: "deletes the people item of Cy's name",
    corrupt: ({ t, cy }) => remove(t, peopleTokenKey('N', 'cy', cy.handle)).then(() => undefined),
    expected: ({ cy }) => [
      { kind: 'missing_people_item', keys: [peopleTokenKey('N', 'cy', cy.handle)] },
    ],
  },
  {
    kind: 'missing_people_item',
    does: 'writes a user as users were written before people search: profile and handle only',
    corrupt: async ({ t }) => {
      for (const item of [userItem(oldDee, '2025-12-01T00:00:00.000Z'), handleItem(oldDee)])
        await put(t, { ...item });
    },
    // Every item the backfill would write, in one violation (its keys sorted by sk).
    expected: () => [
      {
        kind: 'missing_people_item',
        keys: peopleItems(oldDee)
          .map(keyOf)
          .sort((a, b) => a.sk.localeCompare(b.sk)),
      },
    ],
  },
  {
    kind: 'missing_people_item',
    does: "names Ben in the people item of Ana's handle",
    corrupt: ({ t, ana, ben }) =>
      set(t, peopleTokenKey('H', ana.handle, ana.handle), 'user_uuid', ben.uuid).then(
        () => undefined,
      ),
    // The item at her key is not hers: she lacks it, and it is filed under a handle not Ben's.
    expected: ({ ana }) => [
      { kind: 'missing_people_item', keys: [peopleTokenKey('H', ana.handle, ana.handle)] },
      { kind: 'orphan_people_item', keys: [peopleTokenKey('H', ana.handle, ana.handle)] },
    ],
  },
  {
    kind: 'orphan_people_item',
    does: 'adds the people items of a user who does not exist',
    corrupt: async ({ t }) => {
      for (const item of peopleItems(ghost)) await put(t, { ...item });
    },
    expected: () =>
      peopleItems(ghost).map((item) => ({ kind: 'orphan_people_item', keys: [keyOf(item)] })),
  },
  {
    kind: 'stale_people_item',
    does: 'adds a people item of Ana under a word her name does not have (as a rename would leave)',
    corrupt: ({ t, ana }) =>
      put(t, {
        ...peopleItems(ana)[0],
        ...peopleTokenKey('N', 'anastasia', ana.handle),
      }).then(() => undefined),
    expected: ({ ana }) => [
      { kind: 'stale_people_item', keys: [peopleTokenKey('N', 'anastasia', ana.handle)] },
    ],
  },
  {
    kind: 'people_copy_differs',
    does: "changes the display_name copied into the people item of Ben's handle",
    corrupt: ({ t, ben }) =>
      set(t, peopleTokenKey('H', ben.handle, ben.handle), 'display_name', 'Benjamin').then(
        () => undefined,
      ),
    expected: ({ ben }) => [
      { kind: 'people_copy_differs', keys: [peopleTokenKey('H', ben.handle, ben.handle)] },
    ],
  },
  {
    kind: 'people_copy_differs',
    does: "changes the handle copied into the people item of Ben's name",
    corrupt: ({ t, ben }) =>
      set(t, peopleTokenKey('N', 'ben', ben.handle), 'handle', 'someone_else').then(
        () => undefined,
      ),
    expected: ({ ben }) => [
      { kind: 'people_copy_differs', keys: [peopleTokenKey('N', 'ben', ben.handle)] },
    ],
  },
  {
    kind: 'invalid_people_key',
    does: "copies the people item of Ana's name into a partition not its word's first character",
    corrupt: async ({ t, ana }) => {
      const item = await read(t, peopleTokenKey('N', 'ana', ana.handle));
      await put(t, { ...item, pk: 'PEOPLE#z' });
    },
    expected: ({ ana }) => [
      { kind: 'invalid_people_key', keys: [{ pk: 'PEOPLE#z', sk: `N#ana#${ana.handle}` }] },
    ],
  },
  {
    kind: 'invalid_people_key',
    does: 'adds a people item of Ana whose sort key does not parse',
    corrupt: async ({ t, ana }) => {
      const item = await read(t, peopleTokenKey('N', 'ana', ana.handle));
      await put(t, { ...item, sk: `X#ana#${ana.handle}` });
    },
    expected: ({ ana }) => [
      { kind: 'invalid_people_key', keys: [{ pk: 'PEOPLE#a', sk: `X#ana#${ana.handle}` }] },
    ],
  },
  {
    kind: 'connection_without_ttl',
    does: 'adds a connection item whose expires_at is a string',
    corrupt: ({ t, ana }) =>
      put(t, {
        ...connectionItem(ana.uuid, 'conn-1=', new Date()),
        expires_at: 'tomorrow',
      }).then(() => undefined),
    expected: ({ ana }) => [
      { kind: 'connection_without_ttl', keys: [{ pk: `CONN#${ana.uuid}`, sk: 'conn-1=' }] },
    ],
  },
  {
    kind: 'unknown_item',
    does: 'adds an item of no known type',
    corrupt: ({ t }) =>
      put(t, { pk: 'JUNK#1', sk: 'JUNK', item_type: 'junk' }).then(() => undefined),
    expected: () => [{ kind: 'unknown_item', keys: [{ pk: 'JUNK#1', sk: 'JUNK' }] }],
  },
];

const byKindAndKey = (a: Pick<Violation, 'kind' | 'keys'>, b: Pick<Violation, 'kind' | 'keys'>) =>
  `${a.kind} ${a.keys[0]?.pk}`.localeCompare(`${b.kind} ${b.keys[0]?.pk}`);

const audit = (t: TestTable) => auditTable(t.connection.doc, { tableName: t.tableName });

describe('the invariant checker over a whole table (ddb check)', () => {
  it('finds nothing wrong in a table the product wrote', async () => {
    const { t, ana } = await consistentTable();
    await new ConnectionRegistry(t.table).register(ana.uuid, 'conn-1=');
    const report = await audit(t);
    expect(report).toEqual({
      // Each user: profile, handle and two people items (the handle, the one word of the name).
      items: 3 * (2 + 2) + 2 * (1 + 1 + 2 + 1) + 1,
      users: 3,
      conversations: 2,
      messages: 2,
      groupRows: 4,
      violations: [],
    });
  });

  it('accepts blocks: both ways, between users who never talked, lifted (an emptied pair), and a conversation after a lifted block', async () => {
    const { t, messaging, ana, ben, cy } = await consistentTable();
    const [dee, eve] = [
      await messaging.createUser({ handle: uniqueHandle('dee'), displayName: 'dee' }),
      await messaging.createUser({ handle: uniqueHandle('eve'), displayName: 'eve' }),
    ];
    await messaging.block(ana, ben.handle);
    await messaging.block(ben, ana.handle);
    await messaging.block(ben, cy.handle); // they never talked: a pair of the block alone
    await messaging.block(ana, dee.handle);
    await messaging.unblock(ana, dee.handle); // the emptied pair: neither conversation nor mark
    await messaging.block(cy, ana.handle);
    await messaging.unblock(cy, ana.handle); // a conversation's pair, its set emptied
    await messaging.block(eve, dee.handle);
    await messaging.unblock(eve, dee.handle);
    await messaging.sendMessage({ sender: dee, to: { handle: eve.handle }, message: 'hi Eve' });

    const items = await t.scanAll();
    const pair = (a: User, b: User) => items.find((i) => i.pk === pairKey(a.uuid, b.uuid).pk);
    // The scene is what it claims.
    expect(pair(ana, ben)).toMatchObject({
      group_uuid: expect.any(String),
      blocked_by: new Set([ana.uuid, ben.uuid]),
    });
    expect(pair(ben, cy)).toEqual({
      ...pairKey(ben.uuid, cy.uuid),
      item_type: 'pair',
      blocked_by: new Set([ben.uuid]),
    });
    expect(pair(ana, dee)).toEqual({ ...pairKey(ana.uuid, dee.uuid), item_type: 'pair' });
    expect(pair(ana, cy)).not.toHaveProperty('blocked_by');
    expect(pair(dee, eve)).toMatchObject({ group_uuid: expect.any(String) });
    expect(items.filter((i) => i.item_type === 'block')).toHaveLength(3);

    expect((await audit(t)).violations).toEqual([]);
    // As the inspector serves them (JSON: a set is an array), too.
    const asJson = JSON.parse(
      JSON.stringify(items, (_, value) => (value instanceof Set ? [...value] : value)),
    ) as Record<string, unknown>[];
    expect(asJson.find((i) => i.pk === pairKey(ana.uuid, ben.uuid).pk)?.blocked_by).toEqual(
      expect.arrayContaining([ana.uuid, ben.uuid]),
    );
    expect(checkInvariants(asJson).violations).toEqual([]);
  });

  it('has a corruption below for every kind of violation it claims to find', () => {
    expect([...new Set(corruptions.map((c) => c.kind))].sort()).toEqual(
      Object.keys(VIOLATION_KINDS).sort(),
    );
  });

  it.each(corruptions)('finds $kind when a test $does', async (corruption) => {
    const scene = await consistentTable();
    await corruption.corrupt(scene);
    const { violations } = await audit(scene.t);
    const found = violations
      .map(({ kind, keys }) => ({ kind, keys: [...keys].sort((a, b) => a.sk.localeCompare(b.sk)) }))
      .sort(byKindAndKey);
    expect(found).toEqual(corruption.expected(scene).sort(byKindAndKey));
    for (const violation of violations) {
      expect(violation.expected).not.toBe('');
      expect(violation.found).not.toBe('');
    }
  });

  it('reads every page of every parallel segment and reports its progress', async () => {
    const { t } = await consistentTable();
    const progress: number[] = [];
    let scans = 0;
    const report = await auditTable(t.connection.doc, {
      tableName: t.tableName,
      segments: 4,
      onProgress: (itemsRead) => progress.push(itemsRead),
      onCapacity: (record) => {
        expect(record).toMatchObject({ operation: 'Scan', writeCapacityUnits: 0 });
        scans++;
      },
    });
    expect(scans).toBe(4);
    expect(progress).toHaveLength(4);
    expect(progress.at(-1)).toBe(report.items);
    expect(report.violations).toEqual([]);
  });
});

/**
 * Read state the product wrote in the middle of conversations: Ana and Ben (and Ana and Cy)
 * write to each other, pattern E applies the stream, and Ben and Cy mark a message in the
 * middle read, so their read positions fall between Ana's messages and their counts are
 * neither 0 nor everything.
 */
const readStateTable = async () => {
  const t = await createTestTable();
  const messaging = t.messaging();
  const user = (name: string) =>
    messaging.createUser({ handle: uniqueHandle(name), displayName: name });
  const [ana, ben, cy] = [await user('ana'), await user('ben'), await user('cy')];
  const conversation = async (other: User, senders: User[]) => {
    const sent: Message[] = [];
    for (const [i, sender] of senders.entries())
      sent.push(
        (
          await messaging.sendMessage({
            sender,
            to: sent[0] ? { messageGroupUuid: sent[0].messageGroupUuid } : { handle: other.handle },
            message: `m${i}`,
          })
        ).message,
      );
    return sent;
  };
  const anaBen = await conversation(ben, [ana, ben, ana, ana, ana, ana, ana, ana]);
  const anaCy = await conversation(cy, [ana, ana, cy, ana, ana, ana, cy, ana, ana]);
  await createStreamHandler({ table: t.table, logger: { error: () => {} } })({
    Records: await readStream(t.connection, t.tableName),
  });
  // Ben read up to m1 by replying, and marks m4: Ana's m5, m6 and m7 stay unread. Cy read up
  // to m6 by replying; his mark of m1 is older and changes nothing: Ana's m7 and m8 stay unread.
  await messaging.markRead(ben.uuid, anaBen[0]?.messageGroupUuid ?? '', anaBen[4]?.uuid ?? '');
  await messaging.markRead(cy.uuid, anaCy[0]?.messageGroupUuid ?? '', anaCy[1]?.uuid ?? '');
  return { t, messaging, ana, ben, cy, anaBen, anaCy };
};

/**
 * `items` fed in one order, and the messages of the conversations it asks for again (with
 * their claims, where it compares them) in another.
 */
const checkInOrder = (items: Record<string, unknown>[], again: Record<string, unknown>[]) => {
  const checker = new InvariantChecker().addAll(items);
  const recounted = checker.startRecount();
  const claims = recounted.filter((g) => checker.needsClaims(g));
  const wanted = new Set(recounted.map((g) => messagePartition(g)));
  for (const item of again)
    if (
      wanted.has(String(item.pk)) ||
      (item.item_type === 'client_message' && claims.includes(String(item.group_uuid)))
    )
      checker.addAgain(item);
  return { report: checker.report(), recounted, claims };
};

const isMessage = (item: Record<string, unknown>) => item.item_type === 'message';
const orders = (items: Record<string, unknown>[]) => ({
  'as scanned': items,
  'messages first': [...items.filter(isMessage), ...items.filter((i) => !isMessage(i))],
  'rows first': [...items.filter((i) => !isMessage(i)), ...items.filter(isMessage)],
  reversed: [...items].reverse(),
  ...Object.fromEntries([1, 2, 3, 4, 5].map((seed) => [`shuffle ${seed}`, shuffled(items, seed)])),
});

/** The uuid right after `uuid` (as a 128-bit number, plus one): it sorts just after it. */
const nextUuid = (uuid: string): string => {
  const hex = (BigInt(`0x${uuid.replaceAll('-', '')}`) + 1n).toString(16).padStart(32, '0');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
};

describe('read state in the invariant checker', () => {
  it('accepts what the product wrote, in any order of items, and needs a second look only at conversations whose messages came first', async () => {
    const { t, ana, ben, cy, anaBen, anaCy } = await readStateTable();
    const items = await t.scanAll();
    const row = (owner: User, g: Message[]) =>
      items.find(
        (i) => i.pk === `GRP#${owner.uuid}` && i.message_group_uuid === g[0]?.messageGroupUuid,
      );
    // The scene is what it claims: positions in the middle, counts neither 0 nor all.
    // Positions are stored by message uuid (UUIDv7 uuids name their sort keys).
    expect(row(ben, anaBen)).toMatchObject({ last_read: anaBen[4]?.uuid, unread_count: 3 });
    expect(row(cy, anaCy)).toMatchObject({ last_read: anaCy[6]?.uuid, unread_count: 2 });
    expect(row(ben, anaBen)).not.toHaveProperty('last_read_sk');
    // Read up to its own last message, which is hers: compact, no position and no count.
    expect(row(ana, anaBen)).toMatchObject({ sk: anaBen[7]?.sk, last_mine: true });
    for (const name of ['last_read', 'last_read_sk', 'unread_count'])
      expect(row(ana, anaBen)).not.toHaveProperty(name);
    expect(items.find((i) => i.pk === userKey(ana.uuid).pk)?.unread_conversations ?? 0).toBe(0);

    const canonical = checkInvariants(items);
    expect(canonical.violations).toEqual([]);
    for (const [order, fed] of Object.entries(orders(items))) {
      const { report, recounted } = checkInOrder(fed, shuffled(items, 99));
      expect({ order, report }).toEqual({ order, report: canonical });
      if (order === 'rows first') expect(recounted).toEqual([]);
      // Ben's position is among Ana's messages, which came before his row.
      if (order === 'messages first') expect(recounted).toContain(anaBen[0]?.messageGroupUuid);
    }
    // Without the second look the checker cannot tell, and says so rather than guess.
    expect(() => new InvariantChecker().addAll(orders(items)['messages first']).report()).toThrow(
      /startRecount/,
    );
  });

  it('finds a count off by one and a read position between two messages, in any order of items', async () => {
    const { t, ben, anaBen } = await readStateTable();
    const items = await t.scanAll();
    const benRow = items.find(
      (i) => i.pk === `GRP#${ben.uuid}` && i.message_group_uuid === anaBen[0]?.messageGroupUuid,
    );
    if (!benRow) throw new Error('no row of Ben');
    const key = { pk: String(benRow.pk), sk: String(benRow.sk) };
    const position = String(anaBen[4]?.sk);
    const uuid = String(benRow.last_read);
    const bySortKey = (sk: string | undefined) => ({ last_read: undefined, last_read_sk: sk });
    const cases: [string, Record<string, unknown>, ViolationKind | ViolationKind[] | 'none'][] = [
      ['one more unread', { unread_count: 4 }, 'wrong_unread_count'],
      ['one fewer unread', { unread_count: 2 }, 'wrong_unread_count'],
      // Just after m4 (and before m5): the same messages follow it, but it is no message.
      ['a position of no message', bySortKey(`${position.slice(0, -1)}g`), 'invalid_read_position'],
      // The same, by a uuid: m4's plus one, of no message.
      ['a uuid of no message', { last_read: nextUuid(uuid) }, 'invalid_read_position'],
      // No message at all, and after every message: nothing would be unread.
      [
        'a uuid that names no sort key',
        { last_read: 'm4' },
        ['invalid_read_position', 'wrong_unread_count'],
      ],
      // A position one message earlier (m3, Ana's) with the count of m4: one short.
      ['a position moved back', bySortKey(anaBen[3]?.sk), 'wrong_unread_count'],
      ['a uuid moved back', { last_read: anaBen[3]?.uuid }, 'wrong_unread_count'],
      // The position by its sort key is the same position.
      ['m4 by its sort key', bySortKey(position), 'none'],
    ];
    for (const [what, change, kind] of cases) {
      const corrupted = items.map((i) => (i === benRow ? { ...i, ...change } : i));
      for (const [order, fed] of Object.entries(orders(corrupted))) {
        const { violations } = checkInOrder(fed, shuffled(corrupted, 7)).report;
        expect({
          what,
          order,
          found: violations.map((v) => ({ kind: v.kind, keys: v.keys })),
        }).toEqual({
          what,
          order,
          found: (kind === 'none' ? [] : [kind].flat()).map((k) => ({ kind: k, keys: [key] })),
        });
      }
    }
  });

  it('reads again, by a Query, only what the Scan left open, and agrees with the in-memory check', async () => {
    const { t, ben, anaBen } = await readStateTable();
    const clean = await auditTable(t.connection.doc, { tableName: t.tableName });
    expect(clean.violations).toEqual([]);
    await set(t, { pk: `GRP#${ben.uuid}`, sk: anaBen[7]?.sk ?? '' }, 'unread_count', 2);
    const queries: string[] = [];
    const report = await auditTable(t.connection.doc, {
      tableName: t.tableName,
      segments: 2,
      onCapacity: (record) => queries.push(record.operation),
    });
    expect(report).toEqual(checkInvariants(await t.scanAll()));
    expect(report.violations.map((v) => v.kind)).toEqual(['wrong_unread_count']);
    // Two Scan segments, and at most one Query per conversation (two conversations).
    expect(queries.filter((q) => q === 'Scan')).toHaveLength(2);
    expect(queries.filter((q) => q === 'Query').length).toBeLessThanOrEqual(2);
  });

  it('accepts rows and profiles written before read state (no read position: read up to the row)', async () => {
    const { t } = await readStateTable();
    for (const item of await t.scanAll()) {
      if (item.item_type === 'message_group')
        await t.connection.doc.send(
          new UpdateCommand({
            TableName: t.tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression:
              'REMOVE last_read, last_read_sk, unread_count, last_message_user_uuid, last_mine',
          }),
        );
      if (item.item_type === 'user')
        await t.connection.doc.send(
          new UpdateCommand({
            TableName: t.tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'REMOVE unread_conversations',
          }),
        );
    }
    expect((await audit(t)).violations).toEqual([]);
  });
});

/**
 * Edits, unsends and claims the product wrote: Ana and Ben send with client_message_ids, Ben
 * edits one, Ana unsends one; a send of Ana's stops between its claim and its message (a
 * crash: the claim stays alone), and one claim is as claims were before they held the text.
 * Cy and Ana's conversation has claims too, each with its message and text.
 */
const editedTable = async () => {
  const { t, messaging, ana, ben, cy, anaBen } = await consistentTable();
  const g = anaBen.messageGroupUuid;
  await sendTo(messaging, ana, g, 'kept as sent', 'ab-1');
  const edited = await sendTo(messaging, ben, g, 'edited once', 'ab-2');
  await messaging.editMessage(ben, g, edited.uuid, 'edited, and final');
  const unsent = await sendTo(messaging, ana, g, 'taken back', 'ab-3');
  await messaging.unsendMessage(ana, g, unsent.uuid);
  const crashing = new Messaging({
    table: interposedTable(t.table, {
      write: async (request) => {
        if (request.items[0]?.Put?.Item?.item_type === 'message') throw new Error('crashed');
        await t.table.write(request);
      },
    }),
  });
  await expect(sendTo(crashing, ana, g, 'never acknowledged', 'ab-4')).rejects.toThrow('crashed');
  await t.connection.doc.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: clientMessageKey(ana.uuid, 'ab-1'),
      UpdateExpression: 'REMOVE message',
    }),
  );
  const cyAna = (await messaging.listMessageGroups(cy.uuid)).items[0]?.messageGroupUuid ?? '';
  await sendTo(messaging, cy, cyAna, 'from Cy, with an id', 'ca-1');
  const gone = await sendTo(messaging, ana, cyAna, 'from Ana, taken back', 'ca-2');
  await messaging.unsendMessage(ana, cyAna, gone.uuid);
  await applyStream(t);
  return { t, ana, ben, cy, anaBen, cyAna };
};

describe('edits, unsends and claims in the invariant checker', () => {
  it('accepts what the product wrote, a claim without its message and a claim without text, in any order, comparing claims again only where they do not add up', async () => {
    const { t, ana, ben, anaBen, cyAna } = await editedTable();
    const items = await t.scanAll();
    const claim = (user: User, id: string) =>
      items.find((i) => i.pk === clientMessageKey(user.uuid, id).pk);
    // The scene is what it claims.
    expect(claim(ben, 'ab-2')).toMatchObject({ message: 'edited, and final' });
    expect(claim(ana, 'ab-3')).toMatchObject({ message: '' });
    expect(claim(ana, 'ab-1')).not.toHaveProperty('message');
    const lone = claim(ana, 'ab-4');
    expect(lone).toMatchObject({ message: 'never acknowledged' });
    expect(
      items.filter(
        (i) => i.pk === messagePartition(String(lone?.group_uuid)) && i.sk === lone?.message_sk,
      ),
    ).toEqual([]);
    expect(items.filter((i) => i.item_type === 'message' && i.deleted === true)).toHaveLength(2);
    expect(
      items.filter((i) => i.item_type === 'message_group' && Number(i.preview_revision) > 0),
    ).toHaveLength(4);

    const canonical = checkInvariants(items);
    expect(canonical.violations).toEqual([]);
    for (const [order, fed] of Object.entries(orders(items))) {
      const { report, claims } = checkInOrder(fed, shuffled(items, 42));
      expect({ order, report, claims }).toEqual({
        order,
        report: canonical,
        claims: [anaBen.messageGroupUuid],
      });
    }
    expect(cyAna).not.toBe(anaBen.messageGroupUuid);
    // Without the second look it cannot tell which claim lacks its message, and says so.
    expect(() => new InvariantChecker().addAll(items).report()).toThrow(/startRecount/);

    // ddb check: the claims of Ana and Ben's three messages sent with an id, read by key.
    const requests: string[] = [];
    const report = await auditTable(t.connection.doc, {
      tableName: t.tableName,
      onCapacity: (record) => requests.push(record.operation),
    });
    expect(report).toEqual(canonical);
    expect(requests.filter((r) => r === 'GetItem')).toHaveLength(3);
  });

  it('finds an unsent text, a claim that differs from its message and a stale preview, in any order of items', async () => {
    const { t, ana, ben, anaBen } = await editedTable();
    const items = await t.scanAll();
    const g = anaBen.messageGroupUuid;
    const find = (test: (i: Record<string, unknown>) => boolean) => {
      const found = items.find(test);
      if (!found) throw new Error('not in the scene');
      return found;
    };
    const keyOf = (i: Record<string, unknown>): ItemKey => ({ pk: String(i.pk), sk: String(i.sk) });
    const unsent = find((i) => i.pk === messagePartition(g) && i.deleted === true);
    const edited = find((i) => i.pk === clientMessageKey(ben.uuid, 'ab-2').pk);
    const row = find((i) => i.pk === `GRP#${ana.uuid}` && i.message_group_uuid === g);
    const message = find((i) => i.pk === messagePartition(g) && i.sk === edited.message_sk);
    const cases: [
      string,
      Record<string, unknown>,
      Record<string, unknown>,
      Pick<Violation, 'kind' | 'keys'>,
    ][] = [
      [
        // Its text back would show in its claim and previews too: edited_at is on it alone.
        'an edited_at on an unsent message',
        unsent,
        { edited_at: '2026-01-01T00:00:00.000Z' },
        { kind: 'unsent_with_text', keys: [keyOf(unsent)] },
      ],
      [
        "the first text back in an edited message's claim",
        edited,
        { message: 'edited once' },
        { kind: 'claim_text_differs', keys: [keyOf(edited), keyOf(message)] },
      ],
      [
        "Ana's preview back at revision 0",
        row,
        { preview_revision: undefined },
        { kind: 'stale_preview_revision', keys: [keyOf(row)] },
      ],
    ];
    for (const [what, item, change, violation] of cases) {
      const corrupted = items.map((i) => (i === item ? { ...i, ...change } : i));
      for (const [order, fed] of Object.entries(orders(corrupted))) {
        const { violations } = checkInOrder(fed, shuffled(corrupted, 11)).report;
        expect({
          what,
          order,
          found: violations.map((v) => ({ kind: v.kind, keys: v.keys })),
        }).toEqual({
          what,
          order,
          found: [violation],
        });
      }
    }
    // A report shows how long a text is, never its words: it may be one that was unsent.
    const corrupted = items.map((i) => (i === edited ? { ...i, message: 'edited once' } : i));
    const [differs] = checkInvariants(corrupted).violations;
    expect(JSON.stringify(differs)).not.toContain('edited');
    expect(differs).toMatchObject({ found: 'a text of 11 character(s)' });
  });
});
