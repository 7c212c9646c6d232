import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import pMap from 'p-map';
import { auditTable } from '../../src/consistency/audit-table.js';
import { formatViolation } from '../../src/consistency/violations.js';
import { StoreUnavailableError } from '../../src/messaging/errors.js';
import type { MessageGroupItem } from '../../src/messaging/items.js';
import { groupOfMessageKey, messageGroupPartition } from '../../src/messaging/keys.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import { queryAll } from '../../src/messaging/table-port.js';
import { connectDynamo } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { DeadLetterFile } from '../../src/stream/local/dead-letters.js';
import { startLocalConsumer } from '../../src/stream/local/start-local-consumer.js';
import type { StreamObserver } from '../../src/stream/outcomes.js';
import { streamTable } from '../../src/stream/stream-table.js';
import { percentile } from './latency.js';
import type { BenchDynamo } from './local-table.js';
import { PartitionThrottle, throttlePartitions } from './partition-throttle.js';

export type HotInboxConsumer = 'no budget' | 'as built';

export interface HotInboxOptions {
  /** Conversations into the one inbox, each with its own sender. */
  conversations: number;
  /** Messages a second offered, spread round-robin over the conversations. */
  rate: number;
  seconds: number;
  /** The imposed partition limit (DynamoDB's: 1,000). */
  writeUnitsPerSecond: number;
  /**
   * `as built`: the stream consumer's table, which backs off on throttling for up to
   * STREAM_THROTTLE_BUDGET_MS (src/stream/stream-table.ts); `no budget`: a plain DynamoTable,
   * as the consumer was before 2026-12-02, which fails pattern E's step after its quick retries.
   */
  consumer: HotInboxConsumer;
}

export interface HotInboxResult {
  options: HotInboxOptions;
  sent: number;
  sentPerSecond: number;
  unconfirmed: number;
  /** Lag (send acknowledged → the inbox's row at or past it) in the first and last third. */
  lagMs: { p50: number; p99: number; max: number; firstThirdP50: number; lastThirdP50: number };
  /** Write units admitted on the inbox's partition, a second, by one-second sample. */
  hotUnitsPerSecond: { mean: number; max: number };
  hotUnitsPerMessage: number;
  /** Writes (requests) the throttle answered as DynamoDB would, and how many it let through. */
  throttledWrites: number;
  admittedHotWrites: number;
  /** Pattern E steps that failed (a batch item failure), by error; dead-lettered batches. */
  failedSteps: number;
  failures: Record<string, number>;
  /** As built: writes that backed off on throttling, and their total wait. */
  backoff?: { backoffs: number; waitedMs: number } | undefined;
  deadLetters: number;
  /** Seconds from the last send until every conversation's inbox row reached its newest message (60 s at most). */
  convergedAfterS: number | undefined;
  violations: string[];
  violationCount: number;
  acknowledged: number;
  /** Conversations whose row in the inbox is not at their newest message, read from the table. */
  rowsBehind: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A setup step tried again when DynamoDB Local did not answer in time (a loaded shared
 * machine stalls it for seconds): each step is given its uuid or client_message_id, so a
 * repeat finds its first attempt's work instead of doing it twice.
 */
const retrying = async <T>(step: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= 8 || !(error instanceof StoreUnavailableError)) throw error;
      await sleep(250 * attempt);
    }
  }
};

/**
 * Many senders, one inbox: each conversation's sender sends in turn at `rate`, so nearly every
 * message of a stream batch is in a different conversation and pattern E moves a row of the
 * inbox's one `GRP#` partition per message. Writes are throttled per partition key as
 * DynamoDB throttles them (partition-throttle.ts), for the consumer and the senders alike.
 */
