import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 15_000;

/**
 * Turns a request into a Server-Sent Events stream (text/event-stream): `send` writes one
 * event; a comment every 15 s keeps proxies from closing an idle stream; `onClose` runs when
 * the browser goes away. EventSource reconnects by itself after a server restart.
 */
export const openEventStream = (
  request: FastifyRequest,
  reply: FastifyReply,
  onClose: () => void,
): ((event: string, data: unknown) => void) => {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
  request.raw.once('close', () => {
    clearInterval(heartbeat);
    onClose();
  });
  return (event, data) => {
    raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
};
