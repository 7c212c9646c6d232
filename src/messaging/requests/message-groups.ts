import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { StaleGroupRowsError } from '../errors.js';
import type { MessageGroupItem, MessageItem } from '../items.js';
import { MESSAGE_GROUP_INDEX } from '../keys.js';
import type { TransactItem, WriteRequest } from '../table-port.js';
import { putNew } from './conditions.js';

/** Pattern E, step 1: the group rows of a conversation, through the sparse GSI. */
export const findGroupRowsQuery = (tableName: string, groupUuid: string): QueryCommandInput => ({
  TableName: tableName,
  IndexName: MESSAGE_GROUP_INDEX,
  KeyConditionExpression: '#g = :g',
  ExpressionAttributeNames: { '#g': 'message_group_uuid' },
  ExpressionAttributeValues: { ':g': groupUuid },
});

/**
 * Pattern E, step 2: move each row that is behind `message` to the message's sort key, with
 * its text as the preview, all rows in one transaction. A row's key is (GRP#owner, sk), so a
 * move is a delete of the old key and a put of the new one; the delete is conditional on the
 * row still being there, so a stale read of the GSI can never leave two rows for one owner,
 * and the put on the new key being free, so no row is overwritten. Rows at the message or
 * past it are not touched: that makes E monotonic and a replay a no-op.
 */
export const moveGroupRowsRequest = (
  tableName: string,
  rows: MessageGroupItem[],
  message: MessageItem,
): WriteRequest | undefined => {
  const behind = rows.filter((row) => row.sk < message.sk);
  if (behind.length === 0) return undefined;
  const items: TransactItem[] = behind.flatMap((row) => [
    {
      Delete: {
        TableName: tableName,
        Key: { pk: row.pk, sk: row.sk },
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    putNew(tableName, {
      ...row,
      sk: message.sk,
      message: message.message,
      created_at: message.created_at,
    } satisfies MessageGroupItem),
  ]);
  return {
    items,
    explain: (failed) =>
      new StaleGroupRowsError(
        failed.map((i) => (i % 2 === 0 ? 'a row moved' : 'the new key is taken')).join(', '),
      ),
  };
};
