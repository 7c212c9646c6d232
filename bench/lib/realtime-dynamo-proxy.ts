import { Agent, createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectionPartition } from '../../src/messaging/keys.js';

/**
 * A counting pass-through between `npm start` and DynamoDB Local, so the realtime benchmark
 * counts the DynamoDB requests the product really sends (by `X-Amz-Target`), not the ones its
 * code is believed to send. Loopback only. It also finds the stream consumer's batches: a batch
 * is the handler's run between a `GetRecords` answer and the consumer's next Streams request,
 * and every batch that holds a message pushes, which starts with a connection Query
 * (`pk = CONN#user`, data-model.md row 18) — a request nothing else in a benchmark run sends.
 */
export interface DynamoCounts {
  /** Requests by operation, e.g. `Query`, `PutItem`, `Streams.GetRecords`. */
  operations: Record<string, number>;
  /** Queries of a user's connections (`CONN#`): the push path's reads. */
  connectionQueries: number;
  /** Deletes of a connection item (`$disconnect`, or a push answered 410). */
  connectionDeletes: number;
  /** Puts of a connection item (`$connect`). */
  connectionPuts: number;
  /** GetRecords answers that held records. */
  recordsAnswers: number;
  /** Stream consumer batches that pushed, and how long each ran (ms). */
  batches: number;
  batchMs: number[];
  /** The push's share of each batch: from its first connection Query to its end (ms). */
  pushMs: number[];
}

const empty = (): DynamoCounts => ({
  operations: {},
  connectionQueries: 0,
  connectionDeletes: 0,
  connectionPuts: 0,
  recordsAnswers: 0,
  batches: 0,
  batchMs: [],
  pushMs: [],
});

export interface CountingProxy {
  endpoint: string;
  /** The counts since the last reset (a copy). */
  counts(): DynamoCounts;
  reset(): void;
  close(): Promise<void>;
}

export const startCountingProxy = async (target: string): Promise<CountingProxy> => {
  const upstream = new URL(target);
  let counts = empty();
  // Batch detection (see above): the last GetRecords answer, and whether a push began since.
  let lastGetRecordsAt: number | undefined;
  let pushSeen = false;
  let pushStartedAt = 0;
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

  const observeRequest = (operation: string, body: string) => {
    counts.operations[operation] = (counts.operations[operation] ?? 0) + 1;
    const now = performance.now();
    if (operation.startsWith('Streams.')) {
      if (pushSeen && lastGetRecordsAt !== undefined) {
        counts.batches++;
        counts.batchMs.push(now - lastGetRecordsAt);
        counts.pushMs.push(now - pushStartedAt);
      }
      pushSeen = false;
      return;
    }
    // A request naming any connection partition: the prefix, built with an empty user.
    if (!body.includes(connectionPartition(''))) return;
    if (operation === 'Query') {
      counts.connectionQueries++;
      if (!pushSeen) pushStartedAt = now;
      pushSeen = true;
    } else if (operation === 'DeleteItem') counts.connectionDeletes++;
    else if (operation === 'PutItem') counts.connectionPuts++;
  };

  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? 'unknown');
      const [service = '', name = target] = target.split('.');
      const operation = service.startsWith('DynamoDBStreams') ? `Streams.${name}` : name;
      observeRequest(operation, body.toString('utf8'));
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
          agent: keepAlive,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          const isGetRecords = operation === 'Streams.GetRecords';
          const seen: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => {
            if (isGetRecords) seen.push(chunk);
            res.write(chunk);
          });
          answer.on('end', () => {
            if (isGetRecords) {
              lastGetRecordsAt = performance.now();
              // An empty batch answers `"Records":[]`; anything else holds records.
              const text = Buffer.concat(seen).toString('utf8');
              if (/"Records"\s*:\s*\[\s*\{/.test(text)) counts.recordsAnswers++;
            }
            res.end();
          });
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => structuredClone(counts),
    reset: () => {
      counts = empty();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      keepAlive.destroy();
    },
  };
};
