import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * Query parameters that carry a credential: EventSource cannot send headers, so the event
 * stream takes its token as `access_token` (routes/events.ts). Fastify logs every request's URL.
 */
const CREDENTIAL_IN_QUERY = /([?&]access_token=)[^&#]*/gi;

const redactUrl = (url: string): string => url.replace(CREDENTIAL_IN_QUERY, '$1[redacted]');

/**
 * Structured request logs (pino, one JSON line each). Fastify logs method, url and status,
 * never bodies; tokens are kept out of the url here and out of headers by the redaction, should
 * headers ever get logged. LOG_LEVEL=silent turns them off.
 */
export const requestLogger = (
  env: Record<string, string | undefined> = process.env,
): FastifyServerOptions['logger'] => ({
  level: env.LOG_LEVEL || 'info',
  redact: ['req.headers.authorization', 'req.headers.cookie'],
  serializers: {
    req: (request: FastifyRequest) => ({
      method: request.method,
      url: redactUrl(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    }),
  },
});
