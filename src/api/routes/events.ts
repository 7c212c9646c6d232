import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { PushHub } from '../../push/push-hub.js';
import type { Authenticator } from '../auth/authenticator.js';
import { openEventStream } from '../event-stream.js';
import { errorResponses } from '../schemas.js';

/** What a client should do where there is no push: refetch this often. */
const POLL_INSTEAD_MS = 10_000;

/**
 * `GET /api/events`: the signed-in user's live events. EventSource cannot send headers, so
 * the token comes as `access_token` in the query (this route only). Without a hub (on AWS,
 * where API Gateway buffers responses and each Lambda would have its own hub) the stream is
 * one `unavailable` event and ends: the web app then refetches on a timer instead of
 * reconnecting to a stream that will never carry anything.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<{
  authenticator: Authenticator;
  hub: PushHub | undefined;
}> = async (app, { authenticator, hub }) => {
  app.get(
    '/api/events',
    {
      schema: {
        summary: 'Live events (Server-Sent Events): message, message_group',
        description:
          '`ready` on connect; `message` ({message_group_uuid, message}) for each new message in my conversations; ' +
          '`message_group` (a list row) when my row moves to a new last message. Reconnect and refetch on `ready`. ' +
          'Where the deployment has no push (AWS), the stream is one `unavailable` event ({poll_ms}) and ends: refetch every `poll_ms` instead.',
        tags: ['conversations'],
        security: [],
        querystring: Type.Object({ access_token: Type.String({ minLength: 1, maxLength: 4096 }) }),
        response: { ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const user = await authenticator.authenticate(request.query.access_token);
      if (!hub) {
        // A whole response, not a hijacked stream: API Gateway and the Lambda adapter need one.
        return reply
          .type('text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache, no-transform')
          .send(
            `retry: 60000\n\nevent: unavailable\ndata: ${JSON.stringify({ poll_ms: POLL_INSTEAD_MS })}\n\n`,
          );
      }
      let unsubscribe = () => {};
      const send = openEventStream(request, reply, () => unsubscribe());
      unsubscribe = hub.subscribe(user.uuid, send);
      send('ready', {});
    },
  );
};
