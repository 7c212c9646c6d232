import type { GetCommandInput, ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { HandleTakenError, UserExistsError } from '../errors.js';
import type { HandleItem, UserItem } from '../items.js';
import { handleKey, userKey } from '../keys.js';
import type { User } from '../model.js';
import type { WriteRequest } from '../table-port.js';
import { putNew } from './conditions.js';

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

/** The profile and its handle claim, together or not at all. */
export const createUserRequest = (
  tableName: string,
  user: User,
  createdAt: string,
): WriteRequest => ({
  items: [putNew(tableName, userItem(user, createdAt)), putNew(tableName, handleItem(user))],
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

export const toUser = (item: UserItem | HandleItem): User => ({
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
