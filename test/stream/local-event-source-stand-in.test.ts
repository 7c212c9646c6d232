import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DescribeStreamCommandInput,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandInput,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STREAM_DEFAULTS } from '../../src/config.js';
import { type Checkpoint, MemoryCheckpointStore } from '../../src/stream/local/checkpoint-store.js';
import {
  LocalEventSource,
  type LocalEventSourceOptions,
} from '../../src/stream/local/local-event-source.js';
import { pollUntil } from '../support/processes.js';

// DynamoDB Local cannot be made to trim records (it does so only after 24 hours) nor to list
// more shards than fit in one DescribeStream page, and its clock cannot be driven. These
// behaviours are therefore tested against a stand-in for the three Streams calls the source
// makes, which follows the documented semantics of DynamoDB Streams.

const STREAM = 'arn:aws:dynamodb:local:000000000000:table/t/stream/2026-01-01T00:00:00.000';

/** DynamoDB Local's sequence numbers: 21 digits. */
const seq = (n: number): string => String(n).padStart(21, '0');

interface StandInShard {
  id: string;
  parent?: string;
  records: _Record[];
  closed: boolean;
  /** Records with a lower sequence number have expired (the trim horizon). */
  trimmedBelow: number;
}

class StandInStreams {
  readonly shards: StandInShard[] = [];
  /** DescribeStream's page size (DynamoDB's is 100). */
  pageSize = 100;
  /**
   * DynamoDB refuses an iterator after an expired record already at GetShardIterator;
   * DynamoDB Local hands one out and refuses it at GetRecords.
   */
  refuseTrimmedIterators = false;
  readonly describeStartIds: (string | undefined)[] = [];
  readonly iteratorRequests: GetShardIteratorCommandInput[] = [];
  #next = 1;

  shard(id: string, options: { parent?: string; closed?: boolean } = {}): StandInShard {
    const shard: StandInShard = {
      id,
      records: [],
      closed: options.closed ?? false,
      trimmedBelow: 0,
      ...(options.parent ? { parent: options.parent } : {}),
    };
    this.shards.push(shard);
    return shard;
  }

  /**
   * Appends `count` message INSERTs to a shard, of one conversation unless `spread` gives each
   * its own; returns their sequence numbers.
   */
  write(shardId: string, count = 1, spread = false): string[] {
    const shard = this.#find(shardId);
    return Array.from({ length: count }, () => {
      const n = this.#next++;
      shard.records.push(messageInsert(n, spread ? `MSG#g${n}` : 'MSG#g'));
      return seq(n);
    });
  }

  /** Lets every record of the shard below `n` expire, and numbers new records from there. */
  trim(shardId: string, below: number): void {
    this.#find(shardId).trimmedBelow = below;
    this.#next = Math.max(this.#next, below);
  }

  readonly client = {
    send: async (command: unknown): Promise<unknown> => {
      // An answer arrives later, as over a network: a source that retried without pausing
      // would otherwise starve the test's own timers and hang it instead of failing it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (command instanceof DescribeStreamCommand) return this.#describe(command.input);
      if (command instanceof GetShardIteratorCommand) return this.#iterator(command.input);
      if (command instanceof GetRecordsCommand) return this.#records(command.input);
      throw new Error(`the stand-in does not answer ${String(command)}`);
    },
  } as unknown as DynamoDBStreamsClient;

  #find(shardId: string | undefined): StandInShard {
    const shard = this.shards.find((s) => s.id === shardId);
    if (!shard) throw new Error(`no shard ${shardId}`);
    return shard;
  }

  #describe(input: DescribeStreamCommandInput) {
    this.describeStartIds.push(input.ExclusiveStartShardId);
    const from = input.ExclusiveStartShardId
      ? this.shards.findIndex((s) => s.id === input.ExclusiveStartShardId) + 1
      : 0;
    const page = this.shards.slice(from, from + this.pageSize);
    const more = from + this.pageSize < this.shards.length;
    return {
      StreamDescription: {
        StreamArn: STREAM,
        Shards: page.map((s) => ({
          ShardId: s.id,
          ...(s.parent ? { ParentShardId: s.parent } : {}),
        })),
        ...(more ? { LastEvaluatedShardId: page.at(-1)?.id } : {}),
      },
    };
  }

  #iterator(input: GetShardIteratorCommandInput) {
    this.iteratorRequests.push(input);
    const shard = this.#find(input.ShardId);
    let position = shard.trimmedBelow;
    if (input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER') {
      position = Number(input.SequenceNumber) + 1;
      if (this.refuseTrimmedIterators && position < shard.trimmedBelow) throw trimmed();
    }
    return { ShardIterator: `${shard.id}@${position}` };
  }

  #records(input: GetRecordsCommandInput) {
    const [id, at] = (input.ShardIterator ?? '').split('@');
    const shard = this.#find(id);
    const position = Number(at);
    if (position < shard.trimmedBelow) throw trimmed();
    const records = shard.records
      .filter((r) => Number(r.dynamodb?.SequenceNumber) >= position)
      .slice(0, input.Limit ?? 1000);
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    const next = last ? Number(last) + 1 : position;
    const drained = !shard.records.some((r) => Number(r.dynamodb?.SequenceNumber) >= next);
    return {
      Records: records,
      NextShardIterator: shard.closed && drained ? undefined : `${shard.id}@${next}`,
    };
  }
}

