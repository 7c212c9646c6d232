import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, ExpiredIteratorException } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStreamSettings } from '../../src/config.js';
import type { User } from '../../src/messaging/model.js';
import { connectStreams } from '../../src/store/clients.js';
import { dropTable, loadSchema } from '../../src/store/schema.js';
import { createStreamHandler } from '../../src/stream/handler.js';
import type { Checkpoint } from '../../src/stream/local/checkpoint-store.js';
import { FileCheckpointStore } from '../../src/stream/local/checkpoint-store.js';
import { LocalEventSource } from '../../src/stream/local/local-event-source.js';
import { startLocalConsumer } from '../../src/stream/local/start-local-consumer.js';
import { startConsumer, type TestConsumer } from '../support/consumer.js';
import { pollUntil } from '../support/processes.js';
import { expectConverged, readStream } from '../support/stream.js';
import { newUser as newUserOf, withTestTable } from '../support/test-table.js';

const t = withTestTable();
const messaging = t.messaging();
const newUser = (name: string): Promise<User> => newUserOf(messaging, name);

describe('local event source', () => {
  it('moves both users’ conversation lists to a new message within 2 s', async () => {
    const consumer = await startConsumer(t);
    const [a, b, c] = [await newUser('a'), await newUser('b'), await newUser('c')];
    await messaging.sendMessage({ sender: a, to: { handle: b.handle }, message: 'old news' });
    await messaging.sendMessage({ sender: a, to: { handle: c.handle }, message: 'to c' });
    await messaging.sendMessage({ sender: b, to: { handle: a.handle }, message: 'fresh' });
    await pollUntil(async () => {
      const [mine] = (await messaging.listMessageGroups(a.uuid)).items;
      const [theirs] = (await messaging.listMessageGroups(b.uuid)).items;
      return mine?.message === 'fresh' && theirs?.message === 'fresh';
    }, 2_000);
    expect((await messaging.listMessageGroups(a.uuid)).items.map((g) => g.handle)).toEqual([
      b.handle,
      c.handle,
    ]);
    expect(consumer.events.length).toBeGreaterThan(0);
  });

  it('hands the handler only message INSERTs, in the exact Lambda event shape', async () => {
    const consumer = await startConsumer(t);
    const [a, b] = [await newUser('a'), await newUser('b')];
    await messaging.sendMessage({ sender: a, to: { handle: b.handle }, message: 'shape' });
    await pollUntil(() =>
      consumer.outcomes.some((o) => o.kind === 'applied' || o.kind === 'skipped'),
    );
    const records = consumer.events.flatMap((e) => e.Records);
    expect(
      records.every(
        (r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage?.item_type?.S === 'message',
      ),
    ).toBe(true);
    const [record] = records;
    expect(record).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      eventSourceARN: expect.stringContaining(t.tableName),
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        SequenceNumber: expect.stringMatching(/^\d+$/),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        Keys: { pk: { S: expect.stringMatching(/^MSG#/) }, sk: { S: expect.any(String) } },
      },
    });
    expect(record?.dynamodb?.ApproximateCreationDateTime).toBeLessThan(Date.now() / 1000 + 60);
  });

  it('converges while 50 messages are sent into one conversation concurrently', async () => {
    await startConsumer(t);
    const [a, b] = [await newUser('a'), await newUser('b')];
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'go',
    });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        messaging.sendMessage({
          sender: i % 2 ? a : b,
          to: { messageGroupUuid: message.messageGroupUuid },
          message: `n${i}`,
        }),
      ),
    );
    const report = await expectConverged(t);
    expect(report.violations).toEqual([]);
    expect(
      (await messaging.listMessages(a.uuid, message.messageGroupUuid, { limit: 100 })).items,
    ).toHaveLength(51);
  });

  it('resumes after a restart from its checkpoint: not from the start, not from "latest"', async () => {
    const first = await startConsumer(t);
    const [a, b] = [await newUser('a'), await newUser('b')];
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'before',
    });
    await expectConverged(t);
    await first.source.stop();
    const saved = (await first.checkpoints.load()) as Checkpoint;
    const [savedSequence] = Object.values(saved.shards).map((s) => s.sequenceNumber);
    expect(savedSequence).toMatch(/^\d+$/);

    await messaging.sendMessage({
      sender: b,
      to: { messageGroupUuid: message.messageGroupUuid },
      message: 'while away',
    });
    const second = await startConsumer(t, { dir: first.dir });
    await expectConverged(t);
    const delivered = second.events.flatMap((e) =>
      e.Records.map((r) => r.dynamodb?.SequenceNumber ?? ''),
    );
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((s) => BigInt(s) > BigInt(savedSequence ?? '0'))).toBe(true);
    expect((await messaging.listMessageGroups(a.uuid)).items[0]?.message).toBe('while away');
  });

  it('redoes the batch when killed after its writes and before its checkpoint', async () => {
    const first = await startConsumer(t);
    await expectConverged(t);
    await first.source.stop();
    const { dir } = first;
    const store = new FileCheckpointStore(`${dir}/checkpoint.json`);
    // Dies at the first checkpoint that follows a delivery to the handler.
    let doomed: TestConsumer | undefined;
    let crashed = false;
    const crashing = {
      load: () => store.load(),
      save: async (c: Checkpoint) => {
        if (!crashed && (doomed?.events.length ?? 0) > 0) {
          crashed = true;
          throw new Error('killed before the checkpoint');
        }
        await store.save(c);
      },
    };
    doomed = await startConsumer(t, { checkpoints: crashing, dir });
    const [a, b] = [await newUser('a'), await newUser('b')];
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'first',
    });
    await messaging.sendMessage({
      sender: b,
      to: { messageGroupUuid: message.messageGroupUuid },
      message: 'second',
    });
    await expect(doomed.source.done).rejects.toThrow('killed before the checkpoint');
    const applied = doomed.events.flatMap((e) => e.Records.map((r) => r.dynamodb?.SequenceNumber));

    const restarted = await startConsumer(t, { dir });
    await expectConverged(t);
    await pollUntil(() => restarted.events.length > 0);
    const redone = restarted.events.flatMap((e) =>
      e.Records.map((r) => r.dynamodb?.SequenceNumber),
    );
    expect(redone).toEqual(expect.arrayContaining(applied));
    expect((await messaging.listMessageGroups(b.uuid)).items[0]?.message).toBe('second');
  });

  it('gets a new iterator when one expires', async () => {
    let expireOnce = true;
    class ExpiringSource extends LocalEventSource {
      protected override async getRecords(iterator: string, limit: number) {
        if (expireOnce) {
          expireOnce = false;
          throw new ExpiredIteratorException({ message: 'Iterator expired', $metadata: {} });
        }
        return super.getRecords(iterator, limit);
      }
    }
    const consumer = await startConsumer(t);
    await consumer.source.stop();
    const source = new ExpiringSource({
      dynamo: t.connection.client,
      streams: connectStreams(t.connection),
      tableName: t.tableName,
      handler: async () => ({ batchItemFailures: [] }),
      checkpoints: consumer.checkpoints,
      deadLetters: consumer.deadLetters,
      pollIntervalMs: 20,
      logger: { error: () => {}, warn: () => {}, info: () => {} },
    });
    const [a, b] = [await newUser('a'), await newUser('b')];
    await messaging.sendMessage({ sender: a, to: { handle: b.handle }, message: 'after expiry' });
    const before = JSON.stringify(await consumer.checkpoints.load());
    await source.start();
    await pollUntil(async () => JSON.stringify(await consumer.checkpoints.load()) !== before);
    await source.stop();
    expect(expireOnce).toBe(false);
  });

  it('holds a busy stream to one delivery per STREAM_BUSY_BATCHING_WINDOW_MS', async () => {
    const WINDOW_MS = 600;
    // LocalEventSource's default busyThreshold, which npm start keeps: records that fold into
    // an earlier one of their conversation. All messages here are of one conversation.
    const BUSY = 8 + 1;
    // The window counts from the source's own clock reading just before it calls the handler;
    // the handler reads the clock a moment later, by as much as a slow moment takes.
    const READING_SLACK_MS = 50;
    const [a, b] = [await newUser('a'), await newUser('b')];
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'go',
    });
    const sendTen = () =>
      Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          messaging.sendMessage({
            sender: i % 2 ? a : b,
            to: { messageGroupUuid: message.messageGroupUuid },
            message: `m${i}`,
          }),
        ),
      );
    // Sent before the consumer starts, so that its first batch is already a busy one.
    await sendTen();

    const applied = createStreamHandler({ table: t.table, logger: { error: () => {} } });
    const deliveries: { at: number; count: number }[] = [];
    const seen = new Set<string>();
    const source = await startLocalConsumer({
      connection: t.connection,
      tableName: t.tableName,
      dataDir: mkdtempSync(join(tmpdir(), 'consumer-')),
      settings: loadStreamSettings({
        STREAM_BUSY_BATCHING_WINDOW_MS: String(WINDOW_MS),
        STREAM_POLL_INTERVAL_MS: '20',
      }),
      handler: async (event) => {
        const sequences = event.Records.map((r) => r.dynamodb?.SequenceNumber ?? '');
        // A retry of failed records is the same delivery again, not a new one.
        if (sequences.some((sequence) => !seen.has(sequence))) {
          deliveries.push({ at: Date.now(), count: sequences.length });
        }
        for (const sequence of sequences) seen.add(sequence);
        return applied(event);
      },
    });
    const afterBusy = () =>
      deliveries.slice(1).flatMap((d, i) => {
        const previous = deliveries[i];
        return previous && previous.count >= BUSY ? [d.at - previous.at] : [];
      });
    let gaps: number[] = [];
    try {
      // Keep it busy, whatever the machine's speed, until three windows have been seen.
      for (let round = 0; afterBusy().length < 3; round++) {
        if (round === 100) throw new Error(`not busy enough: ${JSON.stringify(deliveries)}`);
        await sendTen();
      }
      // Taken before stopping: a stop cuts the window short to hand over what it holds.
      gaps = afterBusy();
    } finally {
      await source.stop();
    }
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(WINDOW_MS - READING_SLACK_MS);
  });

  describe('a foreign checkpoint is not applied as it is', () => {
    const { client } = t.connection;
    const streams = connectStreams(t.connection);
    afterAll(() => streams.destroy());
    const quiet = { error: () => {}, warn: () => {}, info: () => {} };

    const streamOf = async (tableName: string) => {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const arn = Table?.LatestStreamArn ?? '';
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: arn }),
      );
      return { arn, shardIds: (StreamDescription?.Shards ?? []).map((s) => s.ShardId ?? '') };
    };
    const put = (tableName: string, key: string) =>
      client.send(
        new PutItemCommand({ TableName: tableName, Item: { pk: { S: key }, sk: { S: key } } }),
      );
    const keyOf = (r: DynamoDBRecord) => r.dynamodb?.Keys?.pk?.S ?? '';

    /** A table of its own: these tests drop and recreate it, and read every record of it. */
    const withOwnTable = async (test: (tableName: string) => Promise<void>) => {
      const tableName = `test-${randomUUID()}`;
      await loadSchema(client, tableName);
      try {
        await test(tableName);
      } finally {
        await dropTable(client, tableName);
      }
    };

    /** Reads every INSERT of the table (no filter) until `until` holds, then stops. */
    const consume = async (tableName: string, store: FileCheckpointStore, until: string[]) => {
      const keys: string[] = [];
      const errors: string[] = [];
      const source = new LocalEventSource({
        dynamo: client,
        streams,
        tableName,
        handler: async (event) => {
          keys.push(...event.Records.map(keyOf));
          return { batchItemFailures: [] };
        },
        checkpoints: store,
        deadLetters: { put: async () => {} },
        filter: (r) => r.eventName === 'INSERT',
        pollIntervalMs: 20,
        logger: { ...quiet, error: (m: string) => errors.push(m) },
      });
      await source.start();
      try {
        await pollUntil(() => until.every((key) => keys.includes(key)));
      } finally {
        await source.stop();
      }
      return { keys, errors };
    };

    const newStore = () =>
      new FileCheckpointStore(join(mkdtempSync(join(tmpdir(), 'consumer-')), 'checkpoint.json'));

    it('a table recreated under the same name: its new stream is read from the start', async () => {
      await withOwnTable(async (tableName) => {
        const store = newStore();
        await put(tableName, 'before');
        await consume(tableName, store, ['before']);
        const old = await store.load();
        expect(old?.streamArn).toBe((await streamOf(tableName)).arn);

        await dropTable(client, tableName);
        await loadSchema(client, tableName);
        await put(tableName, 'after');
        const { keys } = await consume(tableName, store, ['after']);

        const fresh = await streamOf(tableName);
        expect(fresh.arn).not.toBe(old?.streamArn);
        expect(keys).toEqual(['after']);
        const saved = await store.load();
        expect(saved?.streamArn).toBe(fresh.arn);
        expect(Object.keys(saved?.shards ?? {})).toEqual(fresh.shardIds);
      });
    });

    it('a checkpoint of another table is set aside, even where it names this shard', async () => {
      await withOwnTable(async (tableName) => {
        await put(tableName, 'one');
        await put(tableName, 'two');
        const [shardId] = (await streamOf(tableName)).shardIds;
        const last = (await readStream(t.connection, tableName)).at(-1)?.dynamodb?.SequenceNumber;
        const store = newStore();
        // Were it applied, this shard would count as read to its end, and nothing would come.
        await store.save({
          streamArn: (await streamOf(t.tableName)).arn,
          shards: { [shardId ?? '']: { sequenceNumber: last ?? '', ended: true } },
        });

        const { keys } = await consume(tableName, store, ['one', 'two']);

        expect(keys).toEqual(['one', 'two']);
        expect(await store.load()).toEqual({
          streamArn: (await streamOf(tableName)).arn,
          shards: { [shardId ?? '']: { sequenceNumber: last } },
        });
      });
    });

    it('a sequence number of another shard: the shard is read from the start, and that is said', async () => {
      // Sequence numbers of DynamoDB Local count across its tables: this one is older than
      // any record of the table made next, so it cannot be of that table's shard.
      let foreign: string | undefined;
      await withOwnTable(async (elsewhere) => {
        await put(elsewhere, 'elsewhere');
        foreign = (await readStream(t.connection, elsewhere)).at(-1)?.dynamodb?.SequenceNumber;
      });
      await withOwnTable(async (tableName) => {
        await put(tableName, 'one');
        const { arn, shardIds } = await streamOf(tableName);
        const [shardId = ''] = shardIds;
        const store = newStore();
        await store.save({
          streamArn: arn,
          shards: { [shardId]: { sequenceNumber: foreign ?? '' } },
        });

        const { keys, errors } = await consume(tableName, store, ['one']);

        expect(keys).toEqual(['one']);
        expect(errors).toEqual([expect.stringContaining(shardId)]);
        const [record] = await readStream(t.connection, tableName);
        expect(await store.load()).toEqual({
          streamArn: arn,
          shards: { [shardId]: { sequenceNumber: record?.dynamodb?.SequenceNumber } },
        });
      });
    });
  });
});
