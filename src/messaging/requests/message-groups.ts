import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { PreviewNotShownError } from '../errors.js';
import type { MessageGroupItem, MessageItem } from '../items.js';
import { MESSAGE_GROUP_INDEX, messageGroupPartition } from '../keys.js';
import type { TransactItem, WriteRequest } from '../table-port.js';
import { putNew } from './conditions.js';
import {
  staleRows,
  unchangedRowCondition,
  unreadConversationsItems,
  updateReadStateItem,
  valuesOrNone,
} from './read-state.js';

/** Pattern E, step 1: the group rows of a conversation, through the sparse GSI. */
export const findGroupRowsQuery = (tableName: string, groupUuid: string): QueryCommandInput => ({
  TableName: tableName,
  IndexName: MESSAGE_GROUP_INDEX,
  KeyConditionExpression: '#g = :g',
  ExpressionAttributeNames: { '#g': 'message_group_uuid' },
  ExpressionAttributeValues: { ':g': groupUuid },
});

/**
 * Pattern E, step 2: write each row that changed, all in one transaction. A row that moves to
 * a newer message is a delete of its old key and a put of the new one: the delete is
 * conditional on the row still being there with the read state it was read with, so a stale
 * read of the GSI (or a read mark in between) can never leave two rows for one owner or undo
 * a mark; the put on the new key being free, so no row is overwritten. A row that stays
 * (a late message, counted again) is updated in place under the same condition. Rows are
 * never moved back: that makes E monotonic and a replay a no-op.
 */
export const advanceGroupRowsRequest = (
  tableName: string,
  changes: readonly { before: MessageGroupItem; after: MessageGroupItem }[],
): WriteRequest | undefined => {
  if (changes.length === 0) return undefined;
  const items: TransactItem[] = changes.flatMap(({ before, after }) => {
    const unchanged = unchangedRowCondition(before);
    const rowItems: TransactItem[] =
      before.sk === after.sk
        ? [updateReadStateItem(tableName, before, after)]
        : [
            {
              Delete: {
                TableName: tableName,
                Key: { pk: before.pk, sk: before.sk },
                ConditionExpression: unchanged.ConditionExpression,
                ...valuesOrNone(unchanged.values),
              },
            },
            putNew(tableName, after),
          ];
    return [...rowItems, ...unreadConversationsItems(tableName, before, after)];
  });
  return { items, explain: staleRows };
};

/**
 * An edit or unsend reaching a preview: the owner's row keyed at the message's sk (where
 * pattern E put it) takes the new text, if it is there and shows an older revision.
 */
export const followPreviewRequest = (
  tableName: string,
  ownerUuid: string,
  message: MessageItem,
): WriteRequest => ({
  items: [
    {
      Update: {
        TableName: tableName,
        Key: { pk: messageGroupPartition(ownerUuid), sk: message.sk },
        // Compact rows: message_deleted only when the preview is of an unsent message.
        UpdateExpression:
          message.deleted === true
            ? 'SET message = :text, message_deleted = :deleted, preview_revision = :revision'
            : 'SET message = :text, preview_revision = :revision REMOVE message_deleted',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(preview_revision) OR preview_revision < :revision)',
        ExpressionAttributeValues: {
          ':text': message.message,
          ...(message.deleted === true ? { ':deleted': true } : {}),
          ':revision': message.revision ?? 0,
        },
      },
    },
  ],
  explain: () => new PreviewNotShownError(),
});
