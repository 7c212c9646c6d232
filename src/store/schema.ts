import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from './table-definition.js';

export type SchemaLoadResult = 'created' | 'exists';

/** Idempotent: an existing table is left exactly as it is. */
export const loadSchema = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<SchemaLoadResult> => {
  if (await describeTable(client, tableName)) return 'exists';
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    // Another process created it between our describe and our create.
    if (!(error instanceof ResourceInUseException)) throw error;
    return 'exists';
  }
  await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: tableName });
  return 'created';
};

export const describeTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> => {
  try {
    const output = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return output.Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

export const dropTable = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
  await waitUntilTableNotExists(
    { client, maxWaitTime: 120, minDelay: 1 },
    { TableName: tableName },
  );
  return true;
};

export const listTables = async (client: DynamoDBClient): Promise<string[]> => {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const output = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(output.TableNames ?? []));
    start = output.LastEvaluatedTableName;
  } while (start);
  return names;
};
