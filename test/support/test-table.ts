import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject, onTestFinished } from 'vitest';
import { Messaging, type MessagingOptions } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import { connectDynamo, type DynamoConnection } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { scanAll } from '../../src/store/scan-all.js';
import { dropTable, loadSchema } from '../../src/store/schema.js';

export interface TestTable {
  tableName: string;
  connection: DynamoConnection;
  table: DynamoTable;
  messaging(options?: Partial<MessagingOptions>): Messaging;
  scanAll(): Promise<Record<string, unknown>[]>;
}

const describeTestTable = (): TestTable & { drop(): Promise<void> } => {
  const tableName = `test-${randomUUID()}`;
  const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
  const table = new DynamoTable(connection.doc, { tableName });
  return {
    tableName,
    connection,
    table,
    messaging: (options) => new Messaging({ table, ...options }),
    scanAll: () => scanAll(connection.doc, { TableName: tableName, ConsistentRead: true }),
    drop: async () => {
      await dropTable(connection.client, tableName);
      connection.client.destroy();
    },
  };
};

/** A fresh table on the run's DynamoDB Local for this test file, dropped afterwards. */
export const withTestTable = (): TestTable => {
  const t = describeTestTable();
  beforeAll(() => loadSchema(t.connection.client, t.tableName));
  afterAll(() => t.drop());
  return t;
};

/** A fresh table for the current test, dropped when it ends: no test sees another's items. */
export const createTestTable = async (): Promise<TestTable> => {
  const t = describeTestTable();
  await loadSchema(t.connection.client, t.tableName);
  onTestFinished(() => t.drop());
  return t;
};

let handleCounter = 0;
/** A handle unique within the run, valid by the core's rules. */
export const uniqueHandle = (prefix = 'user'): string =>
  `${prefix}_${process.pid}_${++handleCounter}`.slice(0, 30);

/** A new user of `messaging` with a handle unique within the run; `name` is the display name. */
export const newUser = (messaging: Messaging, name = 'user'): Promise<User> =>
  messaging.createUser({ handle: uniqueHandle(name), displayName: name });
