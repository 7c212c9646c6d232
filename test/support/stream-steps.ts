import type { DynamoDBRecord } from 'aws-lambda';
import { passesStreamFilters } from '../../src/stream/filter.js';
import { createStreamHandler } from '../../src/stream/handler.js';
import type { StreamOutcome } from '../../src/stream/outcomes.js';
import { readStream } from './stream.js';
import type { TestTable } from './test-table.js';

/**
 * Pattern E by hand, a step at a time: the stream handler on a test table, with what it
 * reported, and the records written since the last step as the mapping's filters pass them.
 */
export const streamSteps = (t: TestTable) => {
  const outcomes: StreamOutcome[] = [];
  const handled = new Set<string>();
  const handler = createStreamHandler({
    table: t.table,
    observer: (o) => outcomes.push(o),
    logger: { error: () => {} },
  });
  const sequence = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? '';
  const freshRecords = async (): Promise<DynamoDBRecord[]> => {
    const fresh = (await readStream(t.connection, t.tableName)).filter(
      (r) => !handled.has(sequence(r)) && passesStreamFilters(r),
    );
    for (const r of fresh) handled.add(sequence(r));
    return fresh;
  };
  return {
    handler,
    outcomes,
    freshRecords,
    /** Hands every fresh record to the handler in one batch; returns them. */
    applyStream: async (): Promise<DynamoDBRecord[]> => {
      const records = await freshRecords();
      if (records.length > 0) await handler({ Records: records });
      return records;
    },
  };
};
