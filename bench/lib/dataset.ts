import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { MessageGroupItem, UserItem } from '../../src/messaging/items.js';
import { type ItemKey, messageGroupPartition, ownerOfGroupKey } from '../../src/messaging/keys.js';
import {
  conversationItem,
  messageGroupItem,
  messageItem,
  pairItem,
} from '../../src/messaging/message-items.js';
import { newMessageUuid } from '../../src/messaging/message-uuid.js';
import type { User } from '../../src/messaging/model.js';
import { withReadState } from '../../src/messaging/read-state.js';
import { peopleItems } from '../../src/messaging/requests/people.js';
import { handleItem, userItem } from '../../src/messaging/requests/users.js';

export interface DatasetSize {
  users: number;
  conversations: number;
  messages: number;
}

export interface BenchConversation {
  groupUuid: string;
  a: User;
  b: User;
  messages: number;
  /** The recipient of the newest message: it is unread for them (1 unread), read for the sender. */
  reader: User;
  /** The reader's read position as loaded: the message before the newest ('' if none). */
  readerLastReadSk: string;
  /** The newest message: what the reader's tab marks read when it opens the conversation. */
  newestSk: string;
  newestUuid: string;
}

export interface Dataset {
  users: User[];
  /**
   * One twin per user, with the same conversation list (same rows, previews and order, twin
   * uuids) in the shape group rows had before read state: without last_message_user_uuid,
   * last_read, last_read_sk and unread_count, as old data still has them. Pattern B over a twin is
   * pattern B "before read state", on the same table at the same moment.
   */
  legacyTwins: User[];
  conversations: BenchConversation[];
  items: number;
}

const TEXTS = [
  'see you at ten',
  'did the deploy go out?',
  'yes, and the stream lag is fine',
  'can you review my pull request before lunch? it is the one about cursors',
  'ok 👍',
];

/** A group row as the code before read state wrote it (and old data still holds it). */
export const legacyRow = (row: MessageGroupItem): MessageGroupItem => {
  const legacy = { ...row };
  delete legacy.last_message_user_uuid;
  delete legacy.last_mine;
  delete legacy.last_read;
  delete legacy.last_read_sk;
  delete legacy.unread_count;
  return legacy;
};

/**
 * A seeded table of a stated size, built with the core's own item builders and loaded with
 * BatchWriteItem (25 items a request, 16 in flight). Bulk loading into an empty table is the
 * one place where unconditional writes are fine: nothing exists to overwrite. Group rows are
 * written at each conversation's newest message, as pattern E would leave them, with read
 * state as a live table has it: senders alternate, the newest message is unread for its
 * recipient (read position at their own message before it, 1 unread) and read for its
 * sender, and each profile counts its conversations with unread messages. Every user has its
 * people-search items, as the profile's transaction writes them. Message uuids are
 * UUIDv7 of their `created_at`, as the product makes them.
 */
