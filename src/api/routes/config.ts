import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiContext } from '../context.js';
import { type ClientConfig, ClientConfigJson } from '../schemas.js';

/** What a client needs to know before it signs in or connects. */
export const configRoutes: FastifyPluginAsyncTypebox<{ context: ApiContext }> = async (
  app,
  { context },
) => {
  app.get(
    '/api/config',
    {
      schema: {
        summary: 'Client configuration: where the realtime WebSocket is, and the edit window',
        tags: ['conversations'],
        security: [],
        response: { 200: ClientConfigJson },
      },
    },
    async (request): Promise<ClientConfig> => ({
      realtime_url: context.realtimeUrl?.(request.headers.host) ?? null,
      edit_window_s: context.messaging.editWindowSeconds,
    }),
  );
};
