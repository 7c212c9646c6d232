import { bareLoad } from './bare-load.js';
import { type HttpRequestSpec, httpLoad } from './http-load.js';
import { type LatencySummary, summarize } from './latency.js';

export interface InterleavedRun {
  api: LatencySummary & { statuses: Record<string, number> };
  bare: LatencySummary;
  floor: LatencySummary | undefined;
  /** How many of the prepared API requests were sent, in order. */
  issued: number;
  /** The prepared requests ran out and some were sent again. */
  exhausted: boolean;
}

/**
 * One pattern at one concurrency: the API, the bare request and (if given) the HTTP floor,
 * in `slices` alternating rounds whose latencies are pooled. On a shared 2-core VM the machine
 * drifts within seconds; measured back to back in separate phases, a limit and the API it
 * limits saw different machines. Each slice of the API takes the next unsent prepared
 * requests, so writes never repeat one.
 */
export const interleavedRun = async (options: {
  baseUrl: string;
  clients: number;
  seconds: number;
  slices: number;
  specs: HttpRequestSpec[];
  bare: () => Promise<unknown>;
  floor?: (() => HttpRequestSpec) | undefined;
}): Promise<InterleavedRun> => {
  const { baseUrl, clients, slices, specs, floor } = options;
  const apiSeconds = options.seconds / slices;
  // The bare request and the floor need fewer seconds than the API for as many samples.
  const sideSeconds = apiSeconds / 4;
  const api: number[] = [];
  const bare: number[] = [];
  const floorLatencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let exhausted = false;
  for (let slice = 0; slice < slices; slice++) {
    bare.push(...(await bareLoad(clients, sideSeconds, options.bare)));
    const remaining = specs.slice(issued);
    const run = await httpLoad({
      baseUrl,
      connections: clients,
      seconds: apiSeconds,
      specs: remaining,
    });
    api.push(...run.latencies);
    for (const [status, count] of Object.entries(run.statuses))
      statuses[status] = (statuses[status] ?? 0) + count;
    issued += Math.min(run.issued, remaining.length);
    if (run.issued > remaining.length) exhausted = true;
    if (floor) {
      const floorSpecs = Array.from({ length: 2_000 }, floor);
      const floorRun = await httpLoad({
        baseUrl,
        connections: clients,
        seconds: sideSeconds,
        specs: floorSpecs,
      });
      floorLatencies.push(...floorRun.latencies);
    }
  }
  const sideTotal = sideSeconds * slices;
  return {
    api: { ...summarize(api, options.seconds), statuses },
    bare: summarize(bare, sideTotal),
    floor: floor ? summarize(floorLatencies, sideTotal) : undefined,
    issued,
    exhausted,
  };
};