const trimmed = () =>
  new TrimmedDataAccessException({ message: 'records have expired', $metadata: {} });

const messageInsert = (n: number, pk: string): _Record => ({
  eventID: `e${n}`,
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: seq(n),
    ApproximateCreationDateTime: new Date('2026-01-01T00:00:00Z'),
    Keys: { pk: { S: pk }, sk: { S: seq(n) } },
    NewImage: { item_type: { S: 'message' }, message: { S: `m${n}` } },
  },
});

const dynamo = {
  send: async () => ({
    Table: { LatestStreamArn: STREAM, StreamSpecification: { StreamEnabled: true } },
  }),
  config: { region: async () => 'local' },
} as unknown as DynamoDBClient;

interface Delivery {
  /** Date.now() when the handler was called: the fake clock's time in the window tests. */
  at: number;
  sequences: string[];
}

const sources: LocalEventSource[] = [];
afterEach(async () => {
  let stopped = false;
  const stopping = Promise.all(sources.splice(0).map((s) => s.stop())).then(() => {
    stopped = true;
  });
  // Under fake timers the source's last read waits for the clock: keep it going until it stops.
  while (vi.isFakeTimers() && !stopped) await vi.advanceTimersByTimeAsync(10);
  await stopping;
  vi.useRealTimers();
});

