import { StaleMessageError } from '../errors.js';
import type { MessageItem } from '../items.js';
import { clientMessageKey } from '../keys.js';
import type { TransactItem, WriteRequest } from '../table-port.js';

/**
 * The message is still as it was read: there, not unsent, and at the same revision. Edits
 * and unsends check it, so two changes of one message never write over each other.
 */
const unchangedMessage = (item: MessageItem) => ({
  ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(deleted) AND ${
    item.revision === undefined ? 'attribute_not_exists(revision)' : 'revision = :was_revision'
  }`,
  values: item.revision === undefined ? {} : { ':was_revision': item.revision },
});

/** The idempotency claim holds the message's text too: it follows every change. */
const claimText = (tableName: string, item: MessageItem, text: string): TransactItem[] =>
  item.client_message_id === undefined
    ? []
    : [
        {
          Update: {
            TableName: tableName,
            Key: clientMessageKey(item.user_uuid, item.client_message_id),
            UpdateExpression: 'SET message = :text',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':text': text },
          },
        },
      ];

const stale = () => new StaleMessageError();

/** One change of a message at its next revision, with the claim's copy of its text. */
const changeRequest = (
  tableName: string,
  item: MessageItem,
  update: { expression: string; values: Record<string, unknown>; text: string },
): WriteRequest => {
  const unchanged = unchangedMessage(item);
  return {
    items: [
      {
        Update: {
          TableName: tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: update.expression,
          ConditionExpression: unchanged.ConditionExpression,
          ExpressionAttributeValues: {
            ...update.values,
            ':next': (item.revision ?? 0) + 1,
            ...unchanged.values,
          },
        },
      },
      ...claimText(tableName, item, update.text),
    ],
    explain: stale,
  };
};

/** An edit: the new text, when, and the next revision. */
export const editMessageRequest = (
  tableName: string,
  item: MessageItem,
  text: string,
  editedAt: string,
): WriteRequest =>
  changeRequest(tableName, item, {
    expression: 'SET message = :text, edited_at = :at, revision = :next',
    values: { ':text': text, ':at': editedAt },
    text,
  });

/**
 * An unsend: the message stays as a tombstone (its key keeps the conversation's order and
 * the group rows' keys valid) with no text and no edit history.
 */
export const unsendMessageRequest = (tableName: string, item: MessageItem): WriteRequest =>
  changeRequest(tableName, item, {
    expression: 'SET message = :empty, deleted = :true, revision = :next REMOVE edited_at',
    values: { ':empty': '', ':true': true },
    text: '',
  });
