import { type DatabaseConfig, loadDatabaseConfig } from '../config.js';
import { openDatabase } from '../runtime/database.js';
import { CapacityMeter } from '../store/capacity.js';
import { DynamoTable } from '../store/dynamo-table.js';

export interface GlobalOptions {
  endpoint?: string;
  table?: string;
  aws?: boolean;
}

export interface CliContext {
  config: DatabaseConfig;
  where: string;
  client: import('@aws-sdk/client-dynamodb').DynamoDBClient;
  doc: import('@aws-sdk/lib-dynamodb').DynamoDBDocumentClient;
  table: DynamoTable;
  meter: CapacityMeter;
}

/** Flags win over the environment; without either, the embedded DynamoDB Local of DATA_DIR. */
export const configFrom = (options: GlobalOptions, env = process.env): DatabaseConfig =>
  loadDatabaseConfig({
    ...env,
    ...(options.table ? { DDB_TABLE: options.table } : {}),
    ...(options.endpoint ? { DYNAMODB_ENDPOINT: options.endpoint, DDB_TARGET: 'endpoint' } : {}),
    ...(options.aws ? { DDB_TARGET: 'aws', DYNAMODB_ENDPOINT: '' } : {}),
  });

/** Opens the database for one command and always closes it (stopping DynamoDB Local if started). */
export const withDatabase = async <T>(
  options: GlobalOptions,
  run: (ctx: CliContext) => Promise<T>,
): Promise<T> => {
  const config = configFrom(options);
  const database = await openDatabase(config, { owner: 'ddb CLI', shareRunningInstance: true });
  try {
    const meter = new CapacityMeter();
    const table = new DynamoTable(database.connection.doc, {
      tableName: config.tableName,
      onCapacity: meter.listener,
    });
    return await run({
      config,
      where: database.where,
      client: database.connection.client,
      doc: database.connection.doc,
      table,
      meter,
    });
  } finally {
    await database.close();
  }
};
