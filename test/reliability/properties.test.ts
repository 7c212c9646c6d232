import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { createCursorCodec } from '../../src/messaging/cursor.js';
import {
  BlockedError,
  HandleTakenError,
  MessageNotFoundError,
  StaleMessageError,
  UserNotFoundError,
  WriteConflictError,
} from '../../src/messaging/errors.js';
import { messageSortKey, pairKey, parseMessageSortKey } from '../../src/messaging/keys.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import { peopleItems } from '../../src/messaging/requests/people.js';
import type { TablePort } from '../../src/messaging/table-port.js';
import { normalizeHandle, normalizeMessageText } from '../../src/messaging/validation.js';
import { createStreamHandler, type StreamHandler } from '../../src/stream/handler.js';
import { interposedTable } from '../support/interposed-table.js';
import { shuffled } from '../support/shuffled.js';
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

/** A batch handed to a consumer: some pending records, some applied ones again, shuffled. */
interface Delivery {
  take: number;
  shuffle: number;
  redeliver: number;
  consumer: number;
}

/**
 * The table's stream as the properties hand it to pattern E: two consumer instances (a
 * Lambda's cold start forgets its caches); every record stays pending until a consumer
 * applied it without reporting it failed.
 */
const streamHarness = (t: TestTable) => {
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
  return {
    deliver: async (s: Delivery) => {
      await refresh();
      // Any pending records, not only the oldest, and some already applied ones again.
      const fresh = shuffled([...pending], s.shuffle).slice(0, s.take);
      const again = shuffled([...handled], s.shuffle + 1).slice(0, s.redeliver);
      await hand(s.consumer, shuffled([...fresh, ...again], s.shuffle + 2));
    },
    /**
     * Everything still pending, in several shuffled batches by either consumer, until nothing
     * is left; then every record once more, newest first.
     */
    drain: async (seed: number) => {
      for (let round = 0; ; round++) {
        await refresh();
        if (pending.size === 0) break;
        if (round > 50) throw new Error(`${pending.size} record(s) never applied`);
        const order = shuffled([...pending], seed + round);
        for (let i = 0; i < order.length; i += 5) await hand(round % 2, order.slice(i, i + 5));
      }
      await hand(0, [...records.keys()].reverse());
      await refresh();
      expect(pending.size).toBe(0);
    },
  };
};

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

  const { deliver, drain } = streamHarness(t);

  let conflicts = 0;
  const act = async (s: Step): Promise<void> => {
    if (s.kind === 'deliver') return deliver(s);
    if (s.kind === 'together') {
      await Promise.all([
        ...s.steps.map(act),
        ...(s.deliver ? [deliver({ take: 8, shuffle: 7, redeliver: 2, consumer: 0 })] : []),
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
  await drain(finalSeed);
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

/**
 * Edits and unsends under random interleavings: sends by both sides of two conversations
 * (some late, some with a client_message_id), edits and unsends by their authors, retries of
 * sends with a client_message_id, several at once, while stream batches reach pattern E and
 * the previews' follow late, in any order, more than once and by two consumer instances (as
 * the read-state property hands them). Once every record has been applied, the checker must
 * find nothing, each group row must preview the newest message as it now is (its text, or
 * unsent), and no text a message no longer has (unsent, edited away, or refused as an edit of
 * an unsent message) may be left in any string of any item of the table.
 */

type ChangeOp =
  | {
      kind: 'send';
      conversation: number;
      side: number;
      withId: boolean;
      lateMs: number;
      client: number;
    }
  | {
      kind: 'edit' | 'unsend' | 'resend';
      conversation: number;
      side: number;
      pick: number;
      client: number;
    };
type ChangeStep =
  | ChangeOp
  | ({ kind: 'deliver' } & Delivery)
  | { kind: 'together'; ops: ChangeOp[]; deliver: boolean };

const CHANGE_CONVERSATIONS = 2;
const changeOp: fc.Arbitrary<ChangeOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      conversation: fc.nat(CHANGE_CONVERSATIONS - 1),
      side: fc.nat(1),
      withId: fc.boolean(),
      // A slow or retried send: its key is older than messages written before it.
      lateMs: fc.oneof(
        { weight: 3, arbitrary: fc.constant(0) },
        fc.integer({ min: 1, max: 3_000 }),
      ),
      client: fc.nat(1),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constantFrom('edit' as const, 'edit' as const, 'unsend' as const, 'resend' as const),
      conversation: fc.nat(CHANGE_CONVERSATIONS - 1),
      side: fc.nat(1),
      pick: fc.nat(),
      client: fc.nat(1),
    }),
  },
);
/** Changes of one message by its author at once (from either API process), maybe with a batch. */
const raceChanges: fc.Arbitrary<ChangeStep> = fc
  .record({
    conversation: fc.nat(CHANGE_CONVERSATIONS - 1),
    side: fc.nat(1),
    pick: fc.nat(),
    kinds: fc.array(fc.constantFrom('edit' as const, 'unsend' as const, 'resend' as const), {
      minLength: 2,
      maxLength: 4,
    }),
    clients: fc.array(fc.nat(1), { minLength: 4, maxLength: 4 }),
    deliver: fc.boolean(),
  })
  .map(({ conversation, side, pick, kinds, clients, deliver }) => ({
    kind: 'together' as const,
    ops: kinds.map((kind, i) => ({ kind, conversation, side, pick, client: clients[i] ?? 0 })),
    deliver,
  }));
