import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { Messaging, type MessagingOptions } from '../../src/messaging/messaging.js';
import { connectDynamo, type DynamoConnection } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { dropTable, loadSchema } from '../../src/store/schema.js';

export interface TestTable {
  tableName: string;
  connection: DynamoConnection;
  table: DynamoTable;
  messaging(options?: Partial<MessagingOptions>): Messaging;
  scanAll(): Promise<Record<string, unknown>[]>;
}

/** A fresh table on the run's DynamoDB Local for this test file, dropped afterwards. */
export const withTestTable = (): TestTable => {
  const tableName = `test-${randomUUID()}`;
  const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
  const table = new DynamoTable(connection.doc, { tableName });
  beforeAll(() => loadSchema(connection.client, tableName));
  afterAll(async () => {
    await dropTable(connection.client, tableName);
    connection.client.destroy();
  });
  return {
    tableName,
    connection,
    table,
    messaging: (options) => new Messaging({ table, ...options }),
    scanAll: async () => {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await connection.doc.send(
          new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
  };
};

let handleCounter = 0;
/** A handle unique within the run, valid by the core's rules. */
export const uniqueHandle = (prefix = 'user'): string =>
  `${prefix}_${process.pid}_${++handleCounter}`.slice(0, 30);
