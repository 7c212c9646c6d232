import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PushHub } from '../../push/push-hub.js';
import type { Authenticator } from '../auth/authenticator.js';
import { openEventStream } from '../event-stream.js';
import { errorResponses } from '../schemas.js';

/**
 * `GET /api/events`: the signed-in user's live events. EventSource cannot send headers, so
 * the token comes as `access_token` in the query (this route only).
 */
export const eventRoutes: FastifyPluginAsyncTypebox<{
  authenticator: Authenticator;
  hub: PushHub;
}> = async (app, { authenticator, hub }) => {
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
      const user = await authenticator.authenticate(request.query.access_token);
      let unsubscribe = () => {};
      const send = openEventStream(request, reply, () => unsubscribe());
      unsubscribe = hub.subscribe(user.uuid, send);
      send('ready', {});
    },
  );
};
