import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { formatViolation } from '../../src/consistency/violations.js';
import { StoreUnavailableError } from '../../src/messaging/errors.js';
import {
  groupOfMessageKey,
  messagePartition,
  parseMessageSortKey,
} from '../../src/messaging/keys.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { scanAll } from '../../src/store/scan-all.js';
import { startLocalConsumer } from '../../src/stream/local/start-local-consumer.js';
import type { StreamObserver } from '../../src/stream/outcomes.js';
import { percentile } from './latency.js';
import type { BenchDynamo } from './local-table.js';
import { emptyMeter, type Meter, MeteringTable } from './metering-table.js';
import { naiveConsumer } from './naive-consumer.js';
import { readStateViolations } from './read-state-check.js';

/** The checker's read-state invariants, which the naive consumer (the original's) never kept. */
const READ_STATE_KINDS = new Set<string>([
  'wrong_last_message_user',
  'wrong_unread_count',
  'invalid_read_position',
  'wrong_unread_conversations',
]);

const isTimeout = (error: unknown): boolean =>
  error instanceof StoreUnavailableError || (error as { name?: string }).name === 'TimeoutError';

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
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
};

export interface LagSummary {
  messages: number;
  p50: number;
  p99: number;
  max: number;
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
  readMarks?:
    | { marked: number; failed: number; errors: string[]; p50Ms: number; p99Ms: number }
    | undefined;
  correct: boolean;
  violations: string[];
  /** Messages the load phase had acknowledged, and how many of them the table holds. */
  acknowledged: number;
  stored: number;
}

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
    consumer: 'ours' | 'naive';
    idleMessages: number;
    loadMessages: number;
    senders: number;
    markEveryMs?: number;
    /** Sends with a client_message_id, retried on a timeout (see `send`). */
    sendIds?: boolean;
  },
): Promise<PatternEResult> => {
  const marking = options.consumer === 'ours' && options.markEveryMs !== undefined;
  const tableName = await dynamo.createTable(
    `pattern-e-${options.consumer}${marking ? '-marks' : ''}`,
  );
  const { connection } = dynamo;
  const messaging = new Messaging({ table: new DynamoTable(connection.doc, { tableName }) });

  const applied = new Map<string, { sk: string; at: number }[]>();
  const observer: StreamObserver = (outcome) => {
    if (outcome.kind === 'read') return;
    const current =
      outcome.kind === 'applied' ||
      (outcome.kind === 'skipped' && outcome.reason === 'already_current');
    if (!outcome.message || !current) return;
    const group = groupOfMessageKey(outcome.message.pk);
    applied.set(group, [
      ...(applied.get(group) ?? []),
      { sk: outcome.message.sk, at: performance.now() },
    ]);
  };
  const metering = new MeteringTable(connection, tableName);
  const naive = naiveConsumer(connection.doc, tableName);
  const meter: Meter = options.consumer === 'ours' ? metering.meter : naive.meter;
  const resetMeter = () =>
    options.consumer === 'ours' ? metering.reset() : Object.assign(naive.meter, emptyMeter());
  const consumer = await startLocalConsumer({
    connection,
    tableName,
    dataDir: mkdtempSync(join(tmpdir(), 'bench-e-')),
    observer,
    table: metering,
    ...(options.consumer === 'naive' ? { handler: naive.handler } : {}),
  });

  // With a uuid and a client_message_id, so that each step can be repeated (see retrying).
  const createUser = (handle: string, displayName: string) => {
    const uuid = randomUUID();
    return retrying(() => messaging.createUser({ uuid, handle, displayName }));
  };
  const hub = await createUser('hub_user', 'Hub');
  const others: User[] = [];
  const groups: string[] = [];
  for (let i = 0; i < options.senders; i++) {
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

  const sent: { group: string; sk: string; at: number }[] = [];
  let sendRetries = 0;
  let unconfirmed = 0;
  /**
   * One message. Without a client_message_id by default, as the benchmark always sent them (one
   * PutItem): a send DynamoDB Local did not answer in time (the SDK's 2 s, on a loaded machine)
   * is then not sent again but counted as unconfirmed (written or not). With `sendIds`, such a
   * send is sent again safely with the same id; but two PutItems a send make the senders
   * slower, batches hold fewer messages per conversation, and pattern E writes about twice as
   * much per message (measured 2.5-2.7 against 1.4-1.5 item writes, runs alternating).
   */
  const send = async (sender: User, group: string, text: string) => {
    const clientMessageId = options.sendIds ? randomUUID() : undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const { message } = await messaging.sendMessage({
          sender,
          to: { messageGroupUuid: group },
          message: text,
          clientMessageId,
        });
        sent.push({ group, sk: message.sk, at: performance.now() });
        return message.sk;
      } catch (error) {
        if (!isTimeout(error) || attempt >= 8) throw error;
        if (clientMessageId === undefined) {
          unconfirmed++;
          return undefined;
        }
        sendRetries++;
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  };
  const lagSince = async (from: number): Promise<LagSummary> => {
    const phase = sent.slice(from);
    const lagOf = (m: (typeof sent)[number]) =>
      applied.get(m.group)?.find((a) => a.sk >= m.sk && a.at >= m.at - 1)?.at;
    const deadline = performance.now() + 60_000;
    while (phase.some((m) => lagOf(m) === undefined) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const values = phase
      .map((m) => (lagOf(m) ?? Number.POSITIVE_INFINITY) - m.at)
      .sort((a, b) => a - b);
    return {
      messages: values.length,
      p50: percentile(values, 50),
      p99: percentile(values, 99),
      max: Math.max(...values),
    };
  };
  const converged = async (): Promise<string[]> => {
    const deadline = performance.now() + 120_000;
    for (;;) {
      const items = await retrying(() =>
        scanAll(connection.doc, { TableName: tableName, ConsistentRead: true }),
      );
      // The naive consumer moves rows with the read state they had: only ours keeps it.
      const violations = [
        ...checkInvariants(items)
          .violations.filter((v) => options.consumer === 'ours' || !READ_STATE_KINDS.has(v.kind))
          .map(formatViolation),
        ...(options.consumer === 'ours' ? readStateViolations(items) : []),
      ];
      if (violations.length === 0 || performance.now() > deadline) return violations;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  await converged();
  let idle: LagSummary | undefined;
  if (options.consumer === 'ours' && options.idleMessages > 0) {
    const from = sent.length;
    for (let i = 0; i < options.idleMessages; i++) {
      await send(hub, groups[i % groups.length] as string, `idle ${i}`);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 60));
    }
    idle = await lagSince(from);
    await converged();
  }

  const countMessages = async () => {
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
  const storedBefore = await countMessages();
  resetMeter();
  const loadFrom = sent.length;
  const unconfirmedBefore = unconfirmed;
  const perSender = Math.ceil(options.loadMessages / options.senders);
  const newestSent = new Map<string, string>();
  let sending = true;
  const readMarks = { marked: 0, failed: 0, errors: [] as string[], p50Ms: 0, p99Ms: 0 };
  const markLatencies: number[] = [];
  const marker = (async () => {
    while (marking && sending) {
      const group = groups[Math.floor(Math.random() * groups.length)] as string;
      const newest = parseMessageSortKey(newestSent.get(group) ?? '')?.messageUuid;
      if (newest) {
        const started = performance.now();
        try {
          await messaging.markRead(hub.uuid, group, newest);
          markLatencies.push(performance.now() - started);
          readMarks.marked++;
        } catch (error) {
          readMarks.failed++;
          if (readMarks.errors.length < 5) readMarks.errors.push(String(error));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, options.markEveryMs));
    }
  })();
  await Promise.all(
    others.map(async (user, i) => {
      const group = groups[i] as string;
      for (let n = 0; n < perSender; n++) {
        const sk = await send(user, group, `load ${n}`);
        if (sk) newestSent.set(group, sk);
      }
    }),
  );
  sending = false;
  await marker;
  markLatencies.sort((a, b) => a - b);
  readMarks.p50Ms = percentile(markLatencies, 50);
  readMarks.p99Ms = percentile(markLatencies, 99);
  const load = options.consumer === 'ours' ? await lagSince(loadFrom) : undefined;
  const violations = await converged();
  const messages = sent.length - loadFrom;
  const unconfirmedInLoad = unconfirmed - unconfirmedBefore;
  const stored = (await countMessages()) - storedBefore;
  await consumer.stop();
  return {
    consumer:
      options.consumer === 'naive'
        ? 'naive (the original)'
        : marking
          ? 'pattern E, hub marking read'
          : 'pattern E (this project)',
    idle,
    load,
    loadMessages: messages,
    requestsPerMessage: meter.requests / messages,
    queriesPerMessage: meter.queries / messages,
    gsiQueriesPerMessage: meter.gsiQueries / messages,
    getsPerMessage: meter.gets / messages,
    writeRequestsPerMessage: meter.writes / messages,
    transactionsPerMessage: meter.transactions / messages,
    itemWritesPerMessage: meter.itemWrites / messages,
    awsReadUnitsPerMessage: meter.awsReadUnits / messages,
    awsWriteUnitsPerMessage: meter.awsWriteUnits / messages,
    sendRetries,
    unconfirmed: unconfirmedInLoad,
    readMarks: marking ? readMarks : undefined,
    correct: violations.length === 0,
    violations: violations.slice(0, 5),
    acknowledged: messages,
    stored,
  };
};