const startSource = async (
  streams: StandInStreams,
  options: Partial<LocalEventSourceOptions> & { saved?: Checkpoint } = {},
) => {
  const deliveries: Delivery[] = [];
  const errors: string[] = [];
  const checkpoints = new MemoryCheckpointStore();
  const { saved, ...overrides } = options;
  if (saved) await checkpoints.save(saved);
  const source = new LocalEventSource({
    dynamo,
    streams: streams.client,
    tableName: 't',
    handler: async (event) => {
      deliveries.push({
        at: Date.now(),
        sequences: event.Records.map((r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? ''),
      });
      return { batchItemFailures: [] };
    },
    checkpoints,
    deadLetters: { put: async () => {} },
    pollIntervalMs: 5,
    logger: { error: (message: string) => errors.push(message), warn: () => {}, info: () => {} },
    ...overrides,
  });
  await source.start();
  sources.push(source);
  const delivered = () => deliveries.flatMap((d) => d.sequences);
  return { source, deliveries, delivered, errors, checkpoints };
};

describe('local event source: trimmed records', () => {
  const checkpointAt = (n: number): Checkpoint => ({
    streamArn: STREAM,
    shards: { s: { sequenceNumber: seq(n) } },
  });

  for (const refuseTrimmedIterators of [false, true]) {
    const where = refuseTrimmedIterators
      ? 'GetShardIterator refuses it (DynamoDB)'
      : 'GetRecords refuses it (DynamoDB Local)';
    it(`resumes at the oldest record left when its checkpoint has expired: ${where}`, async () => {
      const streams = new StandInStreams();
      streams.refuseTrimmedIterators = refuseTrimmedIterators;
      streams.shard('s');
      streams.write('s', 3); // 1..3 were read; the checkpoint says so
      streams.write('s', 6); // 4..9 were never read, and expire while we are away
      streams.trim('s', 10);
      const kept = streams.write('s', 3);

      const { source, delivered, errors, checkpoints } = await startSource(streams, {
        saved: checkpointAt(3),
      });
      await pollUntil(() => delivered().length >= kept.length);
      await source.stop();

      expect(delivered()).toEqual(kept);
      expect(streams.iteratorRequests.map((r) => r.ShardIteratorType)).toEqual([
        'AFTER_SEQUENCE_NUMBER',
        'TRIM_HORIZON',
      ]);
      expect(errors).toEqual([expect.stringMatching(/\bs\b.*expired/)]);
      expect(await checkpoints.load()).toEqual(checkpointAt(Number(kept.at(-1))));
    });
  }

  it('resumes at the oldest record left when records expire between two reads', async () => {
    const streams = new StandInStreams();
    streams.shard('s');
    const first = streams.write('s', 2);
    const { source, delivered, errors } = await startSource(streams);
    await pollUntil(() => delivered().length === first.length);
    // The source holds an iterator positioned after record 2; records 3..4 expire unread.
    streams.write('s', 2);
    streams.trim('s', 5);
    const kept = streams.write('s', 2);
    await pollUntil(() => delivered().length === first.length + kept.length);
    await source.stop();

    expect(delivered()).toEqual([...first, ...kept]);
    expect(errors).toEqual([expect.stringMatching(/\bs\b.*expired/)]);
  });
});

describe('local event source: DescribeStream paging', () => {
  it('reads the shards of every page, and a parent on page 1 before its child on page 3', async () => {
    const streams = new StandInStreams();
    streams.pageSize = 2;
    streams.shard('a', { closed: true });
    streams.shard('b');
    streams.shard('c');
    streams.shard('d');
    streams.shard('e', { parent: 'a' });
    const child = streams.write('e', 2);
    const parent = streams.write('a', 2);
    const others = ['b', 'c', 'd'].flatMap((id) => streams.write(id, 1));

    const { source, delivered, checkpoints } = await startSource(streams);
    await pollUntil(() => delivered().length === 7);
    await source.stop();

    expect(streams.describeStartIds.slice(0, 3)).toEqual([undefined, 'b', 'd']);
    expect([...delivered()].sort()).toEqual([...child, ...parent, ...others].sort());
    const order = delivered();
    expect(Math.max(...parent.map((s) => order.indexOf(s)))).toBeLessThan(
      Math.min(...child.map((s) => order.indexOf(s))),
    );
    expect((await checkpoints.load())?.shards).toMatchObject({
      a: { ended: true },
      c: { sequenceNumber: others[1] },
      e: { sequenceNumber: child[1] },
    });
  });
});

describe('local event source: the busy batching window', () => {
  const POLL_MS = 50;
  const WINDOW_MS = 1_000;
  const BUSY = 3;
  /** "At once": the idle source's next poll, then DescribeStream and GetRecords (1 ms each). */
  const AT_ONCE_MS = POLL_MS + 2;

  // Fake timers drive the source's clock and its sleeps: every delivery below happens at an
  // exact, repeatable time, whatever the machine's speed.
  const startClocked = async (streams: StandInStreams) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const started = await startSource(streams, {
      pollIntervalMs: POLL_MS,
      busyBatchingWindowMs: WINDOW_MS,
      busyThreshold: BUSY,
    });
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    return started;
  };

  it('delivers a quiet stream at once: each lone record within one poll interval', async () => {
    const streams = new StandInStreams();
    streams.shard('s');
    const { deliveries } = await startClocked(streams);
    const written: { at: number; sequences: string[] }[] = [];
    for (let i = 0; i < 5; i++) {
      written.push({ at: Date.now(), sequences: streams.write('s') });
      await vi.advanceTimersByTimeAsync(WINDOW_MS / 4);
    }
    expect(deliveries.map((d) => d.sequences)).toEqual(written.map((w) => w.sequences));
    for (const [i, delivery] of deliveries.entries()) {
      expect(delivery.at - (written[i]?.at ?? Number.NaN)).toBeLessThanOrEqual(AT_ONCE_MS);
    }
  });

  it('while busy, delivers at most once per window, and each time all that arrived', async () => {
    const streams = new StandInStreams();
    streams.shard('s');
    const { deliveries, delivered } = await startClocked(streams);

    // A burst on a quiet stream goes at once, and makes the stream busy.
    const burstAt = Date.now();
    const burst = streams.write('s', BUSY + 2);
    await vi.advanceTimersByTimeAsync(AT_ONCE_MS);
    expect(deliveries.map((d) => d.sequences)).toEqual([burst]);
    expect(deliveries[0]?.at).toBeLessThanOrEqual(burstAt + AT_ONCE_MS);

    // Then a steady 10 records a second, for 3 s.
    const steady: string[] = [];
    for (let i = 0; i < 30; i++) {
      steady.push(...streams.write('s'));
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(2 * WINDOW_MS);

    expect(delivered()).toEqual([...burst, ...steady]);
    const gaps = deliveries.slice(1).map((d, i) => d.at - (deliveries[i]?.at ?? Number.NaN));
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    // A window ends with a read (1 ms), then the batch goes.
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(WINDOW_MS);
      expect(gap).toBeLessThan(WINDOW_MS + POLL_MS);
    }
    expect(deliveries.slice(1).every((d) => d.sequences.length >= BUSY)).toBe(true);
  });

  it('does not hold many conversations with one message each: nothing there to fold', async () => {
    const streams = new StandInStreams();
    streams.shard('s');
    const { deliveries } = await startClocked(streams);

    // Bursts of one message in each of many conversations, as 32 people each sending now and
    // then: every burst is delivered at once, as on a quiet stream.
    const written: { at: number; sequences: string[] }[] = [];
    for (let i = 0; i < 4; i++) {
      written.push({ at: Date.now(), sequences: streams.write('s', BUSY * 3, true) });
      await vi.advanceTimersByTimeAsync(WINDOW_MS / 4);
    }
    expect(deliveries.map((d) => d.sequences)).toEqual(written.map((w) => w.sequences));
    for (const [i, delivery] of deliveries.entries())
      expect(delivery.at - (written[i]?.at ?? Number.NaN)).toBeLessThanOrEqual(AT_ONCE_MS);

    // The same bursts in one conversation are held to the window: the control.
    const heldAt = Date.now();
    streams.write('s', BUSY * 3);
    await vi.advanceTimersByTimeAsync(AT_ONCE_MS);
    streams.write('s', BUSY * 3);
    await vi.advanceTimersByTimeAsync(WINDOW_MS / 4);
    expect(deliveries.at(-1)?.at).toBeLessThanOrEqual(heldAt + AT_ONCE_MS);
    expect(deliveries).toHaveLength(written.length + 1);
  });
});

