import type { GetCommandInput, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { StaleGroupRowsError } from '../errors.js';
import type { MessageGroupItem } from '../items.js';
import { messagePartition, userKey } from '../keys.js';
import { ownerOf, unreadCountOf } from '../read-state.js';
import type { TransactItem } from '../table-port.js';

/**
 * The messages of a conversation with `from` <= sk <= `to` ('' as `from`: from the first),
 * whole (pattern E needs the text of the one it moves to; a projection would not read less),
 * strongly consistent: a message whose stream record is being handled is certainly written,
 * but an eventually consistent read could miss it and count short.
 */
export const messagesBetweenQuery = (
  tableName: string,
  groupUuid: string,
  from: string,
  to: string,
): QueryCommandInput => ({
  TableName: tableName,
  KeyConditionExpression:
    from === '' ? '#pk = :pk AND #sk <= :to' : '#pk = :pk AND #sk BETWEEN :from AND :to',
  ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
  ExpressionAttributeValues: {
    ':pk': messagePartition(groupUuid),
    ':to': to,
    ...(from === '' ? {} : { ':from': from }),
  },
  ConsistentRead: true,
});

/**
 * The condition that a row is still as it was read: there (its key holds its sk) and with
 * the same read state. Every writer of read state checks it, so none writes over another.
 */
export const unchangedRowCondition = (row: MessageGroupItem) => {
  const lastRead =
    row.last_read_sk === undefined
      ? 'attribute_not_exists(last_read_sk)'
      : 'last_read_sk = :was_read';
  const unread =
    row.unread_count === undefined
      ? 'attribute_not_exists(unread_count)'
      : 'unread_count = :was_unread';
  return {
    ConditionExpression: `attribute_exists(pk) AND ${lastRead} AND ${unread}`,
    values: {
      ...(row.last_read_sk === undefined ? {} : { ':was_read': row.last_read_sk }),
      ...(row.unread_count === undefined ? {} : { ':was_unread': row.unread_count }),
    },
  };
};

/** A row whose key stays: only its read state is written. */
export const updateReadStateItem = (
  tableName: string,
  before: MessageGroupItem,
  after: MessageGroupItem,
): TransactItem => {
  const unchanged = unchangedRowCondition(before);
  return {
    Update: {
      TableName: tableName,
      Key: { pk: before.pk, sk: before.sk },
      // Compact: read up to the row's own sk, no last_read_sk (see withReadState).
      UpdateExpression:
        after.last_read_sk === undefined
          ? 'SET unread_count = :unread REMOVE last_read_sk'
          : 'SET last_read_sk = :read, unread_count = :unread',
      ConditionExpression: unchanged.ConditionExpression,
      ExpressionAttributeValues: {
        ...(after.last_read_sk === undefined ? {} : { ':read': after.last_read_sk }),
        ':unread': unreadCountOf(after),
        ...unchanged.values,
      },
    },
  };
};

/**
 * The owner's count of conversations with unread messages (`GET /api/me`), changed in the
 * same transaction as the row that crosses between none and some unread.
 */
export const unreadConversationsItems = (
  tableName: string,
  before: MessageGroupItem,
  after: MessageGroupItem,
): TransactItem[] => {
  const was = unreadCountOf(before) > 0;
  const is = unreadCountOf(after) > 0;
  if (was === is) return [];
  return [
    {
      Update: {
        TableName: tableName,
        Key: userKey(ownerOf(before)),
        UpdateExpression: 'ADD unread_conversations :change',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':change': is ? 1 : -1 },
      },
    },
  ];
};

/** The user's count of conversations with unread messages (`GET /api/me`), and nothing else. */
export const unreadConversationsRequest = (
  tableName: string,
  userUuid: string,
): GetCommandInput => ({
  TableName: tableName,
  Key: userKey(userUuid),
  ProjectionExpression: 'unread_conversations',
});

export const staleRows = (failed: number[]) =>
  new StaleGroupRowsError(`${failed.length} condition(s) failed: a row changed since it was read`);
