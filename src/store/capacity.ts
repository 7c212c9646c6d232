import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

/** One DynamoDB request's cost, as DynamoDB reported it (ReturnConsumedCapacity TOTAL). */
export interface CapacityRecord {
  operation: string;
  readCapacityUnits: number;
  writeCapacityUnits: number;
}

export type CapacityListener = (record: CapacityRecord) => void;

export const toCapacityRecord = (
  operation: string,
  consumed: ConsumedCapacity | ConsumedCapacity[] | undefined,
): CapacityRecord => {
  const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  return {
    operation,
    readCapacityUnits: list.reduce((sum, c) => sum + (c.ReadCapacityUnits ?? 0), 0),
    writeCapacityUnits: list.reduce((sum, c) => sum + (c.WriteCapacityUnits ?? 0), 0),
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
