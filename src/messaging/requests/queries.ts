import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { messageGroupPartition, messagePartition } from '../keys.js';

/**
 * Newest first from `before` (exclusive), one item more than the page so that the last
 * page is known to be the last: `next_cursor` is null exactly at the start of history.
 * No `begins_with(sk, year)`: the original's year filter hid all history on 1 January.
 */
const newestFirst = (
  tableName: string,
  pk: string,
  limit: number,
  before: string | undefined,
): QueryCommandInput => ({
  TableName: tableName,
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': 'pk' },
  ExpressionAttributeValues: { ':pk': pk },
  ScanIndexForward: false,
  Limit: limit + 1,
  ...(before === undefined ? {} : { ExclusiveStartKey: { pk, sk: before } }),
});

/** Pattern A: one conversation's messages. */
export const listMessagesQuery = (
  tableName: string,
  groupUuid: string,
  limit: number,
  before?: string,
): QueryCommandInput => newestFirst(tableName, messagePartition(groupUuid), limit, before);

/** Pattern B: one user's conversations. */
export const listMessageGroupsQuery = (
  tableName: string,
  userUuid: string,
  limit: number,
  before?: string,
): QueryCommandInput => newestFirst(tableName, messageGroupPartition(userUuid), limit, before);
