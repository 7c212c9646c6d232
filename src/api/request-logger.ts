import type { FastifyServerOptions } from 'fastify';

/**
 * Structured request logs (pino, one JSON line each). Fastify logs method, url and status,
 * never bodies; the redaction keeps tokens out even if headers get logged. LOG_LEVEL=silent
 * turns them off.
 */
export const requestLogger = (
  env: Record<string, string | undefined> = process.env,
): FastifyServerOptions['logger'] => ({
  level: env.LOG_LEVEL || 'info',
  redact: ['req.headers.authorization', 'req.headers.cookie'],
});
