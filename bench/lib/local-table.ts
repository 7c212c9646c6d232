import { startDynamoDbLocal } from '../../src/local/dynamodb-local.js';
import { connectDynamo, type DynamoConnection } from '../../src/store/clients.js';
import { loadSchema } from '../../src/store/schema.js';

/** An in-memory DynamoDB Local for one benchmark run; each phase makes its own table. */
export const startBenchDynamo = async () => {
  const local = await startDynamoDbLocal({ storage: { inMemory: true } });
  const connection: DynamoConnection = connectDynamo({ endpoint: local.endpoint });
  let tables = 0;
  return {
    connection,
    createTable: async (prefix: string) => {
      const name = `${prefix}-${++tables}`;
      await loadSchema(connection.client, name);
      return name;
    },
    close: async () => {
      connection.client.destroy();
      await local.stop();
    },
  };
};

export type BenchDynamo = Awaited<ReturnType<typeof startBenchDynamo>>;
