import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { TTL_ATTRIBUTE, tableDefinition } from './table-definition.js';

export type SchemaLoadResult = 'created' | 'exists';

/**
 * Idempotent: an existing table is left as it is, except that TTL is switched on if it is
 * off (tables made before connection items expired by TTL).
 */
export const loadSchema = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<SchemaLoadResult> => {
  if (await describeTable(client, tableName)) {
    await enableTimeToLive(client, tableName);
    return 'exists';
  }
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (error) {
    // Another process created it between our describe and our create.
    if (!(error instanceof ResourceInUseException)) throw error;
    return 'exists';
  }
  await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1 }, { TableName: tableName });
  await enableTimeToLive(client, tableName);
  return 'created';
};

/** Items with `expires_at` (epoch seconds) in the past are deleted by DynamoDB, at no cost. */
const enableTimeToLive = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  if (ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    }),
  );
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
