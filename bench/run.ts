import '../src/runtime/node-version-notice.js';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { buildApp } from '../src/api/app.js';
import { LocalIssuer } from '../src/api/auth/local-issuer.js';
import { localApiContext } from '../src/api/create-context.js';
import { tableHealthCheck } from '../src/api/health-check.js';
import { createCursorCodec } from '../src/messaging/cursor.js';
import { Messaging } from '../src/messaging/messaging.js';
import type { User } from '../src/messaging/model.js';
import {
  appendMessageRequest,
  claimClientMessageRequest,
  getPairRequest,
  startConversationRequest,
} from '../src/messaging/requests/messages.js';
import { listMessageGroupsQuery, listMessagesQuery } from '../src/messaging/requests/queries.js';
import { getUserByHandleRequest } from '../src/messaging/requests/users.js';
import { DynamoTable } from '../src/store/dynamo-table.js';
import { dollarsPerMillion, PRICES } from './lib/cost-model.js';
import { type BenchConversation, loadDataset } from './lib/dataset.js';
import type { HttpRequestSpec } from './lib/http-load.js';
import { interleavedRun } from './lib/interleaved-run.js';
import type { LatencySummary } from './lib/latency.js';
import { startBenchDynamo } from './lib/local-table.js';
import { MeteringTable } from './lib/metering-table.js';
import { measurePatternE } from './lib/pattern-e.js';

/**
 * `npm run bench`: every access pattern through the HTTP API beside the bare DynamoDB
 * request(s) it needs, its cost, pattern E's lag and write amplification, and a count of
 * acknowledged against stored messages after every load phase. DynamoDB Local in memory.
 */
const env = process.env;
const SIZE = {
  users: Number(env.BENCH_USERS ?? 1_000),
  conversations: Number(env.BENCH_CONVERSATIONS ?? 5_000),
  messages: Number(env.BENCH_MESSAGES ?? 100_000),
};
const SECONDS = Number(env.BENCH_SECONDS ?? 4);
/** API, bare and floor runs alternate this many times per pattern and concurrency. */
const SLICES = 4;
const LEVELS = [1, 8, 32];
const log = (line: string) => process.stderr.write(`${line}\n`);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

const started = Date.now();
// Pattern E on a DynamoDB Local of its own: one JVM serving both the 122,000-item load and the
// stream consumers slowed to a crawl here, which would measure DynamoDB Local, not our code.
const streamDynamo = await startBenchDynamo();
let ours: Awaited<ReturnType<typeof measurePatternE>>;
let naive: Awaited<ReturnType<typeof measurePatternE>>;
try {
  log('pattern E: ours...');
  ours = await measurePatternE(streamDynamo, {
    consumer: 'ours',
    idleMessages: 200,
    loadMessages: 1_600,
    senders: 32,
  });
  log('pattern E: naive...');
  naive = await measurePatternE(streamDynamo, {
    consumer: 'naive',
    idleMessages: 0,
    loadMessages: 1_600,
    senders: 32,
  });
} finally {
  await streamDynamo.close();
}