const changeStep: fc.Arbitrary<ChangeStep> = fc.oneof(
  { weight: 5, arbitrary: changeOp },
  { weight: 2, arbitrary: raceChanges },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      take: fc.nat(8),
      shuffle: fc.nat(),
      redeliver: fc.nat(4),
      consumer: fc.nat(1),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('together' as const),
      ops: fc.array(changeOp, { minLength: 2, maxLength: 5 }),
      deliver: fc.boolean(),
    }),
  },
);

interface Changed {
  uuid: string;
  sk: string;
  author: User;
  clientMessageId: string | undefined;
  /** Every text it was sent or asked to take, each with a token (`[t<n>]`) found in no other. */
  texts: string[];
  /** What its text may be now: the last edit acknowledged, or any of those acknowledged at once. */
  current: Set<string>;
  edits: number;
  unsent: boolean;
}

interface ChangeConversation {
  group: string;
  users: [User, User];
  sent: Changed[];
}

const tokenOf = (text: string): string => text.slice(0, text.indexOf(']') + 1);

const runChangeProgram = async (program: ChangeStep[], finalSeed: number) => {
  const t: TestTable = await createTestTable();
  const setup = t.messaging();
  const stats = { sends: 0, edits: 0, refused: 0, unsends: 0, resends: 0, lost: 0, conflicts: 0 };
  // Two API processes, each with its own caches; a change that lost a race is counted.
  const table = interposedTable(t.table, {
    write: async (request) => {
      try {
        await t.table.write(request);
      } catch (error) {
        if (error instanceof StaleMessageError) stats.lost++;
        throw error;
      }
    },
  });
  const clients = [t.messaging({ table }), t.messaging({ table })] as const;
  const [ana, ben, cy] = [
    await newUser(setup, 'ana'),
    await newUser(setup, 'ben'),
    await newUser(setup, 'cy'),
  ];
  let counter = 0;
  const textBy = (user: User) => `[t${++counter}] by ${user.displayName}`;
  const conversations: ChangeConversation[] = [];
  for (const [i, [a, b]] of (
    [
      [ana, ben],
      [ben, cy],
    ] as [User, User][]
  ).entries()) {
    // Pattern C: the first conversation's first message with a claim, in its transaction.
    const text = textBy(a);
    const clientMessageId = i === 0 ? 'first-0' : undefined;
    const { message } = await setup.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: text,
      clientMessageId,
    });
    conversations.push({
      group: message.messageGroupUuid,
      users: [a, b],
      sent: [
        {
          uuid: message.uuid,
          sk: message.sk,
          author: a,
          clientMessageId,
          texts: [text],
          current: new Set([text]),
          edits: 0,
          unsent: false,
        },
      ],
    });
  }
  const { deliver, drain } = streamHarness(t);
  /** As a client does with 503 write_conflict: the same request again. */
  const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof WriteConflictError)) throw error;
        stats.conflicts++;
      }
    }
  };

  /** One op; `edited` collects the edits acknowledged in its step, `refused` those 404'd. */
  const run = async (
    op: ChangeOp,
    alone: boolean,
    edited: Map<Changed, string[]>,
    refused: Changed[],
  ): Promise<void> => {
    const c = conversations[op.conversation] as ChangeConversation;
    const user = c.users[op.side] as User;
    const client = clients[op.client] as Messaging;
    if (op.kind === 'send') {
      const text = textBy(user);
      const clientMessageId = op.withId ? `id-${counter}` : undefined;
      const sender =
        op.lateMs === 0
          ? client
          : t.messaging({ table, clock: () => new Date(Date.now() - op.lateMs) });
      const { message } = await retrying(() =>
        sender.sendMessage({
          sender: user,
          to: { messageGroupUuid: c.group },
          message: text,
          clientMessageId,
        }),
      );
      c.sent.push({
        uuid: message.uuid,
        sk: message.sk,
        author: user,
        clientMessageId,
        texts: [text],
        current: new Set([text]),
        edits: 0,
        unsent: false,
      });
      stats.sends++;
      return;
    }
    const own = c.sent.filter(
      (m) => m.author === user && (op.kind !== 'resend' || m.clientMessageId !== undefined),
    );
    const target = own[op.pick % Math.max(own.length, 1)];
    if (!target) return;
    if (op.kind === 'resend') {
      // The client never heard back: the same send again, its first text and id.
      const { message, created } = await retrying(() =>
        client.sendMessage({
          sender: user,
          to: { messageGroupUuid: c.group },
          message: target.texts[0] as string,
          clientMessageId: target.clientMessageId,
        }),
      );
      expect({ uuid: message.uuid, created }).toEqual({ uuid: target.uuid, created: false });
      if (alone) expect(message.deleted).toBe(target.unsent);
      stats.resends++;
      return;
    }
    if (op.kind === 'unsend') {
      await retrying(() => client.unsendMessage(user, c.group, target.uuid));
      target.unsent = true;
      stats.unsends++;
      return;
    }
    const text = textBy(user);
    target.texts.push(text);
    try {
      await retrying(() => client.editMessage(user, c.group, target.uuid, text));
    } catch (error) {
      if (!(error instanceof MessageNotFoundError)) throw error;
      refused.push(target);
      stats.refused++;
      return;
    }
    target.edits++;
    edited.set(target, [...(edited.get(target) ?? []), text]);
    stats.edits++;
  };

  for (const step of program) {
    if (step.kind === 'deliver') {
      await deliver(step);
      continue;
    }
    const edited = new Map<Changed, string[]>();
    const refused: Changed[] = [];
    if (step.kind === 'together')
      await Promise.all([
        ...step.ops.map((op) => run(op, false, edited, refused)),
        ...(step.deliver ? [deliver({ take: 8, shuffle: 7, redeliver: 2, consumer: 0 })] : []),
      ]);
    else await run(step, true, edited, refused);
    // Of edits at once, the last one written was acknowledged: any of them.
    for (const [m, texts] of edited) m.current = new Set(texts);
    // An edit is refused only when the message is unsent (before, or in the same step).
    for (const m of refused)
      expect({ refused: m.texts.at(-1), unsent: m.unsent }).toMatchObject({ unsent: true });
  }
  await drain(finalSeed);
  return { t, conversations, stats };
};

