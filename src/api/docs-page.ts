import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The API docs page (Swagger UI) for `document`, as a Fastify app of its own that the API
 * forwards /api/docs to (docs-routes.ts). Its own app so that it is loaded only when someone
 * opens the page: registering Swagger UI and its static files at start was most of what was
 * left of a Lambda cold start's first answer (docs/performance.md).
 */
export const buildDocsPage = async (
  prefix: string,
  document: StaticDocumentSpec['document'],
): Promise<FastifyInstance> => {
  const docs = Fastify({ logger: false });
  await docs.register(swagger, { mode: 'static', specification: { document } });
  // In the Lambda bundle, Swagger UI's files are copied next to the code (see infra/).
  const bundledSwaggerUi = join(dirname(fileURLToPath(import.meta.url)), 'static');
  await docs.register(swaggerUi, {
    routePrefix: prefix,
    staticCSP: true,
    ...(existsSync(join(bundledSwaggerUi, 'swagger-ui.css')) ? { baseDir: bundledSwaggerUi } : {}),
  });
  await docs.ready();
  return docs;
};
