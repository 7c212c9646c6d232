import '../src/runtime/node-version-notice.js';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { buildApp } from '../src/api/app.js';
import { LocalIssuer } from '../src/api/auth/local-issuer.js';
import { localApiContext } from '../src/api/create-context.js';
import { tableHealthCheck } from '../src/api/health-check.js';
import { PRICES } from '../src/costs/cost-model.js';
import { createCursorCodec } from '../src/messaging/cursor.js';
import type { MessageGroupItem, MessageItem } from '../src/messaging/items.js';
import { messageGroupPartition, userKey } from '../src/messaging/keys.js';
import { messageItem } from '../src/messaging/message-items.js';
import { Messaging } from '../src/messaging/messaging.js';
import type { User } from '../src/messaging/model.js';
import { withReadState } from '../src/messaging/read-state.js';
import { findGroupRowsQuery } from '../src/messaging/requests/message-groups.js';
import {
  appendMessageRequest,
  claimClientMessageRequest,
  getPairRequest,
  startConversationRequest,
} from '../src/messaging/requests/messages.js';
import { listMessageGroupsQuery, listMessagesQuery } from '../src/messaging/requests/queries.js';
import {
  messagesBetweenQuery,
  unreadConversationsItems,
  updateReadStateItem,
} from '../src/messaging/requests/read-state.js';
import { getUserByHandleRequest } from '../src/messaging/requests/users.js';
import { DynamoTable } from '../src/store/dynamo-table.js';
import { measureBlockCosts } from './lib/block-check.js';
import { costRow } from './lib/cost-rows.js';
import { type BenchConversation, loadDataset } from './lib/dataset.js';
import { type HttpRequestSpec, startLoadGenerator } from './lib/http-load.js';
import {
  countClientIds,
  countPairs,
  type IntegrityRow,
  integrityFailures,
} from './lib/integrity.js';
import { interleavedRun } from './lib/interleaved-run.js';
import { startBenchDynamo } from './lib/local-table.js';
import { measureMessageChanges } from './lib/message-change-costs.js';
import { MeteringTable } from './lib/metering-table.js';
import { measurePatternE, type PatternEResult } from './lib/pattern-e.js';
import { bareFindPeople, measurePeopleCosts, searchText } from './lib/people-search.js';
import { measureReadStateCosts, sizeOf } from './lib/read-state-costs.js';
import { type BenchResult, type LatencyRow, printMarkdown } from './lib/report.js';
import { fileTime, writeResultsFile } from './lib/results-file.js';

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
/** Pattern E: messages of the idle phase and of each load phase. */
const E_IDLE = Number(env.BENCH_E_IDLE ?? 200);
const E_LOAD = Number(env.BENCH_E_LOAD ?? 1_600);
/**
 * A partial run, to look at some patterns again: `BENCH_E=0` skips pattern E, `BENCH_PATTERNS`
 * keeps the latency patterns whose names start with one of its comma-separated prefixes
 * (e.g. `mark,B`). Its JSON goes to bench/results/<date>T<HH-MM-SS>-partial.json.
 */
const RUN_E = env.BENCH_E !== '0';
const ONLY = env.BENCH_PATTERNS?.split(',').filter((prefix) => prefix !== '');
const PARTIAL = !RUN_E || ONLY !== undefined;
/** API, bare and floor runs alternate this many times per pattern and concurrency. */
const SLICES = 8;
const LEVELS = [1, 8, 32];
const log = (line: string) => process.stderr.write(`${line}\n`);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

const started = Date.now();
// Pattern E on a DynamoDB Local of its own: one JVM serving both the 122,000-item load and the
// stream consumers slowed to a crawl here, which would measure DynamoDB Local, not our code.
const patternE: PatternEResult[] = [];
if (RUN_E) {
  const streamDynamo = await startBenchDynamo();
  try {
    log('pattern E: ours...');
    patternE.push(
      await measurePatternE(streamDynamo, {
        consumer: 'ours',
        idleMessages: E_IDLE,
        loadMessages: E_LOAD,
        senders: 32,
      }),
    );
    log('pattern E: naive...');
    patternE.push(
      await measurePatternE(streamDynamo, {
        consumer: 'naive',
        idleMessages: 0,
        loadMessages: E_LOAD,
        senders: 32,
      }),
    );
  } finally {
    await streamDynamo.close();
  }
  // With read marks, on a DynamoDB Local of its own too: run second on the one above, its
  // sends timed out (the SDK's 2 s) again and again on this shared machine (load average ~10).
  const markingDynamo = await startBenchDynamo();
  try {
    log('pattern E: ours, the hub marking read every 20 ms...');
    patternE.splice(
      1,
      0,
      await measurePatternE(markingDynamo, {
        consumer: 'ours',
        idleMessages: 0,
        loadMessages: E_LOAD,
        senders: 32,
        markEveryMs: 20,
      }),
    );
  } finally {
    await markingDynamo.close();
  }
}

