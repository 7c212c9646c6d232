import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { ItemKey } from '../../src/messaging/keys.js';
import type { User } from '../../src/messaging/model.js';
import {
  conversationItem,
  messageGroupItem,
  messageItem,
  pairItem,
} from '../../src/messaging/requests/messages.js';
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
}

export interface Dataset {
  users: User[];
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

/**
 * A seeded table of a stated size, built with the core's own item builders and loaded with
 * BatchWriteItem (25 items a request, 16 in flight). Bulk loading into an empty table is the
 * one place where unconditional writes are fine: nothing exists to overwrite. Group rows are
 * written at each conversation's newest message, as pattern E would leave them.
 */
export const loadDataset = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  size: DatasetSize,
  onProgress: (written: number, total: number) => void,
): Promise<Dataset> => {
  const start = Date.parse('2025-06-01T00:00:00.000Z');
  const users: User[] = Array.from({ length: size.users }, (_, i) => ({
    uuid: randomUUID(),
    handle: `bench_user_${i}`,
    displayName: `Bench User ${i}`,
  }));
  const items: ItemKey[] = [];
  for (const user of users)
    items.push(userItem(user, new Date(start).toISOString()), handleItem(user));

  const conversations: BenchConversation[] = [];
  const pairs = new Set<string>();
  for (let c = 0; conversations.length < size.conversations; c++) {
    const a = users[c % users.length] as User;
    const b = users[(c * 7 + 1 + Math.floor(c / users.length)) % users.length] as User;
    const key = [a.uuid, b.uuid].sort().join();
    if (a === b || pairs.has(key)) continue;
    pairs.add(key);
    conversations.push({ groupUuid: randomUUID(), a, b, messages: 0 });
  }
  // Messages spread over conversations unevenly, as in life: a few long ones, many short ones.
  for (let m = 0; m < size.messages; m++) {
    const skewed = Math.floor(conversations.length * Math.random() ** 2);
    (conversations[skewed] as BenchConversation).messages++;
  }
  let clock = start;
  for (const conversation of conversations) {
    conversation.messages = Math.max(1, conversation.messages);
    let last: ReturnType<typeof messageItem> | undefined;
    for (let i = 0; i < conversation.messages; i++) {
      clock += 1_000;
      last = messageItem({
        messageGroupUuid: conversation.groupUuid,
        messageUuid: randomUUID(),
        sender: i % 2 ? conversation.b : conversation.a,
        text: TEXTS[i % TEXTS.length] as string,
        createdAt: new Date(clock),
      });
      items.push(last);
    }
    if (!last) continue;
    const { a, b, groupUuid } = conversation;
    items.push(
      pairItem(a, b, groupUuid, last.created_at),
      conversationItem(a, b, groupUuid, last.created_at),
      messageGroupItem(a, b, last),
      messageGroupItem(b, a, last),
    );
  }

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
  return { users, conversations, items: items.length };
};