/** Every string in a value: attributes, lists, sets and maps alike. */
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : value instanceof Set || Array.isArray(value)
      ? [...value].flatMap(stringsIn)
      : typeof value === 'object' && value !== null
        ? Object.values(value).flatMap(stringsIn)
        : [];

describe('properties of edits and unsends (DynamoDB Local, pattern E and previews by hand)', () => {
  it('previews show each newest message as it now is, and no text taken back is left anywhere, whatever the interleaving of sends, edits, unsends and redelivered, reordered batches', async () => {
    const totals = {
      runs: 0,
      sends: 0,
      edits: 0,
      refused: 0,
      unsends: 0,
      resends: 0,
      lost: 0,
      conflicts: 0,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(changeStep, { minLength: 5, maxLength: 30 }),
        fc.nat(),
        async (program, seed) => {
          const { t, conversations, stats } = await runChangeProgram(program, seed);
          const items = await t.scanAll();
          const report = checkInvariants(items);
          expect(report.violations).toEqual([]);
          expect(report.messages).toBe(conversations.reduce((n, c) => n + c.sent.length, 0));

          const item = (pk: string, sk: string) => items.find((i) => i.pk === pk && i.sk === sk);
          /** Per message, the tokens of the texts it no longer has. */
          const gone = new Map<string, string>();
          for (const c of conversations) {
            for (const m of c.sent) {
              const stored = item(`MSG#${c.group}`, m.sk);
              // Each change is one revision: the edits acknowledged, and the unsend.
              expect({
                uuid: m.uuid,
                message: stored?.message,
                deleted: stored?.deleted === true,
                revision: stored?.revision ?? 0,
                edited: stored?.edited_at !== undefined,
              }).toEqual({
                uuid: m.uuid,
                message: m.unsent ? '' : expect.toSatisfy((text: string) => m.current.has(text)),
                deleted: m.unsent,
                revision: m.edits + (m.unsent ? 1 : 0),
                edited: !m.unsent && m.edits > 0,
              });
              for (const text of m.texts)
                if (m.unsent || text !== stored?.message) gone.set(tokenOf(text), m.uuid);
            }
            // Each participant's one row previews the newest message as it now is.
            const newest = c.sent.reduce((a, b) => (b.sk > a.sk ? b : a));
            const message = item(`MSG#${c.group}`, newest.sk);
            for (const user of c.users) {
              const rows = items.filter(
                (i) => i.pk === `GRP#${user.uuid}` && i.message_group_uuid === c.group,
              );
              expect({
                user: user.handle,
                rows: rows.map((row) => ({
                  sk: row.sk,
                  message: row.message,
                  unsent: row.message_deleted === true,
                  revision: row.preview_revision ?? 0,
                })),
              }).toEqual({
                user: user.handle,
                rows: [
                  {
                    sk: newest.sk,
                    message: newest.unsent ? '' : message?.message,
                    unsent: newest.unsent,
                    revision: message?.revision ?? 0,
                  },
                ],
              });
            }
          }
          // Not in any string of any item: messages, claims, previews, anything else.
          const left = items.flatMap((i) =>
            Object.entries(i).flatMap(([attribute, value]) =>
              stringsIn(value).flatMap((text) =>
                [...gone.keys()]
                  .filter((token) => text.includes(token))
                  .map((token) => ({ pk: i.pk, sk: i.sk, attribute, token, of: gone.get(token) })),
              ),
            ),
          );
          expect(left).toEqual([]);

          totals.runs++;
          for (const key of Object.keys(stats) as (keyof typeof stats)[]) totals[key] += stats[key];
        },
      ),
      { numRuns: Number(process.env.EDIT_RUNS ?? 30), endOnFailure: true },
    );
    console.log(
      `edit property: ${totals.runs} run(s), ${totals.sends} send(s), ${totals.edits} edit(s) and ` +
        `${totals.unsends} unsend(s) acknowledged, ${totals.refused} edit(s) of an unsent message refused, ` +
        `${totals.resends} send(s) retried with their client_message_id; ` +
        `${totals.lost} change(s) lost a race and read the message again, ` +
        `${totals.conflicts} request(s) sent again after write_conflict`,
    );
  }, 600_000);
});