describe('local event source: its defaults', () => {
  it("are npm start's (STREAM_DEFAULTS): batch size, poll interval, busy window", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { batchSize, pollIntervalMs, busyBatchingWindowMs } = STREAM_DEFAULTS;
    const streams = new StandInStreams();
    streams.shard('s');
    const deliveries: Delivery[] = [];
    const source = new LocalEventSource({
      dynamo,
      streams: streams.client,
      tableName: 't',
      handler: async (event) => {
        deliveries.push({
          at: Date.now(),
          sequences: event.Records.map((r) => r.dynamodb?.SequenceNumber ?? ''),
        });
        return { batchItemFailures: [] };
      },
      checkpoints: new MemoryCheckpointStore(),
      deadLetters: { put: async () => {} },
      logger: { error: () => {}, warn: () => {}, info: () => {} },
    });
    await source.start();
    sources.push(source);
    await vi.advanceTimersByTimeAsync(busyBatchingWindowMs);

    // More than a batch, one message per conversation (nothing to fold: not busy).
    streams.write('s', batchSize + 10, true);
    await vi.advanceTimersByTimeAsync(pollIntervalMs + 2);
    expect(deliveries.map((d) => d.sequences.length)).toEqual([batchSize, 10]);

    // A lone record on a quiet stream: at the next poll.
    const loneAt = Date.now();
    streams.write('s');
    await vi.advanceTimersByTimeAsync(pollIntervalMs + 2);
    expect(deliveries).toHaveLength(3);
    expect(deliveries[2]?.at).toBeLessThanOrEqual(loneAt + pollIntervalMs + 2);

    // A burst in one conversation makes the stream busy: the next batch waits out the window.
    streams.write('s', 20);
    await vi.advanceTimersByTimeAsync(pollIntervalMs + 2);
    const busyAt = deliveries[3]?.at ?? Number.NaN;
    streams.write('s');
    await vi.advanceTimersByTimeAsync(busyBatchingWindowMs + pollIntervalMs);
    expect(deliveries).toHaveLength(5);
    expect((deliveries[4]?.at ?? Number.NaN) - busyAt).toBeGreaterThanOrEqual(busyBatchingWindowMs);
  });
});
