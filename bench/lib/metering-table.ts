import {
  GetCommand,
  type GetCommandInput,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  awsWriteUnits,
  itemSize,
  type TouchedSizes,
  UNDER_ONE_KB,
} from '../../src/costs/cost-model.js';
import type {
  QueryResult,
  TablePort,
  TransactItem,
  WriteRequest,
} from '../../src/messaging/table-port.js';
import { CapacityMeter } from '../../src/store/capacity.js';
import type { DynamoConnection } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';

export interface Meter {
  requests: number;
  /** Requests by kind: GetItem, Query on the table, Query on the GSI, writes. */
  gets: number;
  queries: number;
  gsiQueries: number;
  /** Write requests, and those of them sent as TransactWriteItems. */
  writes: number;
  transactions: number;
  itemWrites: number;
  /**
   * Writes whose condition failed (a concurrent writer got there first, or rows cached by
   * pattern E were stale), and the units they would cost if charged in full: AWS charges a
   * failed conditional write, and a canceled transaction for what it prepared.
   */
  failedWrites: number;
  failedAwsWriteUnits: number;
  localReadUnits: number;
  localWriteUnits: number;
  awsReadUnits: number;
  awsWriteUnits: number;
}

export const emptyMeter = (): Meter => ({
  requests: 0,
  gets: 0,
  queries: 0,
  gsiQueries: 0,
  writes: 0,
  transactions: 0,
  itemWrites: 0,
  failedWrites: 0,
  failedAwsWriteUnits: 0,
  localReadUnits: 0,
  localWriteUnits: 0,
  awsReadUnits: 0,
  awsWriteUnits: 0,
});

/**
 * A TablePort that counts what the core sends: requests by kind, item writes, capacity as
 * DynamoDB Local reports it, and capacity by AWS's rules (reads as reported; writes computed,
 * since Local under-reports transactions). Updated and deleted items are assumed under 1 KB,
 * as they are in the benchmark, unless `readSizes`: then each one is read before the write
 * (and an updated one after it) with requests the meter does not count, so that the rules
 * get its real size; that slows writes down, so only for cost runs, never for latency or lag.
 */
export class MeteringTable implements TablePort {
  readonly meter = emptyMeter();
  readonly #capacity = new CapacityMeter();
  readonly #inner: DynamoTable;
  readonly #connection: DynamoConnection;
  readonly #readSizes: boolean;

  constructor(
    connection: DynamoConnection,
    readonly tableName: string,
    options: { readSizes?: boolean } = {},
  ) {
    this.#connection = connection;
    this.#readSizes = options.readSizes ?? false;
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
    this.meter.gets++;
    const item = await this.#inner.get<T>(input);
    this.#sync();
    return item;
  }

  async query<T>(input: QueryCommandInput): Promise<QueryResult<T>> {
    this.meter.requests++;
    if (input.IndexName) this.meter.gsiQueries++;
    else this.meter.queries++;
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
    this.meter.writes++;
    const [only] = request.items;
    const single = request.items.length === 1 && (only?.Put ?? only?.Delete ?? only?.Update);
    if (!single) this.meter.transactions++;
    const before = this.#readSizes ? await this.#sizesOf(request.items) : undefined;
    try {
      await this.#inner.write(request);
    } catch (error) {
      this.meter.failedWrites++;
      this.meter.failedAwsWriteUnits += awsWriteUnits(
        request.items,
        before ? { before: (key) => before.get(keyOf(key)) ?? 0, after: () => 0 } : UNDER_ONE_KB,
      );
      throw error;
    }
    const after = this.#readSizes ? await this.#sizesOf(request.items) : undefined;
    const sizes: TouchedSizes =
      before && after
        ? {
            before: (key) => before.get(keyOf(key)) ?? 0,
            after: (key) => after.get(keyOf(key)) ?? 0,
          }
        : UNDER_ONE_KB;
    this.meter.itemWrites += request.items.length;
    this.meter.awsWriteUnits += awsWriteUnits(request.items, sizes);
    this.#sync();
  }

  /** Sizes of the items a write updates or deletes, read strongly consistently, not counted. */
  async #sizesOf(items: TransactItem[]): Promise<Map<string, number>> {
    const keys = items
      .map((entry) => (entry.Update?.Key ?? entry.Delete?.Key) as Record<string, unknown>)
      .filter((key) => key !== undefined);
    const sizes = new Map<string, number>();
    for (const key of keys) {
      const { Item } = await this.#connection.doc.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      sizes.set(keyOf(key), Item ? itemSize(Item) : 0);
    }
    return sizes;
  }
}

const keyOf = (key: Record<string, unknown>): string => `${String(key.pk)}\u0000${String(key.sk)}`;

/** What `fn` added to `meter`. */
export const meterDelta = async (meter: Meter, fn: () => Promise<unknown>): Promise<Meter> => {
  const before = { ...meter };
  await fn();
  return Object.fromEntries(
    Object.entries(meter).map(([k, v]) => [k, v - before[k as keyof Meter]]),
  ) as unknown as Meter;
};

export const addMeters = (a: Meter, b: Meter): Meter =>
  Object.fromEntries(
    Object.entries(a).map(([k, v]) => [k, v + b[k as keyof Meter]]),
  ) as unknown as Meter;
