import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LENGTH,
  MAX_SEARCH_LIMIT,
} from '../../contract/limits.js';
import type { ApiContext } from '../context.js';
import {
  errorResponses,
  type Me,
  MeJson,
  type UserList,
  UserListJson,
  type UserLookup,
  UserLookupJson,
} from '../schemas.js';
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
          200: MeJson,
          ...errorResponses(401, 503),
        },
      },
    },
    async (request): Promise<Me> => ({
      ...userJson(request.user),
      unread_conversations: await context.messaging.unreadConversations(request.user.uuid),
    }),
  );

  app.get(
    '/api/users',
    {
      schema: {
        summary: 'Find people by handle or name, as one types (a typeahead)',
        description:
          'Users whose handle starts with `q`, or any word of whose display name starts with it ' +
          '(each word of `q` must begin a word of the name: "ines ok" finds "Inès Okafor"), ' +
          'case- and accent-insensitive ("ines" finds "Inès"), never the caller, each user once: ' +
          'handle matches first, in handle order, then name matches by handle. ' +
          'A `q` with no letter, digit or underscore (e.g. "@") finds nobody. ' +
          'One or a few DynamoDB Queries, eventually consistent: a user created a moment ago ' +
          'may be missing for a moment.',
        tags: ['users'],
        querystring: Type.Object(
          {
            q: Type.String({
              minLength: 1,
              maxLength: MAX_SEARCH_LENGTH,
              description: `1 to ${MAX_SEARCH_LENGTH} characters, not only spaces`,
            }),
            limit: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: MAX_SEARCH_LIMIT,
                default: DEFAULT_SEARCH_LIMIT,
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: UserListJson,
          ...errorResponses(400, 401, 503),
        },
      },
    },
    async (request): Promise<UserList> => ({
      users: (
        await context.messaging.findUsers(request.user.uuid, request.query.q, request.query.limit)
      ).map(userJson),
    }),
  );

  app.get(
    '/api/users/@:handle/short',
    {
      schema: {
        summary: 'Look a user up by handle (case-insensitive)',
        description:
          'With `message_group_uuid`, the conversation the caller already has with this user ' +
          '(null when none, or for the caller): "New message" opens it instead of an empty one.',
        tags: ['users'],
        params: Type.Object({ handle: Type.String({ maxLength: 64 }) }),
        response: {
          200: UserLookupJson,
          ...errorResponses(400, 401, 404, 503),
        },
      },
    },
    async (request): Promise<UserLookup> => {
      const user = await context.messaging.getUserByHandle(request.params.handle);
      return {
        ...userJson(user),
        message_group_uuid: await context.messaging.conversationWith(request.user.uuid, user.uuid),
      };
    },
  );
};
