import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { expect } from 'vitest';
import { checkInvariants, type InvariantReport } from '../../src/consistency/check-invariants.js';
import { connectStreams, type DynamoConnection } from '../../src/store/clients.js';
import { toLambdaRecord } from '../../src/stream/local/lambda-record.js';
import { pollUntil } from './processes.js';
import type { TestTable } from './test-table.js';

/** Every record the table's stream holds so far, as Lambda would deliver them. */
export const readStream = async (
  connection: DynamoConnection,
  tableName: string,
): Promise<DynamoDBRecord[]> => {
  const streams = connectStreams(connection);
  const { Table } = await connection.client.send(
    new DescribeTableCommand({ TableName: tableName }),
  );
  const streamArn = Table?.LatestStreamArn ?? '';
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const records: DynamoDBRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(
        ...(page.Records ?? []).map((r) =>
          toLambdaRecord(r, { eventSourceARN: streamArn, awsRegion: 'local' }),
        ),
      );
      // An open shard keeps handing out iterators: stop at the first empty page.
      iterator = (page.Records ?? []).length > 0 ? page.NextShardIterator : undefined;
    }
  }
  streams.destroy();
  return records;
};

/** Polls the table until pattern E's invariants hold, then returns the report. */
export const expectConverged = async (
  t: TestTable,
  timeoutMs = 5_000,
): Promise<InvariantReport> => {
  let report = checkInvariants(await t.scanAll());
  await pollUntil(async () => {
    report = checkInvariants(await t.scanAll());
    return report.violations.length === 0;
  }, timeoutMs).catch(() => undefined);
  expect(report.violations).toEqual([]);
  return report;
};
