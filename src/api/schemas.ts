import { Type } from 'typebox';

/** Wire schemas: they validate requests, serialize responses and make the OpenAPI document. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable snake_case code', examples: ['message_too_long'] }),
      message: Type.String({ description: 'a sentence for people' }),
    }),
  },
  { $id: 'ErrorResponse' },
);

export const UserJson = Type.Object(
  {
    uuid: Type.String({ format: 'uuid' }),
    handle: Type.String(),
    display_name: Type.String(),
  },
  { $id: 'User' },
);

export const MessageJson = Type.Object(
  {
    uuid: Type.String({ format: 'uuid', description: 'the message uuid' }),
    user_uuid: Type.String({ format: 'uuid', description: 'the sender' }),
    handle: Type.String({ description: 'the sender' }),
    display_name: Type.String({ description: 'the sender' }),
    message: Type.String({ description: "'' once unsent" }),
    created_at: Type.String({ format: 'date-time' }),
    edited_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'when its author last edited it; null if never',
    }),
    deleted: Type.Boolean({ description: 'unsent by its author: a tombstone' }),
  },
  { $id: 'Message' },
);

export const MessageGroupJson = Type.Object(
  {
    uuid: Type.String({ format: 'uuid', description: 'the message_group_uuid' }),
    handle: Type.String({ description: 'the other participant' }),
    display_name: Type.String({ description: 'the other participant' }),
    message: Type.String({ description: 'preview: the last message' }),
    message_deleted: Type.Boolean({ description: 'the last message was unsent' }),
    created_at: Type.String({ format: 'date-time', description: 'time of the last message' }),
    unread_count: Type.Integer({
      minimum: 0,
      description: "the other participant's messages after my read position",
    }),
    last_message_user_uuid: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'who wrote the last message (null on rows older than read state)',
    }),
  },
  { $id: 'MessageGroup' },
);

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        description: 'next_cursor of the previous page',
      }),
    ),
  },
  { additionalProperties: false },
);

export const Cursor = Type.Union([Type.String(), Type.Null()], {
  description: 'where the next (older) page starts; null when there is none',
});

const ClientMessageId = Type.Optional(
  Type.String({
    pattern: '^[A-Za-z0-9_-]{1,64}$',
    description: 'makes retries safe: the same id returns the original message',
  }),
);

export const SendMessageBody = Type.Union(
  [
    Type.Object(
      {
        message: Type.String(),
        handle: Type.String({ maxLength: 64 }),
        client_message_id: ClientMessageId,
      },
      { additionalProperties: false, title: 'to a handle' },
    ),
    Type.Object(
      {
        message: Type.String(),
        message_group_uuid: Type.String({ maxLength: 64 }),
        client_message_id: ClientMessageId,
      },
      { additionalProperties: false, title: 'to a conversation' },
    ),
  ],
  { description: 'exactly one of handle or message_group_uuid' },
);

export const SendMessageResponse = Type.Object({
  message_group_uuid: Type.String({ format: 'uuid' }),
  message: MessageJson,
});

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Type.Ref('ErrorResponse')]));
