import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { formatViolation } from '../../src/consistency/violations.js';
import { StoreUnavailableError } from '../../src/messaging/errors.js';
import { messagePartition, parseMessageSortKey } from '../../src/messaging/keys.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import type { DynamoConnection } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { scanAll } from '../../src/store/scan-all.js';
import { startLocalConsumer } from '../../src/stream/local/start-local-consumer.js';
import { percentile } from './latency.js';
import type { BenchDynamo } from './local-table.js';
import { emptyMeter, type Meter, MeteringTable } from './metering-table.js';
import { naiveConsumer } from './naive-consumer.js';
import { LagClock, type LagSummary } from './pattern-e-lag.js';
import { pick } from './pick.js';
import { readStateViolations } from './read-state-check.js';

type Consumer = 'ours' | 'naive';

/** The checker's read-state invariants, which the naive consumer (the original's) never kept. */
const READ_STATE_KINDS = new Set<string>([
  'wrong_last_message_user',
  'wrong_unread_count',
  'invalid_read_position',
  'wrong_unread_conversations',
]);

const isTimeout = (error: unknown): boolean =>
  error instanceof StoreUnavailableError || (error as { name?: string }).name === 'TimeoutError';

const pause = (ms: number | undefined) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A step of the benchmark itself (setup, counting, checking) tried again when DynamoDB Local
 * did not answer within the SDK's 2 s: on a loaded shared machine it stalls for seconds at a
 * time. Every step given here is safe to repeat.
 */
const retrying = async <T>(step: () => Promise<T>, attempts = 8): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= attempts || !isTimeout(error)) throw error;
      await pause(250 * attempt);
    }
  }
};

interface ReadMarks {
  marked: number;
  failed: number;
  errors: string[];
  p50Ms: number;
  p99Ms: number;
}

export interface PatternEResult {
  consumer: 'pattern E (this project)' | 'pattern E, hub marking read' | 'naive (the original)';
  idle?: LagSummary | undefined;
  load?: LagSummary | undefined;
  loadMessages: number;
  requestsPerMessage: number;
  /** The consumer's requests per message by kind (the naive consumer counts only its own). */
  queriesPerMessage: number;
  gsiQueriesPerMessage: number;
  getsPerMessage: number;
  writeRequestsPerMessage: number;
  transactionsPerMessage: number;
  itemWritesPerMessage: number;
  awsReadUnitsPerMessage: number;
  awsWriteUnitsPerMessage: number;
  /** Sends sent again after DynamoDB Local did not answer in time (same client_message_id). */
  sendRetries: number;
  /** Load-phase sends DynamoDB Local did not answer in time, not sent again: stored or not. */
  unconfirmed: number;
  /** With `markEveryMs`: read marks by the hub during the load phase, and those that failed. */
  readMarks?: ReadMarks | undefined;
  correct: boolean;
  violations: string[];
  /** Messages the load phase had acknowledged, and how many of them the table holds. */
  acknowledged: number;
  stored: number;
}

/**
 * The stream consumer under test, on the table's real stream through the local event source
 * `npm start` runs, and the meter of the requests it sends. Ours is metered through its
 * table; the naive one counts its own requests (its handler does not take a table).
 */
const startConsumer = async (
  connection: DynamoConnection,
  tableName: string,
  consumer: Consumer,
  lag: LagClock,
) => {
  const metering = new MeteringTable(connection, tableName);
  const naive = naiveConsumer(connection.doc, tableName);
  const source = await startLocalConsumer({
    connection,
    tableName,
    dataDir: mkdtempSync(join(tmpdir(), 'bench-e-')),
    observer: lag.observer,
    table: metering,
    ...(consumer === 'naive' ? { handler: naive.handler } : {}),
  });
  return {
    stop: () => source.stop(),
    meter: (): Meter => (consumer === 'ours' ? metering.meter : naive.meter),
    resetMeter: () =>
      consumer === 'ours' ? metering.reset() : Object.assign(naive.meter, emptyMeter()),
  };
};

/**
 * The hub and one conversation with each of `senders` users, started by the hub. With a
 * uuid and a client_message_id, so that each step can be repeated (see retrying).
 */
