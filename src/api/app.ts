import { sep } from 'node:path';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authenticatorOf } from './auth/authenticator.js';
import type { ApiContext } from './context.js';
import { attributeRequestCosts } from './cost-attribution.js';
import { docsRoutes } from './docs-routes.js';
import { errorHandler } from './error-handler.js';
import { ApiError, UnauthorizedError } from './errors.js';
import { lazyValidatorCompiler, schemaCompilerOptions } from './lazy-schemas.js';
import { recordForOpenApi } from './openapi.js';
import { authConfigRoutes } from './routes/auth-config.js';
import { blockRoutes } from './routes/blocks.js';
import { configRoutes } from './routes/config.js';
import { conversationRoutes } from './routes/conversations.js';
import { devRoutes } from './routes/dev.js';
import { healthRoutes } from './routes/health.js';
import { inspectRoutes } from './routes/inspect.js';
import { userRoutes } from './routes/users.js';
import { ErrorResponse } from './schemas.js';
import { securityHeaders } from './security-headers.js';
import { validatorCompiler } from './validators.js';

export const BODY_LIMIT = 16 * 1024;

export interface BuildAppOptions {
  context: ApiContext;
  logger?: FastifyServerOptions['logger'];
  /** The built web app (web/dist): served at / with the SPA's routes falling back to it. */
  webRoot?: string | undefined;
  /**
   * When routes' schemas are compiled: 'at-start' (a broken schema fails the start) or
   * 'on-first-use' (the Lambda: a cold start answers its first request sooner; lazy-schemas.ts).
   */
  compileSchemas?: 'at-start' | 'on-first-use';
}

/** The one Fastify app: a Node server locally, a Lambda behind API Gateway on AWS. */
export const buildApp = async ({
  context,
  logger = false,
  webRoot,
  compileSchemas = 'at-start',
}: BuildAppOptions): Promise<FastifyInstance> => {
  const lazy = compileSchemas === 'on-first-use';
  const app = Fastify({
    ...schemaCompilerOptions(lazy),
    logger,
    bodyLimit: BODY_LIMIT,
    // Never a stack trace or a DynamoDB message in a response: see error-handler.ts.
    return503OnClosing: true,
    // Event streams never go idle: close them on shutdown instead of waiting forever.
    forceCloseConnections: true,
    // Errors raised by the router itself (bad URL encoding, over-long parameters) keep our format.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Every body we take is JSON; Fastify would also parse text/plain into a string, which then
  // failed validation with a message about missing fields instead of the media type.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(lazy ? lazyValidatorCompiler(validatorCompiler) : validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    webRoot && request.method === 'GET' && !request.url.startsWith('/api/')
      ? reply.sendFile('index.html')
      : reply.status(404).send({ error: { code: 'not_found', message: 'No such route.' } }),
  );
  app.addSchema(ErrorResponse);

  // Cognito mode: the sign-in trades its code at the hosted pages' token endpoint.
  app.addHook(
    'onRequest',
    securityHeaders(context.hostedSignIn ? [context.hostedSignIn.domain] : []),
  );
  // Local mode: each request is one cause of the cost ledger (before every route, so that its
  // hooks reach them all).
  if (context.authMode === 'local' && context.inspector)
    attributeRequestCosts(app, context.inspector.costs);
  // Every method a route answers: the web app edits (PATCH), unsends and unblocks (DELETE).
  await app.register(cors, {
    origin: [context.webOrigin],
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
  });
  // The OpenAPI document: @fastify/swagger, loaded on the first request for it (openapi.ts).
  const openApiDocument = recordForOpenApi(app);
  await docsRoutes(app, openApiDocument);
  app.get('/api/openapi.json', { schema: { hide: true } }, openApiDocument);

  const authenticator = authenticatorOf(context);
  await app.register(healthRoutes, { context });
  await app.register(authConfigRoutes, { context });
  await app.register(configRoutes, { context });
  if (context.authMode === 'local' && context.inspector) {
    await app.register(inspectRoutes, { inspector: context.inspector });
  }
  if (context.authMode === 'local' && context.localIssuer) {
    await app.register(devRoutes, { context, issuer: context.localIssuer });
  }
  await app.register(async (protectedApp) => {
    protectedApp.decorateRequest('user', undefined as never);
    protectedApp.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
      if (!match?.[1]) throw new UnauthorizedError();
      request.user = await authenticator.authenticate(match[1]);
    });
    if (context.sendRateLimit > 0) {
      await protectedApp.register(rateLimit, {
        global: false,
        hook: 'preHandler',
        keyGenerator: (request) => request.user.uuid,
        errorResponseBuilder: (_request, limit) =>
          new ApiError(
            429,
            'rate_limited',
            `At most ${limit.max} messages a minute; retry in ${limit.after}.`,
          ),
      });
    }
    await protectedApp.register(userRoutes, { context });
    await protectedApp.register(blockRoutes, { context });
    await protectedApp.register(conversationRoutes, { context });
  });
  // Imported only where there is a web app to serve (npm start), never in the Lambda.
  if (webRoot)
    await app.register(import('@fastify/static'), {
      root: webRoot,
      wildcard: false,
      index: 'index.html',
      // The build's brotli and gzip copies (web/vite.config.ts), chosen by Accept-Encoding,
      // with Content-Encoding and Vary: Accept-Encoding.
      preCompressed: true,
      // Vite names assets by their content: a browser may keep them, as CloudFront lets it.
      setHeaders: (reply, path) => {
        if (path.includes(`${sep}assets${sep}`))
          reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  return app;
};
