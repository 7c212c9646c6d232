import '../src/runtime/node-version-notice.js';
import { loadavg } from 'node:os';
import { messageGroupPartition } from '../src/messaging/keys.js';
import { type HotInboxConsumer, runHotInbox } from './lib/hot-inbox-run.js';
import { startBenchDynamo } from './lib/local-table.js';
import { PARTITION_WRITE_UNITS_PER_SECOND } from './lib/partition-throttle.js';
import { fileTime, writeResultsFile } from './lib/results-file.js';

/**
 * `npm run bench:hot-inbox`: one inbox receiving messages in many conversations at once, with
 * DynamoDB's per-partition write limit imposed on DynamoDB Local. Rates from HOT_RATES
 * (messages a second, one phase each, a fresh table each), HOT_SECONDS a phase,
 * HOT_CONVERSATIONS conversations, HOT_LIMIT write units a second a partition.
 */
const list = (value: string | undefined, fallback: number[]) =>
  value ? value.split(',').map(Number) : fallback;
const rates = list(process.env.HOT_RATES, [100, 200, 300]);
const seconds = Number(process.env.HOT_SECONDS ?? 15);
const conversations = Number(process.env.HOT_CONVERSATIONS ?? 1000);
const writeUnitsPerSecond = Number(process.env.HOT_LIMIT ?? PARTITION_WRITE_UNITS_PER_SECOND);
/** `no budget,as built` runs each rate with pattern E as it was before its throttle budget, then as built. */
const consumers = (process.env.HOT_CONSUMERS ?? 'no budget,as built').split(
  ',',
) as HotInboxConsumer[];

const startedAt = new Date().toISOString();
const load = loadavg().map((l) => l.toFixed(2));
console.log(
  `Hot inbox: ${conversations} conversations into one inbox, ${seconds} s a phase, ` +
    `partition limit ${writeUnitsPerSecond} WCU/s; load average at start ${load.join(' ')}\n`,
);
const dynamo = await startBenchDynamo();
const results = [];
try {
  console.log(
    `| pattern E | offered msg/s | sent msg/s | hot WCU/s mean (max) | WCU/msg on ${messageGroupPartition('')} | throttled writes | failed E steps | dead letters | lag p50 / p99 / max ms | lag p50 first → last third | converged after | violations |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const rate of rates)
    for (const consumer of consumers) {
      const r = await runHotInbox(dynamo, {
        conversations,
        rate,
        seconds,
        writeUnitsPerSecond,
        consumer,
      });
      results.push(r);
      const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '∞');
      console.log(
        `| ${consumer}${r.backoff ? ` (${r.backoff.backoffs} backoffs, ${(r.backoff.waitedMs / 1000).toFixed(0)} s waited)` : ''} | ${rate} | ${r.sentPerSecond.toFixed(0)} | ${r.hotUnitsPerSecond.mean.toFixed(0)} (${r.hotUnitsPerSecond.max.toFixed(0)}) | ` +
          `${r.hotUnitsPerMessage.toFixed(2)} | ${r.throttledWrites} | ${r.failedSteps} | ${r.deadLetters} | ` +
          `${ms(r.lagMs.p50)} / ${ms(r.lagMs.p99)} / ${ms(r.lagMs.max)} | ${ms(r.lagMs.firstThirdP50)} → ${ms(r.lagMs.lastThirdP50)} | ` +
          `${r.convergedAfterS === undefined ? 'not in 60 s' : `${r.convergedAfterS.toFixed(1)} s`}; ${r.rowsBehind} rows behind | ` +
          `${r.violationCount === 0 ? 'none' : `${r.violationCount} (${r.violations[0]?.split(':')[0]})`} |`,
      );
    }
} finally {
  await dynamo.close();
}
const file = writeResultsFile(`hot-inbox-${fileTime(startedAt)}`, {
  startedAt,
  loadAverageAtStart: load,
  loadAverageAtEnd: loadavg().map((l) => l.toFixed(2)),
  results,
});
console.log(
  `\nload average at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; written to ${file}`,
);
