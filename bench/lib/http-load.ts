import { Worker } from 'node:worker_threads';
import { type LatencySummary, summarize } from './latency.js';

export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: unknown;
}

export interface HttpLoadJob {
  baseUrl: string;
  connections: number;
  seconds: number;
  specs: HttpRequestSpec[];
}

export interface HttpLoadReply {
  error: string | undefined;
  latencies: number[];
  statuses: Record<string, number>;
  issued: number;
}

export interface HttpLoadResult extends LatencySummary {
  statuses: Record<string, number>;
  /** How many of the prepared requests were sent (they are used in order, then again). */
  issued: number;
  /** Every response's latency (ms), for pooling runs. */
  latencies: number[];
}

/**
 * Real HTTP on loopback: autocannon on a worker thread, `connections` clients each sending
 * its next request as soon as the previous one is answered, for `seconds`. Requests are
 * prepared beforehand, so a run spreads over many users and conversations.
 */
export const httpLoad = (job: HttpLoadJob): Promise<HttpLoadResult> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load-worker.mjs', import.meta.url), {
      workerData: job,
    });
    worker.once('error', reject);
    worker.once('message', (reply: HttpLoadReply) => {
      void worker.terminate();
      if (reply.error) reject(new Error(reply.error));
      else
        resolve({
          ...summarize(reply.latencies, job.seconds),
          statuses: reply.statuses,
          issued: reply.issued,
          latencies: reply.latencies,
        });
    });
  });
