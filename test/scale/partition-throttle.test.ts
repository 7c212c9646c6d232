import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { PartitionThrottle, throttlePartitions } from '../../bench/lib/partition-throttle.js';
import { connectDynamo } from '../../src/store/clients.js';
import { createTestTable } from '../support/test-table.js';

describe('the partition throttle (token bucket per partition key)', () => {
  it('admits up to the rate and its burst, then throttles until units refill', () => {
    let now = 0;
    const throttle = new PartitionThrottle({ writeUnitsPerSecond: 1_000, now: () => now });
    const one = new Map([['GRP#a', 4]]);
    for (let i = 0; i < 250; i++) expect(throttle.take(one)).toEqual([]);
    expect(throttle.take(one)).toEqual(['GRP#a']);
    // Another partition has its own 1,000.
    expect(throttle.take(new Map([['GRP#b', 4]]))).toEqual([]);
    now += 100; // 100 units back: 25 writes of 4.
    for (let i = 0; i < 25; i++) expect(throttle.take(one)).toEqual([]);
    expect(throttle.take(one)).toEqual(['GRP#a']);
    expect(throttle.counts.throttled).toBe(2);
    expect(throttle.counts.unitsByPartition.get('GRP#a')).toBe(1_100);
  });

  it('takes all of a write or nothing: a throttled transaction charges no partition', () => {
    let now = 0;
    const throttle = new PartitionThrottle({ writeUnitsPerSecond: 10, now: () => now });
    expect(throttle.take(new Map([['hot', 10]]))).toEqual([]);
    expect(
      throttle.take(
        new Map([
          ['cold', 2],
          ['hot', 2],
        ]),
      ),
    ).toEqual(['hot']);
    expect(throttle.counts.unitsByPartition.get('cold')).toBeUndefined();
    now += 1_000;
    expect(
      throttle.take(
        new Map([
          ['cold', 2],
          ['hot', 2],
        ]),
      ),
    ).toEqual([]);
  });
});

describe('the throttle on the SDK client, against DynamoDB Local', () => {
  /** `units` to spend, refilled too slowly to matter within a test (the SDK's backoff waits). */
  const throttled = async (units: number) => {
    const t = await createTestTable();
    const connection = connectDynamo({ endpoint: inject('dynamoEndpoint'), maxAttempts: 2 });
    onTestFinished(() => connection.client.destroy());
    const throttle = new PartitionThrottle({
      writeUnitsPerSecond: units / 1_000,
      burstSeconds: 1_000,
    });
    throttlePartitions(connection.client, throttle);
    const put = (pk: string, sk: string) =>
      connection.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk, sk } }));
    return { t, connection, throttle, put };
  };

  it('answers writes beyond the limit as DynamoDB does, retried by the SDK as throttling', async () => {
    const { t, throttle, put } = await throttled(3);
    for (const sk of ['1', '2', '3']) await put('USER#hot', sk);
    const error = await put('USER#hot', '4').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error).toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 2 },
    });
    // Both attempts were throttled, and nothing reached the table.
    expect(throttle.counts.throttled).toBe(2);
    await put('USER#cold', '1');
    const items = await t.scanAll();
    expect(items.map((i) => `${i.pk}/${i.sk}`).sort()).toEqual([
      'USER#cold/1',
      'USER#hot/1',
      'USER#hot/2',
      'USER#hot/3',
    ]);
  });

  it('cancels a transaction with ThrottlingError on the throttled partition', async () => {
    const { t, connection, put } = await throttled(2);
    await put('GRP#hot', '1');
    const error = await connection.doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: t.tableName, Item: { pk: 'USER#cold', sk: 'x' } } },
            { Put: { TableName: t.tableName, Item: { pk: 'GRP#hot', sk: '2' } } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons).toEqual([
      { Code: 'None' },
      expect.objectContaining({ Code: 'ThrottlingError' }),
    ]);
    expect((await t.scanAll()).length).toBe(1);
  });

  it('lets writes below the limit through untouched', async () => {
    const { t, throttle, put } = await throttled(1_000);
    for (let i = 0; i < 20; i++) await put('GRP#warm', String(i));
    expect(throttle.counts).toMatchObject({ admitted: 20, throttled: 0 });
    expect((await t.scanAll()).length).toBe(20);
  });
});
