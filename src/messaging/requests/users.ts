import type { GetCommandInput, ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { HandleTakenError, UserExistsError } from '../errors.js';
import type { HandleItem, UserItem } from '../items.js';
import { handleKey, userKey } from '../keys.js';
import type { User } from '../model.js';
import type { WriteRequest } from '../table-port.js';
import { putNew } from './conditions.js';
import { peopleItems } from './people.js';

export const userItem = (user: User, createdAt: string): UserItem => ({
  ...userKey(user.uuid),
  item_type: 'user',
  user_uuid: user.uuid,
  handle: user.handle,
  display_name: user.displayName,
  created_at: createdAt,
});

export const handleItem = (user: User): HandleItem => ({
  ...handleKey(user.handle),
  item_type: 'handle',
  user_uuid: user.uuid,
  handle: user.handle,
  display_name: user.displayName,
});

/**
 * The profile, its handle claim and its people-search items, together or not at all: a user
 * is findable exactly when they exist. At most 2 + 1 + MAX_NAME_WORDS = 13 items, far under
 * the 100 a transaction may hold. A people item's key holds the handle, so when the handle is
 * taken those fail too; the handle claim (index 1) decides.
 */
export const createUserRequest = (
  tableName: string,
  user: User,
  createdAt: string,
): WriteRequest => ({
  items: [
    putNew(tableName, userItem(user, createdAt)),
    putNew(tableName, handleItem(user)),
    ...peopleItems(user).map((item) => putNew(tableName, item)),
  ],
  explain: (failed) =>
    failed.includes(1) ? new HandleTakenError(user.handle) : new UserExistsError(),
});

export const getUserRequest = (
  tableName: string,
  userUuid: string,
  options: { consistent?: boolean } = {},
): GetCommandInput => ({
  TableName: tableName,
  Key: userKey(userUuid),
  ...(options.consistent ? { ConsistentRead: true } : {}),
});

export const getUserByHandleRequest = (tableName: string, handle: string): GetCommandInput => ({
  TableName: tableName,
  Key: handleKey(handle),
});

/** A profile, or any copy of one (handle claim, people item). */
export const toUser = (item: Pick<UserItem, 'user_uuid' | 'handle' | 'display_name'>): User => ({
  uuid: item.user_uuid,
  handle: item.handle,
  displayName: item.display_name,
});

/** Dev sign-in only: every user, by a filtered Scan (no access pattern of the product scans). */
export const listUsersScan = (
  tableName: string,
  startKey?: Record<string, unknown>,
): ScanCommandInput => ({
  TableName: tableName,
  FilterExpression: '#type = :user',
  ExpressionAttributeNames: { '#type': 'item_type' },
  ExpressionAttributeValues: { ':user': 'user' },
  ...(startKey ? { ExclusiveStartKey: startKey } : {}),
});
