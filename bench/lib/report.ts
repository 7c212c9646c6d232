import type { BlockCheckLatency, CheckComparison } from './block-check.js';
import type { CostRow } from './cost-rows.js';
import type { IntegrityRow } from './integrity.js';
import type { CpuPerRequest } from './interleaved-run.js';
import type { LatencySummary } from './latency.js';
import type { ChangeLatency } from './message-change-costs.js';
import type { PatternEResult } from './pattern-e.js';

/** One pattern at one concurrency: the API, its limit and (A, B, search) the HTTP floor. */
export interface LatencyRow {
  pattern: string;
  clients: number;
  api: LatencySummary & { statuses: Record<string, number> };
  bare: LatencySummary;
  floor?: LatencySummary | undefined;
  /** Measured in the same slices: the pattern before read state (A: its bare Query alone; B: rows in the old shape). */
  compare?: { api?: LatencySummary | undefined; bare?: LatencySummary | undefined } | undefined;
  /** CPU time per request (µs): where a saturated run's latency goes. */
  cpu: { api: CpuPerRequest; bare: CpuPerRequest };
}

/** What `npm run bench` writes to bench/results/<date>T<HH-MM-SS>.json. */
export interface BenchResult {
  date: string;
  machine: {
    cpus: number;
    cpu: string | undefined;
    memoryGiB: number;
    node: string;
    pinning: string;
  };
  dataset: { users: number; conversations: number; messages: number; items: number };
  secondsPerRun: number;
  prices: unknown;
  latency: LatencyRow[];
  cost: CostRow[];
  /** DynamoDB item sizes (bytes: attribute names and values) of the items read state changed. */
  itemSizes: { item: string; min: number; max: number; mean?: number }[];
  /** Mark read's latency runs: readers marked, and how many of them were found marked and put back. */
  markReadResets: { readers: number; reset: number };
  /** Pattern D's block check: reading the pair item on every send against having it cached. */
  blockCheck: BlockCheckLatency;
  /** Edits and unsends through the core against their bare requests. */
  messageChanges: ChangeLatency[];
  patternE: PatternEResult[];
  integrity: IntegrityRow[];
  durationSeconds: number;
}

/** The report on stdout: one markdown table per part of the benchmark. */
/** A figure as printed: `d` decimals, or '–' where there is none (a ratio over 0). */
const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');

