import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { DestinationStream, LogFn, Logger } from 'pino';
import { type LogConfig, loadLogConfig } from '../config.js';

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
 * Fastify writes two lines per request: "incoming request" (the request) and "request
 * completed" (status, time). One is enough: the second, with the request added, and only when
 * requests are asked for. Every other line (errors, warnings) goes out as written.
 */
const oneLinePerRequest = (requests: boolean) =>
  function logMethod(this: Logger, args: Parameters<LogFn>, write: LogFn): void {
    const [fields, message] = args as unknown[];
    if (message === 'incoming request') return;
    if (message === 'request completed' && !requests) return;
    const reply = (fields as { res?: FastifyReply } | null | undefined)?.res;
    const endsRequest = message === 'request completed' || message === 'request errored';
    // The request (method, url redacted by its serializer) goes on the line that ends it.
    if (endsRequest && reply?.request)
      write.apply(this, [{ ...(fields as object), req: reply.request }, message]);
    else write.apply(this, args);
  };

/**
 * Request logs (pino): JSON, or readable lines through `stream` (see pretty-log.ts). Fastify
 * logs method, url and status, never bodies; tokens are kept out of the url here and out of
 * headers by the redaction, should headers ever get logged. LOG_LEVEL=silent turns them off.
 */
export const requestLogger = (
  config: LogConfig = loadLogConfig(),
  stream?: DestinationStream,
): FastifyServerOptions['logger'] => ({
  level: config.level,
  hooks: { logMethod: oneLinePerRequest(config.requests) },
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
  ...(stream ? { stream } : {}),
});
