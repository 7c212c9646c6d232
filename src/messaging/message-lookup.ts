import type { MessageItem } from './items.js';
import { messagePartition } from './keys.js';
import { sortKeyOfMessageUuid } from './message-uuid.js';
import { getMessageRequest } from './requests/messages.js';
import { queryAll, type TablePort } from './table-port.js';

/**
 * The sort key of a message of a conversation, by its uuid: a v7 uuid names it (no read); an
 * older one is looked for with a filtered Query of the conversation (it reads the whole
 * partition: only messages written before uuids carried their time need it). Undefined if the
 * conversation has no such message.
 */
export const sortKeyOf = async (
  table: TablePort,
  groupUuid: string,
  messageUuid: string,
): Promise<string | undefined> => {
  const derived = sortKeyOfMessageUuid(messageUuid);
  if (derived) return derived;
  const [found] = await queryAll<Pick<MessageItem, 'sk'>>(table, {
    TableName: table.tableName,
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'message_uuid = :uuid',
    ExpressionAttributeValues: { ':pk': messagePartition(groupUuid), ':uuid': messageUuid },
    ProjectionExpression: 'sk',
  });
  return found?.sk;
};

/** A message of a conversation by its uuid, read strongly consistently; undefined if none. */
export const findMessage = async (
  table: TablePort,
  groupUuid: string,
  messageUuid: string,
): Promise<MessageItem | undefined> => {
  const sk = await sortKeyOf(table, groupUuid, messageUuid);
  if (!sk) return undefined;
  return table.get<MessageItem>(getMessageRequest(table.tableName, groupUuid, sk));
};
