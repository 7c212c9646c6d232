import { fastifySwagger, type SwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { OpenApiDocument, RecordedApp } from './openapi.js';

/** The document's options for @fastify/swagger (dynamic mode: made from the routes). */
const OPTIONS: SwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: {
      title: 'Cruddur Messaging API',
      version: '1.0.0',
      description:
        'Direct messages on a DynamoDB single-table design. Errors are `{"error": {"code", "message"}}`.\n\n' +
        // Said once here rather than on every route: any route that takes a token can.
        "With Cognito sign-in, a user's first request creates them from the token's claims; " +
        'when the handle made from their username belongs to another user, any route that ' +
        'takes a bearer token answers 409 `handle_taken` (an admin settles it).',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ bearer: [] }],
  },
};

type Hook = (...args: unknown[]) => unknown;

/**
 * @fastify/swagger, given what its hooks would have been given had it been registered on the
 * app at start (openapi.ts recorded it): the routes, the plugin contexts, then the app ready.
 * Its `swagger()` decorator, which makes the document once and keeps it.
 */
export const openApiDocumentOf = async ({
  root,
  routes,
  instances,
}: RecordedApp): Promise<() => OpenApiDocument> => {
  const hooks = new Map<string, Hook>();
  let swagger: (() => OpenApiDocument) | undefined;
  // The plugin uses no more of the instance it is registered on than this.
  const app = {
    addHook: (name: string, hook: Hook) => hooks.set(name, hook),
    decorate: (name: string, value: () => OpenApiDocument) => {
      if (name === 'swagger') swagger = value;
    },
    getSchemas: () => root.getSchemas(),
  } as unknown as FastifyInstance;
  await new Promise<void>((resolve, reject) =>
    fastifySwagger(app, structuredClone(OPTIONS), (error) => (error ? reject(error) : resolve())),
  );
  const hook = (name: string): Hook => {
    const found = hooks.get(name);
    if (!found) throw new Error(`@fastify/swagger added no ${name} hook`);
    return found;
  };
  for (const route of routes) hook('onRoute')(route);
  for (const instance of instances) await hook('onRegister')(instance);
  await new Promise<void>((resolve) => hook('onReady')(resolve));
  if (!swagger) throw new Error('@fastify/swagger decorated nothing');
  return swagger;
};
