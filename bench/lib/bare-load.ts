import { performance } from 'node:perf_hooks';
import { type LatencySummary, summarize } from './latency.js';

/**
 * The limit an API can approach: the same DynamoDB request(s) sent straight from Node with
 * the SDK, `concurrency` at a time, each worker starting its next operation when one ends.
 */
export const bareLoad = async (
  concurrency: number,
  seconds: number,
  operation: () => Promise<unknown>,
): Promise<LatencySummary> => {
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
  return summarize(latencies, seconds);
};
