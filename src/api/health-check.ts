import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** True when DynamoDB answers for our table within `timeoutMs`. */
export const tableHealthCheck =
  (client: DynamoDBClient, tableName: string, timeoutMs = 2_000) =>
  async (): Promise<boolean> => {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return Table?.TableStatus === 'ACTIVE';
    } catch {
      return false;
    }
  };
