import { performance } from 'node:perf_hooks';

/**
 * The limit an API can approach: the same DynamoDB request(s) sent straight from Node with
 * the SDK, `concurrency` at a time, each worker starting its next operation when one ends.
 * Returns every operation's latency (ms), so that runs before and after an API run can be
 * pooled into one baseline.
 */
export const bareLoad = async (
  concurrency: number,
  seconds: number,
  operation: () => Promise<unknown>,
): Promise<number[]> => {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await operation();
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
};
