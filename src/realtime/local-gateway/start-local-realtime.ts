import type { AddressInfo } from 'node:net';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import type { FastifyInstance } from 'fastify';
import { authenticatorOf } from '../../api/auth/authenticator.js';
import type { ApiContext } from '../../api/context.js';
import type { TablePort } from '../../messaging/table-port.js';
import { createRealtimeAuthorizer } from '../authorizer.js';
import { ConnectionRegistry } from '../connection-registry.js';
import { RealtimePusher } from '../pusher.js';
import { createStreamFanout, type StreamFanout } from '../stream-fanout.js';
import { createRealtimeHandler, type RealtimeHandler } from '../websocket-handler.js';
import { LocalGateway, type LocalGatewayOptions, REALTIME_PATH } from './gateway.js';
import { managementApiRoutes } from './management-api.js';

export interface LocalRealtime {
  /** For the stream consumer: pushes what pattern E did, through the Management API. */
  fanout: StreamFanout;
  close(): Promise<void>;
}

/**
 * `npm start`'s realtime: the local gateway on the API's own port, the handler modules the
 * stack deploys, and the real Management API client pointed at this server. Call before the
 * app listens (it adds routes); `start` once it listens (the client needs the address).
 */
export const attachLocalRealtime = async (
  app: FastifyInstance,
  context: ApiContext,
  table: TablePort,
  timeouts: Pick<LocalGatewayOptions, 'idleTimeoutMs' | 'maxConnectionAgeMs'> = {},
) => {
  const registry = new ConnectionRegistry(table);
  const authenticator = authenticatorOf(context);
  let handle: RealtimeHandler = async () => ({ statusCode: 503 });
  const authorize = createRealtimeAuthorizer((token) => authenticator.authenticate(token));
  // WebSocket events are not HTTP requests of the app: the cost ledger names them itself.
  const costs = context.inspector?.costs;
  const gateway = new LocalGateway({
    server: app.server,
    authorize: (event) =>
      costs
        ? costs.track({ source: 'WebSocket authorizer' }, () => authorize(event))
        : authorize(event),
    handle: (event) =>
      costs
        ? costs.track({ source: `WebSocket ${event.requestContext.routeKey}` }, () => handle(event))
        : handle(event),
    ...timeouts,
  });
  await app.register(managementApiRoutes, { gateway });
  context.realtimeUrl ??= (host) => `ws://${host ?? 'localhost'}${REALTIME_PATH}`;

  return {
    start: (): LocalRealtime => {
      const { port } = app.server.address() as AddressInfo;
      const client = new ApiGatewayManagementApiClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const pusher = new RealtimePusher({ registry, client });
      handle = createRealtimeHandler({ registry, pusher, messaging: context.messaging });
      return {
        fanout: createStreamFanout(pusher, context.messaging),
        close: async () => {
          await gateway.close();
          client.destroy();
        },
      };
    },
  };
};