const createConversations = async (messaging: Messaging, senders: number) => {
  const createUser = (handle: string, displayName: string) => {
    const uuid = randomUUID();
    return retrying(() => messaging.createUser({ uuid, handle, displayName }));
  };
  const hub = await createUser('hub_user', 'Hub');
  const others: User[] = [];
  const groups: string[] = [];
  for (let i = 0; i < senders; i++) {
    const other = await createUser(`sender_${i}`, `Sender ${i}`);
    const clientMessageId = randomUUID();
    const { message } = await retrying(() =>
      messaging.sendMessage({
        sender: hub,
        to: { handle: other.handle },
        message: 'hello',
        clientMessageId,
      }),
    );
    others.push(other);
    groups.push(message.messageGroupUuid);
  }
  return { hub, others, groups };
};

/**
 * Sends messages, timing each acknowledgement on the lag clock. Without a client_message_id by
 * default, as the benchmark always sent them (one PutItem): a send DynamoDB Local did not
 * answer in time (the SDK's 2 s, on a loaded machine) is then not sent again but counted as
 * unconfirmed (written or not). With `sendIds`, such a send is sent again safely with the same
 * id; but two PutItems a send make the senders slower, batches hold fewer messages per
 * conversation, and pattern E writes about twice as much per message (measured 2.5-2.7 against
 * 1.4-1.5 item writes, runs alternating).
 */
const messageSender = (messaging: Messaging, lag: LagClock, sendIds: boolean | undefined) => {
  const counts = { retries: 0, unconfirmed: 0 };
  /** The message's sort key, or undefined if unconfirmed. */
  const send = async (sender: User, group: string, text: string) => {
    const clientMessageId = sendIds ? randomUUID() : undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const { message } = await messaging.sendMessage({
          sender,
          to: { messageGroupUuid: group },
          message: text,
          clientMessageId,
        });
        lag.sent(group, message.sk);
        return message.sk;
      } catch (error) {
        if (!isTimeout(error) || attempt >= 8) throw error;
        if (clientMessageId === undefined) {
          counts.unconfirmed++;
          return undefined;
        }
        counts.retries++;
        await pause(250 * attempt);
      }
    }
  };
  return { send, counts };
};

/**
 * What the invariant checker (and, for ours, the read-state check) finds in the whole table,
 * once it finds nothing or after 120 s: the consumer may still be catching up.
 */
const violationsOnceSettled = async (
  connection: DynamoConnection,
  tableName: string,
  consumer: Consumer,
): Promise<string[]> => {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const items = await retrying(() =>
      scanAll(connection.doc, { TableName: tableName, ConsistentRead: true }),
    );
    // The naive consumer moves rows with the read state they had: only ours keeps it.
    const violations = [
      ...checkInvariants(items)
        .violations.filter((v) => consumer === 'ours' || !READ_STATE_KINDS.has(v.kind))
        .map(formatViolation),
      ...(consumer === 'ours' ? readStateViolations(items) : []),
    ];
    if (violations.length === 0 || performance.now() > deadline) return violations;
    await pause(100);
  }
};

/** Messages stored in `groups` (strongly consistent counts): stored against acknowledged. */
const countMessages = async (connection: DynamoConnection, tableName: string, groups: string[]) => {
  let total = 0;
  for (const group of groups) {
    total += await retrying(async () => {
      let count = 0;
      const pages = paginateQuery(
        { client: connection.doc },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': messagePartition(group) },
          Select: 'COUNT',
          ConsistentRead: true,
        },
      );
      for await (const page of pages) count += page.Count ?? 0;
      return count;
    });
  }
  return total;
};

/**
 * The hub marking a random conversation read up to its newest acknowledged message every
 * `everyMs`, as an open tab does, until `stop`, which returns the marks' counts and latency.
 */
const startHubMarking = (
  messaging: Messaging,
  hub: User,
  groups: string[],
  newestSent: Map<string, string>,
  everyMs: number,
) => {
  let sending = true;
  const readMarks: ReadMarks = { marked: 0, failed: 0, errors: [], p50Ms: 0, p99Ms: 0 };
  const latencies: number[] = [];
  const marker = (async () => {
    while (sending) {
      const group = pick(groups);
      const newest = parseMessageSortKey(newestSent.get(group) ?? '')?.messageUuid;
      if (newest) {
        const started = performance.now();
        try {
          await messaging.markRead(hub.uuid, group, newest);
          latencies.push(performance.now() - started);
          readMarks.marked++;
        } catch (error) {
          readMarks.failed++;
          if (readMarks.errors.length < 5) readMarks.errors.push(String(error));
        }
      }
      await pause(everyMs);
    }
  })();
  return {
    stop: async (): Promise<ReadMarks> => {
      sending = false;
      await marker;
      latencies.sort((a, b) => a - b);
      readMarks.p50Ms = percentile(latencies, 50);
      readMarks.p99Ms = percentile(latencies, 99);
      return readMarks;
    },
  };
};