/**
 * Blocking under random interleavings: blocks and unblocks by either user of six pairs, from
 * two API processes (each with its own cache of marks), at the same time as sends by handle
 * and by group uuid, and pattern C racing a block between two users who never talked. Once
 * the stream is applied, the checker must find nothing; a send that answered `blocked` wrote
 * nothing (no message, no claim of its client_message_id); every acknowledged send's message
 * is there, once, in the pair's one conversation. Steps taken one at a time must answer as
 * the blocks then standing say: a send by handle reads the pair strongly consistent, and one
 * by group uuid through the process that last blocked or unblocked sees that at once.
 */

type BlockOp =
  | { kind: 'send'; pair: number; side: number; byGroup: boolean; client: number; withId: boolean }
  | { kind: 'block' | 'unblock'; pair: number; side: number; client: number };
type BlockStep = BlockOp | { kind: 'together'; ops: BlockOp[] };

/** A step of a run: one operation, a few at once, or a race built to hit one window. */
const stepOf = <Op, Race>(op: fc.Arbitrary<Op>, race: fc.Arbitrary<Race>) =>
  fc.oneof(
    { weight: 4, arbitrary: op },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('together' as const),
        ops: fc.array(op, { minLength: 2, maxLength: 5 }),
      }),
    },
    { weight: 2, arbitrary: race },
  );

const BLOCK_USERS = ['ana', 'ben', 'cy', 'dee', 'eve'] as const;
/** Pairs of users by index: the first TALKED have a conversation from the start. */
const BLOCK_PAIRS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [1, 3],
  [2, 3],
  [0, 4],
  [3, 4],
];
const TALKED = 2;

const pairIndex = fc.nat(BLOCK_PAIRS.length - 1);
const blockOp: fc.Arbitrary<BlockOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      pair: pairIndex,
      side: fc.nat(1),
      byGroup: fc.boolean(),
      client: fc.nat(1),
      withId: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('block' as const, 'unblock' as const),
      pair: pairIndex,
      side: fc.nat(1),
      client: fc.nat(1),
    }),
  },
);
/** Pattern C against a block: first messages by handle (one or both sides) and a block, at once. */
const raceC: fc.Arbitrary<BlockStep> = fc
  .record({
    pair: fc.integer({ min: TALKED, max: BLOCK_PAIRS.length - 1 }),
    blocker: fc.nat(1),
    lift: fc.boolean(),
    senders: fc.subarray([0, 1], { minLength: 1 }),
    clients: fc.tuple(fc.nat(1), fc.nat(1), fc.nat(1)),
  })
  .map(({ pair, blocker, lift, senders, clients }) => ({
    kind: 'together' as const,
    ops: [
      { kind: 'block' as const, pair, side: blocker, client: clients[0] },
      // Sometimes the block is lifted at once too: C may then find a pair without a mark.
      ...(lift ? [{ kind: 'unblock' as const, pair, side: blocker, client: clients[0] }] : []),
      ...senders.map((side, i) => ({
        kind: 'send' as const,
        pair,
        side,
        byGroup: false,
        client: clients[i + 1] ?? 0,
        withId: i === 0,
      })),
    ],
  }));
const blockStep: fc.Arbitrary<BlockStep> = stepOf(blockOp, raceC);

interface SendRecord {
  text: string;
  pair: number;
  sender: User;
  clientMessageId: string | undefined;
  /** For a step taken alone, what the blocks standing then say it must answer. */
  expected: 'sent' | 'blocked' | undefined;
  /** A first message by handle in the same step as a block of its pair. */
  raced: boolean;
  outcome?: { kind: 'sent'; uuid: string; group: string } | { kind: 'blocked' };
}

