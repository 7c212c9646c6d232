import pinoPretty from 'pino-pretty';

interface RequestFields {
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/** "GET /api/me 200 3 ms" for a request's line (its url redacted already); else the message. */
export const prettyMessage = (log: Record<string, unknown>, messageKey: string): string => {
  const message = String(log[messageKey] ?? '');
  const { req, res, responseTime } = log as RequestFields;
  if (!req?.method) return message;
  const status = res?.statusCode === undefined ? '' : ` ${res.statusCode}`;
  const time = responseTime === undefined ? '' : ` ${Math.round(responseTime)} ms`;
  const request = `${req.method} ${req.url ?? ''}${status}${time}`;
  return message === 'request completed' ? request : `${request}: ${message}`;
};

/**
 * What a person at a terminal reads: one short line each, local time, colours when the
 * terminal has them. Synchronous, so that its lines and `npm start`'s own (console.log) come
 * out in the order they happened. Loaded by `npm start` only: the Lambda bundle writes JSON.
 */
export const prettyLogStream = (destination: NodeJS.WritableStream | number = 1) =>
  pinoPretty({
    destination,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,reqId,req,res,responseTime',
    singleLine: true,
    messageFormat: prettyMessage,
  });
