import type { HttpLoadJob, LoadGenerator } from './http-load.js';
import type { IntegrityRow } from './integrity.js';
import { type InterleavedRun, interleavedRun } from './interleaved-run.js';
import type { Pattern } from './latency-patterns.js';
import type { LatencyRow } from './report.js';

/** One line of progress on stderr per pattern and concurrency: p50s and the API's statuses. */
const progressLine = (pattern: string, clients: number, run: InterleavedRun): string => {
  const { api, bare, floor, compare } = run;
  return `${pattern} @${clients}: API p50 ${api.p50.toFixed(2)} ms (${api.rps.toFixed(0)}/s), bare p50 ${bare.p50.toFixed(2)} ms${floor ? `, HTTP floor p50 ${floor.p50.toFixed(2)} ms` : ''}${compare?.api ? `, before: API p50 ${compare.api.p50.toFixed(2)} ms` : ''}${compare?.bare ? `, before: bare p50 ${compare.bare.p50.toFixed(2)} ms` : ''} ${JSON.stringify(api.statuses)}`;
};

/**
 * Each pattern at each client count: the API against its bare request(s) (and floor and
 * comparison) in interleaved slices (interleaved-run.ts), the caches warmed before each
 * pattern, and after each write run the integrity count of what it acknowledged.
 */
export const measureLatency = async (options: {
  patterns: Pattern[];
  levels: number[];
  seconds: number;
  slices: number;
  baseUrl: string;
  loadGenerator: LoadGenerator;
  loadGeneratorCores: (clients: number) => HttpLoadJob['cores'];
  databasePid: number | undefined;
  warmCaches: () => Promise<void>;
  log: (line: string) => void;
}): Promise<{ latency: LatencyRow[]; integrity: IntegrityRow[] }> => {
  const latency: LatencyRow[] = [];
  const integrity: IntegrityRow[] = [];
  for (const pattern of options.patterns) {
    await options.warmCaches();
    for (const clients of options.levels) {
      await pattern.beforeLevel?.();
      const specs = Array.from({ length: pattern.prepared }, (_, n) => pattern.http(clients, n));
      const run = await interleavedRun({
        baseUrl: options.baseUrl,
        clients,
        loadGenerator: options.loadGenerator,
        loadGeneratorCores: options.loadGeneratorCores(clients),
        databasePid: options.databasePid,
        seconds: options.seconds,
        slices: options.slices,
        specs,
        bare: pattern.bare,
        floor: pattern.floor,
        compare: pattern.compare,
        betweenSlices: pattern.betweenSlices,
      });
      const { api, bare, floor, compare, cpu } = run;
      latency.push({ pattern: pattern.name, clients, api, bare, floor, compare, cpu });
      options.log(progressLine(pattern.name, clients, run));
      const row = await pattern.checkIntegrity?.({
        clients,
        specs,
        issued: run.issued,
        exhausted: run.exhausted,
        statuses: api.statuses,
      });
      if (row) integrity.push(row);
    }
  }
  return { latency, integrity };
};