export const loadDataset = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  size: DatasetSize,
  onProgress: (written: number, total: number) => void,
): Promise<Dataset> => {
  const start = Date.parse('2025-06-01T00:00:00.000Z');
  const newUser = (handle: string, displayName: string): User => ({
    uuid: randomUUID(),
    handle,
    displayName,
  });
  const users: User[] = Array.from({ length: size.users }, (_, i) =>
    newUser(`bench_user_${i}`, `Bench User ${i}`),
  );
  const legacyTwins: User[] = users.map((_, i) =>
    newUser(`bench_legacy_${i}`, `Bench Legacy ${i}`),
  );
  const twinOf = new Map(users.map((user, i) => [user.uuid, legacyTwins[i] as User]));
  const unreadConversations = new Map<string, number>();
  const items: ItemKey[] = [];

  const conversations: BenchConversation[] = [];
  const pairs = new Set<string>();
  const counts: { groupUuid: string; a: User; b: User; messages: number }[] = [];
  for (let c = 0; counts.length < size.conversations; c++) {
    const a = users[c % users.length] as User;
    const b = users[(c * 7 + 1 + Math.floor(c / users.length)) % users.length] as User;
    const key = [a.uuid, b.uuid].sort().join();
    if (a === b || pairs.has(key)) continue;
    pairs.add(key);
    counts.push({ groupUuid: randomUUID(), a, b, messages: 0 });
  }
  // Messages spread over conversations unevenly, as in life: a few long ones, many short ones.
  for (let m = 0; m < size.messages; m++) {
    const skewed = Math.floor(counts.length * Math.random() ** 2);
    (counts[skewed] as (typeof counts)[number]).messages++;
  }
  let clock = start;
  for (const conversation of counts) {
    conversation.messages = Math.max(1, conversation.messages);
    const { a, b, groupUuid } = conversation;
    const written: ReturnType<typeof messageItem>[] = [];
    for (let i = 0; i < conversation.messages; i++) {
      clock += 1_000;
      const createdAt = new Date(clock);
      const message = messageItem({
        messageGroupUuid: groupUuid,
        messageUuid: newMessageUuid(createdAt),
        sender: i % 2 ? b : a,
        text: TEXTS[i % TEXTS.length] as string,
        createdAt,
      });
      written.push(message);
      items.push(message);
    }
    const last = written.at(-1);
    if (!last) continue;
    const [sender, reader] = last.user_uuid === a.uuid ? [a, b] : [b, a];
    const readerLastReadSk = written.at(-2)?.sk ?? '';
    const rows: MessageGroupItem[] = [
      messageGroupItem(sender, reader, last),
      withReadState(messageGroupItem(reader, sender, last), readerLastReadSk, 1),
    ];
    unreadConversations.set(reader.uuid, (unreadConversations.get(reader.uuid) ?? 0) + 1);
    const twinGroup = randomUUID();
    const twinRows = rows.map((row) => {
      const owner = twinOf.get(ownerOfGroupKey(row.pk)) as User;
      const other = twinOf.get(row.user_uuid) as User;
      return legacyRow({
        ...row,
        pk: messageGroupPartition(owner.uuid),
        message_group_uuid: twinGroup,
        user_uuid: other.uuid,
        user_display_name: other.displayName,
        user_handle: other.handle,
      });
    });
    items.push(
      pairItem(a, b, groupUuid, last.created_at),
      conversationItem(a, b, groupUuid, last.created_at),
      ...rows,
      ...twinRows,
    );
    conversations.push({
      ...conversation,
      reader,
      readerLastReadSk,
      newestSk: last.sk,
      newestUuid: last.message_uuid,
    });
  }
  const created = new Date(start).toISOString();
  for (const user of users) {
    const profile: UserItem = userItem(user, created);
    const unread = unreadConversations.get(user.uuid);
    items.push(
      unread ? { ...profile, unread_conversations: unread } : profile,
      handleItem(user),
      ...peopleItems(user),
    );
  }
  for (const twin of legacyTwins)
    items.push(userItem(twin, created), handleItem(twin), ...peopleItems(twin));

  await putAll(doc, tableName, items, onProgress);
  return { users, legacyTwins, conversations, items: items.length };
};

/**
 * Writes `items` with BatchWriteItem, 25 a request and 16 requests in flight, each request
 * again with what DynamoDB left unprocessed until nothing is.
 */
export const putAll = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly object[],
  onProgress: (written: number, total: number) => void = () => {},
): Promise<void> => {
  let written = 0;
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) =>
    items.slice(i * 25, i * 25 + 25),
  );
  await pMap(
    batches,
    async (batch) => {
      let pending = batch.map((item) => ({ PutRequest: { Item: { ...item } } }));
      while (pending.length > 0) {
        const output = await doc.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
        );
        pending = (output.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
      written += batch.length;
      onProgress(written, items.length);
    },
    { concurrency: 16 },
  );
};
