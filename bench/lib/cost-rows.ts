import { dollarsPerMillion } from '../../src/costs/cost-model.js';
import type { Meter } from './metering-table.js';

/** One operation's cost, averaged over the times it was measured. */
export interface CostRow {
  pattern: string;
  times: number;
  requestsPerOp: number;
  /** Requests per operation by kind. */
  getsPerOp: number;
  queriesPerOp: number;
  gsiQueriesPerOp: number;
  writesPerOp: number;
  transactionsPerOp: number;
  itemWritesPerOp: number;
  failedWritesPerOp: number;
  localRcu: number;
  localWcu: number;
  awsRcu: number;
  awsWcu: number;
  /** Of failed conditional writes, if AWS charges them in full (an upper bound). */
  failedAwsWcu: number;
  /** Successful requests only; failed writes, if any, add `failedAwsWcu`. */
  dollarsPerMillion: number;
}

export const costRow = (pattern: string, meter: Meter, times: number): CostRow => ({
  pattern,
  times,
  requestsPerOp: meter.requests / times,
  getsPerOp: meter.gets / times,
  queriesPerOp: meter.queries / times,
  gsiQueriesPerOp: meter.gsiQueries / times,
  writesPerOp: meter.writes / times,
  transactionsPerOp: meter.transactions / times,
  itemWritesPerOp: meter.itemWrites / times,
  failedWritesPerOp: meter.failedWrites / times,
  localRcu: meter.localReadUnits / times,
  localWcu: meter.localWriteUnits / times,
  awsRcu: meter.awsReadUnits / times,
  awsWcu: meter.awsWriteUnits / times,
  failedAwsWcu: meter.failedAwsWriteUnits / times,
  dollarsPerMillion: dollarsPerMillion(meter.awsReadUnits / times, meter.awsWriteUnits / times),
});
