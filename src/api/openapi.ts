import type { StaticDocumentSpec } from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * The OpenAPI document as /api/openapi.json answers it (and the docs page shows it): a 3.0
 * document (openapi-document.ts); @fastify/swagger's type also allows 3.1's optional paths.
 */
export type OpenApiDocument = StaticDocumentSpec['document'];

/** What @fastify/swagger's hooks are given, in order: replayed by openapi-document.ts. */
export interface RecordedApp {
  /** The app itself: its shared schemas (`getSchemas`). */
  root: FastifyInstance;
  /** Every route as its `onRoute` hooks saw it. */
  routes: RouteOptions[];
  /** Every plugin context registered (`onRegister`), for their shared schemas. */
  instances: FastifyInstance[];
}

/**
 * The OpenAPI document of `app`, built by @fastify/swagger on the first request for it, not
 * at start: the plugin (with its schema resolver) is loaded by then, so a Lambda cold start
 * neither compiles it nor runs it (in the Lambda bundle it is `openapi-document.js`, a file
 * of its own beside it: infra/lib/api.ts). Call this where the plugin was registered: its
 * hooks record exactly what the plugin's would have kept (each route, each plugin context),
 * and openapi-document.ts gives the plugin those once it is loaded, so that the document is
 * the one registering it at start made.
 */
export const recordForOpenApi = (app: FastifyInstance): (() => Promise<OpenApiDocument>) => {
  const recorded: RecordedApp = { root: app, routes: [], instances: [] };
  let ready = false;
  app.addHook('onRoute', (routeOptions) => {
    recorded.routes.push(routeOptions);
  });
  app.addHook('onRegister', (instance) => {
    recorded.instances.push(instance);
  });
  app.addHook('onReady', async () => {
    ready = true;
  });
  let document: Promise<() => OpenApiDocument> | undefined;
  return async () => {
    if (!ready) throw new Error('the OpenAPI document is built after the app is ready');
    document ??= import('./openapi-document.js').then(({ openApiDocumentOf }) =>
      openApiDocumentOf(recorded),
    );
    // A failed build is not kept: the next request tries again.
    const swagger = await document.catch((error: unknown) => {
      document = undefined;
      throw error;
    });
    return swagger();
  };
};
