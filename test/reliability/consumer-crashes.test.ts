import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { WriteConflictError } from '../../src/messaging/errors.js';
import type { Message, User } from '../../src/messaging/model.js';
import { compareSequenceNumbers } from '../../src/stream/handler.js';
import { FileCheckpointStore } from '../../src/stream/local/checkpoint-store.js';
import { pollUntil } from '../support/processes.js';
import { expectConverged } from '../support/stream.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

const KILLS = 4;
const WORKERS = 10;
/** Each worker sends this many messages while each incarnation runs: 500 in all. */
const PER_INCARNATION = 10;

const t = withTestTable();
const messaging = t.messaging();
const dataDir = mkdtempSync(join(tmpdir(), 'consumer-crashes-'));
const checkpointFile = new FileCheckpointStore(
  join(dataDir, `stream-checkpoint.${t.tableName}.json`),
);

/** One run of `npm run stream`, from its start to its SIGKILL, as its output tells it. */
interface Incarnation {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Shard positions in the checkpoint file when it started. */
  startedFrom: Record<string, string | undefined>;
  applied: number;
  /** Checkpoints it wrote after it had applied something: proof that its work became durable. */
  checkpoints: { shardId: string; sequenceNumber: string }[];
  /** Records applied since its last checkpoint: killed in the middle of a batch. */
  appliedSinceCheckpoint: number;
  output: string;
  ready: Promise<void>;
  /** Settles at its first checkpoint written after something was applied. */
  workCheckpointed: Promise<void>;
}

const incarnations: Incarnation[] = [];

/** `npm run stream` as a process of its own, on the test table. */
const startConsumer = async (): Promise<Incarnation> => {
  const saved = await checkpointFile.load();
  const startedFrom = Object.fromEntries(
    Object.entries(saved?.shards ?? {}).map(([id, position]) => [id, position.sequenceNumber]),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/stream/local/main.ts'], {
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      DDB_TABLE: t.tableName,
      DATA_DIR: dataDir,
      STREAM_POLL_INTERVAL_MS: '20',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`the consumer exited (${code ?? signal}):\n${incarnation.output}`)),
    ),
  );
  /** `signal`, or the exit that came first; our own SIGKILL ends every incarnation. */
  const unlessExited = (signal: Promise<void>): Promise<void> => {
    const first = Promise.race([signal, exited]);
    first.catch(() => undefined);
    return first;
  };
  let signalReady = () => {};
  let signalWork = () => {};
  const incarnation: Incarnation = {
    child,
    startedFrom,
    applied: 0,
    checkpoints: [],
    appliedSinceCheckpoint: 0,
    output: '',
    ready: unlessExited(new Promise((resolve) => (signalReady = resolve))),
    workCheckpointed: unlessExited(new Promise((resolve) => (signalWork = resolve))),
  };
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    incarnation.output += chunk;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    incarnation.output += `${line}\n`;
    if (line.startsWith('stream consumer:')) signalReady();
    if (!line.startsWith('{')) return;
    const entry = JSON.parse(line) as { kind: string; shardId?: string; sequenceNumber?: string };
    if (entry.kind === 'applied') {
      incarnation.applied++;
      incarnation.appliedSinceCheckpoint++;
    }
    if (entry.kind === 'checkpoint' && entry.shardId && entry.sequenceNumber) {
      incarnation.appliedSinceCheckpoint = 0;
      if (incarnation.applied === 0) return;
      incarnation.checkpoints.push({
        shardId: entry.shardId,
        sequenceNumber: entry.sequenceNumber,
      });
      signalWork();
    }
  });
  incarnations.push(incarnation);
  await incarnation.ready;
  return incarnation;
};

const kill = async ({ child }: Incarnation) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
};
afterAll(async () => {
  for (const incarnation of incarnations) await kill(incarnation);
});

/** `promise`, or a failure that shows the consumer's output if it takes longer than `ms`. */
const within = async <T>(ms: number, promise: Promise<T>, output: () => string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no work applied and checkpointed within ${ms} ms:\n${output()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
};

/** It wrote a checkpoint past where it started on some shard. */
const advanced = (incarnation: Incarnation): boolean =>
  incarnation.checkpoints.some(({ shardId, sequenceNumber }) => {
    const from = incarnation.startedFrom[shardId];
    return from === undefined || compareSequenceNumbers(sequenceNumber, from) > 0;
  });

/** A read mark as a client sends it: again when it collided with concurrent writes. */
const markRead = async (user: User, groupUuid: string, messageUuid: string): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await messaging.markRead(user.uuid, groupUuid, messageUuid);
      return;
    } catch (error) {
      if (!(error instanceof WriteConflictError) || attempt >= 20) throw error;
    }
  }
};

