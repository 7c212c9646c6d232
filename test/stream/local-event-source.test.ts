import { ExpiredIteratorException } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/messaging/model.js';
import { connectStreams } from '../../src/store/clients.js';
import type { Checkpoint } from '../../src/stream/local/checkpoint-store.js';
import { FileCheckpointStore } from '../../src/stream/local/checkpoint-store.js';
import { LocalEventSource } from '../../src/stream/local/local-event-source.js';
import { startConsumer, type TestConsumer } from '../support/consumer.js';
import { pollUntil } from '../support/processes.js';
import { expectConverged } from '../support/stream.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

const t = withTestTable();
const messaging = t.messaging();
const newUser = (name: string): Promise<User> =>
  messaging.createUser({ handle: uniqueHandle(name), displayName: name });

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
});
