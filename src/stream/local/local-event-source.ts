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

/** The options with every default filled in. */
type Settings = Required<Omit<LocalEventSourceOptions, 'logger'>> & {
  logger: Pick<Console, 'error' | 'warn' | 'info'>;
};

interface ShardCursor {
  shardId: string;
  iterator: string | undefined;
}

const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

/**
 * What Lambda's event-source mapping does on AWS, for DynamoDB Local: polls the table's
 * stream, hands batches in the exact Lambda event shape to the same handler, honours
 * partial batch responses (checkpoint before the lowest failed record, retry from there),
 * gives up on a batch after bounded retries into a dead-letter sink, checkpoints durably,
 * and follows shards from parents to children.
 */
export class LocalEventSource {
  readonly #settings: Settings;
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
  #shardList: { ids: string[]; readAt: number } | undefined;

  constructor(options: LocalEventSourceOptions) {
    this.#settings = {
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
    this.#region = (await this.#settings.dynamo.config.region()) ?? 'local';
    const saved = await this.#settings.checkpoints.load();
    this.#checkpoint = saved?.streamArn === streamArn ? saved : { streamArn, shards: {} };
    this.#running = this.#pollUntilStopped(streamArn);
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
    const { tableName } = this.#settings;
    const { Table } = await this.#settings.dynamo.send(
      new DescribeTableCommand({ TableName: tableName }),
    );
    if (!Table?.LatestStreamArn || !Table.StreamSpecification?.StreamEnabled) {
      throw new Error(`Table ${tableName} has no stream enabled`);
    }
    return Table.LatestStreamArn;
  }

  async #pollUntilStopped(streamArn: string): Promise<void> {
    const cursors = new Map<string, ShardCursor>();
    let failures = 0;
    while (!this.#stopping) {
      try {
        const received = await this.#pollEveryShard(streamArn, cursors);
        failures = 0;
        if (received === 0) await this.#sleep(this.#settings.pollIntervalMs);
      } catch (error) {
        if (error instanceof CheckpointError) throw error.cause;
        // DynamoDB Local restarting, a network blip: keep the checkpoint, back off, go on.
        failures++;
        cursors.clear();
        this.#shardList = undefined;
        this.#settings.logger.warn(
          `stream: polling failed (${failures}x), retrying: ${String(error)}`,
        );
        await this.#sleep(Math.min(5_000, this.#settings.retryBaseMs * 2 ** Math.min(failures, 6)));
      }
    }
  }

  /** One round over the readable shards; returns how many records it read. */
  async #pollEveryShard(streamArn: string, cursors: Map<string, ShardCursor>): Promise<number> {
    let received = 0;
    for (const shardId of await this.#cachedReadableShards(streamArn)) {
      if (this.#stopping) break;
      const cursor = cursors.get(shardId) ?? { shardId, iterator: undefined };
      cursors.set(shardId, cursor);
      received += await this.#pollShard(streamArn, cursor);
      if (this.#checkpoint?.shards[shardId]?.ended) {
        cursors.delete(shardId);
        this.#shardList = undefined; // its children are readable now
      }
    }
    return received;
  }

  async #cachedReadableShards(streamArn: string): Promise<string[]> {
    if (!this.#shardList || Date.now() - this.#shardList.readAt >= SHARD_LIST_MAX_AGE_MS)
      this.#shardList = { ids: await this.#readableShards(streamArn), readAt: Date.now() };
    return this.#shardList.ids;
  }

  /** Open shards whose parent has been read to its end (or is gone), parents first. */
  async #readableShards(streamArn: string): Promise<string[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.#settings.streams.send(
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

  /** One batch of a shard (read within the batching window), delivered and checkpointed. */
  async #pollShard(streamArn: string, cursor: ShardCursor): Promise<number> {
    const { batch, shardEnded } = await this.#readBatch(streamArn, cursor);
    // A poll that found nothing ends a burst, unless it only found the shard's end: its
    // child shard goes on with the same messages.
    if (batch.length === 0 && !shardEnded) this.#lastDelivery.busy = false;
    if (batch.length > 0) {
      this.#lastDelivery = {
        busy: foldable(batch.filter(this.#settings.filter)) >= this.#settings.busyThreshold,
        at: Date.now(),
      };
      await this.#deliver(streamArn, cursor.shardId, batch);
    }
    if (shardEnded) {
      this.#shardCheckpoint(cursor.shardId).ended = true;
      await this.#saveCheckpoint();
    }
    return batch.length;
  }

  /** How long this poll may go on reading to fill its batch. */
  #batchingWindowMs(): number {
    const { batchingWindowMs, busyBatchingWindowMs } = this.#settings;
    if (!this.#lastDelivery.busy) return batchingWindowMs;
    return Math.max(batchingWindowMs, busyBatchingWindowMs - (Date.now() - this.#lastDelivery.at));
  }

  /**
   * GetRecords until the batch is full, the shard ends, the source stops or the batching
   * window closes (a window of 0: one read).
   */
  async #readBatch(
    streamArn: string,
    cursor: ShardCursor,
  ): Promise<{ batch: DynamoDBRecord[]; shardEnded: boolean }> {
    const batch: DynamoDBRecord[] = [];
    const windowEnds = Date.now() + this.#batchingWindowMs();
    const source = { eventSourceARN: streamArn, awsRegion: this.#region };
    for (;;) {
      const output = await this.#readOnce(
        streamArn,
        cursor,
        this.#settings.batchSize - batch.length,
      );
      batch.push(...(output.Records ?? []).map((record) => toLambdaRecord(record, source)));
      cursor.iterator = output.NextShardIterator;
      const shardEnded = !cursor.iterator;
      const full = batch.length >= this.#settings.batchSize;
      if (shardEnded || full || this.#stopping || Date.now() >= windowEnds)
        return { batch, shardEnded };
      await this.#sleep(Math.min(this.#settings.pollIntervalMs, windowEnds - Date.now()));
    }
  }

  /** One GetRecords at the cursor, taking a new iterator when the old one expired or was trimmed. */
  async #readOnce(streamArn: string, cursor: ShardCursor, limit: number) {
    for (;;) {
      cursor.iterator ??= await this.#iteratorAfterCheckpoint(streamArn, cursor.shardId);
      try {
        return await this.getRecords(cursor.iterator, limit);
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
    }
  }

  /** Exposed for fault-injection tests; otherwise the Streams API's GetRecords. */
  protected async getRecords(iterator: string, limit: number) {
    return this.#settings.streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.max(1, limit) }),
    );
  }

  /** An iterator just after the shard's checkpoint, or at its oldest record when it has none. */
  async #iteratorAfterCheckpoint(streamArn: string, shardId: string): Promise<string> {
    const after = this.#checkpoint?.shards[shardId]?.sequenceNumber;
    try {
      return await this.#getShardIterator(streamArn, shardId, after);
    } catch (error) {
      // Retrying either refusal would fail forever. DynamoDB refuses an iterator after an
      // expired record already here (DynamoDB Local only at GetRecords). With the stream and
      // shard taken from DescribeStream, a ValidationException can only mean a sequence
      // number this shard never had: the checkpoint is not of this shard. The handler is
      // idempotent, so reading the shard again from its oldest record is safe.
      if (!after) throw error;
      if (error instanceof TrimmedDataAccessException) this.#resumeAtOldest(shardId);
      else if ((error as Error).name === 'ValidationException') {
        this.#settings.logger.error(
          `stream: checkpoint ${after} is not a sequence number of ${shardId}; reading the shard from its oldest record`,
        );
        this.#shardCheckpoint(shardId).sequenceNumber = undefined;
      } else throw error;
      return this.#getShardIterator(streamArn, shardId, undefined);
    }
  }

  /** Records expired unread (a stream keeps them 24 hours): go on at the oldest, as Lambda does. */
  #resumeAtOldest(shardId: string): void {
    this.#settings.logger.error(
      `stream: records of ${shardId} expired before they were read; resuming at the oldest`,
    );
    this.#shardCheckpoint(shardId).sequenceNumber = undefined;
  }

  async #getShardIterator(
    streamArn: string,
    shardId: string,
    after: string | undefined,
  ): Promise<string> {
    const { ShardIterator } = await this.#settings.streams.send(
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

  /**
   * Lambda's semantics for one batch: filter, invoke, retry from the lowest failure, give up;
   * then checkpoint after its last record (unless stopped while retrying: the next start
   * resumes from the checkpoint).
   */
  async #deliver(streamArn: string, shardId: string, records: DynamoDBRecord[]): Promise<void> {
    const passing = records.filter(this.#settings.filter);
    if (passing.length < records.length)
      this.#settings.onFilteredOut(records.filter((r) => !passing.includes(r)));
    const finished = await this.#invokeWithRetries(streamArn, shardId, records, passing);
    const last = records.at(-1);
    if (finished && last) await this.#checkpointAfter(shardId, sequenceOf(last));
  }

  /**
   * Invokes the handler on `pending` until no record fails or the retries run out (then the
   * failed records are dead-lettered). After each failure the checkpoint moves up to the
   * lowest failed record, and the next attempt starts there. False when stopped meanwhile.
   */
  async #invokeWithRetries(
    streamArn: string,
    shardId: string,
    records: DynamoDBRecord[],
    pending: DynamoDBRecord[],
  ): Promise<boolean> {
    for (let attempt = 1; pending.length > 0; attempt++) {
      const failed = await this.#invoke(pending);
      if (failed.length === 0) return true;
      const lowest = failed.sort(compareSequenceNumbers)[0] as string;
      const before = records
        .filter((r) => compareSequenceNumbers(sequenceOf(r), lowest) < 0)
        .at(-1);
      if (before) await this.#checkpointAfter(shardId, sequenceOf(before));
      if (attempt > this.#settings.maxRetries) {
        await this.#deadLetter(streamArn, shardId, attempt, pending, failed);
        return true;
      }
      await this.#sleep(this.#settings.retryBaseMs * 2 ** (attempt - 1));
      if (this.#stopping) return false;
      pending = pending.filter((r) => compareSequenceNumbers(sequenceOf(r), lowest) >= 0);
    }
    return true;
  }

  /** The failed sequence numbers; a thrown error or a malformed answer fails the whole batch. */
  async #invoke(records: DynamoDBRecord[]): Promise<string[]> {
    const all = records.map(sequenceOf);
    try {
      const response = await this.#settings.handler({ Records: records });
      const failed = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      return failed.every((id) => all.includes(id)) ? failed : all;
    } catch (error) {
      this.#settings.logger.error(`stream: handler threw; the whole batch fails: ${String(error)}`);
      return all;
    }
  }

  async #deadLetter(
    streamArn: string,
    shardId: string,
    attempts: number,
    pending: DynamoDBRecord[],
    failed: string[],
  ): Promise<void> {
    const failedSet = new Set(failed);
    await this.#settings.deadLetters.put({
      failedAt: new Date().toISOString(),
      streamArn,
      shardId,
      attempts,
      reason: 'retries exhausted',
      records: pending.filter((r) => failedSet.has(sequenceOf(r))),
    });
    this.#settings.logger.error(
      `stream: gave up on ${failed.length} record(s) after ${attempts} attempts; dead-lettered`,
    );
  }

  /** The shard's entry in the checkpoint, created empty when it has none yet. */
  #shardCheckpoint(shardId: string) {
    const checkpoint = this.#checkpoint as Checkpoint;
    checkpoint.shards[shardId] ??= {};
    return checkpoint.shards[shardId];
  }

  /** Records the shard as done up to and including `sequenceNumber`, durably. */
  async #checkpointAfter(shardId: string, sequenceNumber: string): Promise<void> {
    this.#shardCheckpoint(shardId).sequenceNumber = sequenceNumber;
    await this.#saveCheckpoint();
  }

  async #saveCheckpoint(): Promise<void> {
    try {
      await this.#settings.checkpoints.save(this.#checkpoint as Checkpoint);
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
