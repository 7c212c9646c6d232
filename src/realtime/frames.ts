/**
 * The realtime WebSocket's frames: one definition for the server, the web app and the tests.
 * Every frame is JSON text; server frames are `{type, data}`, client frames `{action, ...}`
 * (API Gateway routes on `$request.body.action`).
 */
import type { messageGroupJson, messageJson } from '../api/wire.js';

export type MessageJson = ReturnType<typeof messageJson>;
export type MessageGroupJson = ReturnType<typeof messageGroupJson>;

export type ServerFrame =
  /** A new message in one of my conversations, as `GET /api/messages/{uuid}` lists it. */
  | { type: 'message'; data: MessageJson & { message_group_uuid: string } }
  /** A message was edited or unsent: the message as `GET /api/messages/{uuid}` lists it now. */
  | { type: 'message_updated'; data: MessageJson & { message_group_uuid: string } }
  /** My own conversation-list row, as `GET /api/message_groups` lists it, after it moved. */
  | { type: 'message_group'; data: MessageGroupJson }
  /** Someone's read position moved: `user_uuid` has read up to and including `message_uuid`. */
  | {
      type: 'read';
      data: { message_group_uuid: string; user_uuid: string; message_uuid: string };
    }
  /** The other participant is typing in one of my conversations. */
  | { type: 'typing'; data: { message_group_uuid: string; user_uuid: string } }
  | { type: 'pong'; data: Record<string, never> }
  /** A frame the server could not take; the connection stays open. */
  | { type: 'error'; data: { code: RealtimeErrorCode; message: string } };

export type ClientFrame = { action: 'typing'; message_group_uuid: string } | { action: 'ping' };

export type RealtimeErrorCode = 'invalid_frame' | 'unknown_action' | 'not_a_participant';

/** API Gateway's largest WebSocket frame; the local gateway refuses larger ones alike. */
export const MAX_FRAME_BYTES = 32 * 1024;

/** The query-string parameter that carries the access token (browsers cannot set headers). */
export const TOKEN_PARAMETER = 'access_token';
