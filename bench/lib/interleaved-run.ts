import { type ClosedLoopRun, closedLoop } from './closed-loop.js';
import { type CpuSpent, startCpuMeter } from './cpu-meter.js';
import type { HttpRequestSpec, LoadGenerator } from './http-load.js';
import { type LatencySummary, summarize } from './latency.js';

/** CPU time per request (µs), by whom, pooled over the slices. */
export interface CpuPerRequest {
  /** This process: the API server (API) or the bare loop (bare). */
  node: number;
  database: number;
  /** API only. */
  loadGenerator?: number;
}

export interface InterleavedRun {
  api: LatencySummary & { statuses: Record<string, number> };
  bare: LatencySummary;
  cpu: { api: CpuPerRequest; bare: CpuPerRequest };
  floor: LatencySummary | undefined;
  /** The comparison's API and bare runs, when one was given. */
  compare: { api?: LatencySummary | undefined; bare?: LatencySummary | undefined } | undefined;
  /** How many of the prepared API requests were sent, in order. */
  issued: number;
  /** The prepared requests ran out and some were sent again. */
  exhausted: boolean;
}

/**
 * One pattern at one concurrency: the API, the bare request and (if given) the HTTP floor and
 * a comparison (another API request and another bare request, e.g. the pattern before a
 * change of the data), in `slices` alternating rounds whose latencies are pooled. On a shared 2-core VM the machine
 * drifts within seconds; measured back to back in separate phases, a limit and the API it
 * limits saw different machines. Each slice of the API takes the next unsent prepared
 * requests, so writes never repeat one.
 */
export const interleavedRun = async (options: {
  baseUrl: string;
  clients: number;
  loadGenerator: LoadGenerator;
  /** Where the load generator runs (see pin-cores.ts). */
  loadGeneratorCores: string | undefined;
  /** DynamoDB Local's JVM, for its CPU time (Linux). */
  databasePid: number | undefined;
  seconds: number;
  slices: number;
  specs: HttpRequestSpec[];
  bare: () => Promise<unknown>;
  floor?: (() => HttpRequestSpec) | undefined;
  /** Measured like the API (specs: reads only, they repeat) and the bare request, in every slice. */
  compare?: { specs?: HttpRequestSpec[]; bare?: () => Promise<unknown> } | undefined;
  /** Awaited after each slice, outside every measurement (e.g. to undo what writes did). */
  betweenSlices?: ((progress: { issued: number }) => Promise<void>) | undefined;
}): Promise<InterleavedRun> => {
  const { baseUrl, clients, loadGenerator, loadGeneratorCores: cores, databasePid } = options;
  const { seconds, slices, specs, floor } = options;
  const apiSeconds = seconds / slices;
  // The bare request and the floor need fewer seconds than the API for as many samples.
  const sideSeconds = apiSeconds / 4;
  const api = pool();
  const bare = pool();
  const floorPool = pool();
  const compareApi = pool();
  const compareBare = pool();
  const { compare, betweenSlices } = options;
  const statuses: Record<string, number> = {};
  const apiCpu = { node: 0, database: 0, loadGenerator: 0 };
  const bareCpu = { node: 0, database: 0 };
  let issued = 0;
  let exhausted = false;
  for (let slice = 0; slice < slices; slice++) {
    const bareMeter = startCpuMeter(databasePid);
    bare.add(await closedLoop(clients, sideSeconds, options.bare));
    addTo(bareCpu, bareMeter());
    if (compare?.bare) compareBare.add(await closedLoop(clients, sideSeconds, compare.bare));
    // Past the fresh ones, requests are sent again: fine for reads; a write phase is told
    // (exhausted) and not counted.
    const fresh = specs.slice(issued, issued + SPECS_PER_SLICE);
    const apiMeter = startCpuMeter(databasePid);
    const run = await loadGenerator.run({
      baseUrl,
      cores,
      connections: clients,
      seconds: apiSeconds,
      specs: fresh.length > 0 ? fresh : specs.slice(0, SPECS_PER_SLICE),
    });
    addTo(apiCpu, apiMeter());
    apiCpu.loadGenerator += run.cpuMicros;
    api.add(run);
    for (const [status, count] of Object.entries(run.statuses))
      statuses[status] = (statuses[status] ?? 0) + count;
    if (run.issued > fresh.length) exhausted = true;
    issued += Math.min(run.issued, fresh.length);
    if (compare?.specs) {
      const offset = (slice * SPECS_PER_SLICE) % Math.max(1, compare.specs.length);
      compareApi.add(
        await loadGenerator.run({
          baseUrl,
          cores,
          connections: clients,
          seconds: apiSeconds,
          specs: [...compare.specs.slice(offset), ...compare.specs.slice(0, offset)].slice(
            0,
            SPECS_PER_SLICE,
          ),
        }),
      );
    }
    if (floor) {
      const floorSpecs = Array.from({ length: 2_000 }, floor);
      floorPool.add(
        await loadGenerator.run({
          baseUrl,
          cores,
          connections: clients,
          seconds: sideSeconds,
          specs: floorSpecs,
        }),
      );
    }
    if (betweenSlices) await betweenSlices({ issued });
  }
  const apiSummary = api.summary();
  const bareSummary = bare.summary();
  const perRequest = <T extends object>(cpu: T, requests: number) =>
    Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, v / requests])) as T;
  return {
    api: { ...apiSummary, statuses },
    bare: bareSummary,
    cpu: {
      api: perRequest(apiCpu, apiSummary.requests),
      bare: perRequest(bareCpu, bareSummary.requests),
    },
    floor: floor ? floorPool.summary() : undefined,
    compare: compare
      ? {
          api: compare.specs ? compareApi.summary() : undefined,
          bare: compare.bare ? compareBare.summary() : undefined,
        }
      : undefined,
    issued,
    exhausted,
  };
};

/**
 * The most requests one slice may need (8,000 a second over its 0.5 s would be twice the
 * fastest seen): the load generator's process gets no more, copying 20,000 prepared writes to
 * it before each slice cost a garbage collection on the database's core during the slice.
 */
const SPECS_PER_SLICE = 4_000;

const addTo = (total: { node: number; database: number }, spent: CpuSpent) => {
  total.node += spent.node;
  total.database += spent.database;
};

/** Slices of one kind pooled: their latencies together over their summed durations. */
const pool = () => {
  const latencies: number[] = [];
  let seconds = 0;
  return {
    add: (run: ClosedLoopRun) => {
      latencies.push(...run.latencies);
      seconds += run.seconds;
    },
    summary: (): LatencySummary => summarize(latencies, seconds),
  };
};
