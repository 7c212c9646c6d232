import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../context.js';
import { errorResponses, UserJson } from '../schemas.js';
import { userJson } from '../wire.js';

export const userRoutes: FastifyPluginAsyncTypebox<{ context: ApiContext }> = async (
  app,
  { context },
) => {
  app.get(
    '/api/me',
    {
      schema: {
        summary: 'The signed-in user',
        tags: ['users'],
        response: {
          200: Type.Object({
            ...UserJson.properties,
            unread_conversations: Type.Integer({
              minimum: 0,
              description: 'how many of my conversations have unread messages',
            }),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => ({
      ...userJson(request.user),
      unread_conversations: await context.messaging.unreadConversations(request.user.uuid),
    }),
  );

  app.get(
    '/api/users/@:handle/short',
    {
      schema: {
        summary: 'Look a user up by handle (case-insensitive)',
        tags: ['users'],
        params: Type.Object({ handle: Type.String({ maxLength: 64 }) }),
        response: { 200: UserJson, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      return userJson(await context.messaging.getUserByHandle(request.params.handle));
    },
  );
};
