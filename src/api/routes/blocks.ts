import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../context.js';
import { type BlockList, BlockListJson, errorResponses } from '../schemas.js';
import { userJson } from '../wire.js';

const HandleParams = Type.Object({ handle: Type.String({ maxLength: 64 }) });

export const blockRoutes: FastifyPluginAsyncTypebox<{ context: ApiContext }> = async (
  app,
  { context },
) => {
  const { messaging } = context;

  app.get(
    '/api/blocks',
    {
      schema: {
        summary: 'The users I block, by handle',
        tags: ['blocks'],
        response: {
          200: BlockListJson,
          ...errorResponses(401, 503),
        },
      },
    },
    async (request): Promise<BlockList> => ({
      users: (await messaging.listBlocks(request.user.uuid)).map((user) => ({
        ...userJson(user),
        blocked_at: user.blockedAt,
      })),
    }),
  );

  app.post(
    '/api/users/@:handle/block',
    {
      schema: {
        summary: 'Block a user',
        description:
          'While either of two users blocks the other, sends between them answer 403 `blocked` and their typing is not delivered; ' +
          'the conversation stays readable to both. Blocking someone blocked already changes nothing (204).',
        tags: ['blocks'],
        params: HandleParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404, 422, 503) },
      },
    },
    async (request, reply) => {
      await messaging.block(request.user, request.params.handle);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/users/@:handle/block',
    {
      schema: {
        summary: 'Lift my block of a user',
        description: 'At once. Lifting a block that does not stand changes nothing (204).',
        tags: ['blocks'],
        params: HandleParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      await messaging.unblock(request.user, request.params.handle);
      return reply.status(204).send(null);
    },
  );
};
