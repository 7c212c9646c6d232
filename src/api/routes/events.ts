import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PushHub } from '../../push/push-hub.js';
import { resolveUser } from '../auth/resolve-user.js';
import type { ApiContext } from '../context.js';
import { openEventStream } from '../event-stream.js';
import { errorResponses } from '../schemas.js';

/**
 * `GET /api/events`: the signed-in user's live events. EventSource cannot send headers, so
 * the token comes as `access_token` in the query (this route only).
 */
export const eventRoutes: FastifyPluginAsyncTypebox<{ context: ApiContext; hub: PushHub }> = async (
  app,
  { context, hub },
) => {
  app.get(
    '/api/events',
    {
      schema: {
        summary: 'Live events (Server-Sent Events): message, message_group',
        description:
          '`ready` on connect; `message` ({message_group_uuid, message}) for each new message in my conversations; ' +
          '`message_group` (a list row) when my row moves to a new last message. Reconnect and refetch on `ready`.',
        tags: ['conversations'],
        security: [],
        querystring: Type.Object({ access_token: Type.String({ minLength: 1, maxLength: 4096 }) }),
        response: { ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const identity = await context.verifier.verify(request.query.access_token);
      const user = await resolveUser(context.messaging, identity, context.authMode === 'cognito');
      let unsubscribe = () => {};
      const send = openEventStream(request, reply, () => unsubscribe());
      unsubscribe = hub.subscribe(user.uuid, send);
      send('ready', {});
    },
  );
};
