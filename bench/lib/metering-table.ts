import type { GetCommandInput, QueryCommandInput, ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { QueryResult, TablePort, WriteRequest } from '../../src/messaging/table-port.js';
import { CapacityMeter } from '../../src/store/capacity.js';
import type { DynamoConnection } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { awsWriteUnits } from './cost-model.js';

export interface Meter {
  requests: number;
  itemWrites: number;
  localReadUnits: number;
  localWriteUnits: number;
  awsReadUnits: number;
  awsWriteUnits: number;
}

export const emptyMeter = (): Meter => ({
  requests: 0,
  itemWrites: 0,
  localReadUnits: 0,
  localWriteUnits: 0,
  awsReadUnits: 0,
  awsWriteUnits: 0,
});

/**
 * A TablePort that counts what the core sends: requests, item writes, capacity as DynamoDB
 * Local reports it, and capacity by AWS's rules (reads as reported; writes computed, since
 * Local under-reports transactions). Deleted group rows are assumed under 1 KB, as they are.
 */
export class MeteringTable implements TablePort {
  readonly meter = emptyMeter();
  readonly #capacity = new CapacityMeter();
  readonly #inner: DynamoTable;

  constructor(
    connection: DynamoConnection,
    readonly tableName: string,
  ) {
    this.#inner = new DynamoTable(connection.doc, {
      tableName,
      onCapacity: this.#capacity.listener,
    });
  }

  reset(): void {
    Object.assign(this.meter, emptyMeter());
    this.#capacity.reset();
  }

  #sync(): void {
    const total = this.#capacity.total();
    this.meter.localReadUnits = total.readCapacityUnits;
    this.meter.localWriteUnits = total.writeCapacityUnits;
    this.meter.awsReadUnits = total.readCapacityUnits;
  }

  async get<T>(input: GetCommandInput): Promise<T | undefined> {
    this.meter.requests++;
    const item = await this.#inner.get<T>(input);
    this.#sync();
    return item;
  }

  async query<T>(input: QueryCommandInput): Promise<QueryResult<T>> {
    this.meter.requests++;
    const result = await this.#inner.query<T>(input);
    this.#sync();
    return result;
  }

  async scan<T>(input: ScanCommandInput): Promise<QueryResult<T>> {
    this.meter.requests++;
    const result = await this.#inner.scan<T>(input);
    this.#sync();
    return result;
  }

  async write(request: WriteRequest): Promise<void> {
    this.meter.requests++;
    await this.#inner.write(request);
    this.meter.itemWrites += request.items.length;
    this.meter.awsWriteUnits += awsWriteUnits(request.items, () => 500);
    this.#sync();
  }
}
