import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import type { HttpLoadJob, HttpLoadReply } from './http-load.js';

/**
 * The load generator, on a thread of its own so that it does not steal the server's event
 * loop: autocannon with `connections` clients, each taking the next prepared request.
 */
const job = workerData as HttpLoadJob;
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let issued = 0;

const instance = autocannon(
  {
    url: job.baseUrl,
    connections: job.connections,
    duration: job.seconds,
    requests: [
      {
        setupRequest: (request) => {
          const spec = job.specs[issued++ % job.specs.length];
          if (!spec) return request;
          request.method = spec.method;
          request.path = spec.path;
          request.headers = {
            ...request.headers,
            authorization: `Bearer ${spec.token}`,
            ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
          };
          request.body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
          return request;
        },
      },
    ],
  },
  (error) => {
    const reply: HttpLoadReply = {
      error: error ? String(error) : undefined,
      latencies,
      statuses,
      issued,
    };
    parentPort?.postMessage(reply);
  },
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  latencies.push(responseTime);
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
});
