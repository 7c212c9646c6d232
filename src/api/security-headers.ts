import type { onRequestHookHandler } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's headers on every response, the Content-Security-Policy fit for the web app.
 * Helmet's middleware is built once here: @fastify/helmet builds it again for every request,
 * which cost ~3% of a list request's CPU in `npm run bench` (the CSP string parsed anew).
 * `connectSources`: origins the web app may call besides its own (Cognito's token endpoint).
 */
export const securityHeaders = (connectSources: string[]): onRequestHookHandler => {
  const apply = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...connectSources],
        // Served over plain http on localhost: upgrading would break every request.
        upgradeInsecureRequests: null,
      },
    },
  });
  return (request, reply, done) =>
    apply(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined));
};