const runBlockProgram = async (program: BlockStep[]) => {
  const t: TestTable = await createTestTable();
  const setup = t.messaging();
  // Two API processes: each caches what it read of a pair's marks (1 s).
  const clients = [t.messaging(), t.messaging()] as const;
  const users: User[] = [];
  for (const name of BLOCK_USERS) users.push(await newUser(setup, name));
  const pairUsers = (pair: number): [User, User] => {
    const [a, b] = BLOCK_PAIRS[pair] as readonly [number, number];
    return [users[a] as User, users[b] as User];
  };
  const groups = new Map<number, string>();
  for (let pair = 0; pair < TALKED; pair++) {
    const [a, b] = pairUsers(pair);
    const { message } = await setup.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: `p${pair} first`,
    });
    groups.set(pair, message.messageGroupUuid);
  }

  /** `<pair> <side>`: that side of the pair blocks the other. Exact after every step. */
  let blocks = new Set<string>();
  const isBlocked = (pair: number) => blocks.has(`${pair} 0`) || blocks.has(`${pair} 1`);
  /** The client whose block or unblock, taken alone, last changed a pair's marks. */
  const freshVia = new Map<number, number>();
  /** The blocks as the table holds them: after steps taken together, whatever won. */
  const readBlocks = async () => {
    const found = new Set<string>();
    for (const item of await t.scanAll()) {
      if (item.item_type !== 'block') continue;
      for (const [pair, [a, b]] of BLOCK_PAIRS.entries()) {
        const [ua, ub] = [users[a]?.uuid, users[b]?.uuid];
        if (item.blocker_uuid === ua && item.blocked_uuid === ub) found.add(`${pair} 0`);
        if (item.blocker_uuid === ub && item.blocked_uuid === ua) found.add(`${pair} 1`);
      }
    }
    return found;
  };

  const sends: SendRecord[] = [];
  let counter = 0;
  let conflicts = 0;
  /** As a client does with 503 write_conflict: the same request again. */
  const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof WriteConflictError)) throw error;
        conflicts++;
      }
    }
  };

  const run = async (op: BlockOp, together: BlockOp[] | undefined): Promise<void> => {
    const [a, b] = pairUsers(op.pair);
    const [me, other] = op.side === 0 ? [a, b] : [b, a];
    const client = clients[op.client] as Messaging;
    if (op.kind !== 'send') {
      await retrying(() =>
        op.kind === 'block' ? client.block(me, other.handle) : client.unblock(me, other.handle),
      );
      if (!together) {
        if (op.kind === 'block') blocks.add(`${op.pair} ${op.side}`);
        else blocks.delete(`${op.pair} ${op.side}`);
        freshVia.set(op.pair, op.client);
      }
      return;
    }
    const n = ++counter;
    const group = op.byGroup ? groups.get(op.pair) : undefined;
    const exact = !together && (group === undefined || freshVia.get(op.pair) === op.client);
    const record: SendRecord = {
      text: `p${op.pair} s${n}`,
      pair: op.pair,
      sender: me,
      clientMessageId: op.withId ? `block-${n}` : undefined,
      expected: exact ? (isBlocked(op.pair) ? 'blocked' : 'sent') : undefined,
      raced:
        group === undefined &&
        op.pair >= TALKED &&
        (together?.some((o) => o.kind === 'block' && o.pair === op.pair) ?? false),
    };
    sends.push(record);
    try {
      const { message } = await retrying(() =>
        client.sendMessage({
          sender: me,
          to: group ? { messageGroupUuid: group } : { handle: other.handle },
          message: record.text,
          ...(record.clientMessageId ? { clientMessageId: record.clientMessageId } : {}),
        }),
      );
      record.outcome = { kind: 'sent', uuid: message.uuid, group: message.messageGroupUuid };
      if (!groups.has(op.pair)) groups.set(op.pair, message.messageGroupUuid);
    } catch (error) {
      if (!(error instanceof BlockedError)) throw error;
      record.outcome = { kind: 'blocked' };
    }
  };

  for (const step of program) {
    if (step.kind !== 'together') {
      await run(step, undefined);
      continue;
    }
    await Promise.all(step.ops.map((op) => run(op, step.ops)));
    blocks = await readBlocks();
    for (const op of step.ops) freshVia.delete(op.pair);
  }

  // Pattern E over everything written, in order, batches of ten; failed records again.
  const handler = createStreamHandler({ table: t.table, logger: { error: () => {} } });
  const applied = new Set<string>();
  const sequence = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? '';
  for (let round = 0; ; round++) {
    const pending = (await readStream(t.connection, t.tableName)).filter(
      (r) => !applied.has(sequence(r)),
    );
    if (pending.length === 0) break;
    if (round > 50) throw new Error(`${pending.length} record(s) never applied`);
    for (let i = 0; i < pending.length; i += 10) {
      const batch = pending.slice(i, i + 10);
      const failed = new Set(
        (await handler({ Records: batch })).batchItemFailures.map((f) => f.itemIdentifier),
      );
      for (const r of batch) if (!failed.has(sequence(r))) applied.add(sequence(r));
    }
  }
  expect(await readBlocks()).toEqual(blocks);
  return { t, sends, groups, conflicts };
};

