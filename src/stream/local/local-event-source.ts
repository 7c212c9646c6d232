import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { STREAM_DEFAULTS } from '../../config.js';
import { passesStreamFilters } from '../filter.js';
import { compareSequenceNumbers, type StreamHandler } from '../handler.js';
import type { Checkpoint, CheckpointStore } from './checkpoint-store.js';
import type { DeadLetterSink } from './dead-letters.js';
import { toLambdaRecord } from './lambda-record.js';

export interface LocalEventSourceOptions {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  handler: StreamHandler;
  checkpoints: CheckpointStore;
  deadLetters: DeadLetterSink;
  /** Lambda's BatchSize. Each setting of `StreamSettings` defaults to STREAM_DEFAULTS. */
  batchSize?: number;
  /** Lambda's MaximumBatchingWindowInSeconds, in ms. */
  batchingWindowMs?: number;
  /**
   * The window while the stream is busy (the previous batch held at least `busyThreshold`
   * records for the handler that share their partition key with an earlier record of the
   * batch): a busy conversation's messages then arrive in one batch and cost one update, while
   * a quiet stream, or a stream of many conversations with one message each (nothing to fold,
   * so waiting would only add lag), is still delivered at once. Lambda has one window for
   * both; locally we can do better. It counts from the start of the previous delivery:
   * records that arrived while the handler ran have waited already.
   */
  busyBatchingWindowMs?: number;
  busyThreshold?: number;
  /** How long to wait before polling a shard that had nothing new. */
  pollIntervalMs?: number;
  /** Lambda's MaximumRetryAttempts: retries of a failing batch before it is dead-lettered. */
  maxRetries?: number;
  retryBaseMs?: number;
  /** Same role as the mapping's FilterCriteria. */
  filter?: (record: DynamoDBRecord) => boolean;
  /** Sees what the filter dropped (the inspector shows those records too). */
  onFilteredOut?: (records: DynamoDBRecord[]) => void;
  logger?: Pick<Console, 'error' | 'warn' | 'info'>;
}

const SHARD_LIST_MAX_AGE_MS = 1_000;

interface ShardCursor {
  shardId: string;
  iterator: string | undefined;
}

/**
 * What Lambda's event-source mapping does on AWS, for DynamoDB Local: polls the table's
 * stream, hands batches in the exact Lambda event shape to the same handler, honours
 * partial batch responses (checkpoint before the lowest failed record, retry from there),
 * gives up on a batch after bounded retries into a dead-letter sink, checkpoints durably,
 * and follows shards from parents to children.
 */
