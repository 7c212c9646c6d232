import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import {
  errorResponses,
  type MessageGroupPage,
  MessageGroupPageJson,
  MessageJson,
  type MessagePage,
  MessagePageJson,
  PageQuery,
  type ReadAnswer,
  ReadAnswerJson,
  SendMessageBody,
  SendMessageResponse,
  type SentMessage,
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
          200: MessageGroupPageJson,
          ...errorResponses(400, 401, 503),
        },
      },
    },
    async (request): Promise<MessageGroupPage> => {
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
          200: MessagePageJson,
          ...errorResponses(400, 401, 404, 503),
        },
      },
    },
    async (request): Promise<MessagePage> => {
      const page = await messaging.listMessages(
        request.user.uuid,
        request.params.message_group_uuid,
        request.query,
      );
      return {
        messages: page.items.map(messageJson),
        next_cursor: page.nextCursor,
        other_last_read_message_uuid: page.otherLastReadMessageUuid,
      };
    },
  );

  const MessageParams = Type.Object({
    message_group_uuid: Type.String({ maxLength: 64 }),
    message_uuid: Type.String({ maxLength: 64 }),
  });

  app.patch(
    '/api/messages/:message_group_uuid/:message_uuid',
    {
      schema: {
        summary: 'Edit my message',
        description:
          'Its author only, within the edit window (`EDIT_WINDOW_S`, default 900 s): 403 `edit_window_closed` after it. ' +
          'Not the author, not a participant, no such message: the same 404. The same rules for the text as a send.',
        tags: ['conversations'],
        params: MessageParams,
        body: Type.Object({ message: Type.String() }, { additionalProperties: false }),
        response: { 200: MessageJson, ...errorResponses(400, 401, 403, 404, 413, 415, 422, 503) },
      },
    },
    async (request) =>
      messageJson(
        await messaging.editMessage(
          request.user,
          request.params.message_group_uuid,
          request.params.message_uuid,
          request.body.message,
        ),
      ),
  );

  app.delete(
    '/api/messages/:message_group_uuid/:message_uuid',
    {
      schema: {
        summary: 'Unsend my message',
        description:
          'Its author only, any time. It stays in the conversation as a tombstone (`deleted: true`, empty text); ' +
          'its text leaves every item that held it. Not the author, not a participant, no such message: the same 404.',
        tags: ['conversations'],
        params: MessageParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      await messaging.unsendMessage(
        request.user,
        request.params.message_group_uuid,
        request.params.message_uuid,
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/message_groups/:message_group_uuid/read',
    {
      schema: {
        summary: 'Mark a conversation read up to and including a message',
        description:
          'For this user on every device. Monotonic: marking an older message changes nothing. ' +
          'Not a participant, no such conversation and no such message in it get the same kind of 404.',
        tags: ['conversations'],
        params: Type.Object({ message_group_uuid: Type.String({ maxLength: 64 }) }),
        body: Type.Object(
          { message_uuid: Type.String({ maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: {
          200: ReadAnswerJson,
          ...errorResponses(400, 401, 404, 413, 415, 503),
        },
      },
    },
    async (request): Promise<ReadAnswer> => {
      const { unreadCount } = await messaging.markRead(
        request.user.uuid,
        request.params.message_group_uuid,
        request.body.message_uuid,
      );
      return { unread_count: unreadCount };
    },
  );

  app.post(
    '/api/messages',
    {
      schema: {
        summary: 'Send a message (patterns C and D)',
        description:
          'To a `handle` (starting the conversation if the two have none) or to a `message_group_uuid`. ' +
          'A retry with the same `client_message_id` answers 200 with the original message. ' +
          'While either of the two blocks the other: 403 `blocked`.',
        tags: ['conversations'],
        body: SendMessageBody,
        response: {
          200: SendMessageResponse,
          201: SendMessageResponse,
          ...errorResponses(400, 401, 403, 404, 413, 415, 422, 429, 503),
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
    async (request, reply): Promise<SentMessage> => {
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
