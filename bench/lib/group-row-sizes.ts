import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { User } from '../../src/messaging/model.js';
import { listMessageGroupsQuery } from '../../src/messaging/requests/queries.js';
import { type ItemSizeRow, sizeOf } from './read-state-costs.js';

/**
 * Sizes of the group rows the dataset loaded (its short texts), over the lists of the first
 * 200 `owners`: with read state (the users) or as before it (their legacy twins).
 */
export const groupRowSizes = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: string,
  owners: readonly User[],
): Promise<ItemSizeRow & { mean: number }> => {
  const sizes: number[] = [];
  for (const owner of owners.slice(0, 200)) {
    const { Items = [] } = await doc.send(
      new QueryCommand(listMessageGroupsQuery(tableName, owner.uuid, 100)),
    );
    sizes.push(...Items.map((i) => sizeOf(i)));
  }
  return {
    item,
    min: Math.min(...sizes),
    max: Math.max(...sizes),
    mean: sizes.reduce((a, b) => a + b, 0) / sizes.length,
  };
};