export const runHotInbox = async (
  dynamo: BenchDynamo,
  options: HotInboxOptions,
): Promise<HotInboxResult> => {
  const tableName = await retrying(() => dynamo.createTable('hot-inbox'));
  const setup = new Messaging({ table: new DynamoTable(dynamo.connection.doc, { tableName }) });
  const createUser = (handle: string, displayName: string) => {
    const uuid = randomUUID();
    return retrying(() => setup.createUser({ uuid, handle, displayName }));
  };
  const hub = await createUser('hot_inbox', 'Hot Inbox');
  const senders = await pMap(
    Array.from({ length: options.conversations }, (_, i) => i),
    async (i) => {
      const user = await createUser(`fan_${i}`, `Fan ${i}`);
      const clientMessageId = randomUUID();
      const { message } = await retrying(() =>
        setup.sendMessage({
          sender: user,
          to: { handle: hub.handle },
          message: 'hello',
          clientMessageId,
        }),
      );
      return { user, group: message.messageGroupUuid };
    },
    { concurrency: 8 },
  );

  // The partition limit applies to every writer from here on: two clients, one table.
  const throttle = new PartitionThrottle({ writeUnitsPerSecond: options.writeUnitsPerSecond });
  const senderConnection = connectDynamo({ endpoint: dynamo.connection.endpoint });
  const consumerConnection = connectDynamo({ endpoint: dynamo.connection.endpoint });
  throttlePartitions(senderConnection.client, throttle);
  throttlePartitions(consumerConnection.client, throttle);
  const messaging = new Messaging({
    table: new DynamoTable(senderConnection.doc, { tableName }),
  });

  const applied = new Map<string, { sk: string; at: number }[]>();
  let failedSteps = 0;
  const failures: Record<string, number> = {};
  const observer: StreamObserver = (outcome) => {
    if (outcome.kind === 'failed') {
      failedSteps++;
      const name = outcome.error.split(':')[0] ?? 'Error';
      failures[name] = (failures[name] ?? 0) + 1;
    }
    const current =
      outcome.kind === 'applied' ||
      (outcome.kind === 'skipped' && outcome.reason === 'already_current');
    if (!current || !outcome.message) return;
    const group = groupOfMessageKey(outcome.message.pk);
    applied.set(group, [
      ...(applied.get(group) ?? []),
      { sk: outcome.message.sk, at: performance.now() },
    ]);
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-hot-'));
  const backoff = { backoffs: 0, waitedMs: 0 };
  const consumerTable =
    options.consumer === 'as built'
      ? streamTable(consumerConnection.doc, tableName, {
          onThrottled: (waitMs) => {
            backoff.backoffs++;
            backoff.waitedMs += waitMs;
          },
        })
      : new DynamoTable(consumerConnection.doc, { tableName });
  const consumer = await startLocalConsumer({
    connection: consumerConnection,
    tableName,
    dataDir,
    observer,
    table: consumerTable,
  });

  // The setup's first messages come first through the stream (rows already there: skipped);
  // the load starts once they are through, so that its lag is its own.
  const setupDeadline = performance.now() + 120_000;
  while (applied.size < senders.length && performance.now() < setupDeadline) await sleep(100);
  applied.clear();

  const hotKey = messageGroupPartition(hub.uuid);
  const samples: number[] = [];
  let lastUnits = 0;
  const sampler = setInterval(() => {
    const units = throttle.counts.unitsByPartition.get(hotKey) ?? 0;
    samples.push(units - lastUnits);
    lastUnits = units;
  }, 1000);

  const sent: { group: string; sk: string; at: number }[] = [];
  const newest = new Map<string, string>();
  let unconfirmed = 0;
  const inFlight = pLimit(16);
  const send = (sender: { user: User; group: string }, n: number) =>
    inFlight(async () => {
      try {
        const { message } = await messaging.sendMessage({
          sender: sender.user,
          to: { messageGroupUuid: sender.group },
          message: `to the hot inbox ${n}`,
          clientMessageId: randomUUID(),
        });
        sent.push({ group: sender.group, sk: message.sk, at: performance.now() });
        if (message.sk > (newest.get(sender.group) ?? '')) newest.set(sender.group, message.sk);
      } catch {
        unconfirmed++;
      }
    });

  const started = performance.now();
  const total = Math.round(options.rate * options.seconds);
  const sends: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    // Open loop: each message leaves at its time, whatever the ones before it are doing.
    const due = started + (n / options.rate) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    sends.push(send(senders[n % senders.length] as (typeof senders)[number], n));
  }
  await Promise.all(sends);
  const sendSeconds = (performance.now() - started) / 1000;
  const lastSend = performance.now();

  // From the table, not the observer: a write whose answer timed out may still have landed.
  const table = new DynamoTable(dynamo.connection.doc, { tableName });
  const behindInTable = async () => {
    const rows = await retrying(() =>
      queryAll<MessageGroupItem>(table, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': hotKey },
        ConsistentRead: true,
      }),
    );
    const rowAt = new Map(rows.map((row) => [row.message_group_uuid, row.sk]));
    return [...newest].filter(([group, sk]) => (rowAt.get(group) ?? '') < sk).length;
  };
  const behind = () =>
    [...newest].filter(([group, sk]) => !(applied.get(group) ?? []).some((a) => a.sk >= sk)).length;
  let convergedAfterS: number | undefined;
  for (let check = 0; performance.now() - lastSend < 60_000; check++) {
    if (behind() === 0 || (check % 40 === 39 && (await behindInTable()) === 0)) {
      convergedAfterS = (performance.now() - lastSend) / 1000;
      break;
    }
    await sleep(50);
  }
  clearInterval(sampler);
  // Whatever the consumer still retries finishes or is dead-lettered before the audit.
  await sleep(2_000);
  await consumer.stop();

  const lagOf = (m: (typeof sent)[number]) =>
    (applied.get(m.group)?.find((a) => a.sk >= m.sk && a.at >= m.at - 1)?.at ??
      Number.POSITIVE_INFINITY) - m.at;
  const ordered = [...sent].sort((a, b) => a.at - b.at);
  const lags = ordered.map(lagOf);
  const third = Math.max(1, Math.floor(lags.length / 3));
  const p50 = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const sorted = [...lags].sort((a, b) => a - b);

  const report = await auditTable(dynamo.connection.doc, { tableName });
  const hotUnits = throttle.counts.unitsByPartition.get(hotKey) ?? 0;
  const busy = samples.filter((s) => s > 0);
  senderConnection.client.destroy();
  consumerConnection.client.destroy();
  return {
    options,
    sent: sent.length,
    sentPerSecond: sent.length / sendSeconds,
    unconfirmed,
    lagMs: {
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
      firstThirdP50: p50(lags.slice(0, third)),
      lastThirdP50: p50(lags.slice(-third)),
    },
    hotUnitsPerSecond: {
      mean: busy.length > 0 ? busy.reduce((a, b) => a + b, 0) / busy.length : 0,
      max: Math.max(0, ...samples),
    },
    hotUnitsPerMessage: sent.length > 0 ? hotUnits / sent.length : 0,
    throttledWrites: throttle.counts.throttled,
    admittedHotWrites: throttle.counts.admitted,
    failedSteps,
    failures,
    backoff: options.consumer === 'as built' ? backoff : undefined,
    deadLetters: new DeadLetterFile(join(dataDir, `stream-dead-letters.${tableName}.jsonl`)).read()
      .length,
    convergedAfterS,
    violations: report.violations.slice(0, 5).map(formatViolation),
    violationCount: report.violations.length,
    acknowledged: sent.length,
    rowsBehind: await behindInTable(),
  };
};
