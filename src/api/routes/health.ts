import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../schemas.js';

export const healthRoutes: FastifyPluginAsyncTypebox<{ context: ApiContext }> = async (
  app,
  { context },
) => {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Is the service up and DynamoDB reachable?',
        tags: ['health'],
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }), ...errorResponses(503) },
      },
    },
    async () => {
      if (!(await context.checkHealth())) {
        throw new ApiError(503, 'unavailable', 'DynamoDB does not answer.', { 'retry-after': '1' });
      }
      return { status: 'ok' as const };
    },
  );
};
