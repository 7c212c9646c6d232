import { type Static, Type } from 'typebox';
import { CLIENT_MESSAGE_ID_PATTERN, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../contract/limits.js';
import { CostEntryJson } from '../costs/cost-schemas.js';

/**
 * Wire schemas: they validate requests, serialize responses and make the OpenAPI document.
 * Each response's type is its schema's `Static<>`, exported here: the routes and wire.ts
 * return them and the web app imports them (`import type` only, so none of TypeBox reaches
 * the browser; web/src/lib/api-types.ts). Limits and patterns: src/contract/limits.ts.
 */
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
export type User = Static<typeof UserJson>;

/** `GET /api/me`: who I am, and how many of my conversations have unread messages. */
export const MeJson = Type.Object({
  ...UserJson.properties,
  unread_conversations: Type.Integer({
    minimum: 0,
    description: 'how many of my conversations have unread messages',
  }),
});
export type Me = Static<typeof MeJson>;

/** A user looked up by handle, with the conversation I already have with them, if any. */
export const UserLookupJson = Type.Object({
  ...UserJson.properties,
  message_group_uuid: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    description: 'the conversation between the caller and this user, if any',
  }),
});
export type UserLookup = Static<typeof UserLookupJson>;

/** People found (`GET /api/users`: handle matches first, never the caller); dev sign-in's users. */
export const UserListJson = Type.Object({ users: Type.Array(UserJson) });
export type UserList = Static<typeof UserListJson>;

/** One of the users I block. */
export const BlockedUserJson = Type.Object({
  ...UserJson.properties,
  blocked_at: Type.String({ format: 'date-time' }),
});
export type BlockedUser = Static<typeof BlockedUserJson>;

/** `GET /api/blocks`. */
export const BlockListJson = Type.Object({ users: Type.Array(BlockedUserJson) });
export type BlockList = Static<typeof BlockListJson>;

/** One message; handle and display_name are the sender's. */
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
export type Message = Static<typeof MessageJson>;

/** A row of my conversation list; handle and display_name are the OTHER participant's. */
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
export type MessageGroup = Static<typeof MessageGroupJson>;

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
    ),
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

/** `GET /api/message_groups`: my conversations, newest first. */
export const MessageGroupPageJson = Type.Object({
  message_groups: Type.Array(MessageGroupJson),
  next_cursor: Cursor,
});
export type MessageGroupPage = Static<typeof MessageGroupPageJson>;

/** `GET /api/messages/{uuid}`: a page of one conversation, oldest first inside the page. */
export const MessagePageJson = Type.Object({
  messages: Type.Array(MessageJson),
  next_cursor: Cursor,
  other_last_read_message_uuid: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    description: 'the newest message the other participant has read ("Seen"); null: none',
  }),
});
export type MessagePage = Static<typeof MessagePageJson>;

/** `POST /api/message_groups/{uuid}/read`. */
export const ReadAnswerJson = Type.Object({
  unread_count: Type.Integer({
    minimum: 0,
    description: "the other participant's messages after the read position",
  }),
});
export type ReadAnswer = Static<typeof ReadAnswerJson>;

const ClientMessageId = Type.Optional(
  Type.String({
    pattern: CLIENT_MESSAGE_ID_PATTERN,
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
export type SendMessageRequest = Static<typeof SendMessageBody>;

type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** Where a message goes: a person (starting the conversation if needed) or a conversation. */
export type SendTarget = OmitEach<SendMessageRequest, 'message' | 'client_message_id'>;

export const SendMessageResponse = Type.Object({
  message_group_uuid: Type.String({ format: 'uuid' }),
  message: MessageJson,
});
export type SentMessage = Static<typeof SendMessageResponse>;

/** `GET /api/config`: what a client needs to know before it signs in or connects. */
export const ClientConfigJson = Type.Object({
  realtime_url: Type.Union([Type.String(), Type.Null()], {
    description:
      'The WebSocket for live delivery: connect with ?access_token=<access token>. Null where there is none (then refetch on a timer).',
  }),
  edit_window_s: Type.Integer({
    minimum: 0,
    description:
      'How long after sending its author may edit a message, in seconds (`EDIT_WINDOW_S`); after it, an edit answers 403 `edit_window_closed`.',
  }),
});
export type ClientConfig = Static<typeof ClientConfigJson>;

/** Cognito's hosted sign-in pages (authorization code + PKCE). */
export const HostedSignInJson = Type.Object({ domain: Type.String(), client_id: Type.String() });
export type HostedSignIn = Static<typeof HostedSignInJson>;

/** `GET /api/auth/config`: the dev sign-in, or Cognito's hosted pages. */
export const AuthConfigJson = Type.Union([
  Type.Object({ mode: Type.Literal('local') }),
  Type.Object({
    mode: Type.Literal('cognito'),
    hosted_sign_in: Type.Union([HostedSignInJson, Type.Null()]),
  }),
]);
export type AuthConfig = Static<typeof AuthConfigJson>;

/** `POST /api/dev/sessions` (local mode): a token for the user. */
export const DevSessionJson = Type.Object({ token: Type.String(), user: UserJson });
export type DevSession = Static<typeof DevSessionJson>;

// The cost ledger's entries, as its Costs tab and `GET /api/inspect/costs` show them: the
// ledger (src/costs/) makes them, by these types.
export type { CostEntry, RequestCost } from '../costs/cost-schemas.js';
export { CostEntryJson, RequestCostJson } from '../costs/cost-schemas.js';

/** `GET /api/inspect/costs`: the cost ledger, newest first. */
export const CostEntryListJson = Type.Object({ entries: Type.Array(CostEntryJson) });
export type CostEntryList = Static<typeof CostEntryListJson>;

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Type.Ref('ErrorResponse')]));