const dynamo = await startBenchDynamo({ pin: true });
const loadGenerator = await startLoadGenerator().catch(async (error: unknown) => {
  await dynamo.close();
  throw error;
});
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
  // A: the page's Query and, in parallel, the GSI Query for the other's read position ("Seen").
  const bareListMessages = async (group: string) => {
    const [page, rows] = await Promise.all([
      doc.send(new QueryCommand(listMessagesQuery(tableName, group, 20))),
      doc.send(new QueryCommand(findGroupRowsQuery(tableName, group))),
    ]);
    return (page.Items?.length ?? 0) + (rows.Items?.length ?? 0);
  };
  app.get('/bench/floor/messages/:group', async (request) => {
    const { group } = request.params as { group: string };
    return { items: await bareListMessages(group) };
  });
  app.get('/bench/floor/message_groups/:user', async (request) => {
    const { user } = request.params as { user: string };
    const out = await doc.send(new QueryCommand(listMessageGroupsQuery(tableName, user, 20)));
    return { items: out.Items?.length ?? 0 };
  });
  /**
   * Mark read, as the web app sends it when a conversation's newest message is seen: the
   * recipient of the newest message (1 unread) marks it read. The bare requests are the ones
   * ReadMarks sends: the GSI Query for the row, the strongly consistent Query from the message
   * to the row's sk (proof that the message is there, and what stays unread), and the write
   * (here a transaction: the row and the profile's count, as unread goes to 0).
   */
  const bareMarkRead = async (c: BenchConversation) => {
    const { Items = [] } = await doc.send(
      new QueryCommand(findGroupRowsQuery(tableName, c.groupUuid)),
    );
    const row = Items.find((r) => r.pk === messageGroupPartition(c.reader.uuid)) as
      | MessageGroupItem
      | undefined;
    if (!row) throw new Error(`no row of ${c.reader.handle}`);
    // String order, not Math.max: sort keys compare as strings.
    const to = [c.newestSk, row.sk].sort().at(-1) ?? row.sk;
    const { Items: messages = [] } = await doc.send(
      new QueryCommand(messagesBetweenQuery(tableName, c.groupUuid, c.newestSk, to)),
    );
    const unread = (messages as MessageItem[]).filter(
      (m) => m.user_uuid === row.user_uuid && m.sk > c.newestSk,
    ).length;
    const after = withReadState(row, c.newestSk, unread);
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          updateReadStateItem(tableName, row, after),
          ...unreadConversationsItems(tableName, row, after),
        ],
      }),
    );
  };
  // Even conversations' readers for the API, odd ones' for the bare requests and the floor.
  const apiReaders = dataset.conversations.filter((_, i) => i % 2 === 0);
  const bareReaders = dataset.conversations.filter((_, i) => i % 2 === 1);
  let bareNext = 0;
  const bareUsed: BenchConversation[] = [];
  const nextBareReader = (): BenchConversation => {
    const c = bareReaders[bareNext++ % bareReaders.length] as BenchConversation;
    bareUsed.push(c);
    return c;
  };
  // People search: its two Queries (handles, words of names) in parallel, as findUsers sends them.
  app.get('/bench/floor/people', async (request) => {
    const { q } = request.query as { q: string };
    return { items: await bareFindPeople(doc, tableName, q) };
  });
  app.post('/bench/floor/read', async () => {
    await bareMarkRead(nextBareReader());
    return { ok: 1 };
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  /**
   * Puts a marked reader back as loaded (1 unread, the profile's count back up), so that the
   * next mark of it does the same work; a reader not marked (its condition fails) is left.
   */
  const markedRow = (c: BenchConversation) =>
    ({
      pk: messageGroupPartition(c.reader.uuid),
      sk: c.newestSk,
      unread_count: 0,
    }) as MessageGroupItem;
  const resetReader = async (c: BenchConversation): Promise<boolean> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              // Marked to the newest, its own sk: compact, no position, 0 unread.
              updateReadStateItem(
                tableName,
                markedRow(c),
                withReadState(markedRow(c), c.readerLastReadSk, 1),
              ),
              {
                Update: {
                  TableName: tableName,
                  Key: userKey(c.reader.uuid),
                  UpdateExpression: 'ADD unread_conversations :one',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] })
          .CancellationReasons;
        const again =
          reasons?.some((r) => r.Code === 'TransactionConflict') ||
          (error as { name?: string }).name === 'TimeoutError';
        if (!again || attempt >= 10) return false;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      }
    }
  };
  const markReadResets = { readers: 0, reset: 0 };
  const resetReaders = async (readers: BenchConversation[]) => {
    const unique = [...new Set(readers)];
    const done = await pMap(unique, resetReader, { concurrency: 8 });
    markReadResets.readers += unique.length;
    markReadResets.reset += done.filter(Boolean).length;
  };
  let apiResetFrom = 0;
  let apiIssued = 0;
  const resetPendingReaders = async () => {
    const api = Array.from(
      { length: apiIssued - apiResetFrom },
      (_, k) => apiReaders[(apiResetFrom + k) % apiReaders.length] as BenchConversation,
    );
    await resetReaders([...api, ...bareUsed.splice(0)]);
    apiResetFrom = apiIssued;
  };

  const tokens = new Map<string, string>();
  const tokenOf = async (user: User) =>
    tokens.get(user.uuid) ?? tokens.set(user.uuid, await issuer.issue(user)).get(user.uuid) ?? '';
  for (const user of [...dataset.users, ...dataset.legacyTwins]) await tokenOf(user);
  const token = (user: User) => tokens.get(user.uuid) ?? '';
  // The load generator's process is new and its code not yet optimized: the first pattern
  // measured it (user lookup at 1 client cost it 280–590 µs of CPU per request, A and B after
  // it 110–160 µs). Two seconds of requests first, not measured.
  await loadGenerator.run({
    baseUrl: base,
    cores: dynamo.pinning.loadGeneratorCores(1),
    connections: 8,
    seconds: 2,
    specs: dataset.users.map((user) => ({ method: 'GET', path: '/api/me', token: token(user) })),
  });

  const hot: BenchConversation[] = dataset.conversations.slice(0, 500);
  /**
   * Steady state: every user has signed in before (their token and profile are cached by the
   * API) and the API has met these conversations before (their participants are cached).
   * Run before each pattern: the token cache forgets after 60 s, and a pattern's runs end
   * well within that.
   */
  const warmCaches = async () => {
    await pMap(
      [...dataset.users, ...dataset.legacyTwins],
      (user) => fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token(user)}` } }),
      { concurrency: 32 },
    );
    for (const c of hot) await messaging.participants(c.groupUuid);
  };
  // Mark read runs over every conversation: their participants are cached once, up front.
  await pMap(dataset.conversations, (c) => messaging.participants(c.groupUuid), {
    concurrency: 16,
  });
  const usedPairs = new Set(dataset.conversations.map((c) => [c.a.uuid, c.b.uuid].sort().join()));
  // C needs pairs that have no conversation yet: a run's prepared requests per concurrency,
  // its bare requests and the cost run. Small datasets (BENCH_USERS) get fewer prepared ones.
  const users = dataset.users.length;
  const freePairs = (users * (users - 1)) / 2 - usedPairs.size;
  const preparedStarts = Math.max(100, Math.min(8_000, Math.floor(freePairs / 8)));
  const freshPair = (): [User, User] => {
    if (usedPairs.size - dataset.conversations.length >= freePairs / 2)
      throw new Error(`Too few users (${users}) for more fresh pairs; raise BENCH_USERS.`);
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
    /** Measured in the same slices: the pattern before read state (API and/or bare). */
    compare?: { specs?: HttpRequestSpec[]; bare?: () => Promise<unknown> };
    beforeLevel?: () => Promise<void>;
    betweenSlices?: (progress: { issued: number }) => Promise<void>;
  }
  const attemptedPairs: [User, User][] = [];
  const patterns: Pattern[] = [
    {
      name: 'user lookup',
      prepared: 10_000,
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
      prepared: 10_000,
      http: () => {
        const c = pick(hot);
        return { method: 'GET', path: `/api/messages/${c.groupUuid}?limit=20`, token: token(c.a) };
      },
      bare: () => bareListMessages(pick(hot).groupUuid),
      floor: () => ({
        method: 'GET',
        path: `/bench/floor/messages/${pick(hot).groupUuid}`,
        token: '',
      }),
      // Before read state A was this Query alone, without the GSI Query beside it.
      compare: {
        bare: () =>
          doc.send(new QueryCommand(listMessagesQuery(tableName, pick(hot).groupUuid, 20))),
      },
    },
    {
      name: 'B list conversations',
      prepared: 10_000,
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
      // Before read state: the same lists in the rows' old shape (the legacy twins).
      compare: {
        specs: Array.from({ length: 4_000 }, () => ({
          method: 'GET' as const,
          path: '/api/message_groups?limit=20',
          token: token(pick(dataset.legacyTwins)),
        })),
        bare: () =>
          doc.send(
            new QueryCommand(listMessageGroupsQuery(tableName, pick(dataset.legacyTwins).uuid, 20)),
          ),
      },
    },
    {
      // Typeahead: what "To" sends as one types (bench/lib/people-search.ts). Same rule as A and B.
      name: 'people search',
      prepared: 10_000,
      http: () => ({
        method: 'GET',
        path: `/api/users?q=${encodeURIComponent(searchText(dataset.users))}`,
        token: token(pick(dataset.users)),
      }),
      bare: () => bareFindPeople(doc, tableName, searchText(dataset.users)),
      floor: () => ({
        method: 'GET',
        path: `/bench/floor/people?q=${encodeURIComponent(searchText(dataset.users))}`,
        token: '',
      }),
    },
    {
      name: 'mark read (the newest message)',
      prepared: 20_000,
      http: (_level, n) => {
        const c = apiReaders[n % apiReaders.length] as BenchConversation;
        return {
          method: 'POST',
          path: `/api/message_groups/${c.groupUuid}/read`,
          token: token(c.reader),
          body: { message_uuid: c.newestUuid },
        };
      },
      bare: () => bareMarkRead(nextBareReader()),
      floor: () => ({ method: 'POST', path: '/bench/floor/read', token: '' }),
      beforeLevel: async () => {
        await resetPendingReaders();
        apiResetFrom = 0;
        apiIssued = 0;
      },
      // Readers are put back once a third of either pool has been marked: a slice never
      // reaches one that is marked already.
      betweenSlices: async ({ issued }) => {
        apiIssued = issued;
        if (
          apiIssued - apiResetFrom > apiReaders.length / 3 ||
          bareUsed.length > bareReaders.length / 3
        )
          await resetPendingReaders();
      },
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
        const clientMessageId = randomUUID();
        const message = messageItem({
          messageGroupUuid: c.groupUuid,
          messageUuid: randomUUID(),
          sender: c.a,
          text: 'benchmark message',
          createdAt: new Date(),
          clientMessageId,
        });
        await table.write(claimClientMessageRequest(tableName, message, clientMessageId));
        await table.write(appendMessageRequest(tableName, message));
      },
    },
    {
      name: 'C start a conversation',
      prepared: preparedStarts,
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

  const latency: LatencyRow[] = [];
  const integrity: IntegrityRow[] = [];
  for (const e of patternE) {
    integrity.push({
      phase: `E load, ${e.consumer}`,
      acknowledged: e.acknowledged,
      stored: e.stored,
      duplicates: 0,
      unconfirmed: e.unconfirmed,
    });
  }
  for (const pattern of patterns.filter(
    (p) => !ONLY || ONLY.some((prefix) => p.name.startsWith(prefix)),
  )) {
    await warmCaches();
    for (const clients of LEVELS) {
      await pattern.beforeLevel?.();
      const pairsBefore = attemptedPairs.length;
      const specs = Array.from({ length: pattern.prepared }, (_, n) => pattern.http(clients, n));
      const { api, bare, floor, compare, cpu, issued, exhausted } = await interleavedRun({
        baseUrl: base,
        clients,
        loadGenerator,
        loadGeneratorCores: dynamo.pinning.loadGeneratorCores(clients),
        databasePid: dynamo.databasePid,
        seconds: SECONDS,
        slices: SLICES,
        specs,
        bare: pattern.bare,
        floor: pattern.floor,
        compare: pattern.compare,
        betweenSlices: pattern.betweenSlices,
      });
      // Requests beyond the prepared ones would repeat them: count only what a phase can vouch for.
      const sentIds = specs
        .slice(0, issued)
        .map(
          (spec) =>
            (spec.body as { client_message_id?: string } | undefined)?.client_message_id ?? '',
        );
      attemptedPairs.splice(pairsBefore + issued);
      latency.push({ pattern: pattern.name, clients, api, bare, floor, compare, cpu });
      log(
        `${pattern.name} @${clients}: API p50 ${api.p50.toFixed(2)} ms (${api.rps.toFixed(0)}/s), bare p50 ${bare.p50.toFixed(2)} ms${floor ? `, HTTP floor p50 ${floor.p50.toFixed(2)} ms` : ''}${compare?.api ? `, before: API p50 ${compare.api.p50.toFixed(2)} ms` : ''}${compare?.bare ? `, before: bare p50 ${compare.bare.p50.toFixed(2)} ms` : ''} ${JSON.stringify(api.statuses)}`,
      );
      if (pattern.name.startsWith('D'))
        integrity.push(
          await countClientIds(
            doc,
            tableName,
            hot.map((c) => c.groupUuid),
            {
              name: `D @${clients}`,
              statuses: api.statuses,
              sentIds,
            },
          ),
        );
      // A C request sent again is a D (the pair talks already): its 201 proves nothing of C.
      if (pattern.name.startsWith('C') && exhausted)
        log(`C @${clients}: the prepared first messages ran out; not counted (raise BENCH_USERS)`);
      else if (pattern.name.startsWith('C'))
        integrity.push(
          await countPairs(doc, tableName, attemptedPairs.slice(pairsBefore), {
            name: `C @${clients}`,
            statuses: api.statuses,
          }),
        );
    }
  }

  await resetPendingReaders();
  log(
    `mark read: ${markReadResets.reset} of ${markReadResets.readers} readers used were marked and put back`,
  );

  // Cost per operation, measured through the core with a metering table.
  const metering = new MeteringTable(connection, tableName, { readSizes: true });
  const metered = new Messaging({ table: metering });
  const costOf = async (name: string, run: () => Promise<unknown>, times = 20) => {
    await run(); // warm the participants cache: steady state, as in the latency runs
    metering.reset();
    for (let i = 0; i < times; i++) await run();
    return costRow(name, metering.meter, times);
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
    await costOf('B list conversations (20), rows as before read state', () =>
      metered.listMessageGroups(pick(dataset.legacyTwins).uuid, { limit: 20 }),
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

  log('read state: costs per case...');
  const readState = await measureReadStateCosts(connection, tableName);
  cost.push(...readState.cost);

  log('edits and unsends: costs, and latency against their bare requests...');
  const changes = await measureMessageChanges(connection, tableName);
  cost.push(...changes.cost);

  log('people search: costs of searches and of the profile write...');
  const people = await measurePeopleCosts(connection, tableName, dataset.users);
  cost.push(...people.cost);

  log('blocks: costs, and the block check on every send...');
  const blocks = await measureBlockCosts(connection, tableName);
  cost.push(...blocks.cost);

  // Group rows of the dataset (its short texts), with read state and as before it.
  const rowSizes = async (owners: User[]) => {
    const sizes: number[] = [];
    for (const owner of owners.slice(0, 200)) {
      const { Items = [] } = await doc.send(
        new QueryCommand(listMessageGroupsQuery(tableName, owner.uuid, 100)),
      );
      sizes.push(...Items.map((item) => sizeOf(item)));
    }
    return {
      min: Math.min(...sizes),
      max: Math.max(...sizes),
      mean: sizes.reduce((a, b) => a + b, 0) / sizes.length,
    };
  };
  const itemSizes = [
    {
      item: 'message_group row, benchmark texts, with read state',
      ...(await rowSizes(dataset.users)),
    },
    {
      item: 'message_group row, benchmark texts, as before read state',
      ...(await rowSizes(dataset.legacyTwins)),
    },
    ...readState.itemSizes,
    ...blocks.itemSizes,
    ...people.itemSizes,
  ];

  await app.close();

  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      pinning: dynamo.pinning.description,
    },
    dataset: { ...SIZE, items: dataset.items },
    secondsPerRun: SECONDS,
    prices: PRICES,
    latency,
    cost,
    itemSizes,
    markReadResets,
    blockCheck: blocks.latency,
    messageChanges: changes.latency,
    patternE,
    integrity,
    durationSeconds: (Date.now() - started) / 1000,
  };
  printMarkdown(result);
  const file = writeResultsFile(`${fileTime(result.date)}${PARTIAL ? '-partial' : ''}`, result);
  log(`results: ${file}`);
  const lost = integrityFailures(integrity);
  if (lost.length > 0) {
    console.error(`LOST OR DUPLICATED MESSAGES: ${JSON.stringify(lost)}`);
    process.exitCode = 1;
  }
} finally {
  await loadGenerator.close();
  await dynamo.close();
}