const dynamo = await startBenchDynamo({ pin: true });
try {
  const tableName = await dynamo.createTable('bench');
  const { connection } = dynamo;
  const { doc } = connection;
  let lastShown = 0;
  const dataset = await loadDataset(doc, tableName, SIZE, (written, total) => {
    if (written - lastShown >= total / 10 || written === total) {
      lastShown = written;
      log(`loading: ${written} / ${total} items (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  });

  const table = new DynamoTable(doc, { tableName });
  const messaging = new Messaging({ table, cursors: createCursorCodec() });
  const issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
  const app = await buildApp({
    context: localApiContext(messaging, issuer, tableHealthCheck(connection.client, tableName)),
  });
  // The HTTP floor: the bare request behind the same server, with none of our route code
  // (no auth, validation, participant check, mapping or cursor). API minus floor is what our
  // code adds; floor minus bare is the loopback hop and Node's HTTP.
  app.get('/bench/floor/messages/:group', async (request) => {
    const { group } = request.params as { group: string };
    const out = await doc.send(new QueryCommand(listMessagesQuery(tableName, group, 20)));
    return { items: out.Items?.length ?? 0 };
  });
  app.get('/bench/floor/message_groups/:user', async (request) => {
    const { user } = request.params as { user: string };
    const out = await doc.send(new QueryCommand(listMessageGroupsQuery(tableName, user, 20)));
    return { items: out.Items?.length ?? 0 };
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const tokens = new Map<string, string>();
  const tokenOf = async (user: User) =>
    tokens.get(user.uuid) ?? tokens.set(user.uuid, await issuer.issue(user)).get(user.uuid) ?? '';
  for (const user of dataset.users) await tokenOf(user);
  const token = (user: User) => tokens.get(user.uuid) ?? '';

  const hot: BenchConversation[] = dataset.conversations.slice(0, 500);
  /**
   * Steady state: every user has signed in before (their token and profile are cached by the
   * API) and the API has met these conversations before (their participants are cached).
   * Run before each pattern: the token cache forgets after 60 s, and a pattern's runs end
   * well within that.
   */
  const warmCaches = async () => {
    await Promise.all(
      dataset.users.map((user) =>
        fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token(user)}` } }),
      ),
    );
    for (const c of hot) await messaging.participants(c.groupUuid);
  };
  const usedPairs = new Set(dataset.conversations.map((c) => [c.a.uuid, c.b.uuid].sort().join()));
  const freshPair = (): [User, User] => {
    for (;;) {
      const [a, b] = [pick(dataset.users), pick(dataset.users)];
      const key = [a.uuid, b.uuid].sort().join();
      if (a !== b && !usedPairs.has(key)) {
        usedPairs.add(key);
        return [a, b];
      }
    }
  };

  interface Pattern {
    name: string;
    /** Distinct requests prepared per run: enough that writes never repeat one. */
    prepared: number;
    http: (level: number, n: number) => HttpRequestSpec;
    bare: () => Promise<unknown>;
    /** The same bare request behind the server, for the patterns with a latency target. */
    floor?: () => HttpRequestSpec;
  }
  const attemptedPairs: [User, User][] = [];
  const patterns: Pattern[] = [
    {
      name: 'user lookup',
      prepared: 5_000,
      http: () => ({
        method: 'GET',
        path: `/api/users/@${pick(dataset.users).handle}/short`,
        token: token(pick(dataset.users)),
      }),
      bare: () =>
        doc.send(new GetCommand(getUserByHandleRequest(tableName, pick(dataset.users).handle))),
    },
    {
      name: 'A list messages',
      prepared: 5_000,
      http: () => {
        const c = pick(hot);
        return { method: 'GET', path: `/api/messages/${c.groupUuid}?limit=20`, token: token(c.a) };
      },
      bare: () => doc.send(new QueryCommand(listMessagesQuery(tableName, pick(hot).groupUuid, 20))),
      floor: () => ({
        method: 'GET',
        path: `/bench/floor/messages/${pick(hot).groupUuid}`,
        token: '',
      }),
    },
    {
      name: 'B list conversations',
      prepared: 5_000,
      http: () => ({
        method: 'GET',
        path: '/api/message_groups?limit=20',
        token: token(pick(dataset.users)),
      }),
      bare: () =>
        doc.send(new QueryCommand(listMessageGroupsQuery(tableName, pick(dataset.users).uuid, 20))),
      floor: () => ({
        method: 'GET',
        path: `/bench/floor/message_groups/${pick(dataset.users).uuid}`,
        token: '',
      }),
    },
    {
      name: 'D send to a conversation',
      prepared: 20_000,
      http: (level, n) => {
        const c = pick(hot);
        return {
          method: 'POST',
          path: '/api/messages',
          token: token(c.a),
          body: {
            message_group_uuid: c.groupUuid,
            message: 'benchmark message',
            client_message_id: `d${level}-${n}-${randomUUID()}`,
          },
        };
      },
      bare: async () => {
        const c = pick(hot);
        const next = {
          messageGroupUuid: c.groupUuid,
          messageUuid: randomUUID(),
          sender: c.a,
          text: 'benchmark message',
          createdAt: new Date(),
          clientMessageId: randomUUID(),
        };
        await table.write(claimClientMessageRequest(tableName, next));
        await table.write(appendMessageRequest(tableName, next));
      },
    },
    {
      name: 'C start a conversation',
      prepared: 8_000,
      http: () => {
        const [a, b] = freshPair();
        attemptedPairs.push([a, b]);
        return {
          method: 'POST',
          path: '/api/messages',
          token: token(a),
          body: { handle: b.handle, message: 'hello there' },
        };
      },
      bare: async () => {
        const [a, b] = freshPair();
        await doc.send(new GetCommand(getUserByHandleRequest(tableName, b.handle)));
        await doc.send(new GetCommand(getPairRequest(tableName, a.uuid, b.uuid)));
        const request = startConversationRequest(tableName, a, b, {
          messageGroupUuid: randomUUID(),
          messageUuid: randomUUID(),
          sender: a,
          text: 'hello there',
          createdAt: new Date(),
        });
        await doc.send(new TransactWriteCommand({ TransactItems: request.items }));
      },
    },
  ];

  interface LatencyRow {
    pattern: string;
    clients: number;
    api: LatencySummary & { statuses: Record<string, number> };
    bare: LatencySummary;
    floor?: LatencySummary | undefined;
  }
  const latency: LatencyRow[] = [];
  /** `unanswered`: requests a timed run left in flight (at most one per client and slice). */
  const integrity: {
    phase: string;
    acknowledged: number;
    stored: number;
    duplicates: number;
    unanswered: number;
  }[] = [];
  for (const e of [ours, naive]) {
    integrity.push({
      phase: `E load, ${e.consumer}`,
      acknowledged: e.acknowledged,
      stored: e.stored,
      duplicates: 0,
      unanswered: 0,
    });
  }
  for (const pattern of patterns) {
    await warmCaches();
    for (const clients of LEVELS) {
      const pairsBefore = attemptedPairs.length;
      const specs = Array.from({ length: pattern.prepared }, (_, n) => pattern.http(clients, n));
      const { api, bare, floor, issued } = await interleavedRun({
        baseUrl: base,
        clients,
        seconds: SECONDS,
        slices: SLICES,
        specs,
        bare: pattern.bare,
        floor: pattern.floor,
      });
      // Requests beyond the prepared ones would repeat them: count only what a phase can vouch for.
      const sentIds = specs
        .slice(0, issued)
        .map(
          (spec) =>
            (spec.body as { client_message_id?: string } | undefined)?.client_message_id ?? '',
        );
      attemptedPairs.splice(pairsBefore + issued);
      latency.push({ pattern: pattern.name, clients, api, bare, floor });
      log(
        `${pattern.name} @${clients}: API p50 ${api.p50.toFixed(2)} ms (${api.rps.toFixed(0)}/s), bare p50 ${bare.p50.toFixed(2)} ms${floor ? `, HTTP floor p50 ${floor.p50.toFixed(2)} ms` : ''}`,
      );
      if (pattern.name.startsWith('D'))
        integrity.push({
          ...(await countClientIds(`D @${clients}`, api.statuses, sentIds)),
          unanswered: clients * SLICES,
        });
      if (pattern.name.startsWith('C'))
        integrity.push({
          ...(await countPairs(`C @${clients}`, api.statuses, attemptedPairs.slice(pairsBefore))),
          unanswered: clients * SLICES,
        });
    }
  }

  // Cost per operation, measured through the core with a metering table.
  const metering = new MeteringTable(connection, tableName);
  const metered = new Messaging({ table: metering });
  const costOf = async (name: string, run: () => Promise<unknown>, times = 20) => {
    await run(); // warm the participants cache: steady state, as in the latency runs
    metering.reset();
    for (let i = 0; i < times; i++) await run();
    const m = metering.meter;
    return {
      pattern: name,
      requestsPerOp: m.requests / times,
      localRcu: m.localReadUnits / times,
      localWcu: m.localWriteUnits / times,
      awsRcu: m.awsReadUnits / times,
      awsWcu: m.awsWriteUnits / times,
      dollarsPerMillion: dollarsPerMillion(m.awsReadUnits / times, m.awsWriteUnits / times),
    };
  };
  const sample = hot[0] as BenchConversation;
  const cost = [
    await costOf('user lookup', () => metered.getUserByHandle(pick(dataset.users).handle)),
    await costOf('A list messages (20)', () =>
      metered.listMessages(sample.a.uuid, sample.groupUuid, { limit: 20 }),
    ),
    await costOf('B list conversations (20)', () =>
      metered.listMessageGroups(pick(dataset.users).uuid, { limit: 20 }),
    ),
    await costOf('D send to a conversation', () =>
      metered.sendMessage({
        sender: sample.a,
        to: { messageGroupUuid: sample.groupUuid },
        message: 'benchmark message',
        clientMessageId: randomUUID(),
      }),
    ),
    await costOf('C start a conversation', () => {
      const [a, b] = freshPair();
      return metered.sendMessage({ sender: a, to: { handle: b.handle }, message: 'hello there' });
    }),
  ];

  await app.close();

  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      pinning: dynamo.pinning,
    },
    dataset: { ...SIZE, items: dataset.items },
    secondsPerRun: SECONDS,
    prices: PRICES,
    latency,
    cost,
    patternE: [ours, naive],
    integrity,
    durationSeconds: (Date.now() - started) / 1000,
  };
  printMarkdown(result);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${result.date.slice(0, 10)}.json`;
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`results: ${file}`);
  // Stored may exceed acknowledged by the requests in flight when a timed run stopped: those
  // were written, their answers just not awaited. Fewer is a loss.
  const lost = integrity.filter(
    (i) =>
      i.stored < i.acknowledged || i.stored > i.acknowledged + i.unanswered || i.duplicates > 0,
  );
  if (lost.length > 0) {
    console.error(`LOST OR DUPLICATED MESSAGES: ${JSON.stringify(lost)}`);
    process.exitCode = 1;
  }

  /** D phases: every acknowledged client_message_id is stored exactly once. */
  async function countClientIds(
    phase: string,
    statuses: Record<string, number>,
    sentIds: string[],
  ) {
    const prefix = sentIds[0]?.split('-').slice(0, 1).join('-') ?? 'none';
    let stored = 0;
    const seen = new Set<string>();
    let duplicates = 0;
    for (const c of hot) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            FilterExpression: 'begins_with(client_message_id, :prefix)',
            ExpressionAttributeValues: { ':pk': `MSG#${c.groupUuid}`, ':prefix': `${prefix}-` },
            ProjectionExpression: 'client_message_id',
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          stored++;
          if (seen.has(item.client_message_id)) duplicates++;
          seen.add(item.client_message_id);
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return { phase, acknowledged: statuses['201'] ?? 0, stored, duplicates };
  }

  /** C phases: every acknowledged first message made exactly one conversation. */
  async function countPairs(
    phase: string,
    statuses: Record<string, number>,
    pairs: [User, User][],
  ) {
    let stored = 0;
    for (const [a, b] of pairs) {
      const pair = await doc.send(new GetCommand(getPairRequest(tableName, a.uuid, b.uuid)));
      if (pair.Item) stored++;
    }
    return { phase, acknowledged: statuses['201'] ?? 0, stored, duplicates: 0 };
  }
} finally {
  await dynamo.close();
}

