import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { PartitionThrottle, throttlePartitions } from '../../bench/lib/partition-throttle.js';
import {
  ItemExistsError,
  StoreUnavailableError,
  WriteConflictError,
} from '../../src/messaging/errors.js';
import type { WriteRequest } from '../../src/messaging/table-port.js';
import { connectDynamo } from '../../src/store/clients.js';
import { isThrottledWrite } from '../../src/store/dynamo-errors.js';
import { DynamoTable, type DynamoTableOptions } from '../../src/store/dynamo-table.js';
import { STREAM_THROTTLE_BUDGET_MS, streamTable } from '../../src/stream/stream-table.js';
import { createTestTable } from '../support/test-table.js';

/**
 * A table whose partitions have 4 write units each, refilled only when the test's clock
 * moves: DynamoDB's per-partition limit, imposed on DynamoDB Local by the hot-inbox bench's
 * throttle (answers as DynamoDB's, retried by the SDK as throttling).
 */
const UNITS = 4;

const hotPartition = async (options: Omit<DynamoTableOptions, 'tableName'>) => {
  const t = await createTestTable();
  const connection = connectDynamo({ endpoint: inject('dynamoEndpoint'), maxAttempts: 1 });
  onTestFinished(() => connection.client.destroy());
  const clock = { now: 0 };
  throttlePartitions(
    connection.client,
    new PartitionThrottle({ writeUnitsPerSecond: UNITS, now: () => clock.now }),
  );
  const table = new DynamoTable(connection.doc, { tableName: t.tableName, ...options });
  const put = (sk: string, pk = 'GRP#hot'): WriteRequest => ({
    items: [{ Put: { TableName: t.tableName, Item: { pk, sk } } }],
  });
  const transaction = (sk: string): WriteRequest => ({
    items: [
      { Put: { TableName: t.tableName, Item: { pk: 'USER#cold', sk } } },
      { Put: { TableName: t.tableName, Item: { pk: 'GRP#hot', sk } } },
    ],
  });
  const keys = async () => (await t.scanAll()).map((i) => `${i.pk}/${i.sk}`).sort();
  /** Spends the hot partition's units. */
  const fill = async () => {
    for (let i = 0; i < UNITS; i++) await table.write(put(`fill${i}`));
  };
  return { table, clock, put, transaction, keys, fill };
};

describe('a write DynamoDB refuses for throughput', () => {
  it('fails at once by default (an API request answers 503), writing nothing', async () => {
    const { table, put, transaction, keys, fill } = await hotPartition({ conflictRetries: 0 });
    await fill();
    const single = await table.write(put('2')).catch((e: unknown) => e);
    expect(single).toBeInstanceOf(StoreUnavailableError);
    expect(isThrottledWrite(single)).toBe(true);
    const transacted = await table.write(transaction('3')).catch((e: unknown) => e);
    expect(transacted).toBeInstanceOf(WriteConflictError);
    expect(isThrottledWrite(transacted)).toBe(true);
    expect(await keys()).not.toContain('GRP#hot/2');
    expect(await keys()).not.toContain('USER#cold/3');
  });

  it('is tried again within the throttle budget until the partition has room (the stream consumer)', async () => {
    const waits: number[] = [];
    const { table, clock, put, transaction, keys, fill } = await hotPartition({
      conflictRetries: 0,
      throttleBudgetMs: 10_000,
      // Each wait gives the partitions a second of write units back.
      onThrottled: (waitMs) => {
        waits.push(waitMs);
        clock.now += 1_000;
      },
    });
    await fill();
    await table.write(put('1'));
    expect(waits).toHaveLength(1);
    await fill();
    await table.write(transaction('2'));
    expect(waits).toHaveLength(2);
    expect(await keys()).toEqual(expect.arrayContaining(['GRP#hot/1', 'GRP#hot/2', 'USER#cold/2']));
  });

  it('gives up once the budget is spent, and never retries any other failure', async () => {
    let waits = 0;
    const { table, put, keys, fill } = await hotPartition({
      throttleBudgetMs: 300,
      onThrottled: () => waits++,
    });
    await fill();
    const error = await table.write(put('1')).catch((e: unknown) => e);
    expect(isThrottledWrite(error)).toBe(true);
    expect(waits).toBeGreaterThan(0);

    waits = 0;
    const exists: WriteRequest = {
      ...put('1', 'USER#cold'),
      explain: () => new ItemExistsError('USER#cold'),
    };
    const first = exists.items[0]?.Put;
    if (first) first.ConditionExpression = 'attribute_not_exists(pk)';
    await table.write(exists);
    await expect(table.write(exists)).rejects.toBeInstanceOf(ItemExistsError);
    expect(waits).toBe(0);
    expect(await keys()).not.toContain('GRP#hot/1');
  });

  it('is waited out by the stream consumer for 40 s, under its function’s 1-minute timeout', () => {
    expect(STREAM_THROTTLE_BUDGET_MS).toBe(40_000);
    expect(streamTable(connectDynamo({ endpoint: 'http://127.0.0.1:1' }).doc, 't')).toBeInstanceOf(
      DynamoTable,
    );
  });
});
