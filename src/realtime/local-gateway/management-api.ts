import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { LocalGateway } from './gateway.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** API Gateway's answer for a connection that is not open: the SDK raises `GoneException`. */
const gone = (reply: FastifyReply) =>
  reply.code(410).header('x-amzn-ErrorType', 'GoneException').send({ message: null });

/**
 * API Gateway's Management API (`POST`/`GET`/`DELETE /@connections/{id}`) for the local
 * gateway, so the real `@aws-sdk/client-apigatewaymanagementapi` client pushes in tests and
 * under `npm start` as it does on AWS. AWS signs these calls with IAM; here only this machine
 * may call them.
 */
export const managementApiRoutes: FastifyPluginAsync<{ gateway: LocalGateway }> = async (
  app,
  { gateway },
) => {
  // PostToConnection's body is the frame as sent, whatever its content type says.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? ''))
      return reply.code(403).send({ message: 'Forbidden' });
  });
  const schema = { hide: true, params: { type: 'object', properties: { id: { type: 'string' } } } };

  app.post<{ Params: { id: string }; Body: Buffer }>(
    '/@connections/:id',
    { schema, bodyLimit: 128 * 1024 },
    async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.from('');
      if (!(await gateway.post(request.params.id, body))) return gone(reply);
      return reply.code(200).send();
    },
  );
  app.get<{ Params: { id: string } }>('/@connections/:id', { schema }, async (request, reply) => {
    const info = gateway.info(request.params.id);
    if (!info) return gone(reply);
    // The Management API's wire names (the SDK maps them to ConnectedAt, Identity, ...).
    return reply.send({
      connectedAt: info.ConnectedAt.toISOString(),
      identity: { sourceIp: info.Identity.SourceIp, userAgent: info.Identity.UserAgent },
      lastActiveAt: info.LastActiveAt.toISOString(),
    });
  });
  app.delete<{ Params: { id: string } }>(
    '/@connections/:id',
    { schema },
    async (request, reply) => {
      if (!gateway.disconnect(request.params.id)) return gone(reply);
      return reply.code(204).send();
    },
  );
};
