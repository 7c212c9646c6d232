import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import {
  Cursor,
  errorResponses,
  MessageGroupJson,
  MessageJson,
  PageQuery,
  SendMessageBody,
  SendMessageResponse,
} from '../schemas.js';
import { messageGroupJson, messageJson } from '../wire.js';

export const conversationRoutes: FastifyPluginAsyncTypebox<{ context: ApiContext }> = async (
  app,
  { context },
) => {
  const { messaging } = context;

  app.get(
    '/api/message_groups',
    {
      schema: {
        summary: 'My conversations, newest first (pattern B)',
        tags: ['conversations'],
        querystring: PageQuery,
        response: {
          200: Type.Object({ message_groups: Type.Array(MessageGroupJson), next_cursor: Cursor }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const page = await messaging.listMessageGroups(request.user.uuid, request.query);
      return { message_groups: page.items.map(messageGroupJson), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/api/messages/:message_group_uuid',
    {
      schema: {
        summary: 'Messages of one conversation (pattern A)',
        description:
          'The first page holds the newest `limit` messages, oldest first inside the page; `next_cursor` leads to older ones. ' +
          'Not a participant and no such conversation get the same 404.',
        tags: ['conversations'],
        params: Type.Object({ message_group_uuid: Type.String({ maxLength: 64 }) }),
        querystring: PageQuery,
        response: {
          200: Type.Object({ messages: Type.Array(MessageJson), next_cursor: Cursor }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const page = await messaging.listMessages(
        request.user.uuid,
        request.params.message_group_uuid,
        request.query,
      );
      return { messages: page.items.map(messageJson), next_cursor: page.nextCursor };
    },
  );

  app.post(
    '/api/messages',
    {
      schema: {
        summary: 'Send a message (patterns C and D)',
        description:
          'To a `handle` (starting the conversation if the two have none) or to a `message_group_uuid`. ' +
          'A retry with the same `client_message_id` answers 200 with the original message.',
        tags: ['conversations'],
        body: SendMessageBody,
        response: {
          200: SendMessageResponse,
          201: SendMessageResponse,
          ...errorResponses(400, 401, 404, 413, 415, 422, 429, 503),
        },
      },
      // Counted per user (see app.ts); the limiter is only registered when the limit is on.
      config: { rateLimit: { max: context.sendRateLimit, timeWindow: '1 minute' } },
      preValidation: async (request) => {
        const body = request.body as Record<string, unknown> | null;
        const targets =
          body && typeof body === 'object'
            ? ['handle', 'message_group_uuid'].filter((k) => k in body)
            : [];
        if (targets.length !== 1) {
          throw new ApiError(
            400,
            'invalid_request',
            'Give exactly one of handle or message_group_uuid.',
          );
        }
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { message, created } = await messaging.sendMessage({
        sender: request.user,
        to:
          'handle' in body
            ? { handle: body.handle }
            : { messageGroupUuid: body.message_group_uuid },
        message: body.message,
        clientMessageId: body.client_message_id,
      });
      reply.status(created ? 201 : 200);
      return { message_group_uuid: message.messageGroupUuid, message: messageJson(message) };
    },
  );
};
