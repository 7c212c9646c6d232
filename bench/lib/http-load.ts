import autocannon from 'autocannon';
import { type LatencySummary, summarize } from './latency.js';

export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: unknown;
}

export interface HttpLoadResult extends LatencySummary {
  statuses: Record<string, number>;
}

/**
 * Real HTTP on loopback with autocannon: `connections` clients, each sending its next request
 * as soon as the previous one is answered, for `seconds`. `next` picks each request, so a run
 * spreads over many users and conversations instead of hammering one item.
 */
export const httpLoad = async (
  baseUrl: string,
  connections: number,
  seconds: number,
  next: () => HttpRequestSpec,
): Promise<HttpLoadResult> => {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let finished: (error?: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finished = (error) => (error ? reject(error) : resolve());
  });
  const instance = autocannon(
    {
      url: baseUrl,
      connections,
      duration: seconds,
      requests: [
        {
          setupRequest: (request) => {
            const spec = next();
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
    (error) => finished(error),
  );
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  await done;
  return { ...summarize(latencies, seconds), statuses };
};
