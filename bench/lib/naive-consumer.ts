import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { itemSize } from '../../src/costs/cost-model.js';
import { groupOfMessageKey, MESSAGE_GROUP_INDEX } from '../../src/messaging/keys.js';
import { isMessageInsert } from '../../src/stream/filter.js';
import type { StreamHandler } from '../../src/stream/handler.js';
import { emptyMeter, type Meter } from './metering-table.js';

/**
 * The original's consumer, for comparison only: for every record, query the GSI, then delete
 * and re-put each group row, unconditionally and not atomically. Never use this.
 */
export const naiveConsumer = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): { handler: StreamHandler; meter: Meter } => {
  const meter = emptyMeter();
  const handler = async (event: DynamoDBStreamEvent) => {
    for (const record of event.Records.filter(isMessageInsert)) {
      const message = unmarshall(record.dynamodb?.NewImage as never) as Record<string, string>;
      const groupUuid = groupOfMessageKey(message.pk ?? '');
      meter.requests++;
      meter.gsiQueries++;
      const { Items = [] } = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: MESSAGE_GROUP_INDEX,
          KeyConditionExpression: 'message_group_uuid = :g',
          ExpressionAttributeValues: { ':g': groupUuid },
        }),
      );
      meter.awsReadUnits += 0.5;
      for (const row of Items) {
        await doc.send(
          new DeleteCommand({ TableName: tableName, Key: { pk: row.pk, sk: row.sk } }),
        );
        const moved = {
          ...row,
          sk: message.sk,
          message: message.message,
          created_at: message.created_at,
        };
        await doc.send(new PutCommand({ TableName: tableName, Item: moved }));
        meter.requests += 2;
        meter.writes += 2;
        meter.itemWrites += 2;
        const units = Math.max(1, Math.ceil(itemSize(moved) / 1024));
        meter.awsWriteUnits += 2 * units + 2 * units; // table delete + put, index delete + put
      }
    }
    return { batchItemFailures: [] };
  };
  return { handler, meter };
};
