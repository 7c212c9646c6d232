import pMap from 'p-map';
import {
  ConversationExistsError,
  HandleTakenError,
  ItemExistsError,
  UserExistsError,
} from '../messaging/errors.js';
import type { PairItem } from '../messaging/items.js';
import { messageItem, type NewMessage } from '../messaging/message-items.js';
import type { User } from '../messaging/model.js';
import { backfillPeople } from '../messaging/people-backfill.js';
import {
  appendMessageRequest,
  getPairRequest,
  startConversationRequest,
} from '../messaging/requests/messages.js';
import { createUserRequest, getUserByHandleRequest } from '../messaging/requests/users.js';
import type { TablePort } from '../messaging/table-port.js';
import { type DemoConversation, demoConversations, demoUsers } from './demo-data.js';
import { deterministicMessageUuid, deterministicUuid } from './deterministic-uuid.js';

export interface SeedReport {
  usersCreated: number;
  usersExisting: number;
  conversationsCreated: number;
  conversationsExisting: number;
  messagesWritten: number;
  /** People-search items written for demo users seeded before people search existed. */
  peopleItemsAdded: number;
}

const USERS_CREATED_AT = '2025-12-01T00:00:00.000Z';

export class SeedConflictError extends Error {
  readonly code = 'seed_conflict';
}

/**
 * Demo users (with their people-search items) and conversations, written with the core's own
 * request builders. Every write is conditional and every name deterministic, so a second run
 * finds everything in place and changes nothing. Group rows are written at each
 * conversation's newest message, where pattern E would have left them.
 */
export const seedDemoData = async (table: TablePort): Promise<SeedReport> => {
  const report: SeedReport = {
    usersCreated: 0,
    usersExisting: 0,
    conversationsCreated: 0,
    conversationsExisting: 0,
    messagesWritten: 0,
    peopleItemsAdded: 0,
  };
  const users = new Map<string, User>();
  for (const demo of demoUsers) {
    const user: User = {
      uuid: deterministicUuid(`user:${demo.key}`),
      handle: demo.handle,
      displayName: demo.displayName,
    };
    users.set(demo.key, user);
    (await ensureUser(table, user)) ? report.usersCreated++ : report.usersExisting++;
  }
  // Users seeded before people search lack its items: one Scan finds what is missing (of any
  // user of the table, not only the demo's) and conditional puts add it; nothing once done.
  if (report.usersExisting > 0)
    report.peopleItemsAdded = (await backfillPeople(table)).itemsWritten;
  for (const conversation of demoConversations) {
    const written = await ensureConversation(table, conversation, users);
    if (written === undefined) report.conversationsExisting++;
    else {
      report.conversationsCreated++;
      report.messagesWritten += written;
    }
  }
  return report;
};

const ensureUser = async (table: TablePort, user: User): Promise<boolean> => {
  try {
    await table.write(createUserRequest(table.tableName, user, USERS_CREATED_AT));
    return true;
  } catch (error) {
    if (!(error instanceof UserExistsError || error instanceof HandleTakenError)) throw error;
    const holder = await table.get<{ user_uuid: string }>(
      getUserByHandleRequest(table.tableName, user.handle),
    );
    if (holder?.user_uuid !== user.uuid) {
      throw new SeedConflictError(
        `@${user.handle} belongs to another user here; seed an empty table instead.`,
      );
    }
    return false;
  }
};

/** The number of messages written, or undefined when the conversation was there already. */
const ensureConversation = async (
  table: TablePort,
  conversation: DemoConversation,
  users: Map<string, User>,
): Promise<number | undefined> => {
  const [first, second] = conversation.between.map((key) => userOf(users, key));
  if (!first || !second) throw new Error(`${conversation.key}: needs two users`);
  const pair = await table.get<PairItem>(getPairRequest(table.tableName, first.uuid, second.uuid));
  if (pair) return undefined;

  const groupUuid = deterministicUuid(`conversation:${conversation.key}`);
  const messages: NewMessage[] = conversation.messages.map(([from, text, createdAt], i) => ({
    messageGroupUuid: groupUuid,
    messageUuid: deterministicMessageUuid(createdAt, `message:${conversation.key}:${i}`),
    sender: userOf(users, from),
    text,
    createdAt,
  }));
  const last = messages.pop();
  if (!last) throw new Error(`${conversation.key}: has no messages`);

  let written = 0;
  await pMap(
    messages,
    async (message) => {
      try {
        await table.write(appendMessageRequest(table.tableName, messageItem(message)));
        written++;
      } catch (error) {
        if (!(error instanceof ItemExistsError)) throw error;
      }
    },
    { concurrency: 16 },
  );
  // Last: the pair claim, both group rows at the newest message, and that message, at once.
  const recipient = last.sender.uuid === first.uuid ? second : first;
  // The recipient has read the history before it: the demo opens with one unread each.
  const before = messages.at(-1);
  const readTo = before ? messageItem(before).sk : '';
  try {
    await table.write(
      startConversationRequest(table.tableName, last.sender, recipient, last, readTo),
    );
  } catch (error) {
    if (error instanceof ConversationExistsError) return undefined;
    throw error;
  }
  return written + 1;
};

const userOf = (users: Map<string, User>, key: string): User => {
  const user = users.get(key);
  if (!user) throw new Error(`No demo user "${key}"`);
  return user;
};
