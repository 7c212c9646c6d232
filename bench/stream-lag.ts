import '../src/runtime/node-version-notice.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Messaging } from '../src/messaging/messaging.js';
import type { User } from '../src/messaging/model.js';
import { DynamoTable } from '../src/store/dynamo-table.js';
import { startLocalConsumer } from '../src/stream/local/start-local-consumer.js';
import type { StreamObserver } from '../src/stream/outcomes.js';
import { benchTable, percentile } from './lib/local-table.js';

/**
 * Pattern E lag: from a message's write being acknowledged to both of its conversation's
 * group rows standing at (or past) it, through DynamoDB Local's real stream and the same
 * local event source `npm start` runs. Idle: one sender, pauses between messages. Load:
 * 32 concurrent senders in 32 conversations.
 */
const IDLE_MESSAGES = Number(process.env.LAG_IDLE_MESSAGES ?? 200);
const LOAD_MESSAGES = Number(process.env.LAG_LOAD_MESSAGES ?? 1600);
const SENDERS = 32;

const run = async () => {
  const db = await benchTable();
  const table = new DynamoTable(db.connection.doc, { tableName: db.tableName });
  const messaging = new Messaging({ table });
  const appliedAt = new Map<string, { sk: string; at: number }[]>();
  const observer: StreamObserver = (outcome) => {
    if (
      outcome.kind !== 'applied' &&
      !(outcome.kind === 'skipped' && outcome.reason === 'already_current')
    )
      return;
    if (!outcome.message) return;
    const group = outcome.message.pk.slice('MSG#'.length);
    const list = appliedAt.get(group) ?? [];
    list.push({ sk: outcome.message.sk, at: performance.now() });
    appliedAt.set(group, list);
  };
  const source = await startLocalConsumer({
    connection: db.connection,
    tableName: db.tableName,
    dataDir: mkdtempSync(join(tmpdir(), 'lag-')),
    observer,
  });

  const users: User[] = [];
  for (let i = 0; i < SENDERS + 1; i++) {
    users.push(await messaging.createUser({ handle: `lag_user_${i}`, displayName: `Lag ${i}` }));
  }
  const hub = users[0] as User;
  const groups: string[] = [];
  for (const user of users.slice(1)) {
    const { message } = await messaging.sendMessage({
      sender: hub,
      to: { handle: user.handle },
      message: 'hello',
    });
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

  const lags = async (from: number) => {
    const phase = sent.slice(from);
    const deadline = performance.now() + 30_000;
    const lagOf = (m: (typeof sent)[number]) =>
      appliedAt.get(m.group)?.find((a) => a.sk >= m.sk && a.at >= m.at - 1)?.at;
    while (phase.some((m) => lagOf(m) === undefined) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const values = phase.map((m) => (lagOf(m) ?? Number.POSITIVE_INFINITY) - m.at);
    return {
      messages: values.length,
      p50: percentile(values, 50),
      p99: percentile(values, 99),
      max: Math.max(...values),
    };
  };

  const idleStart = sent.length;
  for (let i = 0; i < IDLE_MESSAGES; i++) {
    await send(hub, groups[i % groups.length] as string, `idle ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 60));
  }
  const idle = await lags(idleStart);

  const loadStart = sent.length;
  const perSender = Math.ceil(LOAD_MESSAGES / SENDERS);
  await Promise.all(
    users.slice(1).map(async (user, i) => {
      for (let n = 0; n < perSender; n++) await send(user, groups[i] as string, `load ${n}`);
    }),
  );
  const load = await lags(loadStart);

  await source.stop();
  await db.close();
  return { pollIntervalMs: Number(process.env.STREAM_POLL_INTERVAL_MS ?? 100), idle, load };
};

const result = await run();
const row = (name: string, r: { messages: number; p50: number; p99: number; max: number }) =>
  `| ${name} | ${r.messages} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} |`;
console.log(
  `Pattern E lag (write acknowledged → both group rows updated), poll interval ${result.pollIntervalMs} ms\n`,
);
console.log('| phase | messages | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|');
console.log(row('idle (1 sender)', result.idle));
console.log(row(`load (${SENDERS} senders)`, result.load));
