import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ThrottleTolerantTable } from '../../bench/lib/throttle-tolerant-table.js';
import { ItemExistsError, WriteConflictError } from '../../src/messaging/errors.js';
import type { TablePort } from '../../src/messaging/table-port.js';

const cancelled = (code: string) =>
  new WriteConflictError({
    cause: new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: code }],
    }),
  });

/** A table whose writes fail with `errors`, in order, then succeed. */
const failing = (...errors: Error[]): TablePort & { writes: number } => {
  const table = {
    tableName: 't',
    writes: 0,
    get: async () => undefined,
    query: async () => ({ items: [] }),
    scan: async () => ({ items: [] }),
    write: async () => {
      const error = errors[table.writes++];
      if (error) throw error;
    },
  };
  return table;
};

describe('the throttle-tolerant table (the hot-inbox fix, prototype)', () => {
  it('waits and tries a throttled write again until it goes through', async () => {
    const inner = failing(cancelled('ThrottlingError'), cancelled('ThrottlingError'));
    const table = new ThrottleTolerantTable(inner);
    await table.write({ items: [] });
    expect(inner.writes).toBe(3);
    expect(table.counts).toMatchObject({ backoffs: 2, gaveUp: 0 });
  });

  it('lets every other failure through at once', async () => {
    for (const error of [cancelled('TransactionConflict'), new ItemExistsError('x')]) {
      const inner = failing(error);
      await expect(new ThrottleTolerantTable(inner).write({ items: [] })).rejects.toBe(error);
      expect(inner.writes).toBe(1);
    }
  });

  it('gives up when its time budget is spent', async () => {
    const errors = Array.from({ length: 50 }, () => cancelled('ThrottlingError'));
    const table = new ThrottleTolerantTable(failing(...errors), { budgetMs: 0 });
    await expect(table.write({ items: [] })).rejects.toBeInstanceOf(WriteConflictError);
    expect(table.counts.gaveUp).toBe(1);
  });
});
