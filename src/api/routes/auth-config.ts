import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ApiContext } from '../context.js';
import { type AuthConfig, AuthConfigJson } from '../schemas.js';

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
        response: { 200: AuthConfigJson },
      },
    },
    async (): Promise<AuthConfig> => {
      if (context.authMode === 'local') return { mode: 'local' };
      const hosted = context.hostedSignIn;
      return {
        mode: 'cognito',
        hosted_sign_in: hosted ? { domain: hosted.domain, client_id: hosted.clientId } : null,
      };
    },
  );
};
