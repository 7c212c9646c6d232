import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { MessageGroupItem, MessageItem } from '../messaging/items.js';
import { isGroupRowKey, isMessageKey, parseMessageSortKey } from '../messaging/keys.js';
import { hasReadState, readPositionOf } from '../messaging/read-state.js';

export class PoisonRecordError extends Error {
  readonly code = 'poison_record';
}

/**
 * The message item of an INSERT record's new image. Lambda's JSON carries binary values as
 * base64 strings, but a message item has none, so the SDK's unmarshall reads it as is.
 */
export const messageOf = (record: DynamoDBRecord): MessageItem => {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new PoisonRecordError('The record has no new image.');
  const item = unmarshall(image as Record<string, AttributeValue>) as Partial<MessageItem>;
  const valid =
    typeof item.pk === 'string' &&
    isMessageKey(item.pk) &&
    typeof item.sk === 'string' &&
    parseMessageSortKey(item.sk) !== undefined &&
    typeof item.message === 'string' &&
    typeof item.created_at === 'string';
  if (!valid) throw new PoisonRecordError(`Not a valid message item: ${item.pk}/${item.sk}`);
  return item as MessageItem;
};

/**
 * A read mark in a MODIFY record of a group row: the row as it is now, when its owner's read
 * position moved forward; undefined for any other change (pattern E counting a late message).
 */
export const readMoveOf = (record: DynamoDBRecord): MessageGroupItem | undefined => {
  const image = (key: 'NewImage' | 'OldImage') => {
    const raw = record.dynamodb?.[key];
    return raw
      ? (unmarshall(raw as Record<string, AttributeValue>) as Partial<MessageGroupItem>)
      : undefined;
  };
  const now = image('NewImage');
  const before = image('OldImage');
  const valid =
    typeof now?.pk === 'string' &&
    isGroupRowKey(now.pk) &&
    typeof now.message_group_uuid === 'string';
  if (!valid) throw new PoisonRecordError(`Not a valid group row: ${now?.pk}/${now?.sk}`);
  // A row older than read state (an edit changed its preview) has no position to move.
  if (!hasReadState(now) || typeof now.sk !== 'string') return undefined;
  // Storing no position, a row is read up to its own sk (compact rows; old rows alike).
  const position = readPositionOf({ ...now, sk: now.sk });
  const was = before?.sk === undefined ? '' : readPositionOf({ ...before, sk: before.sk });
  return position > was && parseMessageSortKey(position) ? (now as MessageGroupItem) : undefined;
};
