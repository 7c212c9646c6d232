import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import pLimit from 'p-limit';
import { type WebSocket, WebSocketServer } from 'ws';
import { LOCAL_GATEWAY_DEFAULTS } from '../../config.js';
import { isAllowed } from '../authorizer.js';
import { MAX_FRAME_BYTES } from '../frames.js';
import { ACTION_ROUTES, type RealtimeHandler } from '../websocket-handler.js';
import {
  authorizerEvent,
  authorizerOf,
  type ConnectionFacts,
  connectEvent,
  disconnectEvent,
  messageEvent,
  newConnectionId,
  routeOf,
} from './events.js';

export interface LocalGatewayOptions {
  /** The HTTP server whose upgrades on `path` become WebSocket connections. */
  server: Server;
  path?: string;
  authorize: (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
  handle: RealtimeHandler;
  /** API Gateway closes a connection idle for 10 minutes (defaults: LOCAL_GATEWAY_DEFAULTS). */
  idleTimeoutMs?: number;
  /** ... and any connection 2 hours after it opened. */
  maxConnectionAgeMs?: number;
  /**
   * Route handler invocations in flight at once. Lambda scales out to a thousand; here they
   * share one DynamoDB Local, and a thousand tabs closing at once (a restart of the browser)
   * would time their DeleteItems out.
   */
  handlerConcurrency?: number;
  logger?: Pick<Console, 'error'>;
}

export interface ConnectionInfo {
  ConnectedAt: Date;
  LastActiveAt: Date;
  Identity: { SourceIp: string; UserAgent: string };
}

interface Connection {
  socket: WebSocket;
  facts: ConnectionFacts;
  authorizer: ReturnType<typeof authorizerOf>;
  lastActiveAt: number;
  idleTimer: NodeJS.Timeout;
  ageTimer: NodeJS.Timeout;
}

export const REALTIME_PATH = '/realtime';

/**
 * API Gateway's WebSocket API on a laptop: authorizes the upgrade with the REQUEST
 * authorizer, calls the route handler with API Gateway's events, and keeps the sockets that
 * the Management API (`management-api.ts`) posts to. What runs here is what the stack deploys.
 */
export class LocalGateway {
  readonly #connections = new Map<string, Connection>();
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  readonly #options: Required<Omit<LocalGatewayOptions, 'server'>>;
  readonly #server: Server;
  readonly #handle: RealtimeHandler;
  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void this.#upgrade(request, socket, head);
  };

  constructor(options: LocalGatewayOptions) {
    this.#server = options.server;
    // `??`, not a spread: an option passed as undefined keeps its default.
    this.#options = {
      ...options,
      path: options.path ?? REALTIME_PATH,
      idleTimeoutMs: options.idleTimeoutMs ?? LOCAL_GATEWAY_DEFAULTS.idleTimeoutMs,
      maxConnectionAgeMs: options.maxConnectionAgeMs ?? LOCAL_GATEWAY_DEFAULTS.maxConnectionAgeMs,
      handlerConcurrency: options.handlerConcurrency ?? 64,
      logger: options.logger ?? console,
    };
    const limit = pLimit(this.#options.handlerConcurrency);
    this.#handle = (event) => limit(() => options.handle(event));
    this.#server.on('upgrade', this.#onUpgrade);
  }

  get size(): number {
    return this.#connections.size;
  }

  /** `PostToConnection`: false when no such connection is open (API Gateway's 410). */
  post(connectionId: string, data: Buffer): Promise<boolean> {
    const connection = this.#connections.get(connectionId);
    if (!connection) return Promise.resolve(false);
    return new Promise((resolve) =>
      connection.socket.send(data, { binary: false }, (error) => resolve(!error)),
    );
  }

  /** `GetConnection`. */
  info(connectionId: string): ConnectionInfo | undefined {
    const connection = this.#connections.get(connectionId);
    if (!connection) return undefined;
    return {
      ConnectedAt: new Date(connection.facts.connectedAt),
      LastActiveAt: new Date(connection.lastActiveAt),
      Identity: { SourceIp: connection.facts.sourceIp, UserAgent: connection.facts.userAgent },
    };
  }

