import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { formatViolation } from '../../src/consistency/violations.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { scanAll } from '../../src/store/scan-all.js';
import { startLocalConsumer } from '../../src/stream/local/start-local-consumer.js';
import type { StreamObserver } from '../../src/stream/outcomes.js';
import { percentile } from './latency.js';
import type { BenchDynamo } from './local-table.js';
import { type Meter, MeteringTable } from './metering-table.js';
import { naiveConsumer } from './naive-consumer.js';

export interface LagSummary {
  messages: number;
  p50: number;
  p99: number;
  max: number;
}

export interface PatternEResult {
  consumer: 'pattern E (this project)' | 'naive (the original)';
  idle?: LagSummary | undefined;
  load?: LagSummary | undefined;
  loadMessages: number;
  requestsPerMessage: number;
  itemWritesPerMessage: number;
  awsWriteUnitsPerMessage: number;
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
 * in as many conversations.
 */
export const measurePatternE = async (
  dynamo: BenchDynamo,
  options: {
    consumer: 'ours' | 'naive';
    idleMessages: number;
    loadMessages: number;
    senders: number;
  },
): Promise<PatternEResult> => {
  const tableName = await dynamo.createTable(`pattern-e-${options.consumer}`);
  const { connection } = dynamo;
  const messaging = new Messaging({ table: new DynamoTable(connection.doc, { tableName }) });

  const applied = new Map<string, { sk: string; at: number }[]>();
  const observer: StreamObserver = (outcome) => {
    if (outcome.kind === 'read') return;
    const current =
      outcome.kind === 'applied' ||
      (outcome.kind === 'skipped' && outcome.reason === 'already_current');
    if (!outcome.message || !current) return;
    const group = outcome.message.pk.slice('MSG#'.length);
    applied.set(group, [
      ...(applied.get(group) ?? []),
      { sk: outcome.message.sk, at: performance.now() },
    ]);
  };
  const metering = new MeteringTable(connection, tableName);
  const naive = naiveConsumer(connection.doc, tableName);
  const meter: Meter = options.consumer === 'ours' ? metering.meter : naive.meter;
  const resetMeter = () =>
    options.consumer === 'ours'
      ? metering.reset()
      : Object.assign(naive.meter, {
          requests: 0,
          itemWrites: 0,
          awsWriteUnits: 0,
          awsReadUnits: 0,
        });
  const consumer = await startLocalConsumer({
    connection,
    tableName,
    dataDir: mkdtempSync(join(tmpdir(), 'bench-e-')),
    observer,
    table: metering,
    ...(options.consumer === 'naive' ? { handler: naive.handler } : {}),
  });

  const hub = await messaging.createUser({ handle: 'hub_user', displayName: 'Hub' });
  const others: User[] = [];
  const groups: string[] = [];
  for (let i = 0; i < options.senders; i++) {
    const other = await messaging.createUser({ handle: `sender_${i}`, displayName: `Sender ${i}` });
    const { message } = await messaging.sendMessage({
      sender: hub,
      to: { handle: other.handle },
      message: 'hello',
    });
    others.push(other);
    groups.push(message.messageGroupUuid);
  }

  const sent: { group: string; sk: string; at: number }[] = [];
  const send = async (sender: User, group: string, text: string) => {
    const { message } = await messaging.sendMessage({
      sender,
      to: { messageGroupUuid: group },
      message: text,
    });
    sent.push({ group, sk: message.sk, at: performance.now() });
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
  const converged = async () => {
    const deadline = performance.now() + 120_000;
    for (;;) {
      const report = checkInvariants(
        await scanAll(connection.doc, { TableName: tableName, ConsistentRead: true }),
      );
      if (report.violations.length === 0 || performance.now() > deadline) return report;
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
      const pages = paginateQuery(
        { client: connection.doc },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `MSG#${group}` },
          Select: 'COUNT',
          ConsistentRead: true,
        },
      );
      for await (const page of pages) total += page.Count ?? 0;
    }
    return total;
  };
  const storedBefore = await countMessages();
  resetMeter();
  const loadFrom = sent.length;
  const perSender = Math.ceil(options.loadMessages / options.senders);
  await Promise.all(
    others.map(async (user, i) => {
      for (let n = 0; n < perSender; n++) await send(user, groups[i] as string, `load ${n}`);
    }),
  );
  const load = options.consumer === 'ours' ? await lagSince(loadFrom) : undefined;
  const report = await converged();
  const messages = sent.length - loadFrom;
  const stored = (await countMessages()) - storedBefore;
  await consumer.stop();
  return {
    consumer: options.consumer === 'ours' ? 'pattern E (this project)' : 'naive (the original)',
    idle,
    load,
    loadMessages: messages,
    requestsPerMessage: meter.requests / messages,
    itemWritesPerMessage: meter.itemWrites / messages,
    awsWriteUnitsPerMessage: meter.awsWriteUnits / messages,
    correct: report.violations.length === 0,
    violations: report.violations.slice(0, 5).map(formatViolation),
    acknowledged: messages,
    stored,
  };
};
