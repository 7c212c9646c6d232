import { createServer, type Server, type Socket } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/local/free-port.js';
import { StoreUnavailableError } from '../../src/messaging/errors.js';
import { connectDynamo } from '../../src/store/clients.js';
import { toStoreError } from '../../src/store/dynamo-errors.js';

const sockets = new Set<Socket>();
const servers: Server[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A TCP server on loopback that does `onConnection` with each connection instead of answering. */
const listen = async (onConnection: (socket: Socket) => void): Promise<string> => {
  const server = createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
};

/** The product's own client settings, with a short request timeout. */
const clientFor = (endpoint: string) =>
  connectDynamo({ endpoint, maxAttempts: 1, requestTimeoutMs: 300 }).client;

/** What `toStoreError` makes of the error of one GetItem sent to `endpoint`. */
const storeErrorOfGet = async (endpoint: string): Promise<unknown> => {
  const client = clientFor(endpoint);
  try {
    await client.send(
      new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }),
    );
    throw new Error('the request succeeded');
  } catch (error) {
    return toStoreError(error);
  } finally {
    client.destroy();
  }
};

describe('toStoreError: no answer from DynamoDB means unavailable, whatever the network calls it', () => {
  it('a refused connection', async () => {
    const error = await storeErrorOfGet(`http://127.0.0.1:${await freePort()}`);
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  it('a connection closed before any answer', async () => {
    const error = await storeErrorOfGet(await listen((socket) => socket.destroy()));
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  it('a request that gets no answer in time', async () => {
    const error = await storeErrorOfGet(await listen(() => undefined));
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  it('but an error raised before anything was sent stays what it is: a bug of ours', async () => {
    const client = clientFor(`http://127.0.0.1:${await freePort()}`);
    const doc = DynamoDBDocumentClient.from(client);
    const error = await doc
      .send(new PutCommand({ TableName: 'tbl', Item: { pk: 'a', sk: new Date() } }))
      .catch((e: unknown) => toStoreError(e));
    client.destroy();
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
  });
});
