import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LocalGateway } from '../../src/realtime/local-gateway/gateway.js';
import type { RealtimeEvent } from '../../src/realtime/websocket-handler.js';
import { pollUntil } from '../support/processes.js';

const allow = async () => ({
  principalId: 'u',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow' as const, Resource: '*' }],
  },
  context: { user_uuid: 'u', handle: 'u' },
});

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A gateway whose route handler records how many of its calls overlap. */
const startGateway = async (handlerConcurrency: number) => {
  const server = createServer();
  const calls = { inFlight: 0, most: 0, byRoute: new Map<string, number>() };
  const gateway = new LocalGateway({
    server,
    authorize: allow,
    handlerConcurrency,
    handle: async (event: RealtimeEvent) => {
      calls.inFlight++;
      calls.most = Math.max(calls.most, calls.inFlight);
      // Long enough for every close of the burst to be waiting on the limit.
      await new Promise((resolve) => setTimeout(resolve, 20));
      calls.inFlight--;
      const route = event.requestContext.routeKey;
      calls.byRoute.set(route, (calls.byRoute.get(route) ?? 0) + 1);
      return { statusCode: 200 };
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(async () => {
    await gateway.close();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { gateway, calls, url: `ws://127.0.0.1:${port}/realtime?access_token=x` };
};

const open = (url: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });

describe('the local gateway under a burst', () => {
  it('runs at most handlerConcurrency route handlers at once, and every $disconnect still runs', async () => {
    const { gateway, calls, url } = await startGateway(4);
    const sockets = await Promise.all(Array.from({ length: 40 }, () => open(url)));
    expect(calls.byRoute.get('$connect')).toBe(40);
    calls.most = 0;

    for (const socket of sockets) socket.close();
    await pollUntil(async () => calls.byRoute.get('$disconnect') === 40);
    expect(gateway.size).toBe(0);
    expect(calls.most).toBe(4);
  });
});