describe('properties of blocking (DynamoDB Local, pattern E by hand)', () => {
  it('blocks and unblocks by either user, racing sends by handle and by group uuid and first messages, leave no violation, and a blocked send writes nothing', async () => {
    const totals = {
      runs: 0,
      sent: 0,
      blocked: 0,
      racedSent: 0,
      racedBlocked: 0,
      conflicts: 0,
    };
    await fc.assert(
      fc.asyncProperty(fc.array(blockStep, { minLength: 5, maxLength: 25 }), async (program) => {
        const { t, sends, groups, conflicts } = await runBlockProgram(program);
        const items = await t.scanAll();
        expect(checkInvariants(items).violations).toEqual([]);

        const messages = items.filter((i) => i.item_type === 'message');
        const claims = new Set(
          items.filter((i) => i.item_type === 'client_message').map((i) => String(i.pk)),
        );
        for (const send of sends) {
          const stored = messages.filter((m) => m.message === send.text);
          const claimPk = `CLIENTMSG#${send.sender.uuid}#${send.clientMessageId}`;
          if (send.outcome?.kind === 'sent') {
            // Acknowledged: stored once, in the pair's one conversation.
            expect({ text: send.text, stored }).toEqual({
              text: send.text,
              stored: [
                expect.objectContaining({
                  pk: `MSG#${groups.get(send.pair)}`,
                  message_uuid: send.outcome.uuid,
                  user_uuid: send.sender.uuid,
                }),
              ],
            });
            expect(send.outcome.group).toBe(groups.get(send.pair));
          } else {
            // Refused (blocked): nothing of it was written.
            expect({ text: send.text, stored }).toEqual({ text: send.text, stored: [] });
            if (send.clientMessageId) expect(claims.has(claimPk)).toBe(false);
          }
          if (send.expected)
            expect({ text: send.text, answered: send.outcome?.kind }).toEqual({
              text: send.text,
              answered: send.expected,
            });
        }
        const sent = sends.filter((s) => s.outcome?.kind === 'sent');
        // Nothing else was written: the first messages of the pairs that talked, and these.
        expect(messages).toHaveLength(TALKED + sent.length);

        totals.runs++;
        totals.sent += sent.length;
        totals.blocked += sends.filter((s) => s.outcome?.kind === 'blocked').length;
        totals.racedSent += sends.filter((s) => s.raced && s.outcome?.kind === 'sent').length;
        totals.racedBlocked += sends.filter((s) => s.raced && s.outcome?.kind === 'blocked').length;
        totals.conflicts += conflicts;
      }),
      { numRuns: Number(process.env.BLOCK_RUNS ?? 10), endOnFailure: true },
    );
    console.log(
      `block property: ${totals.runs} run(s), ${totals.sent} send(s) stored, ${totals.blocked} answered blocked; ` +
        `first messages racing a block: ${totals.racedSent} stored, ${totals.racedBlocked} blocked; ` +
        `${totals.conflicts} request(s) sent again after write_conflict`,
    );
  }, 600_000);
});

describe('blocking: the race the property allows, step by step', () => {
  it('a first message whose claim fails on a block lifted before the pair is read again claims it again, and is sent once', async () => {
    const t = await createTestTable();
    const plain = t.messaging();
    const [ana, ben] = [await newUser(plain, 'ana'), await newUser(plain, 'ben')];
    let sprung = false;
    // Ana's send read the pair (no conversation, no mark); Ben blocks her before her claim
    // (pattern C's Update conditioned on no group_uuid and no blocked_by), and lifts it
    // before she reads the pair again: it then holds neither.
    const table: TablePort = {
      tableName: t.table.tableName,
      get: (input) => t.table.get(input),
      query: (input) => t.table.query(input),
      scan: (input) => t.table.scan(input),
      write: async (request) => {
        const claim = request.items[0]?.Update?.ConditionExpression?.includes(
          'attribute_not_exists(blocked_by)',
        );
        if (sprung || !claim) return t.table.write(request);
        sprung = true;
        await plain.block(ben, ana.handle);
        try {
          await t.table.write(request);
        } finally {
          await plain.unblock(ben, ana.handle);
        }
      },
    };
    const answer = await new Messaging({ table })
      .sendMessage({ sender: ana, to: { handle: ben.handle }, message: 'hi Ben' })
      .then(
        () => 'sent',
        (error: unknown) => (error as { code?: string }).code ?? String(error),
      );
    expect(sprung).toBe(true);
    // The block is gone: the send claimed the pair again, and wrote its message once.
    expect(answer).toBe('sent');
    const items = await t.scanAll();
    expect(items.filter((i) => i.item_type === 'message').map((i) => i.message)).toEqual([
      'hi Ben',
    ]);
    expect(items.filter((i) => i.item_type === 'conversation')).toHaveLength(1);
    expect(checkInvariants(items).violations).toEqual([]);
  });
});

/**
 * Users created while others talk (people search, issue 17): creations of a few handles,
 * several at once for one handle (in other cases, other names, from two API processes), at the
 * same time as sends by handle to those handles and replies from their new users. Once the
 * stream is applied, the checker must find nothing: every user has exactly the people items
 * of their profile, and no people item is of a user who does not exist. Of the creations of
 * one handle exactly one wins; a loser wrote nothing (no profile, no handle, no people item:
 * its transaction is all or nothing), and search never finds it. A send by handle reaches the
 * winner, or answers user_not_found when no one had the handle yet.
 */

type UserOp =
  | { kind: 'create'; handle: number; name: number; upper: boolean; client: number }
  | { kind: 'send'; from: number; handle: number; upper: boolean; client: number }
  | { kind: 'reply'; handle: number; to: number; client: number };
type UserStep = UserOp | { kind: 'together'; ops: UserOp[] };

/** Handles that share beginnings, names that share words (with each other and with Ana's). */
const NEW_HANDLES = ['kim', 'kim_lee', 'lee_park'] as const;
const NEW_NAMES = ['Kim Lee', 'KIM', 'Zoë Kim-Park', 'Lee Ørsted', 'ana Kim'] as const;
const handleIndex = fc.nat(NEW_HANDLES.length - 1);
const client = fc.nat(1);

