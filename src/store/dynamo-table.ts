import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { WriteConflictError } from '../messaging/errors.js';
import type {
  QueryResult,
  TablePort,
  TransactItem,
  WriteRequest,
} from '../messaging/table-port.js';
import { type CapacityListener, toCapacityRecord } from './capacity.js';
import {
  cancellationReasons,
  isConditionalCheckFailed,
  isRetryableConflict,
  isThrottledWrite,
  toStoreError,
} from './dynamo-errors.js';

export interface DynamoTableOptions {
  tableName: string;
  onCapacity?: CapacityListener | undefined;
  /** How often a transaction that collided with a concurrent one is tried again. */
  conflictRetries?: number;
  /**
   * How long a write DynamoDB refused for throughput is tried again, with full-jitter
   * exponential backoff (0, the default: not beyond the SDK's and the conflict retries, so an
   * API request answers 503 at once). The stream consumer sets it: for pattern E throttling is
   * back-pressure, and failing would dead-letter the batch with the rows never moved
   * (docs/scale.md, the hot inbox).
   */
  throttleBudgetMs?: number;
  /** Called before each wait for a throttled write, with how long it waits. */
  onThrottled?: ((waitMs: number) => void) | undefined;
}

/**
 * The one adapter between the core and DynamoDB: sends the requests the core built and
 * turns condition failures into the domain errors each request explains.
 */
export class DynamoTable implements TablePort {
  readonly tableName: string;
  readonly #doc: DynamoDBDocumentClient;
  readonly #onCapacity: CapacityListener | undefined;
  readonly #conflictRetries: number;
  readonly #throttleBudgetMs: number;
  readonly #onThrottled: ((waitMs: number) => void) | undefined;

  constructor(doc: DynamoDBDocumentClient, options: DynamoTableOptions) {
    this.#doc = doc;
    this.tableName = options.tableName;
    this.#onCapacity = options.onCapacity;
    this.#conflictRetries = options.conflictRetries ?? 8;
    this.#throttleBudgetMs = options.throttleBudgetMs ?? 0;
    this.#onThrottled = options.onThrottled;
  }

  get #returnCapacity(): { ReturnConsumedCapacity?: 'TOTAL' } {
    return this.#onCapacity ? { ReturnConsumedCapacity: 'TOTAL' } : {};
  }

  async get<T>(input: GetCommandInput): Promise<T | undefined> {
    const output = await this.#call(() =>
      this.#doc.send(new GetCommand({ ...input, ...this.#returnCapacity })),
    );
    this.#onCapacity?.(toCapacityRecord('GetItem', 'read', output.ConsumedCapacity));
    return output.Item as T | undefined;
  }

  async query<T>(input: QueryCommandInput): Promise<QueryResult<T>> {
    const output = await this.#call(() =>
      this.#doc.send(new QueryCommand({ ...input, ...this.#returnCapacity })),
    );
    this.#onCapacity?.(toCapacityRecord('Query', 'read', output.ConsumedCapacity));
    return { items: (output.Items ?? []) as T[], lastKey: output.LastEvaluatedKey };
  }

  async scan<T>(input: ScanCommandInput): Promise<QueryResult<T>> {
    const output = await this.#call(() =>
      this.#doc.send(new ScanCommand({ ...input, ...this.#returnCapacity })),
    );
    this.#onCapacity?.(toCapacityRecord('Scan', 'read', output.ConsumedCapacity));
    return { items: (output.Items ?? []) as T[], lastKey: output.LastEvaluatedKey };
  }

  /**
   * One item: its own PutItem, DeleteItem or UpdateItem (a transaction would cost twice the
   * write units). More: TransactWriteItems, all or nothing.
   */
  async write(request: WriteRequest): Promise<void> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#writeOnce(request);
      } catch (error) {
        if (!isThrottledWrite(error)) throw error;
        const wait = Math.random() * Math.min(5_000, 100 * 2 ** attempt);
        if (performance.now() - started + wait > this.#throttleBudgetMs) throw error;
        this.#onThrottled?.(wait);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async #writeOnce(request: WriteRequest): Promise<void> {
    const [only, ...rest] = request.items;
    const single = rest.length === 0 ? singleWrite(only) : undefined;
    if (!single) return this.#transact(request);
    try {
      const output = await this.#call(() =>
        this.#doc.send(single.command(this.#returnCapacity) as never),
      );
      this.#onCapacity?.(
        toCapacityRecord(single.operation, 'write', (output as PutCommandOutput).ConsumedCapacity),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw request.explain?.([0]) ?? error;
      throw error;
    }
  }

  async #transact(request: WriteRequest): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const output = await this.#call(() =>
          this.#doc.send(
            new TransactWriteCommand({ TransactItems: request.items, ...this.#returnCapacity }),
          ),
        );
        this.#onCapacity?.(
          toCapacityRecord('TransactWriteItems', 'write', output.ConsumedCapacity),
        );
        return;
      } catch (error) {
        if (isRetryableConflict(error)) {
          if (attempt >= this.#conflictRetries) throw new WriteConflictError({ cause: error });
          await backoff(attempt);
          continue;
        }
        const failed = cancellationReasons(error)
          ?.filter((r) => r.code === 'ConditionalCheckFailed')
          .map((r) => r.index);
        if (failed && failed.length > 0) throw request.explain?.(failed) ?? error;
        throw error;
      }
    }
  }

  async #call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

/** Full jitter: concurrent losers of one race must not collide again in lockstep. */
const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** attempt)));

type CapacityOption = { ReturnConsumedCapacity?: 'TOTAL' };

/** The single-item command for a transaction item, or undefined (a ConditionCheck alone). */
const singleWrite = (item: TransactItem | undefined) => {
  if (item?.Put) {
    const input = item.Put;
    return {
      operation: 'PutItem' as const,
      command: (c: CapacityOption) => new PutCommand({ ...input, ...c } as never),
    };
  }
  if (item?.Delete) {
    const input = item.Delete;
    return {
      operation: 'DeleteItem' as const,
      command: (c: CapacityOption) => new DeleteCommand({ ...input, ...c } as never),
    };
  }
  if (item?.Update) {
    const input = item.Update;
    return {
      operation: 'UpdateItem' as const,
      command: (c: CapacityOption) => new UpdateCommand({ ...input, ...c } as never),
    };
  }
  return undefined;
};
