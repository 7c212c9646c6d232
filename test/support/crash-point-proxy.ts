import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One DynamoDB call as the proxy saw it: the operation (e.g. "PutItem") and its JSON body. */
export interface DynamoCall {
  operation: string;
  body: Record<string, unknown>;
}

/**
 * Where a call is stopped: before DynamoDB sees it (nothing written), or once DynamoDB has
 * answered it (written) but before the caller has that answer.
 */
export type CrashPoint = 'request' | 'answer';

export interface CrashPointProxy {
  /** Give this to the server as DYNAMODB_ENDPOINT. */
  url: string;
  /** Every call that reached the proxy, in order (held ones too). */
  calls: DynamoCall[];
  /**
   * Stops the first call that `matches` at `point` and resolves then: the caller is left
   * waiting, and so is every call after it, until release(). The moment to kill the caller.
   */
  holdAt(point: CrashPoint, matches: (call: DynamoCall) => boolean): Promise<void>;
  /** Drops what is held and passes everything again. */
  release(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const readAll = async (stream: AsyncIterable<Buffer | string>): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
};

const forward = (upstream: URL, incoming: IncomingMessage, body: Buffer): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        readAll(answer).then(
          (answerBody) =>
            resolve({
              status: answer.statusCode ?? 502,
              headers: answer.headers,
              body: answerBody,
            }),
          reject,
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });

/**
 * An HTTP proxy in front of DynamoDB (Local) that records every call and can stop one chosen
 * call at a chosen point:
 * a server behind it can then be killed at an exact step of its work, e.g. with its message
 * written and the answer not yet back, instead of some milliseconds after a request left.
 */
export const startCrashPointProxy = async (upstreamUrl: string): Promise<CrashPointProxy> => {
  const upstream = new URL(upstreamUrl);
  let trap:
    | { point: CrashPoint; matches: (call: DynamoCall) => boolean; sprung: () => void }
    | undefined;
  let holding = false;
  const calls: DynamoCall[] = [];
  const held = new Set<ServerResponse>();
  const hold = (response: ServerResponse) => {
    held.add(response);
    response.on('close', () => held.delete(response));
  };

  const server = createServer((incoming, response) => {
    void (async () => {
      const body = await readAll(incoming);
      const call: DynamoCall = {
        // The SDK names the operation in X-Amz-Target, e.g. "DynamoDB_20120810.PutItem".
        operation: String(incoming.headers['x-amz-target'] ?? '')
          .split('.')
          .at(-1) as string,
        body: body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {},
      };
      calls.push(call);
      if (holding) return hold(response);
      const caught = trap?.matches(call) ? trap : undefined;
      if (caught) trap = undefined;
      const spring = () => {
        holding = true;
        hold(response);
        caught?.sprung();
      };
      if (caught?.point === 'request') return spring();
      const answer = await forward(upstream, incoming, body);
      if (caught) return spring();
      if (holding) return hold(response);
      response.writeHead(answer.status, answer.headers).end(answer.body);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const release = () => {
    trap = undefined;
    holding = false;
    for (const response of held) response.destroy();
    held.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    holdAt: (point, matches) =>
      new Promise((sprung) => {
        trap = { point, matches, sprung: () => sprung() };
      }),
    release,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};