/** The consumer's requests and capacity per load message, from its meter. */
const perMessage = (meter: Meter, messages: number) => ({
  requestsPerMessage: meter.requests / messages,
  queriesPerMessage: meter.queries / messages,
  gsiQueriesPerMessage: meter.gsiQueries / messages,
  getsPerMessage: meter.gets / messages,
  writeRequestsPerMessage: meter.writes / messages,
  transactionsPerMessage: meter.transactions / messages,
  itemWritesPerMessage: meter.itemWrites / messages,
  awsReadUnitsPerMessage: meter.awsReadUnits / messages,
  awsWriteUnitsPerMessage: meter.awsWriteUnits / messages,
});

/**
 * Pattern E through DynamoDB Local's real stream and the local event source `npm start` runs
 * (batch size, poll interval as configured there). Lag: from a message's write being
 * acknowledged to both group rows standing at or past it. Load: `senders` concurrent senders
 * in as many conversations. With `markEveryMs`, the hub (the recipient of every load message)
 * marks a random conversation read up to its newest acknowledged message that often during
 * the load, as an open tab does: every message then takes the recipient's row from no unread
 * to some again, and pattern E moves the profile's count with it. Correct = the invariant
 * checker finds nothing and every unread count and profile count is exact (read-state-check.ts).
 */
export const measurePatternE = async (
  dynamo: BenchDynamo,
  options: {
    consumer: Consumer;
    idleMessages: number;
    loadMessages: number;
    senders: number;
    markEveryMs?: number;
    /** Sends with a client_message_id, retried on a timeout (see `messageSender`). */
    sendIds?: boolean;
  },
): Promise<PatternEResult> => {
  const markEveryMs = options.consumer === 'ours' ? options.markEveryMs : undefined;
  const tableName = await dynamo.createTable(
    `pattern-e-${options.consumer}${markEveryMs === undefined ? '' : '-marks'}`,
  );
  const { connection } = dynamo;
  const messaging = new Messaging({ table: new DynamoTable(connection.doc, { tableName }) });
  const lag = new LagClock();
  const consumer = await startConsumer(connection, tableName, options.consumer, lag);
  const { hub, others, groups } = await createConversations(messaging, options.senders);
  const { send, counts } = messageSender(messaging, lag, options.sendIds);
  const settled = () => violationsOnceSettled(connection, tableName, options.consumer);

  await settled();
  // Idle: one sender (the hub) with pauses, so that each message is a batch of its own.
  let idle: LagSummary | undefined;
  if (options.consumer === 'ours' && options.idleMessages > 0) {
    const from = lag.sentCount;
    for (let i = 0; i < options.idleMessages; i++) {
      await send(hub, groups[i % groups.length] as string, `idle ${i}`);
      await pause(20 + Math.random() * 60);
    }
    idle = await lag.lagSince(from);
    await settled();
  }

  // Load: every other user sends to the hub at once; the meter counts this phase only.
  const storedBefore = await countMessages(connection, tableName, groups);
  consumer.resetMeter();
  const loadFrom = lag.sentCount;
  const unconfirmedBefore = counts.unconfirmed;
  const perSender = Math.ceil(options.loadMessages / options.senders);
  const newestSent = new Map<string, string>();
  const hubMarking =
    markEveryMs === undefined
      ? undefined
      : startHubMarking(messaging, hub, groups, newestSent, markEveryMs);
  await Promise.all(
    others.map(async (user, i) => {
      const group = groups[i] as string;
      for (let n = 0; n < perSender; n++) {
        const sk = await send(user, group, `load ${n}`);
        if (sk) newestSent.set(group, sk);
      }
    }),
  );
  const readMarks = await hubMarking?.stop();
  const load = options.consumer === 'ours' ? await lag.lagSince(loadFrom) : undefined;
  const violations = await settled();
  const messages = lag.sentCount - loadFrom;
  const stored = (await countMessages(connection, tableName, groups)) - storedBefore;
  await consumer.stop();
  return {
    consumer:
      options.consumer === 'naive'
        ? 'naive (the original)'
        : readMarks
          ? 'pattern E, hub marking read'
          : 'pattern E (this project)',
    idle,
    load,
    loadMessages: messages,
    ...perMessage(consumer.meter(), messages),
    sendRetries: counts.retries,
    unconfirmed: counts.unconfirmed - unconfirmedBefore,
    readMarks,
    correct: violations.length === 0,
    violations: violations.slice(0, 5),
    acknowledged: messages,
    stored,
  };
};
