import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OpenApiDocument } from './openapi.js';

export const DOCS_PREFIX = '/api/docs';

/** Hop-by-hop and length headers: Fastify sets its own for the body it sends. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * /api/docs and everything under it, answered by the docs page app (docs-page.ts), which is
 * imported and built on the first request for it, from the API's OpenAPI document (openapi.ts):
 * a cold start that is never asked for the docs never loads Swagger UI. Same answers as registering
 * Swagger UI on the API itself, except that a path it does not know is our 404.
 */
export const docsRoutes = async (
  app: FastifyInstance,
  openApiDocument: () => Promise<OpenApiDocument>,
): Promise<void> => {
  let docs: Promise<FastifyInstance> | undefined;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    // The Lambda bundle leaves docs-page.ts out and has it as a file of this name beside itself
    // (infra/lib/api.ts): the path is the link between the two.
    docs ??= Promise.all([import('./docs-page.js'), openApiDocument()]).then(
      ([{ buildDocsPage }, document]) => buildDocsPage(DOCS_PREFIX, document),
    );
    // A failed build is not kept: the next request tries again.
    const page = await docs.catch((error: unknown) => {
      docs = undefined;
      throw error;
    });
    const answer = await page.inject({
      method: request.method as 'GET' | 'HEAD',
      url: request.url,
      headers: request.headers,
    });
    if (answer.statusCode === 404) return reply.callNotFound();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !NOT_FORWARDED.has(name)) reply.header(name, value);
    }
    return reply.status(answer.statusCode).send(answer.rawPayload);
  };
  const schema = { hide: true };
  app.get(DOCS_PREFIX, { schema }, forward);
  app.get(`${DOCS_PREFIX}/*`, { schema }, forward);
};