  /** `DeleteConnection`: closes the socket; `$disconnect` follows as on AWS. */
  disconnect(connectionId: string): boolean {
    const connection = this.#connections.get(connectionId);
    connection?.socket.close(1000, 'Connection deleted');
    return connection !== undefined;
  }

  /** Closes every socket and waits for their `$disconnect` handlers. */
  async close(): Promise<void> {
    this.#server.off('upgrade', this.#onUpgrade);
    const closed = [...this.#connections.values()].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.socket.once('close', () => resolve());
          c.socket.close(1001, 'Going away');
        }),
    );
    await Promise.all(closed);
    await this.#pendingDisconnects;
    this.#wss.close();
  }

  #pendingDisconnects: Promise<unknown> = Promise.resolve();

  async #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== this.#options.path) return refuse(socket, 404, 'Not Found');
    const facts: ConnectionFacts = {
      connectionId: newConnectionId(),
      connectedAt: Date.now(),
      apiId: 'local',
      stage: 'local',
      domainName: request.headers.host ?? 'localhost',
      sourceIp: request.socket.remoteAddress ?? '',
      userAgent: request.headers['user-agent'] ?? '',
    };
    let authorizer: ReturnType<typeof authorizerOf>;
    try {
      const started = performance.now();
      const result = await this.#options
        .authorize(authorizerEvent(facts, request.headers, url.searchParams))
        .catch((error: unknown) => {
          if (error instanceof Error && error.message === 'Unauthorized') return undefined;
          throw error;
        });
      if (!result) return refuse(socket, 401, 'Unauthorized');
      if (!isAllowed(result)) return refuse(socket, 403, 'Forbidden');
      authorizer = authorizerOf(result, Math.round(performance.now() - started));
      const connected = await this.#handle(
        connectEvent(facts, authorizer, request.headers, url.searchParams),
      );
      if (connected.statusCode < 200 || connected.statusCode > 299)
        return refuse(socket, connected.statusCode, 'Forbidden');
    } catch (error) {
      this.#options.logger.error('realtime: $connect failed', String(error));
      return refuse(socket, 500, 'Internal Server Error');
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#open(ws, facts, authorizer));
  }

  #open(socket: WebSocket, facts: ConnectionFacts, authorizer: Connection['authorizer']): void {
    const { idleTimeoutMs, maxConnectionAgeMs } = this.#options;
    const connection: Connection = {
      socket,
      facts,
      authorizer,
      lastActiveAt: Date.now(),
      idleTimer: setTimeout(() => socket.close(1001, 'Going away'), idleTimeoutMs),
      ageTimer: setTimeout(() => socket.close(1001, 'Going away'), maxConnectionAgeMs),
    };
    this.#connections.set(facts.connectionId, connection);
    socket.on('message', (data, isBinary) => {
      connection.lastActiveAt = Date.now();
      connection.idleTimer.refresh();
      const body = isBinary ? '' : data.toString();
      void this.#route(connection, body);
    });
    socket.on('close', (code, reason) => {
      clearTimeout(connection.idleTimer);
      clearTimeout(connection.ageTimer);
      this.#connections.delete(facts.connectionId);
      const done = this.#handle(disconnectEvent(facts, authorizer, code, reason.toString())).catch(
        (error: unknown) =>
          this.#options.logger.error('realtime: $disconnect failed', String(error)),
      );
      this.#pendingDisconnects = Promise.all([this.#pendingDisconnects, done]);
    });
    socket.on('error', () => socket.terminate());
  }

  async #route(connection: Connection, body: string): Promise<void> {
    const routeKey = routeOf(body, ACTION_ROUTES);
    try {
      await this.#handle(messageEvent(connection.facts, connection.authorizer, routeKey, body));
    } catch (error) {
      this.#options.logger.error('realtime: route failed', routeKey, String(error));
      // What API Gateway sends the client when the integration fails.
      connection.socket.send(
        JSON.stringify({
          message: 'Internal server error',
          connectionId: connection.facts.connectionId,
          requestId: 'local',
        }),
      );
    }
  }
}

const refuse = (socket: Duplex, status: number, text: string): void => {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};
