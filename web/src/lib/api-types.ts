/** The JSON shapes of the HTTP API (src/api/schemas.ts), snake_case as on the wire. */
export interface User {
  uuid: string;
  handle: string;
  display_name: string;
}

/** One message; handle and display_name are the sender's. */
export interface Message {
  uuid: string;
  user_uuid: string;
  handle: string;
  display_name: string;
  message: string;
  /** ISO 8601 UTC with milliseconds: sorts chronologically as a string. */
  created_at: string;
}

/** A row of my conversation list; handle and display_name are the OTHER participant's. */
export interface MessageGroup {
  /** The message_group_uuid. */
  uuid: string;
  handle: string;
  display_name: string;
  /** Preview: the last message. */
  message: string;
  created_at: string;
}

export interface MessageGroupPage {
  message_groups: MessageGroup[];
  next_cursor: string | null;
}

export interface MessagePage {
  messages: Message[];
  next_cursor: string | null;
}

export interface SentMessage {
  message_group_uuid: string;
  message: Message;
}

/** Where a message goes: a person (starting the conversation if needed) or a conversation. */
export type SendTarget = { handle: string } | { message_group_uuid: string };
