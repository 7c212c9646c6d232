import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import Fastify from 'fastify';
import { WebSocket } from 'ws';
import { Authenticator } from '../../src/api/auth/authenticator.js';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import type { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import { createRealtimeAuthorizer } from '../../src/realtime/authorizer.js';
import { ConnectionRegistry } from '../../src/realtime/connection-registry.js';
import type { ServerFrame } from '../../src/realtime/frames.js';
import {
  LocalGateway,
  type LocalGatewayOptions,
} from '../../src/realtime/local-gateway/gateway.js';
import { managementApiRoutes } from '../../src/realtime/local-gateway/management-api.js';
import { RealtimePusher } from '../../src/realtime/pusher.js';
import {
  createRealtimeHandler,
  type RealtimeHandler,
} from '../../src/realtime/websocket-handler.js';
import { type TestTable, uniqueHandle } from './test-table.js';

/**
 * The realtime pieces as `npm start` wires them: the local gateway on a real HTTP server,
 * its Management API, and the real SDK client pushing through it, on the test table.
 */
export const startRealtime = async (
  t: TestTable,
  messaging: Messaging,
  options: Pick<LocalGatewayOptions, 'idleTimeoutMs' | 'maxConnectionAgeMs'> = {},
) => {
  const issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
  const authenticator = new Authenticator(issuer, messaging, false);
  const app = Fastify();
  const registry = new ConnectionRegistry(t.table);
  const errors: unknown[][] = [];
  const logger = { error: (...args: unknown[]) => errors.push(args) };
  // The handler needs the pusher, which needs the server's address: set once it listens.
  let handle: RealtimeHandler = async () => ({ statusCode: 503 });
  const gateway = new LocalGateway({
    server: app.server,
    authorize: createRealtimeAuthorizer((token) => authenticator.authenticate(token)),
    handle: (event) => handle(event),
    logger,
    ...options,
  });
  await app.register(managementApiRoutes, { gateway });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const client = new ApiGatewayManagementApiClient({
    endpoint: base,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const pusher = new RealtimePusher({ registry, client, logger });
  handle = createRealtimeHandler({ registry, pusher, messaging });
  const sockets: WebSocket[] = [];

  return {
    gateway,
    registry,
    pusher,
    client,
    issuer,
    errors,
    url: `${base.replace('http', 'ws')}/realtime`,
    newUser: async (name = 'user'): Promise<{ user: User; token: string }> => {
      const user = await messaging.createUser({ handle: uniqueHandle(name), displayName: name });
      return { user, token: await issuer.issue(user) };
    },
    /** Opens a socket as a browser would: the token in the query string. */
    connect: async (token: string | undefined): Promise<TestSocket> => {
      const query = token === undefined ? '' : `?access_token=${encodeURIComponent(token)}`;
      const socket = new WebSocket(`${base.replace('http', 'ws')}/realtime${query}`);
      sockets.push(socket);
      return new Promise((resolve, reject) => {
        socket.once('open', () => resolve(new TestSocket(socket)));
        socket.once('unexpected-response', (_request, response) =>
          reject(new RefusedError(response.statusCode ?? 0)),
        );
        socket.once('error', reject);
      });
    },
    stop: async () => {
      for (const socket of sockets) socket.terminate();
      await gateway.close();
      await app.close();
      client.destroy();
    },
  };
};

export class RefusedError extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** A client socket that keeps every frame it receives and can wait for the next one. */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  readonly #waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame received so far, or later, that matches; fails after `timeoutMs`. */
  async next(match: (frame: ServerFrame) => boolean, timeoutMs = 5_000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