const userOp: fc.Arbitrary<UserOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      handle: handleIndex,
      name: fc.nat(NEW_NAMES.length - 1),
      upper: fc.boolean(),
      client,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      from: fc.nat(1),
      handle: handleIndex,
      upper: fc.boolean(),
      client,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reply' as const),
      handle: handleIndex,
      to: fc.nat(1),
      client,
    }),
  },
);
/** One handle claimed several times at once, and sent to in the same moment. */
const raceCreate: fc.Arbitrary<UserStep> = fc
  .record({
    handle: handleIndex,
    names: fc.array(fc.nat(NEW_NAMES.length - 1), { minLength: 2, maxLength: 4 }),
    uppers: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    send: fc.option(fc.nat(1), { nil: undefined }),
  })
  .map(({ handle, names, uppers, send }) => ({
    kind: 'together' as const,
    ops: [
      ...names.map((name, i) => ({
        kind: 'create' as const,
        handle,
        name,
        upper: uppers[i] ?? false,
        client: i % 2,
      })),
      ...(send === undefined
        ? []
        : [{ kind: 'send' as const, from: send, handle, upper: false, client: 1 }]),
    ],
  }));
const userStep: fc.Arbitrary<UserStep> = stepOf(userOp, raceCreate);

interface CreateRecord {
  handle: number;
  user: User;
  /** For a step taken alone: whether the handle was free then. */
  expected: 'created' | 'taken' | undefined;
  outcome?: 'created' | 'taken';
}

interface UserSendRecord {
  text: string;
  sender: User;
  /** The handle sent to (a reply's: Ana's or Ben's, who exist from the start). */
  to: { handle: number } | { existing: number };
  expected: 'sent' | 'not_found' | undefined;
  outcome?: { kind: 'sent'; group: string } | { kind: 'not_found' };
}

const runUserProgram = async (program: UserStep[]) => {
  const t: TestTable = await createTestTable();
  const setup = t.messaging();
  const clients = [t.messaging(), t.messaging()] as const;
  const existing = [await newUser(setup, 'ana'), await newUser(setup, 'ben')] as const;
  await setup.sendMessage({
    sender: existing[0],
    to: { handle: existing[1].handle },
    message: 'hi',
  });

  /** The user who holds each handle, once their creation has answered. */
  const winners = new Map<number, User>();
  const creates: CreateRecord[] = [];
  const sends: UserSendRecord[] = [];
  let counter = 0;
  let conflicts = 0;
  const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof WriteConflictError)) throw error;
        conflicts++;
      }
    }
  };

  const run = async (op: UserOp, alone: boolean): Promise<void> => {
    const messaging = clients[op.client] as Messaging;
    const handle = NEW_HANDLES[op.handle] as string;
    if (op.kind === 'create') {
      const record: CreateRecord = {
        handle: op.handle,
        user: {
          uuid: randomUUID(),
          handle,
          displayName: NEW_NAMES[op.name] as string,
        },
        expected: alone ? (winners.has(op.handle) ? 'taken' : 'created') : undefined,
      };
      creates.push(record);
      try {
        const user = await retrying(() =>
          messaging.createUser({
            ...record.user,
            handle: op.upper ? handle.toUpperCase() : handle,
          }),
        );
        expect(user).toEqual(record.user);
        record.outcome = 'created';
        winners.set(op.handle, user);
      } catch (error) {
        if (!(error instanceof HandleTakenError)) throw error;
        record.outcome = 'taken';
      }
      return;
    }
    const n = ++counter;
    if (op.kind === 'reply') {
      const sender = winners.get(op.handle);
      if (!sender) return; // No one has the handle yet: nothing to reply from.
      const to = existing[op.to] as User;
      const record: UserSendRecord = {
        text: `reply ${n}`,
        sender,
        to: { existing: op.to },
        expected: 'sent',
      };
      sends.push(record);
      const { message } = await retrying(() =>
        messaging.sendMessage({ sender, to: { handle: to.handle }, message: record.text }),
      );
      record.outcome = { kind: 'sent', group: message.messageGroupUuid };
      return;
    }
    const sender = existing[op.from] as User;
    const record: UserSendRecord = {
      text: `send ${n}`,
      sender,
      to: { handle: op.handle },
      expected: alone ? (winners.has(op.handle) ? 'sent' : 'not_found') : undefined,
    };
    sends.push(record);
    try {
      const { message } = await retrying(() =>
        messaging.sendMessage({
          sender,
          to: { handle: op.upper ? handle.toUpperCase() : handle },
          message: record.text,
        }),
      );
      record.outcome = { kind: 'sent', group: message.messageGroupUuid };
    } catch (error) {
      if (!(error instanceof UserNotFoundError)) throw error;
      record.outcome = { kind: 'not_found' };
    }
  };

  for (const step of program) {
    if (step.kind === 'together') await Promise.all(step.ops.map((op) => run(op, false)));
    else await run(step, true);
  }

  // Pattern E over everything written, batches of ten; failed records again.
  const handler = createStreamHandler({ table: t.table, logger: { error: () => {} } });
  const applied = new Set<string>();
  const sequence = (r: DynamoDBRecord) => r.dynamodb?.SequenceNumber ?? '';
  for (let round = 0; ; round++) {
    const pending = (await readStream(t.connection, t.tableName)).filter(
      (r) => !applied.has(sequence(r)),
    );
    if (pending.length === 0) break;
    if (round > 50) throw new Error(`${pending.length} record(s) never applied`);
    for (let i = 0; i < pending.length; i += 10) {
      const batch = pending.slice(i, i + 10);
      const failed = new Set(
        (await handler({ Records: batch })).batchItemFailures.map((f) => f.itemIdentifier),
      );
      for (const r of batch) if (!failed.has(sequence(r))) applied.add(sequence(r));
    }
  }
  return { t, existing, winners, creates, sends, conflicts };
};

