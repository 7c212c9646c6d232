import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { LocalIssuer } from '../auth/local-issuer.js';
import type { ApiContext } from '../context.js';
import {
  type DevSession,
  DevSessionJson,
  errorResponses,
  type User,
  UserJson,
  type UserList,
  UserListJson,
} from '../schemas.js';
import { userJson } from '../wire.js';

/** `AUTH_MODE=local` only: pick or create a user and get a token for them. */
export const devRoutes: FastifyPluginAsyncTypebox<{
  context: ApiContext;
  issuer: LocalIssuer;
}> = async (app, { context, issuer }) => {
  const { messaging } = context;

  app.get(
    '/api/dev/users',
    {
      schema: {
        summary: 'All users (dev sign-in; a Scan, local mode only)',
        tags: ['dev'],
        security: [],
        response: { 200: UserListJson, ...errorResponses(503) },
      },
    },
    async (): Promise<UserList> => ({ users: (await messaging.listAllUsers()).map(userJson) }),
  );

  app.post(
    '/api/dev/users',
    {
      schema: {
        summary: 'Create a user (dev sign-in, local mode only)',
        tags: ['dev'],
        security: [],
        body: Type.Object(
          { handle: Type.String({ maxLength: 64 }), display_name: Type.String({ maxLength: 256 }) },
          { additionalProperties: false },
        ),
        response: { 201: UserJson, ...errorResponses(400, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply): Promise<User> => {
      const user = await messaging.createUser({
        handle: request.body.handle,
        displayName: request.body.display_name,
      });
      reply.status(201);
      return userJson(user);
    },
  );

  app.post(
    '/api/dev/sessions',
    {
      schema: {
        summary: 'Sign in as a user (dev sign-in, local mode only)',
        tags: ['dev'],
        security: [],
        body: Type.Object(
          { handle: Type.String({ maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: {
          201: DevSessionJson,
          ...errorResponses(400, 404, 413, 415, 503),
        },
      },
    },
    async (request, reply): Promise<DevSession> => {
      const user = await messaging.getUserByHandle(request.body.handle);
      reply.status(201);
      return { token: await issuer.issue(user), user: userJson(user) };
    },
  );
};
