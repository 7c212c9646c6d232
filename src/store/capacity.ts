import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

/** One DynamoDB request's cost, as DynamoDB reported it (ReturnConsumedCapacity TOTAL). */
export interface CapacityRecord {
  operation: string;
  readCapacityUnits: number;
  writeCapacityUnits: number;
}

export type CapacityListener = (record: CapacityRecord) => void;

/**
 * With ReturnConsumedCapacity TOTAL, DynamoDB reports only `CapacityUnits`: reads for Get
 * and Query, writes for Put and transactions. `kind` says which the request was.
 */
export const toCapacityRecord = (
  operation: string,
  kind: 'read' | 'write',
  consumed: ConsumedCapacity | ConsumedCapacity[] | undefined,
): CapacityRecord => {
  const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  const sum = (pick: (c: ConsumedCapacity) => number) =>
    list.reduce((total, c) => total + pick(c), 0);
  return {
    operation,
    readCapacityUnits: sum(
      (c) => c.ReadCapacityUnits ?? (kind === 'read' ? (c.CapacityUnits ?? 0) : 0),
    ),
    writeCapacityUnits: sum(
      (c) => c.WriteCapacityUnits ?? (kind === 'write' ? (c.CapacityUnits ?? 0) : 0),
    ),
  };
};

/** Collects capacity records, e.g. to print what a CLI command or a benchmark cost. */
export class CapacityMeter {
  readonly records: CapacityRecord[] = [];
  readonly listener: CapacityListener = (record) => {
    this.records.push(record);
  };

  total(): { requests: number; readCapacityUnits: number; writeCapacityUnits: number } {
    return {
      requests: this.records.length,
      readCapacityUnits: this.records.reduce((s, r) => s + r.readCapacityUnits, 0),
      writeCapacityUnits: this.records.reduce((s, r) => s + r.writeCapacityUnits, 0),
    };
  }

  reset(): void {
    this.records.length = 0;
  }
}