export const printMarkdown = (r: BenchResult): void => {
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
    const target = /^([AB] |mark read|people search)/.test(row.pattern)
      ? row.api.p50 <= Math.max(1.5 * row.bare.p50, row.bare.p50 + 1)
        ? 'met'
        : 'missed'
      : '';
    out.push(
      `| ${row.pattern} | ${row.clients} | ${f(row.api.p50)} | ${f(row.api.p95)} | ${f(row.api.p99)} | ${f(row.api.rps, 0)} | ${f(row.bare.p50)} | ${f(row.bare.p95)} | ${f(row.bare.p99)} | ${f(row.bare.rps, 0)} | ${f(ratio)} | ${target} | ${row.floor ? f(row.floor.p50) : ''} | ${row.floor ? f(row.api.p50 - row.floor.p50) : ''} |`,
    );
  }
  out.push('\n## Before read state, measured in the same slices (p50 ms)\n');
  out.push(
    'A: the bare Query alone, as A was before (now A also sends a GSI Query for the other’s read position, in parallel). B: the same lists with rows in their old shape (the legacy twins). Target for B: after ≤ 1.1 × before.\n',
  );
  out.push(
    '| pattern | clients | API p50 now | API p50 before | now/before | bare p50 now | bare p50 before | now/before | B target |\n|---|---|---|---|---|---|---|---|---|',
  );
  for (const row of r.latency) {
    const c = row.compare;
    if (!c) continue;
    const apiRatio = c.api ? row.api.p50 / c.api.p50 : Number.NaN;
    out.push(
      `| ${row.pattern} | ${row.clients} | ${f(row.api.p50)} | ${c.api ? f(c.api.p50) : '–'} | ${f(apiRatio)} | ${f(row.bare.p50)} | ${c.bare ? f(c.bare.p50) : '–'} | ${c.bare ? f(row.bare.p50 / c.bare.p50) : '–'} | ${c.api ? (apiRatio <= 1.1 ? 'met' : 'missed') : ''} |`,
    );
  }
  out.push('\n## CPU per request (µs)\n');
  out.push(
    'Where the cores are saturated (8 and 32 clients), latency is CPU per request. API: the server (this process), DynamoDB Local and the load generator; bare: the loop (this process) and DynamoDB Local. Process times from Linux; DynamoDB Local counted in 10 ms ticks.\n',
  );
  out.push(
    '| pattern | clients | API: server | API: DynamoDB Local | API: load generator | bare: Node | bare: DynamoDB Local |\n|---|---|---|---|---|---|---|',
  );
  for (const row of r.latency) {
    const { api, bare } = row.cpu;
    out.push(
      `| ${row.pattern} | ${row.clients} | ${f(api.node, 0)} | ${f(api.database, 0)} | ${f(api.loadGenerator ?? Number.NaN, 0)} | ${f(bare.node, 0)} | ${f(bare.database, 0)} |`,
    );
  }
  out.push('\n## Cost per operation\n');
  out.push(
    'Requests: Get / Query / GSI Query / write (of which transactions); failed: conditional writes that failed (their WCU, if charged in full, in brackets).\n',
  );
  out.push(
    '| pattern | requests | G / Q / GSI / W (T) | item writes | failed | RCU (Local) | WCU (Local) | RCU (AWS) | WCU (AWS rules) | $ per million |',
  );
  out.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const c of r.cost) {
    out.push(
      `| ${c.pattern} | ${f(c.requestsPerOp, 1)} | ${f(c.getsPerOp, 1)} / ${f(c.queriesPerOp, 1)} / ${f(c.gsiQueriesPerOp, 1)} / ${f(c.writesPerOp, 1)} (${f(c.transactionsPerOp, 1)}) | ${f(c.itemWritesPerOp, 1)} | ${f(c.failedWritesPerOp, 1)} (${f(c.failedAwsWcu, 1)}) | ${f(c.localRcu)} | ${f(c.localWcu)} | ${f(c.awsRcu)} | ${f(c.awsWcu)} | ${f(c.dollarsPerMillion)} |`,
    );
  }
  out.push('\n## Item sizes (bytes)\n');
  out.push('| item | min | max | mean |\n|---|---|---|---|');
  for (const i of r.itemSizes)
    out.push(`| ${i.item} | ${i.min} | ${i.max} | ${i.mean === undefined ? '' : f(i.mean, 0)} |`);
  out.push(
    `\nMark read runs: ${r.markReadResets.reset} of ${r.markReadResets.readers} readers used were found marked (1 → 0 unread) and put back.`,
  );
  out.push(
    '\n## Edits and unsends through the core against their bare requests (ms, in-process)\n',
  );
  out.push(
    '| change | core p50 | core p99 | bare p50 | bare p99 | core/bare p50 |\n|---|---|---|---|---|---|',
  );
  for (const c of r.messageChanges)
    out.push(
      `| ${c.change} | ${f(c.core.p50)} | ${f(c.core.p99)} | ${f(c.bare.p50)} | ${f(c.bare.p99)} | ${f(c.ratioP50)} |`,
    );
  const b = r.blockCheck;
  out.push('\n## Block check on pattern D (in-process sends to one conversation, ms)\n');
  out.push(
    `${b.sends} sends each, ${b.slices} alternating slices. Cached: what D cost before blocking; read: the pair item read on every send (the cache cold).\n`,
  );
  out.push(...checkComparison(b));
  out.push(
    '\nThe same through the API (POST /api/messages over loopback, sequential, two servers on one table):\n',
  );
  out.push(...checkComparison(b.http));
  out.push('\n## Pattern E (stream consumer), 32 senders\n');
  out.push(
    '| consumer | lag idle p50/p99 | lag load p50/p99 | requests/msg | Q / GSI / G / W (T) per msg | item writes/msg | RCU/msg | WCU/msg (AWS) | read marks (failed), latency | sends timed out: retried / unconfirmed | final state correct |',
  );
  out.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const e of r.patternE) {
    const lag = (l?: { p50: number; p99: number }) =>
      l ? `${f(l.p50, 0)} / ${f(l.p99, 0)} ms` : '–';
    out.push(
      `| ${e.consumer} | ${lag(e.idle)} | ${lag(e.load)} | ${f(e.requestsPerMessage)} | ${f(e.queriesPerMessage)} / ${f(e.gsiQueriesPerMessage)} / ${f(e.getsPerMessage)} / ${f(e.writeRequestsPerMessage)} (${f(e.transactionsPerMessage)}) | ${f(e.itemWritesPerMessage)} | ${f(e.awsReadUnitsPerMessage)} | ${f(e.awsWriteUnitsPerMessage)} | ${e.readMarks ? `${e.readMarks.marked} (${e.readMarks.failed}), p50 ${f(e.readMarks.p50Ms, 0)} / p99 ${f(e.readMarks.p99Ms, 0)} ms` : '–'} | ${e.sendRetries} / ${e.unconfirmed} | ${e.correct ? 'yes' : `no: ${e.violations[0]}`} |`,
    );
  }
  out.push('\n## Messages acknowledged vs stored\n');
  out.push(
    'Every request is answered before a run ends, so stored must equal acknowledged (201); requests answered with an error, if any, may be stored or not.\n',
  );
  out.push(
    '| phase | acknowledged | answered with an error | stored | duplicates |\n|---|---|---|---|---|',
  );
  for (const i of r.integrity)
    out.push(
      `| ${i.phase} | ${i.acknowledged} | ${i.unconfirmed} | ${i.stored} | ${i.duplicates} |`,
    );
  out.push(`\nTotal time: ${f(r.durationSeconds, 0)} s.`);
  console.log(out.join('\n'));
};

/** A send with the block check cached against read: p50, p95, p99 and their ratios. */
const checkComparison = (c: CheckComparison): string[] => {
  return [
    '| check | p50 | p95 | p99 |\n|---|---|---|---|',
    ...(
      [
        ['cached', c.cached],
        ['read', c.read],
      ] as const
    ).map(([name, l]) => `| ${name} | ${f(l.p50)} | ${f(l.p95)} | ${f(l.p99)} |`),
    `\nread / cached: p50 ×${f(c.ratioP50)}, p99 ×${f(c.ratioP99)}.`,
  ];
};