function printMarkdown(r: {
  machine: Record<string, unknown>;
  dataset: Record<string, number>;
  latency: {
    pattern: string;
    clients: number;
    api: LatencySummary;
    bare: LatencySummary;
    floor?: LatencySummary | undefined;
  }[];
  cost: Record<string, number | string>[];
  patternE: Awaited<ReturnType<typeof measurePatternE>>[];
  integrity: { phase: string; acknowledged: number; stored: number; duplicates: number }[];
  durationSeconds: number;
}) {
  const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
  const out: string[] = [];
  out.push(`# Benchmark (${new Date().toISOString()})\n`);
  out.push(
    `Machine: ${r.machine.cpus} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; DynamoDB Local in memory; ${r.machine.pinning}.`,
  );
  out.push(
    `Data: ${r.dataset.users} users, ${r.dataset.conversations} conversations, ${r.dataset.messages} messages (${r.dataset.items} items).\n`,
  );
  out.push('## Latency: HTTP API vs the bare DynamoDB request(s) (ms)\n');
  out.push(
    '| pattern | clients | API p50 | API p95 | API p99 | API req/s | bare p50 | bare p95 | bare p99 | bare req/s | API/bare p50 | target | HTTP floor p50 | API − floor p50 |',
  );
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of r.latency) {
    const ratio = row.api.p50 / row.bare.p50;
    const target = /^[AB] /.test(row.pattern)
      ? row.api.p50 <= Math.max(1.5 * row.bare.p50, row.bare.p50 + 1)
        ? 'met'
        : 'missed'
      : '';
    out.push(
      `| ${row.pattern} | ${row.clients} | ${f(row.api.p50)} | ${f(row.api.p95)} | ${f(row.api.p99)} | ${f(row.api.rps, 0)} | ${f(row.bare.p50)} | ${f(row.bare.p95)} | ${f(row.bare.p99)} | ${f(row.bare.rps, 0)} | ${f(ratio)} | ${target} | ${row.floor ? f(row.floor.p50) : ''} | ${row.floor ? f(row.api.p50 - row.floor.p50) : ''} |`,
    );
  }
  out.push('\n## Cost per operation\n');
  out.push(
    '| pattern | requests | RCU (Local) | WCU (Local) | RCU (AWS) | WCU (AWS rules) | $ per million |',
  );
  out.push('|---|---|---|---|---|---|---|');
  for (const c of r.cost) {
    out.push(
      `| ${c.pattern} | ${f(c.requestsPerOp as number, 1)} | ${f(c.localRcu as number)} | ${f(c.localWcu as number)} | ${f(c.awsRcu as number)} | ${f(c.awsWcu as number)} | ${f(c.dollarsPerMillion as number)} |`,
    );
  }
  out.push('\n## Pattern E (stream consumer), 32 senders\n');
  out.push(
    '| consumer | lag idle p50/p99 | lag load p50/p99 | requests/msg | item writes/msg | WCU/msg (AWS) | final state correct |',
  );
  out.push('|---|---|---|---|---|---|---|');
  for (const e of r.patternE) {
    const lag = (l?: { p50: number; p99: number }) =>
      l ? `${f(l.p50, 0)} / ${f(l.p99, 0)} ms` : '–';
    out.push(
      `| ${e.consumer} | ${lag(e.idle)} | ${lag(e.load)} | ${f(e.requestsPerMessage)} | ${f(e.itemWritesPerMessage)} | ${f(e.awsWriteUnitsPerMessage)} | ${e.correct ? 'yes' : `no: ${e.violations[0]}`} |`,
    );
  }
  out.push('\n## Messages acknowledged vs stored\n');
  out.push(
    'Stored may exceed acknowledged by the requests in flight when a timed run stopped: at most one per client in each of the runs a phase is sliced into.\n',
  );
  out.push('| phase | acknowledged | stored | duplicates |\n|---|---|---|---|');
  for (const i of r.integrity)
    out.push(`| ${i.phase} | ${i.acknowledged} | ${i.stored} | ${i.duplicates} |`);
  out.push(`\nTotal time: ${f(r.durationSeconds, 0)} s.`);
  console.log(out.join('\n'));
}
