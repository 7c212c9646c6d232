import { startDynamoDbLocal } from '../../src/local/dynamodb-local.js';
import { connectDynamo, type DynamoConnection } from '../../src/store/clients.js';
import { loadSchema } from '../../src/store/schema.js';

/** An in-memory DynamoDB Local with a fresh table, for one benchmark run. */
export const benchTable = async (tableName = 'bench-messages') => {
  const local = await startDynamoDbLocal({ storage: { inMemory: true } });
  const connection: DynamoConnection = connectDynamo({ endpoint: local.endpoint });
  await loadSchema(connection.client, tableName);
  return {
    tableName,
    connection,
    close: async () => {
      connection.client.destroy();
      await local.stop();
    },
  };
};

export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
