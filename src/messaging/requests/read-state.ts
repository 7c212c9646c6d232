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

/** The attributes of a row's read state, as `withReadState` writes them. */
const READ_STATE = ['last_read', 'last_read_sk', 'unread_count'] as const;

/**
 * The condition that a row is still as it was read: there (its key holds its sk) and with
 * the same read state. Every writer of read state checks it, so none writes over another.
 */
export const unchangedRowCondition = (row: MessageGroupItem) => {
  const values: Record<string, unknown> = {};
  const conditions = READ_STATE.map((name) => {
    if (row[name] === undefined) return `attribute_not_exists(${name})`;
    values[`:was_${name}`] = row[name];
    return `${name} = :was_${name}`;
  });
  return {
    ConditionExpression: ['attribute_exists(pk)', ...conditions].join(' AND '),
    values,
  };
};

/** A row whose key stays: only its read state is written (what `after` lacks is removed). */
export const updateReadStateItem = (
  tableName: string,
  before: MessageGroupItem,
  after: MessageGroupItem,
): TransactItem => {
  const unchanged = unchangedRowCondition(before);
  const set = READ_STATE.filter((name) => after[name] !== undefined);
  const removed = READ_STATE.filter((name) => after[name] === undefined);
  return {
    Update: {
      TableName: tableName,
      Key: { pk: before.pk, sk: before.sk },
      UpdateExpression: [
        set.length > 0 ? `SET ${set.map((name) => `${name} = :${name}`).join(', ')}` : '',
        removed.length > 0 ? `REMOVE ${removed.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ConditionExpression: unchanged.ConditionExpression,
      ...valuesOrNone({
        ...Object.fromEntries(set.map((name) => [`:${name}`, after[name]])),
        ...unchanged.values,
      }),
    },
  };
};

/** DynamoDB refuses an empty ExpressionAttributeValues. */
export const valuesOrNone = (values: Record<string, unknown>) =>
  Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {};

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