const peopleKeysOf = (items: readonly { pk?: unknown; sk?: unknown }[]) =>
  items.map((i) => `${String(i.pk)} ${String(i.sk)}`).sort();

describe('properties of users created while others talk (DynamoDB Local, pattern E by hand)', () => {
  it('racing creations of one handle leave one user with exactly their people items, the losers nothing, and sends by handle reach the winner or no one', async () => {
    const totals = { runs: 0, created: 0, taken: 0, racedTaken: 0, notFound: 0, conflicts: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(userStep, { minLength: 4, maxLength: 16 }), async (program) => {
        const { t, existing, winners, creates, sends, conflicts } = await runUserProgram(program);
        const items = await t.scanAll();
        expect(checkInvariants(items).violations).toEqual([]);

        for (const [index, handle] of NEW_HANDLES.entries()) {
          const attempts = creates.filter((c) => c.handle === index);
          const won = attempts.filter((c) => c.outcome === 'created');
          // Claimed at all: exactly one creation won, and it is the user the table holds.
          expect({ handle, won: won.length }).toEqual({
            handle,
            won: attempts.length > 0 ? 1 : 0,
          });
          const winner = winners.get(index);
          expect(winner).toEqual(won[0]?.user);
          const people = items.filter(
            (i) =>
              i.item_type === 'people_token' &&
              (i.sk === `H#${handle}` || String(i.sk).endsWith(`#${handle}`)),
          );
          expect({ handle, people: peopleKeysOf(people) }).toEqual({
            handle,
            people: peopleKeysOf(winner ? peopleItems(winner) : []),
          });
          if (winner) expect(people).toEqual(expect.arrayContaining(peopleItems(winner)));
        }
        // A loser wrote nothing: its uuid is nowhere in the table, and search never finds it.
        const losers = creates.filter((c) => c.outcome === 'taken').map((c) => c.user.uuid);
        expect(
          items.filter(
            (i) => losers.includes(String(i.user_uuid)) || losers.some((u) => i.pk === `USER#${u}`),
          ),
        ).toEqual([]);
        const known = new Map(
          [...existing, ...winners.values()].map((u) => [u.uuid, u] as [string, User]),
        );
        const searcher = t.messaging();
        for (const text of [...NEW_HANDLES, 'kim', 'lee', 'zoe', 'park', 'orsted', 'ana']) {
          for (const found of await searcher.findUsers(undefined, text, 20))
            expect({ text, found }).toEqual({ text, found: known.get(found.uuid) });
        }
        for (const winner of winners.values())
          expect(await searcher.findUsers(undefined, winner.handle, 20)).toContainEqual(winner);

        const messages = items.filter((i) => i.item_type === 'message');
        const conversations = items.filter((i) => i.item_type === 'conversation');
        for (const send of sends) {
          const stored = messages.filter((m) => m.message === send.text);
          if (send.expected)
            expect({ text: send.text, answered: send.outcome?.kind }).toEqual({
              text: send.text,
              answered: send.expected,
            });
          if (send.outcome?.kind !== 'sent') {
            expect({ text: send.text, stored }).toEqual({ text: send.text, stored: [] });
            continue;
          }
          const recipient =
            'handle' in send.to ? winners.get(send.to.handle) : existing[send.to.existing];
          expect(recipient).toBeDefined();
          // Stored once, in the conversation of the sender and the handle's one user.
          expect({ text: send.text, stored }).toEqual({
            text: send.text,
            stored: [
              expect.objectContaining({
                pk: `MSG#${send.outcome.group}`,
                user_uuid: send.sender.uuid,
              }),
            ],
          });
          const { group } = send.outcome;
          const conversation = conversations.find((c) => c.group_uuid === group);
          expect([...((conversation?.participant_uuids as string[]) ?? [])].sort()).toEqual(
            [send.sender.uuid, recipient?.uuid].sort(),
          );
        }

        totals.runs++;
        totals.created += creates.filter((c) => c.outcome === 'created').length;
        totals.taken += losers.length;
        totals.racedTaken += creates.filter(
          (c) => c.outcome === 'taken' && c.expected === undefined,
        ).length;
        totals.notFound += sends.filter((s) => s.outcome?.kind === 'not_found').length;
        totals.conflicts += conflicts;
      }),
      { numRuns: Number(process.env.USER_RUNS ?? 10), endOnFailure: true },
    );
    console.log(
      `users property: ${totals.runs} run(s), ${totals.created} user(s) created, ${totals.taken} creation(s) answered handle_taken ` +
        `(${totals.racedTaken} racing another), ${totals.notFound} send(s) answered user_not_found; ` +
        `${totals.conflicts} request(s) sent again after write_conflict`,
    );
  }, 600_000);
});
