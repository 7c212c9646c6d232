import '../src/runtime/node-version-notice.js';
import { cpus, totalmem } from 'node:os';
import pMap from 'p-map';
import { PRICES } from '../src/costs/cost-model.js';
import { startBenchApi } from './lib/bench-api.js';
import { measureBlockCosts } from './lib/block-check.js';
import { measureCoreCosts } from './lib/core-costs.js';
import { type BenchConversation, loadDataset } from './lib/dataset.js';
import { addFloorRoutes } from './lib/floor-routes.js';
import { FreshPairs } from './lib/fresh-pairs.js';
import { groupRowSizes } from './lib/group-row-sizes.js';
import { startLoadGenerator } from './lib/http-load.js';
import { type IntegrityRow, integrityFailures } from './lib/integrity.js';
import { latencyPatterns } from './lib/latency-patterns.js';
import { measureLatency } from './lib/latency-runs.js';
import { type BenchDynamo, startBenchDynamo } from './lib/local-table.js';
import { MarkReadReaders } from './lib/mark-read-readers.js';
import { measureMessageChanges } from './lib/message-change-costs.js';
import type { PatternEResult } from './lib/pattern-e.js';
import { measurePatternERuns } from './lib/pattern-e-runs.js';
import { measurePeopleCosts } from './lib/people-search.js';
import { measureReadStateCosts } from './lib/read-state-costs.js';
import { type BenchResult, printMarkdown } from './lib/report.js';
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
/** A, D and the API's warm caches: the conversations of steady traffic. */
const HOT_CONVERSATIONS = 500;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Loads the dataset into a new table, telling how far it got every tenth. */
const loadBenchDataset = async (dynamo: BenchDynamo, started: number) => {
  const tableName = await dynamo.createTable('bench');
  let lastShown = 0;
  const dataset = await loadDataset(dynamo.connection.doc, tableName, SIZE, (written, total) => {
    if (written - lastShown >= total / 10 || written === total) {
      lastShown = written;
      log(`loading: ${written} / ${total} items (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  });
  return { tableName, dataset };
};

/** The integrity rows of pattern E's load phases, which go first in the report. */
const patternEIntegrity = (patternE: PatternEResult[]): IntegrityRow[] =>
  patternE.map((e) => ({
    phase: `E load, ${e.consumer}`,
    acknowledged: e.acknowledged,
    stored: e.stored,
    duplicates: 0,
    unconfirmed: e.unconfirmed,
  }));

const machine = (dynamo: BenchDynamo): BenchResult['machine'] => ({
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  pinning: dynamo.pinning.description,
});

/** The report on stdout, the JSON in bench/results/, and exit code 1 if a message was lost. */
const report = (result: BenchResult) => {
  printMarkdown(result);
  const file = writeResultsFile(`${fileTime(result.date)}${PARTIAL ? '-partial' : ''}`, result);
  log(`results: ${file}`);
  const lost = integrityFailures(result.integrity);
  if (lost.length > 0) {
    console.error(`LOST OR DUPLICATED MESSAGES: ${JSON.stringify(lost)}`);
    process.exitCode = 1;
  }
};

const started = Date.now();
// First, on DynamoDB Locals of their own (pattern-e-runs.ts says why).
const patternE = RUN_E
  ? await measurePatternERuns({ idleMessages: E_IDLE, loadMessages: E_LOAD, log })
  : [];

const dynamo = await startBenchDynamo({ pin: true });
const loadGenerator = await startLoadGenerator().catch(async (error: unknown) => {
  await dynamo.close();
  throw error;
});
try {
  const { connection } = dynamo;
  const { doc } = connection;
  const { tableName, dataset } = await loadBenchDataset(dynamo, started);
  const readers = new MarkReadReaders(doc, tableName, dataset.conversations);
  const api = await startBenchApi({
    connection,
    tableName,
    dataset,
    loadGenerator,
    loadGeneratorCores: dynamo.pinning.loadGeneratorCores(1),
    addRoutes: (app) => addFloorRoutes(app, { doc, tableName, readers }),
  });
  const hot: BenchConversation[] = dataset.conversations.slice(0, HOT_CONVERSATIONS);
  // Mark read runs over every conversation: their participants are cached once, up front.
  await pMap(dataset.conversations, (c) => api.messaging.participants(c.groupUuid), {
    concurrency: 16,
  });
  const pairs = new FreshPairs(dataset);

  const patterns = latencyPatterns({
    doc,
    tableName,
    table: api.table,
    dataset,
    messaging: api.messaging,
    hot,
    token: api.token,
    readers,
    pairs,
    log,
  }).filter((p) => !ONLY || ONLY.some((prefix) => p.name.startsWith(prefix)));
  const measured = await measureLatency({
    patterns,
    levels: LEVELS,
    seconds: SECONDS,
    slices: SLICES,
    baseUrl: api.base,
    loadGenerator,
    loadGeneratorCores: dynamo.pinning.loadGeneratorCores,
    databasePid: dynamo.databasePid,
    warmCaches: () => api.warmCaches(hot),
    log,
  });
  await readers.resetPending();
  log(
    `mark read: ${readers.resets.reset} of ${readers.resets.readers} readers used were marked and put back`,
  );

  const sample = hot[0] as BenchConversation;
  const cost = await measureCoreCosts({ connection, tableName, dataset, sample, pairs });

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

  const itemSizes = [
    await groupRowSizes(
      doc,
      tableName,
      'message_group row, benchmark texts, with read state',
      dataset.users,
    ),
    await groupRowSizes(
      doc,
      tableName,
      'message_group row, benchmark texts, as before read state',
      dataset.legacyTwins,
    ),
    ...readState.itemSizes,
    ...blocks.itemSizes,
    ...people.itemSizes,
  ];

  await api.app.close();

  report({
    date: new Date().toISOString(),
    machine: machine(dynamo),
    dataset: { ...SIZE, items: dataset.items },
    secondsPerRun: SECONDS,
    prices: PRICES,
    latency: measured.latency,
    cost,
    itemSizes,
    markReadResets: readers.resets,
    blockCheck: blocks.latency,
    messageChanges: changes.latency,
    patternE,
    integrity: [...patternEIntegrity(patternE), ...measured.integrity],
    durationSeconds: (Date.now() - started) / 1000,
  });
} finally {
  await loadGenerator.close();
  await dynamo.close();
}
