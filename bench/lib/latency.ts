export interface LatencySummary {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

/** The p-th percentile of values already sorted ascending. */
export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);

export const summarize = (latencies: number[], seconds: number): LatencySummary => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
};
