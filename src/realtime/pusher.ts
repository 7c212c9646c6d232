import {
  type ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ConnectionRegistry } from './connection-registry.js';
import type { ServerFrame } from './frames.js';

export interface PushReport {
  sent: number;
  /** Answered 410: the connection was dead, and its item is deleted. */
  gone: number;
  /** Any other error: logged and counted, never thrown. */
  failed: number;
}

export interface PusherOptions {
  registry: ConnectionRegistry;
  /** API Gateway's Management API: the stage URL on AWS, the local gateway under `npm start`. */
  client: ApiGatewayManagementApiClient;
  /**
   * Requests in flight at once (connection Queries and posts), across all pushes of this
   * pusher: 50, the sockets the SDK's HTTP agent keeps per host. The stream handler pushes each
   * conversation of a batch as soon as it is done, so pushes overlap; a batch under load holds
   * hundreds of frames.
   */
  concurrency?: number;
  logger?: Pick<Console, 'error'>;
}

/**
 * Sends frames to users' open connections through the Management API (`PostToConnection`).
 * `$disconnect` is best effort, so a 410 is the reliable sign of a dead connection: its item
 * goes. A failed push is logged and counted; it never fails the caller, which is the stream
 * consumer: a message is stored whether or not anyone saw it pushed.
 */
export class RealtimePusher {
  readonly #registry: ConnectionRegistry;
  readonly #client: ApiGatewayManagementApiClient;
  readonly #limit: LimitFunction;
  readonly #logger: Pick<Console, 'error'>;
  /**
   * Connection lists being read: pushes of one batch overlap (one per conversation), and a
   * user in several of its conversations is read once, as when the batch was one push.
   */
  readonly #reading = new Map<string, Promise<string[]>>();

  constructor(options: PusherOptions) {
    this.#registry = options.registry;
    this.#client = options.client;
    this.#limit = pLimit(options.concurrency ?? 50);
    this.#logger = options.logger ?? console;
  }

  /** Each frame to every connection of its user. */
  async push(deliveries: { userUuid: string; frame: ServerFrame }[]): Promise<PushReport> {
    const report: PushReport = { sent: 0, gone: 0, failed: 0 };
    const users = [...new Set(deliveries.map((d) => d.userUuid))];
    const connections = new Map<string, string[]>();
    await Promise.all(
      users.map((userUuid) =>
        this.#limit(async () => {
          try {
            connections.set(userUuid, await this.#connectionsOf(userUuid));
          } catch (error) {
            report.failed += deliveries.filter((d) => d.userUuid === userUuid).length;
            this.#logger.error('push: cannot list connections', { userUuid, error: String(error) });
          }
        }),
      ),
    );
    const posts = deliveries.flatMap(({ userUuid, frame }) =>
      (connections.get(userUuid) ?? []).map((connectionId) => ({ userUuid, connectionId, frame })),
    );
    await Promise.all(
      posts.map(({ userUuid, connectionId, frame }) =>
        this.#limit(async () => {
          const result = await this.#post(connectionId, frame);
          report[result]++;
          if (result === 'gone')
            await this.#registry.remove(userUuid, connectionId).catch((error: unknown) => {
              this.#logger.error('push: cannot delete a gone connection', {
                connectionId,
                error: String(error),
              });
            });
        }),
      ),
    );
    return report;
  }

  #connectionsOf(userUuid: string): Promise<string[]> {
    const reading = this.#reading.get(userUuid);
    if (reading) return reading;
    const read = this.#registry
      .connectionsOf(userUuid)
      .finally(() => this.#reading.delete(userUuid));
    this.#reading.set(userUuid, read);
    return read;
  }

  /** One frame to one connection: a reply to what the connection sent. */
  async reply(connectionId: string, frame: ServerFrame): Promise<keyof PushReport> {
    return this.#post(connectionId, frame);
  }

  async #post(connectionId: string, frame: ServerFrame): Promise<keyof PushReport> {
    try {
      await this.#client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(frame) }),
      );
      return 'sent';
    } catch (error) {
      if (error instanceof GoneException) return 'gone';
      this.#logger.error('push: PostToConnection failed', { connectionId, error: String(error) });
      return 'failed';
    }
  }
}
