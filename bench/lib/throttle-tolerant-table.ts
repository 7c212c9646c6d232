import { StoreUnavailableError, WriteConflictError } from '../../src/messaging/errors.js';
import type { TablePort, WriteRequest } from '../../src/messaging/table-port.js';
import { cancellationReasons } from '../../src/store/dynamo-errors.js';

const THROTTLE_CANCELLATIONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);
const THROTTLE_NAMES = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException']);

/** A write DynamoDB refused for throughput (after DynamoTable's and the SDK's own retries). */
export const isThrottled = (error: unknown): boolean => {
  const cause = (error as { cause?: unknown }).cause;
  if (error instanceof WriteConflictError)
    return (cancellationReasons(cause) ?? []).some((r) => THROTTLE_CANCELLATIONS.has(r.code));
  if (error instanceof StoreUnavailableError)
    return THROTTLE_NAMES.has(String((cause as { name?: unknown } | undefined)?.name));
  return false;
};

/**
 * The fix proposed in docs/scale.md, as a prototype the hot-inbox bench measures: a write
 * refused for throughput is back-pressure, not a failure. It is tried again with full-jitter
 * exponential backoff until `budgetMs` (under the stream function's 1-minute timeout) instead
 * of failing the conversation's records after DynamoTable's 8 quick retries, which makes the
 * batch be retried and finally dead-lettered with the inbox's rows never moved.
 */
export class ThrottleTolerantTable implements TablePort {
  readonly #inner: TablePort;
  readonly #budgetMs: number;
  /** Writes that were refused for throughput and waited, and the total wait. */
  readonly counts = { backoffs: 0, waitedMs: 0, gaveUp: 0 };

  constructor(inner: TablePort, options: { budgetMs?: number } = {}) {
    this.#inner = inner;
    this.#budgetMs = options.budgetMs ?? 50_000;
  }

  get tableName() {
    return this.#inner.tableName;
  }

  get: TablePort['get'] = (input) => this.#inner.get(input);
  query: TablePort['query'] = (input) => this.#inner.query(input);
  scan: TablePort['scan'] = (input) => this.#inner.scan(input);

  async write(request: WriteRequest): Promise<void> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#inner.write(request);
      } catch (error) {
        if (!isThrottled(error)) throw error;
        const wait = Math.random() * Math.min(5_000, 100 * 2 ** attempt);
        if (performance.now() - started + wait > this.#budgetMs) {
          this.counts.gaveUp++;
          throw error;
        }
        this.counts.backoffs++;
        this.counts.waitedMs += wait;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}
