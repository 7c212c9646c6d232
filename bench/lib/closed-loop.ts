import { performance } from 'node:perf_hooks';

export interface ClosedLoopRun {
  /** Every operation's latency (ms), so that slices can be pooled. */
  latencies: number[];
  /** How long the run took, the last operations included. */
  seconds: number;
}

/**
 * `concurrency` clients, each starting its next operation when its previous one ends, for
 * `seconds`: how the bare requests, the HTTP floor and the API are all measured, with the
 * same clock around the same kind of await, so that only the operation differs.
 */
export const closedLoop = async (
  concurrency: number,
  seconds: number,
  operation: (n: number) => Promise<unknown>,
): Promise<ClosedLoopRun> => {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const start = performance.now();
        await operation(issued++);
        latencies.push(performance.now() - start);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
};
