import type { MessageItem } from './items.js';
import { messagePartition } from './keys.js';
import { sortKeyOfMessageUuid } from './message-uuid.js';
import { getMessageRequest } from './requests/messages.js';
import type { TablePort } from './table-port.js';

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
  let start: Record<string, unknown> | undefined;
  do {
    // Page by page, stopping at the match: a filter reads every item of a page it scans.
    const page = await table.query<Pick<MessageItem, 'sk'>>({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'message_uuid = :uuid',
      ExpressionAttributeValues: { ':pk': messagePartition(groupUuid), ':uuid': messageUuid },
      ProjectionExpression: 'sk',
      ExclusiveStartKey: start,
    });
    if (page.items[0]) return page.items[0].sk;
    start = page.lastKey;
  } while (start);
  return undefined;
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