export class LocalEventSource {
  readonly #o: Required<Omit<LocalEventSourceOptions, 'logger'>> & {
    logger: Pick<Console, 'error' | 'warn' | 'info'>;
  };
  #stopping = false;
  #wake: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #checkpoint: Checkpoint | undefined;
  #region = 'local';
  /**
   * The last delivery: whether it was busy (see busyThreshold), and when it was handed to the
   * handler. Kept for the stream, not per shard: when a shard ends mid-burst its child goes on
   * with the same stream of messages, and must wait out the same window.
   */
  #lastDelivery: { busy: boolean; at: number } = { busy: false, at: 0 };
  /** The shard list, read again at most once a second (DescribeStream would double the idle polling). */
  #shards: { ids: string[]; readAt: number } | undefined;

  constructor(options: LocalEventSourceOptions) {
    this.#o = {
      ...STREAM_DEFAULTS,
      busyThreshold: 8,
      retryBaseMs: 100,
      filter: passesStreamFilters,
      onFilteredOut: () => {},
      logger: console,
      ...options,
    };
  }

  /** Starts polling; resolves once the stream is found. `done` settles when polling ends. */
  async start(): Promise<void> {
    const streamArn = await this.#streamArn();
    this.#region = (await this.#o.dynamo.config.region()) ?? 'local';
    const saved = await this.#o.checkpoints.load();
    this.#checkpoint = saved?.streamArn === streamArn ? saved : { streamArn, shards: {} };
    this.#running = this.#loop(streamArn);
    // Whoever starts it watches `done`; until then a failure must not crash the process.
    this.#running.catch(() => undefined);
  }

  /** Settles when polling has ended: after stop(), or with the error that ended it. */
  get done(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /** Finishes the batch in hand, checkpoints it and stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running?.catch(() => undefined);
  }

  async #streamArn(): Promise<string> {
    const { Table } = await this.#o.dynamo.send(
      new DescribeTableCommand({ TableName: this.#o.tableName }),
    );
    if (!Table?.LatestStreamArn || !Table.StreamSpecification?.StreamEnabled) {
      throw new Error(`Table ${this.#o.tableName} has no stream enabled`);
    }
    return Table.LatestStreamArn;
  }

  async #loop(streamArn: string): Promise<void> {
    const cursors = new Map<string, ShardCursor>();
    let failures = 0;
    while (!this.#stopping) {
      try {
        const shards = await this.#cachedReadableShards(streamArn);
        let received = 0;
        for (const shard of shards) {
          if (this.#stopping) break;
          const cursor = cursors.get(shard) ?? { shardId: shard, iterator: undefined };
          cursors.set(shard, cursor);
          received += await this.#pollShard(streamArn, cursor);
          if (this.#checkpoint?.shards[shard]?.ended) {
            cursors.delete(shard);
            this.#shards = undefined; // its children are readable now
          }
        }
        failures = 0;
        if (received === 0) await this.#sleep(this.#o.pollIntervalMs);
      } catch (error) {
        if (error instanceof CheckpointError) throw error.cause;
        // DynamoDB Local restarting, a network blip: keep the checkpoint, back off, go on.
        failures++;
        cursors.clear();
        this.#shards = undefined;
        this.#o.logger.warn(`stream: polling failed (${failures}x), retrying: ${String(error)}`);
        await this.#sleep(Math.min(5_000, this.#o.retryBaseMs * 2 ** Math.min(failures, 6)));
      }
    }
  }

  async #cachedReadableShards(streamArn: string): Promise<string[]> {
    if (!this.#shards || Date.now() - this.#shards.readAt >= SHARD_LIST_MAX_AGE_MS)
      this.#shards = { ids: await this.#readableShards(streamArn), readAt: Date.now() };
    return this.#shards.ids;
  }

  /** Open shards whose parent has been read to its end (or is gone), parents first. */
  async #readableShards(streamArn: string): Promise<string[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.#o.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    const known = new Set(shards.map((s) => s.ShardId));
    const state = this.#checkpoint?.shards ?? {};
    return shards
      .filter((s) => s.ShardId && !state[s.ShardId]?.ended)
      .filter(
        (s) => !s.ParentShardId || !known.has(s.ParentShardId) || state[s.ParentShardId]?.ended,
      )
      .map((s) => s.ShardId as string);
  }

  /** One GetRecords round (plus the batching window); returns how many records it read. */
  async #pollShard(streamArn: string, cursor: ShardCursor): Promise<number> {
    const batch: DynamoDBRecord[] = [];
    const window = this.#lastDelivery.busy
      ? Math.max(
          this.#o.batchingWindowMs,
          this.#o.busyBatchingWindowMs - (Date.now() - this.#lastDelivery.at),
        )
      : this.#o.batchingWindowMs;
    const windowEnds = Date.now() + window;
    let shardEnded = false;
    for (;;) {
      cursor.iterator ??= await this.#iterator(streamArn, cursor.shardId);
      let output: Awaited<ReturnType<typeof this.getRecords>>;
      try {
        output = await this.getRecords(cursor.iterator, this.#o.batchSize - batch.length);
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          cursor.iterator = undefined;
          continue;
        }
        if (error instanceof TrimmedDataAccessException) {
          this.#resumeAtOldest(cursor.shardId);
          cursor.iterator = undefined;
          continue;
        }
        throw error;
      }
      const source = { eventSourceARN: streamArn, awsRegion: this.#region };
      batch.push(...(output.Records ?? []).map((record) => toLambdaRecord(record, source)));
      cursor.iterator = output.NextShardIterator;
      if (!cursor.iterator) shardEnded = true;
      const full = batch.length >= this.#o.batchSize;
      if (shardEnded || full || this.#stopping || Date.now() >= windowEnds) break;
      await this.#sleep(Math.min(this.#o.pollIntervalMs, windowEnds - Date.now()));
    }
    // A poll that found nothing ends a burst, unless it only found the shard's end: its
    // child shard goes on with the same messages.
    if (batch.length === 0 && !shardEnded) this.#lastDelivery.busy = false;
    if (batch.length > 0) {
      this.#lastDelivery = {
        busy: foldable(batch.filter(this.#o.filter)) >= this.#o.busyThreshold,
        at: Date.now(),
      };
      await this.#deliver(streamArn, cursor.shardId, batch);
    }
    if (shardEnded) {
      this.#shardState(cursor.shardId).ended = true;
      await this.#save();
    }
    return batch.length;
  }

  /** Exposed for fault-injection tests; otherwise the Streams API's GetRecords. */
  protected async getRecords(iterator: string, limit: number) {
    return this.#o.streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.max(1, limit) }),
    );
  }

  async #iterator(streamArn: string, shardId: string): Promise<string> {
    const after = this.#checkpoint?.shards[shardId]?.sequenceNumber;
    try {
      return await this.#shardIterator(streamArn, shardId, after);
    } catch (error) {
      // Retrying either refusal would fail forever. DynamoDB refuses an iterator after an
      // expired record already here (DynamoDB Local only at GetRecords). With the stream and
      // shard taken from DescribeStream, a ValidationException can only mean a sequence
      // number this shard never had: the checkpoint is not of this shard. The handler is
      // idempotent, so reading the shard again from its oldest record is safe.
      if (!after) throw error;
      if (error instanceof TrimmedDataAccessException) this.#resumeAtOldest(shardId);
      else if ((error as Error).name === 'ValidationException') {
        this.#o.logger.error(
          `stream: checkpoint ${after} is not a sequence number of ${shardId}; reading the shard from its oldest record`,
        );
        this.#shardState(shardId).sequenceNumber = undefined;
      } else throw error;
      return this.#shardIterator(streamArn, shardId, undefined);
    }
  }

  /** Records expired unread (a stream keeps them 24 hours): go on at the oldest, as Lambda does. */
  #resumeAtOldest(shardId: string): void {
    this.#o.logger.error(
      `stream: records of ${shardId} expired before they were read; resuming at the oldest`,
    );
    this.#shardState(shardId).sequenceNumber = undefined;
  }

  async #shardIterator(
    streamArn: string,
    shardId: string,
    after: string | undefined,
  ): Promise<string> {
    const { ShardIterator } = await this.#o.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        // TRIM_HORIZON, never LATEST: LATEST loses what was written while we were away.
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    if (!ShardIterator) throw new Error(`No iterator for shard ${shardId}`);
    return ShardIterator;
  }

  /** Lambda's semantics for one batch: filter, invoke, retry from the lowest failure, give up. */
  async #deliver(streamArn: string, shardId: string, records: DynamoDBRecord[]): Promise<void> {
    const sequenceOf = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? '';
    let pending = records.filter(this.#o.filter);
    if (pending.length < records.length)
      this.#o.onFilteredOut(records.filter((r) => !pending.includes(r)));
    for (let attempt = 1; pending.length > 0; attempt++) {
      const failed = await this.#invoke(pending);
      if (failed.length === 0) break;
      const lowest = failed.sort(compareSequenceNumbers)[0] as string;
      const before = records
        .filter((r) => compareSequenceNumbers(sequenceOf(r), lowest) < 0)
        .at(-1);
      if (before) await this.#advance(shardId, sequenceOf(before));
      if (attempt > this.#o.maxRetries) {
        const failedSet = new Set(failed);
        await this.#o.deadLetters.put({
          failedAt: new Date().toISOString(),
          streamArn,
          shardId,
          attempts: attempt,
          reason: 'retries exhausted',
          records: pending.filter((r) => failedSet.has(sequenceOf(r))),
        });
        this.#o.logger.error(
          `stream: gave up on ${failed.length} record(s) after ${attempt} attempts; dead-lettered`,
        );
        break;
      }
      await this.#sleep(this.#o.retryBaseMs * 2 ** (attempt - 1));
      if (this.#stopping) return; // resume from the checkpoint at the next start
      pending = pending.filter((r) => compareSequenceNumbers(sequenceOf(r), lowest) >= 0);
    }
    const last = records.at(-1);
    if (last) await this.#advance(shardId, sequenceOf(last));
  }

  /** The failed sequence numbers; a thrown error or a malformed answer fails the whole batch. */
  async #invoke(records: DynamoDBRecord[]): Promise<string[]> {
    const all = records.map((r) => r.dynamodb?.SequenceNumber ?? '');
    try {
      const response = await this.#o.handler({ Records: records });
      const failed = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      return failed.every((id) => all.includes(id)) ? failed : all;
    } catch (error) {
      this.#o.logger.error(`stream: handler threw; the whole batch fails: ${String(error)}`);
      return all;
    }
  }

  #shardState(shardId: string) {
    const checkpoint = this.#checkpoint as Checkpoint;
    checkpoint.shards[shardId] ??= {};
    return checkpoint.shards[shardId];
  }

  async #advance(shardId: string, sequenceNumber: string): Promise<void> {
    this.#shardState(shardId).sequenceNumber = sequenceNumber;
    await this.#save();
  }

  async #save(): Promise<void> {
    try {
      await this.#o.checkpoints.save(this.#checkpoint as Checkpoint);
    } catch (error) {
      throw new CheckpointError(error);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopping || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** A checkpoint that cannot be written ends polling: going on would redo work unboundedly. */
class CheckpointError extends Error {
  constructor(override readonly cause: unknown) {
    super('checkpoint failed', { cause });
  }
}

/**
 * How many records share their item collection (partition key) with an earlier record of the
 * batch: the ones pattern E folds into another (one update per conversation per batch).
 */
const foldable = (records: readonly DynamoDBRecord[]): number =>
  records.length - new Set(records.map((record) => record.dynamodb?.Keys?.pk?.S)).size;
