import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../context.js';

const AuthConfig = Type.Union([
  Type.Object({ mode: Type.Literal('local') }),
  Type.Object({
    mode: Type.Literal('cognito'),
    hosted_sign_in: Type.Union([
      Type.Object({ domain: Type.String(), client_id: Type.String() }),
      Type.Null(),
    ]),
  }),
]);

/** How the web app signs people in here: the dev sign-in, or Cognito's hosted pages. */
export const authConfigRoutes: FastifyPluginAsyncTypebox<{ context: ApiContext }> = async (
  app,
  { context },
) => {
  app.get(
    '/api/auth/config',
    {
      schema: {
        summary: 'How to sign in: local dev sign-in, or Cognito hosted sign-in (code + PKCE)',
        tags: ['users'],
        security: [],
        response: { 200: AuthConfig },
      },
    },
    async () => {
      if (context.authMode === 'local') return { mode: 'local' as const };
      const hosted = context.hostedSignIn;
      return {
        mode: 'cognito' as const,
        hosted_sign_in: hosted ? { domain: hosted.domain, client_id: hosted.clientId } : null,
      };
    },
  );
};
