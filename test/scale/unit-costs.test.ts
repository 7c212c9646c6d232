import { describe, expect, it } from 'vitest';
import { awsWriteUnits } from '../../src/costs/cost-model.js';
import type { TransactItem } from '../../src/messaging/table-port.js';
import { writeUnitsByPartition } from '../../src/scale/partition-units.js';
import { readUnits } from '../../src/scale/read-units.js';
import { unitCosts } from '../../src/scale/unit-costs.js';

const row = (pk: string, sk: string) => ({
  pk,
  sk,
  item_type: 'message_group',
  message_group_uuid: 'g',
});

describe('unit costs of the scale model', () => {
  it('are the cost model applied to the core requests: the figures of docs/data-model.md', () => {
    const c = unitCosts();
    // Row 12 (send with a client_message_id), row 15 (E steady, +2 on a crossing), row 19.
    expect(c.send.write).toBe(2);
    expect(c.advance.write).toBe(12);
    expect(c.advanceCrossing.write).toBe(2);
    expect(c.markRead).toEqual({ read: 1.5, write: 5 });
    expect(c.listMessages.read).toBe(2);
    expect(c.listGroups.read).toBe(1.5);
    expect(c.connection.write).toBe(2);
    // Of E's 12: a Delete and a Put of the recipient's row in a transaction, without the index.
    expect(c.advanceOnOwnerPartition).toBe(4);
    expect(c.markOnOwnerPartition).toBe(2);
  });

  it('charge a partition the table share of a write, not the index entry the bill adds', () => {
    const items: TransactItem[] = [
      { Delete: { TableName: 't', Key: { pk: 'GRP#a', sk: '1' } } },
      { Put: { TableName: 't', Item: row('GRP#a', '2') } },
      {
        Update: {
          TableName: 't',
          Key: { pk: 'USER#a', sk: 'PROFILE' },
          UpdateExpression: 'ADD n :one',
        },
      },
    ];
    expect(awsWriteUnits(items)).toBe(8); // 2 + 1 (index) + 2 + 1 (index) + 2
    expect(Object.fromEntries(writeUnitsByPartition(items))).toEqual({ 'GRP#a': 4, 'USER#a': 2 });
    expect(Object.fromEntries(writeUnitsByPartition([items[1] as TransactItem]))).toEqual({
      'GRP#a': 1,
    });
  });

  it('read 0.5 unit per 4 KB eventually consistent, 1 strongly, at least the minimum', () => {
    expect(readUnits(0, false)).toBe(0.5);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, false)).toBe(1);
  });
});
