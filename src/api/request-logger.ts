import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * The query parameter that carries a credential: EventSource cannot send headers, so the event
 * stream takes its token as `access_token` (routes/events.ts), and Fastify logs every url.
 */
const CREDENTIAL_PARAM = 'access_token';

/** A name as the query parser reads it (`access%5Ftoken` is `access_token` too). */
const decodedName = (raw: string): string | undefined => {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
};

/** The url with the credential's value, and that of any name that cannot be read, replaced. */
const redactUrl = (url: string): string => {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0] ?? '';
      const decoded = decodedName(name);
      return decoded === undefined || decoded === CREDENTIAL_PARAM ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
};

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
