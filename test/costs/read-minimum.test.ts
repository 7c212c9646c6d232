import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { CostLedger } from '../../src/costs/cost-ledger.js';
import { meterCosts } from '../../src/costs/cost-middleware.js';
import { createTestTable } from '../support/test-table.js';

/**
 * AWS charges a read that finds nothing the minimum for its kind: 0.5 RCU eventually
 * consistent, 1 strongly consistent. DynamoDB Local reports 0 for it.
 */
describe('the cost of a read that finds nothing', () => {
  it('is the minimum AWS charges, not the 0 DynamoDB Local reports', async () => {
    const t = await createTestTable();
    const ledger = new CostLedger();
    meterCosts(t.connection.client, ledger);
    const stop = ledger.subscribe(() => {});
    const key = { pk: 'USER#nobody', sk: 'USER' };
    const TableName = t.tableName;
    const byPk = {
      TableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'USER#nobody' },
    };
    await t.connection.doc.send(new GetCommand({ TableName, Key: key }));
    await t.connection.doc.send(new GetCommand({ TableName, Key: key, ConsistentRead: true }));
    await t.connection.doc.send(new QueryCommand(byPk));
    await t.connection.doc.send(new QueryCommand({ ...byPk, ConsistentRead: true }));
    await t.connection.doc.send(new ScanCommand({ TableName, Limit: 1 }));
    stop();
    const requests = ledger
      .entries()
      .reverse()
      .flatMap((entry) => entry.requests);
    expect(requests.map((r) => [r.operation, r.items_read, r.rcu])).toEqual([
      ['GetItem', 0, 0.5],
      ['GetItem', 0, 1],
      ['Query', 0, 0.5],
      ['Query', 0, 1],
      ['Scan', 0, 0.5],
    ]);
  });
});
