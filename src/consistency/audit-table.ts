import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  paginateScan,
} from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { clientMessageKey, messagePartition } from '../messaging/keys.js';
import { type CapacityListener, toCapacityRecord } from '../store/capacity.js';
import { InvariantChecker, type InvariantReport } from './invariant-checker.js';

export interface AuditOptions {
  tableName: string;
  /** Parallel Scan segments (and Queries of the second look): a large table is read faster. */
  segments?: number;
  onCapacity?: CapacityListener;
  /** Called after every page of the Scan with the items read so far. */
  onProgress?: (itemsRead: number) => void;
}

/**
 * Reads a whole table with strongly consistent Scans and checks it. Consistent reads see
 * every write acknowledged before the Scan reached its key; a table still taking writes can
 * show group rows briefly behind (pattern E is asynchronous), so audit a quiet table.
 *
 * Read state needs each message compared with its conversation's read positions; the checker
 * keeps no messages, so a conversation whose messages the Scan returned before a group row
 * with a read position among them is read once more, by a strongly consistent Query of its
 * messages (keys and senders only). Conversations whose rows are fully read, or whose unread
 * messages all follow the read position, need none.
 *
 * Claims are compared with their messages by a fold of their texts: a conversation whose
 * claims do not add up (a text differs, or a claim lacks its message, which a crashed send
 * leaves) is read once more whole, each page of its messages with the claims they name
 * (strongly consistent GetItems), so that each claim meets its message.
 */
export const auditTable = async (
  doc: DynamoDBDocumentClient,
  options: AuditOptions,
): Promise<InvariantReport> => {
  const checker = new InvariantChecker();
  const segments = options.segments ?? 1;
  let itemsRead = 0;
  const readSegment = async (segment: number) => {
    const pages = paginateScan(
      { client: doc },
      {
        TableName: options.tableName,
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
        ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
      },
    );
    for await (const page of pages) {
      options.onCapacity?.(toCapacityRecord('Scan', 'read', page.ConsumedCapacity));
      checker.addAll(page.Items ?? []);
      itemsRead += page.Items?.length ?? 0;
      options.onProgress?.(itemsRead);
    }
  };
  await Promise.all(Array.from({ length: segments }, (_, segment) => readSegment(segment)));

  const readClaim = async (message: Record<string, unknown>) => {
    const { Item, ConsumedCapacity } = await doc.send(
      new GetCommand({
        TableName: options.tableName,
        Key: clientMessageKey(String(message.user_uuid), String(message.client_message_id)),
        ProjectionExpression: '#pk, #sk, item_type, group_uuid, message_sk, #message',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#message': 'message' },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    options.onCapacity?.(toCapacityRecord('GetItem', 'read', ConsumedCapacity));
    if (Item) checker.addAgain(Item);
  };
  const readAgain = async (groupUuid: string) => {
    const claims = checker.needsClaims(groupUuid);
    const pages = paginateQuery(
      { client: doc },
      {
        TableName: options.tableName,
        KeyConditionExpression: '#pk = :pk',
        ProjectionExpression: claims
          ? '#pk, #sk, item_type, user_uuid, #message, client_message_id'
          : '#pk, #sk, item_type, user_uuid',
        ExpressionAttributeNames: {
          '#pk': 'pk',
          '#sk': 'sk',
          ...(claims ? { '#message': 'message' } : {}),
        },
        ExpressionAttributeValues: { ':pk': messagePartition(groupUuid) },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      },
    );
    for await (const page of pages) {
      options.onCapacity?.(toCapacityRecord('Query', 'read', page.ConsumedCapacity));
      const items = page.Items ?? [];
      for (const item of items) checker.addAgain(item);
      if (claims)
        await pMap(
          items.filter((item) => item.client_message_id !== undefined),
          readClaim,
          { concurrency: 8 },
        );
    }
  };
  await pMap(checker.startRecount(), readAgain, { concurrency: segments });
  return checker.report();
};
