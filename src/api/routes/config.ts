import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../context.js';

const ClientConfig = Type.Object({
  realtime_url: Type.Union([Type.String(), Type.Null()], {
    description:
      'The WebSocket for live delivery: connect with ?access_token=<access token>. Null where there is none (then refetch on a timer).',
  }),
});

/** What a client needs to know before it signs in or connects. */
export const configRoutes: FastifyPluginAsyncTypebox<{ context: ApiContext }> = async (
  app,
  { context },
) => {
  app.get(
    '/api/config',
    {
      schema: {
        summary: 'Client configuration: where the realtime WebSocket is',
        tags: ['conversations'],
        security: [],
        response: { 200: ClientConfig },
      },
    },
    async (request) => ({ realtime_url: context.realtimeUrl?.(request.headers.host) ?? null }),
  );
};
