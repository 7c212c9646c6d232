import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One IAM authorization a DynamoDB request needs: the action, on the table or one index. */
export interface DynamoAuthorization {
  /** The IAM action, e.g. `dynamodb:UpdateItem`. */
  action: string;
  table: string;
  /** The index the request reads, when it reads one. */
  index?: string;
}

/** One request as the recorder saw it: the API operation and what IAM checks for it. */
export interface RecordedRequest {
  /** The operation of `X-Amz-Target`, e.g. `TransactWriteItems`. */
  operation: string;
  authorizations: DynamoAuthorization[];
}

type Body = Record<string, unknown>;

const onTable = (action: string, body: Body): DynamoAuthorization => ({
  action: `dynamodb:${action}`,
  table: String(body.TableName),
  ...(typeof body.IndexName === 'string' ? { index: body.IndexName } : {}),
});

/** A transaction's or a batch's parts, each with its own table: (kind, part). */
const TRANSACT_WRITE_KINDS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

/**
 * What IAM authorizes for a request (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html):
 * TransactWriteItems and TransactGetItems have no action of their own, each of their items is
 * authorized as the single-item action of its kind on its table; a batch needs its own action
 * on each table it names; anything else, its own action on its table (or index).
 */
export const authorizationsOf = (operation: string, body: Body): DynamoAuthorization[] => {
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    return ((body.TransactItems as Body[] | undefined) ?? []).flatMap((item) =>
      Object.entries(item).map(([kind, part]) => {
        const action = operation === 'TransactGetItems' ? 'GetItem' : TRANSACT_WRITE_KINDS[kind];
        if (!action) throw new Error(`a ${operation} item of an unknown kind: ${kind}`);
        return onTable(action, part as Body);
      }),
    );
  }
  if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') {
    return Object.keys((body.RequestItems as Body | undefined) ?? {}).map((table) => ({
      action: `dynamodb:${operation}`,
      table,
    }));
  }
  return [onTable(operation, body)];
};

export interface DynamoRecorder {
  /** Where to point the SDK (AWS_ENDPOINT_URL_DYNAMODB): every request is passed on. */
  endpoint: string;
  /** Every request passed on so far, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A recording HTTP proxy in front of DynamoDB Local at `target`: each request is read
 * (`X-Amz-Target` and the JSON body), recorded and passed on as is; the answer comes back
 * unchanged (its CRC32 header still matches).
 */
export const startDynamoRecorder = async (target: string): Promise<DynamoRecorder> => {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1];
      if (operation) {
        const parsed = JSON.parse(body.toString() || '{}') as Body;
        requests.push({ operation, authorizations: authorizationsOf(operation, parsed) });
      }
      const forward = httpRequest(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', (error) => {
        outgoing.writeHead(502).end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
