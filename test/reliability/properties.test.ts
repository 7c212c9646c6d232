import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { createCursorCodec } from '../../src/messaging/cursor.js';
import { WriteConflictError } from '../../src/messaging/errors.js';
import { messageSortKey, pairKey, parseMessageSortKey } from '../../src/messaging/keys.js';
import type { User } from '../../src/messaging/model.js';
import { normalizeHandle, normalizeMessageText } from '../../src/messaging/validation.js';
import { createStreamHandler, type StreamHandler } from '../../src/stream/handler.js';
import { readStream } from '../support/stream.js';
import { createTestTable, newUser, type TestTable } from '../support/test-table.js';

const uuid = fc.uuid({ version: 4 });
/** Any instant DynamoDB keys can hold: years 0000-9999, to the millisecond. */
const instant = fc.date({
  min: new Date('0000-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

describe('properties of keys and cursors', () => {
  it('sort keys parse back to what built them', () => {
    fc.assert(
      fc.property(instant, uuid, (at, id) => {
        expect(parseMessageSortKey(messageSortKey(at, id))).toEqual({
          createdAt: at.toISOString(),
          messageUuid: id,
        });
      }),
    );
  });

  it('sort keys order as their instants do, whatever the uuids', () => {
    fc.assert(
      fc.property(instant, instant, uuid, uuid, (a, b, idA, idB) => {
        fc.pre(a.getTime() !== b.getTime());
        expect(messageSortKey(a, idA) < messageSortKey(b, idB)).toBe(a < b);
      }),
    );
  });

  it('a pair names one item whichever side asks', () => {
    fc.assert(
      fc.property(uuid, uuid, (a, b) => {
        expect(pairKey(a, b)).toEqual(pairKey(b, a));
      }),
    );
  });

  it('cursors round-trip within their scope and fail elsewhere', () => {
    const codec = createCursorCodec();
    fc.assert(
      fc.property(instant, uuid, fc.string(), fc.string(), (at, id, scope, other) => {
        const sk = messageSortKey(at, id);
        const cursor = codec.encode(scope, sk);
        expect(codec.decode(scope, cursor)).toBe(sk);
        if (other !== scope)
          expect(() => codec.decode(other, cursor)).toThrow(
            expect.objectContaining({ code: 'invalid_cursor' }),
          );
      }),
    );
  });

  it('any other string is refused as a cursor with invalid_cursor, never a crash', () => {
    const codec = createCursorCodec();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.base64String(),
          fc.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
        ),
        (input) => {
          expect(() => codec.decode('scope', input)).toThrow(
            expect.objectContaining({ code: 'invalid_cursor' }),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('validation either normalizes or raises a coded error, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1_100 }), (input) => {
        for (const validate of [normalizeHandle, normalizeMessageText]) {
          // Only the call is guarded: an expect inside the try would be caught as "an error".
          let outcome: { value: unknown } | { error: unknown };
          try {
            outcome = { value: validate(input) };
          } catch (error) {
            outcome = { error };
          }
          if ('value' in outcome) expect(typeof outcome.value).toBe('string');
          else expect(outcome.error).toMatchObject({ code: expect.stringMatching(/^[a-z_]+$/) });
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

/**
 * Read state under random interleavings: sends by both sides of three conversations, read
 * marks from two devices of one user (and from the others) at any message sent so far (older
 * ones included: marks are monotonic), stream batches handed to pattern E late, in any order,
 * more than once and by two consumer instances (a Lambda's cold start forgets its caches),
 * and steps run at the same time as a batch is applied. Once every record has been applied,
 * the checker must find nothing, and each row must hold what the test computes on its own:
 * a read position is the newest of the user's own messages and of the messages they marked,
 * and the unread count the other's messages after it.
 */

type Step =
  | { kind: 'send'; conversation: number; side: number; lateMs: number }
  | { kind: 'mark'; conversation: number; side: number; device: number; pick: number }
  | { kind: 'deliver'; take: number; shuffle: number; redeliver: number; consumer: number }
  | { kind: 'together'; steps: Step[]; deliver: boolean };

const CONVERSATIONS = 3;
const single = fc.oneof(
  fc.record({
    kind: fc.constant('send' as const),
    conversation: fc.nat(CONVERSATIONS - 1),
    side: fc.nat(1),
    // A slow or retried send: its key is older than messages written before it.
    lateMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 3_000 })),
  }),
  fc.record({
    kind: fc.constant('mark' as const),
    conversation: fc.nat(CONVERSATIONS - 1),
    side: fc.nat(1),
    device: fc.nat(1),
    pick: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('deliver' as const),
    take: fc.nat(8),
    shuffle: fc.nat(),
    redeliver: fc.nat(4),
    consumer: fc.nat(1),
  }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: single },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('together' as const),
      steps: fc.array(
        single.filter((s) => s.kind !== 'deliver'),
        { minLength: 2, maxLength: 5 },
      ),
      deliver: fc.boolean(),
    }),
  },
);

/** A deterministic permutation of `items` from `seed`. */
const permute = <T>(items: readonly T[], seed: number): T[] => {
  const out = [...items];
  let x = seed | 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

interface Sent {
  uuid: string;
  sk: string;
  sender: string;
}

interface Conversation {
  group: string;
  /** The two participants; side 0 of conversations 0 and 1 is the user with two devices. */
  users: [User, User];
  sent: Sent[];
  /** The sort keys each participant marked (by uuid), whether or not they moved anything. */
  marked: Map<string, string[]>;
}

/** The run of one program against a fresh table, with its own view of what must follow. */
const runProgram = async (program: Step[], finalSeed: number) => {
  const t: TestTable = await createTestTable();
  const messaging = t.messaging();
  // Two devices of Ana: two clients that share nothing but the table.
  const devices = [t.messaging(), t.messaging()] as const;
  const [ana, ben, cy] = [
    await newUser(messaging, 'ana'),
    await newUser(messaging, 'ben'),
    await newUser(messaging, 'cy'),
  ];
  const pairs: [User, User][] = [
    [ana, ben],
    [ana, cy],
    [ben, cy],
  ];
  const conversations: Conversation[] = [];
  for (const [i, [a, b]] of pairs.entries()) {
    const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
    const { message } = await messaging.sendMessage({
      sender: from,
      to: { handle: to.handle },
      message: `c${i} first`,
    });
    conversations.push({
      group: message.messageGroupUuid,
      users: [a, b],
      sent: [{ uuid: message.uuid, sk: message.sk, sender: from.uuid }],
      marked: new Map(),
    });
  }

  const consumers: StreamHandler[] = [0, 1].map(() =>
    createStreamHandler({ table: t.table, logger: { error: () => {} } }),
  );
  const records = new Map<string, DynamoDBRecord>();
  /** Not yet applied: never handed over, or reported failed. */
  const pending = new Set<string>();
  const handled = new Set<string>();
  const sequence = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? '';
  const refresh = async () => {
    for (const r of await readStream(t.connection, t.tableName)) {
      if (records.has(sequence(r))) continue;
      records.set(sequence(r), r);
      pending.add(sequence(r));
    }
  };
  const hand = async (consumer: number, batch: string[]) => {
    if (batch.length === 0) return;
    const result = await (consumers[consumer] as StreamHandler)({
      Records: batch.map((seq) => records.get(seq) as DynamoDBRecord),
    });
    const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
    for (const seq of batch) {
      handled.add(seq);
      if (failed.has(seq)) pending.add(seq);
      else pending.delete(seq);
    }
  };
  const deliver = async (s: Extract<Step, { kind: 'deliver' }>) => {
    await refresh();
    // Any pending records, not only the oldest, and some already applied ones again.
    const fresh = permute([...pending], s.shuffle).slice(0, s.take);
    const again = permute([...handled], s.shuffle + 1).slice(0, s.redeliver);
    await hand(s.consumer, permute([...fresh, ...again], s.shuffle + 2));
  };

  let conflicts = 0;
  const act = async (s: Step): Promise<void> => {
    if (s.kind === 'deliver') return deliver(s);
    if (s.kind === 'together') {
      await Promise.all([
        ...s.steps.map(act),
        ...(s.deliver
          ? [deliver({ kind: 'deliver', take: 8, shuffle: 7, redeliver: 2, consumer: 0 })]
          : []),
      ]);
      return;
    }
    const c = conversations[s.conversation] as Conversation;
    const user = c.users[s.side] as User;
    if (s.kind === 'send') {
      const sender =
        s.lateMs === 0 ? messaging : t.messaging({ clock: () => new Date(Date.now() - s.lateMs) });
      const { message } = await sender.sendMessage({
        sender: user,
        to: { messageGroupUuid: c.group },
        message: `from ${user.handle}`,
      });
      c.sent.push({ uuid: message.uuid, sk: message.sk, sender: user.uuid });
      return;
    }
    const target = c.sent[s.pick % c.sent.length] as Sent;
    const [phone, laptop] = devices;
    const client = user.uuid !== ana.uuid ? messaging : s.device === 0 ? phone : laptop;
    // As a client would: a mark that kept colliding is sent again.
    for (;;) {
      try {
        await client.markRead(user.uuid, c.group, target.uuid);
        break;
      } catch (error) {
        if (!(error instanceof WriteConflictError)) throw error;
        conflicts++;
      }
    }
    c.marked.set(user.uuid, [...(c.marked.get(user.uuid) ?? []), target.sk]);
  };

  for (const s of program) await act(s);

  // Everything still pending, in several shuffled batches by either consumer, until nothing
  // is left; then every record once more, newest first.
  for (let round = 0; ; round++) {
    await refresh();
    if (pending.size === 0) break;
    if (round > 50) throw new Error(`${pending.size} record(s) never applied`);
    const order = permute([...pending], finalSeed + round);
    for (let i = 0; i < order.length; i += 5) await hand(round % 2, order.slice(i, i + 5));
  }
  await hand(0, [...records.keys()].reverse());
  await refresh();
  expect(pending.size).toBe(0);
  return { t, messaging, conversations, users: [ana, ben, cy], conflicts };
};

/** What the test computes alone: each participant's read position and unread count. */
const expectedReadState = (c: Conversation, user: User) => {
  const own = c.sent.filter((m) => m.sender === user.uuid).map((m) => m.sk);
  const position = [...own, ...(c.marked.get(user.uuid) ?? [])].reduce(
    (a, b) => (b > a ? b : a),
    '',
  );
  const unread = c.sent.filter((m) => m.sender !== user.uuid && m.sk > position).length;
  return { position, unread };
};

describe('properties of read state (DynamoDB Local, pattern E by hand)', () => {
  it('counts stay exact whatever the interleaving of sends, marks from two devices and redelivered, reordered batches', async () => {
    let runs = 0;
    let totalConflicts = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 30 }),
        fc.nat(),
        async (program, seed) => {
          const { t, messaging, conversations, users, conflicts } = await runProgram(program, seed);
          runs++;
          totalConflicts += conflicts;
          const report = checkInvariants(await t.scanAll());
          expect(report.violations).toEqual([]);
          expect(report.messages).toBe(conversations.reduce((n, c) => n + c.sent.length, 0));

          for (const user of users) {
            const { items } = await messaging.listMessageGroups(user.uuid);
            let unreadConversations = 0;
            for (const c of conversations.filter((c) => c.users.includes(user))) {
              const expected = expectedReadState(c, user);
              const newest = c.sent.reduce((a, b) => (b.sk > a.sk ? b : a));
              const row = items.find((g) => g.messageGroupUuid === c.group);
              expect({ user: user.handle, row }).toEqual({
                user: user.handle,
                row: expect.objectContaining({
                  sk: newest.sk,
                  unreadCount: expected.unread,
                  lastMessageUserUuid: newest.sender,
                }),
              });
              if (expected.unread > 0) unreadConversations++;
              // "Seen": what the other participant reads as my position.
              const other = c.users.find((u) => u !== user) as User;
              const page = await messaging.listMessages(other.uuid, c.group, { limit: 1 });
              expect(page.otherLastReadMessageUuid).toBe(
                expected.position === ''
                  ? null
                  : (c.sent.find((m) => m.sk === expected.position)?.uuid ?? 'none'),
              );
            }
            expect(await messaging.unreadConversations(user.uuid)).toBe(unreadConversations);
          }
        },
      ),
      { numRuns: Number(process.env.READ_STATE_RUNS ?? 12), endOnFailure: true },
    );
    console.log(
      `read-state property: ${runs} run(s), ${totalConflicts} mark(s) sent again after write_conflict`,
    );
  }, 600_000);
});
