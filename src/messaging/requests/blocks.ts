import type { GetCommandInput, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ItemExistsError, MissingItemError, NotBlockedError } from '../errors.js';
import type { BlockItem } from '../items.js';
import { blockKey, blockPartition, pairKey } from '../keys.js';
import type { User } from '../model.js';
import type { WriteRequest } from '../table-port.js';

import { putNew } from './conditions.js';

export const blockItem = (blocker: User, blocked: User, createdAt: string): BlockItem => ({
  ...blockKey(blocker.uuid, blocked.uuid),
  item_type: 'block',
  blocker_uuid: blocker.uuid,
  blocked_uuid: blocked.uuid,
  blocked_handle: blocked.handle,
  blocked_display_name: blocked.displayName,
  created_at: createdAt,
});

/**
 * A block: the blocker's list item and the mark on the pair, together. The pair item is
 * created if the two never talked (no group_uuid), so that pattern C finds the mark too.
 * The list item's condition makes a second block of the same user write nothing.
 */
export const blockRequest = (
  tableName: string,
  blocker: User,
  blocked: User,
  createdAt: string,
): WriteRequest => ({
  items: [
    putNew(tableName, blockItem(blocker, blocked, createdAt)),
    {
      Update: {
        TableName: tableName,
        Key: pairKey(blocker.uuid, blocked.uuid),
        UpdateExpression: 'SET item_type = :pair ADD blocked_by :blocker',
        ExpressionAttributeValues: { ':pair': 'pair', ':blocker': new Set([blocker.uuid]) },
      },
    },
  ],
  explain: () => new ItemExistsError('A block of this user'),
});

/**
 * Lifting a block: the list item and the mark, together; when the last mark goes DynamoDB
 * removes the emptied set. Not blocked: the list item's condition fails and nothing is written.
 */
export const unblockRequest = (
  tableName: string,
  blockerUuid: string,
  blockedUuid: string,
): WriteRequest => ({
  items: [
    {
      Delete: {
        TableName: tableName,
        Key: blockKey(blockerUuid, blockedUuid),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: pairKey(blockerUuid, blockedUuid),
        UpdateExpression: 'DELETE blocked_by :blocker',
        // A block always marked its pair: never create a pair item here.
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':blocker': new Set([blockerUuid]) },
      },
    },
  ],
  // No list item: not blocked (nothing to lift). A list item without its pair: a broken table.
  explain: (failed) =>
    failed.includes(0) ? new NotBlockedError() : new MissingItemError('The pair of a block'),
});

/** Whom `blockerUuid` blocks, oldest key first (the sort key is the blocked user's uuid). */
export const listBlocksQuery = (tableName: string, blockerUuid: string): QueryCommandInput => ({
  TableName: tableName,
  KeyConditionExpression: 'pk = :pk',
  ExpressionAttributeValues: { ':pk': blockPartition(blockerUuid) },
});

/**
 * Whether either of two users blocks the other, for a send that did not read the pair
 * already: eventually consistent (half the read units) unless asked; see docs/data-model.md
 * section 11.
 */
export const getPairBlocksRequest = (
  tableName: string,
  userA: string,
  userB: string,
  options: { consistent: boolean },
): GetCommandInput => ({
  TableName: tableName,
  Key: pairKey(userA, userB),
  ProjectionExpression: 'blocked_by',
  ...(options.consistent ? { ConsistentRead: true } : {}),
});

export interface BlockedUser extends User {
  blockedAt: string;
}

export const toBlockedUser = (item: BlockItem): BlockedUser => ({
  uuid: item.blocked_uuid,
  handle: item.blocked_handle,
  displayName: item.blocked_display_name,
  blockedAt: item.created_at,
});
