import {
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TransactItem } from '../../src/messaging/table-port.js';
import { writeUnitsByPartition } from '../../src/scale/partition-units.js';

/** DynamoDB's documented ceiling for one partition, on-demand or provisioned. */
export const PARTITION_WRITE_UNITS_PER_SECOND = 1_000;

export interface PartitionThrottleOptions {
  writeUnitsPerSecond?: number;
  /** Unused capacity a partition may save up, in seconds of its rate (a token bucket's depth). */
  burstSeconds?: number;
  now?: () => number;
}

export interface ThrottleCounts {
  admitted: number;
  throttled: number;
  /** Write units admitted and requests throttled, per partition key. */
  unitsByPartition: Map<string, number>;
  throttledByPartition: Map<string, number>;
}

/**
 * A token bucket per partition key, filled at the partition's rate. A write is admitted only
 * when every partition it touches holds its units; a throttled write consumes nothing, as on
 * DynamoDB, where a throttled request is not charged.
 */
export class PartitionThrottle {
  readonly rate: number;
  readonly #depth: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly counts: ThrottleCounts = {
    admitted: 0,
    throttled: 0,
    unitsByPartition: new Map(),
    throttledByPartition: new Map(),
  };

  constructor(options: PartitionThrottleOptions = {}) {
    this.rate = options.writeUnitsPerSecond ?? PARTITION_WRITE_UNITS_PER_SECOND;
    this.#depth = this.rate * (options.burstSeconds ?? 1);
    this.#now = options.now ?? (() => performance.now());
  }

  /** The partition keys that lack units for this write; none: admitted and charged. */
  take(units: ReadonlyMap<string, number>): string[] {
    const now = this.#now();
    const short: string[] = [];
    for (const [pk, need] of units) {
      const bucket = this.#fill(pk, now);
      if (bucket.tokens < need) short.push(pk);
    }
    if (short.length > 0) {
      this.counts.throttled++;
      for (const pk of short)
        this.counts.throttledByPartition.set(
          pk,
          (this.counts.throttledByPartition.get(pk) ?? 0) + 1,
        );
      return short;
    }
    this.counts.admitted++;
    for (const [pk, need] of units) {
      const bucket = this.#fill(pk, now);
      bucket.tokens -= need;
      this.counts.unitsByPartition.set(pk, (this.counts.unitsByPartition.get(pk) ?? 0) + need);
    }
    return [];
  }

  #fill(pk: string, now: number) {
    const bucket = this.#buckets.get(pk) ?? { tokens: this.#depth, at: now };
    bucket.tokens = Math.min(this.#depth, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.#buckets.set(pk, bucket);
    return bucket;
  }
}

type Marshalled = Record<string, unknown>;
const plain = (value: unknown): Record<string, unknown> =>
  unmarshall(value as Parameters<typeof unmarshall>[0]);

/** A low-level (marshalled) write request as the items DynamoTable built, in document form. */
const writeItemsOf = (command: string, input: Marshalled): TransactItem[] | undefined => {
  if (command === 'PutItemCommand')
    return [{ Put: { ...input, Item: plain(input.Item) } as never }];
  if (command === 'DeleteItemCommand')
    return [{ Delete: { ...input, Key: plain(input.Key) } as never }];
  if (command === 'UpdateItemCommand')
    return [{ Update: { ...input, Key: plain(input.Key) } as never }];
  if (command !== 'TransactWriteItemsCommand') return undefined;
  return ((input.TransactItems ?? []) as Marshalled[]).map((entry) => {
    const [kind, body] = Object.entries(entry)[0] as [string, Marshalled];
    const converted = body.Item
      ? { ...body, Item: plain(body.Item) }
      : { ...body, Key: plain(body.Key) };
    return { [kind]: converted } as TransactItem;
  });
};

const ON_DEMAND_THROTTLE_MESSAGE =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically ' +
  'scaling your table or index so please try again shortly.';

/**
 * What DynamoDB answers a write beyond a partition's rate: a single-item write gets
 * ProvisionedThroughputExceededException (HTTP 400, which the SDK's retry strategy treats as
 * throttling: its 500 ms backoff base and its retry quota), naming the key-range reason; a
 * transaction is cancelled as a whole, with ThrottlingError on each item of a throttled
 * partition and None on the others (the SDK does not retry it; DynamoTable does).
 */
const throttlingError = (command: string, items: TransactItem[], short: Set<string>) => {
  const $metadata = { httpStatusCode: 400 };
  if (command !== 'TransactWriteItemsCommand')
    return new ProvisionedThroughputExceededException({
      message: ON_DEMAND_THROTTLE_MESSAGE,
      $metadata,
      ThrottlingReasons: [{ reason: 'TableWriteKeyRangeThroughputExceeded' }],
    });
  const reasons = items.map((entry) => {
    const target =
      entry.Put?.Item ?? entry.Delete?.Key ?? entry.Update?.Key ?? entry.ConditionCheck?.Key;
    return short.has(String(target?.pk))
      ? { Code: 'ThrottlingError', Message: ON_DEMAND_THROTTLE_MESSAGE }
      : { Code: 'None' };
  });
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata,
    CancellationReasons: reasons,
  });
};

/**
 * Imposes `throttle` on every write `client` (and any document client made from it) sends,
 * inside the SDK's retry loop, so that each attempt is metered and throttled like DynamoDB's.
 * Returns a function that removes it.
 */
export const throttlePartitions = (client: DynamoDBClient, throttle: PartitionThrottle) => {
  const name = `partitionThrottle-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const items = writeItemsOf(command, args.input as Marshalled);
      if (items) {
        const short = throttle.take(writeUnitsByPartition(items));
        if (short.length > 0) throw throttlingError(command, items, new Set(short));
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name },
  );
  return () => client.middlewareStack.remove(name);
};
