import { startDynamoDbLocal } from '../../src/local/dynamodb-local.js';
import { connectDynamo, type DynamoConnection } from '../../src/store/clients.js';
import { loadSchema } from '../../src/store/schema.js';
import { type Pinning, pinCores, unpinned } from './pin-cores.js';

/**
 * An in-memory DynamoDB Local for one benchmark run; each phase makes its own table. `pin`:
 * for the latency runs (see pin-cores.ts); pattern E runs unpinned, as `npm start` does.
 */
export const startBenchDynamo = async (options: { pin?: boolean } = {}) => {
  const local = await startDynamoDbLocal({ storage: { inMemory: true } });
  const connection: DynamoConnection = connectDynamo({ endpoint: local.endpoint });
  const javaPid = local.javaPid();
  const pinning: Pinning = options.pin ? pinCores(javaPid) : unpinned();
  let tables = 0;
  return {
    connection,
    pinning,
    /** The JVM's process id, for its CPU time. */
    databasePid: javaPid,
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