describe(`the stream consumer killed ${KILLS} times while 500 messages are sent and read`, () => {
  it('applies and checkpoints work in every incarnation, and converges after the last', async () => {
    const users: User[] = [];
    for (let i = 0; i < 6; i++)
      users.push(
        await messaging.createUser({ handle: uniqueHandle(`k${i}`), displayName: `K${i}` }),
      );
    const groups: string[] = [];
    /** Per conversation, every message sent; per user and conversation, what they marked. */
    const sentIn: Message[][] = [];
    const marked = new Map<string, string[]>();
    for (let i = 0; i < 5; i++) {
      const { message } = await messaging.sendMessage({
        sender: users[i] as User,
        to: { handle: (users[i + 1] as User).handle },
        message: 'start',
      });
      groups.push(message.messageGroupUuid);
      sentIn.push([message]);
    }

    let sent = 0;
    let marks = 0;
    /** Sent once the incarnation is up, so that each one has messages of its own to apply. */
    const sendSlice = (slice: number) =>
      Promise.all(
        Array.from({ length: WORKERS }, async (_, worker) => {
          for (let i = 0; i < PER_INCARNATION; i++) {
            const n = slice * PER_INCARNATION + i;
            const g = worker % 5;
            const { message } = await messaging.sendMessage({
              sender: users[g + (n % 2)] as User,
              to: { messageGroupUuid: groups[g] as string },
              message: `w${worker} n${n}`,
            });
            const conversation = sentIn[g] as Message[];
            conversation.push(message);
            sent++;
            // Every third send, the recipient reads up to some message sent so far: often an
            // older one than they read already (it changes nothing), often one pattern E has
            // not applied yet (the consumer may be dead).
            if (i % 3 === 2) {
              const reader = users[g + 1 - (n % 2)] as User;
              const target = conversation[(n * 7 + worker) % conversation.length] as Message;
              await markRead(reader, groups[g] as string, target.uuid);
              const key = `${reader.uuid} ${g}`;
              marked.set(key, [...(marked.get(key) ?? []), target.sk]);
              marks++;
            }
          }
        }),
      );

    const traffic: Promise<unknown>[] = [];
    for (let kills = 0; kills < KILLS; kills++) {
      const incarnation = await startConsumer();
      traffic.push(sendSlice(kills));
      // Killed on its own word that work was applied and made durable, never on a timer: on
      // a slow machine a timer could kill each incarnation before it did anything.
      await within(30_000, incarnation.workCheckpointed, () => incarnation.output);
      await kill(incarnation);
    }
    const last = await startConsumer();
    traffic.push(sendSlice(KILLS));
    await Promise.all(traffic);

    expect(sent).toBe(500);
    // The checker holds every row to its read state (unread counts, read positions, last
    // senders, the profiles' unread_conversations) as well as pattern E's invariants.
    const report = await expectConverged(t, 30_000);
    expect(report.messages).toBe(505);
    expect(marks).toBeGreaterThan(100);

    const unreadAtEnd: number[] = [];
    // And each count is what the test computes on its own: a read position is the newest of
    // the user's own messages and of those they marked; unread, the other's messages after it.
    for (const [u, user] of users.entries()) {
      const { items } = await messaging.listMessageGroups(user.uuid);
      const expected = [u - 1, u]
        .filter((g) => g >= 0 && g < 5)
        .map((g) => {
          const messages = sentIn[g] as Message[];
          const position = [
            ...messages.filter((m) => m.userUuid === user.uuid).map((m) => m.sk),
            ...(marked.get(`${user.uuid} ${g}`) ?? []),
          ].reduce((a, b) => (b > a ? b : a), '');
          const newest = messages.reduce((a, b) => (b.sk > a.sk ? b : a));
          return {
            messageGroupUuid: groups[g],
            sk: newest.sk,
            lastMessageUserUuid: newest.userUuid,
            unreadCount: messages.filter((m) => m.userUuid !== user.uuid && m.sk > position).length,
          };
        });
      expect(
        items
          .map(({ messageGroupUuid, sk, lastMessageUserUuid, unreadCount }) => ({
            messageGroupUuid,
            sk,
            lastMessageUserUuid,
            unreadCount,
          }))
          .sort((a, b) => a.sk.localeCompare(b.sk)),
      ).toEqual(expected.sort((a, b) => a.sk.localeCompare(b.sk)));
      expect(await messaging.unreadConversations(user.uuid)).toBe(
        expected.filter((e) => e.unreadCount > 0).length,
      );
      unreadAtEnd.push(...expected.map((e) => e.unreadCount));
    }
    console.log(`read marks: ${marks}; unread counts at the end: ${unreadAtEnd.join(', ')}`);
    // The last slice was sent after the last start: only the last incarnation could apply it
    // (its output may trail the table it wrote by a moment).
    await pollUntil(() => last.applied > 0);

    const figures = incarnations.map((i) => ({
      applied: i.applied,
      checkpoints: i.checkpoints.length,
      advanced: advanced(i),
      killedMidBatch: i.appliedSinceCheckpoint > 0,
    }));
    console.log(`consumer incarnations: ${JSON.stringify(figures)}`);
    expect(incarnations).toHaveLength(KILLS + 1);
    const killed = figures.slice(0, KILLS);
    expect(killed.filter((f) => f.applied === 0 || !f.advanced)).toEqual([]);
    // A SIGKILL loses no checkpoint: each start resumes at or after the last one printed.
    for (const [i, next] of incarnations.slice(1).entries()) {
      for (const { shardId, sequenceNumber } of incarnations[i]?.checkpoints ?? []) {
        const resumedAt = next.startedFrom[shardId];
        expect(resumedAt).toBeDefined();
        expect(compareSequenceNumbers(resumedAt ?? '', sequenceNumber)).toBeGreaterThanOrEqual(0);
      }
    }
  }, 120_000);
});
