/** The JSON shapes of the HTTP API (src/api/schemas.ts), snake_case as on the wire. */
export interface User {
  uuid: string;
  handle: string;
  display_name: string;
}

/** A user looked up by handle, with the conversation I already have with them, if any. */
export interface UserLookup extends User {
  message_group_uuid: string | null;
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
  /** When the text was last edited; null (or absent, before edits existed) if never. */
  edited_at?: string | null;
  /** Unsent by its author: a tombstone, `message` is ''. */
  deleted?: boolean;
}

/** A row of my conversation list; handle and display_name are the OTHER participant's. */
export interface MessageGroup {
  /** The message_group_uuid. */
  uuid: string;
  handle: string;
  display_name: string;
  /** Preview: the last message ('' when it was unsent). */
  message: string;
  /** The previewed message was unsent: the row says so instead of its (empty) text. */
  message_deleted?: boolean;
  created_at: string;
  /** The other participant's messages after my read position (my own never count). */
  unread_count: number;
  /** Who wrote the last message; null on a row written before read state existed. */
  last_message_user_uuid: string | null;
}

export interface MessageGroupPage {
  message_groups: MessageGroup[];
  next_cursor: string | null;
}

export interface MessagePage {
  messages: Message[];
  next_cursor: string | null;
  /** The newest message the other participant has read, or null. */
  other_last_read_message_uuid: string | null;
}

/** `GET /api/users?q=&limit=`: people whose handle or a word of whose name starts with q. */
export interface PeopleFound {
  /** Handle matches first, then by handle; never the caller. */
  users: User[];
}

/** `GET /api/me`: who I am, and how many of my conversations have unread messages. */
export interface Me extends User {
  unread_conversations: number;
}

/** One of the users I block (`GET /api/blocks`). */
export interface BlockedUser extends User {
  blocked_at: string;
}

export interface BlockList {
  users: BlockedUser[];
}

/** `POST /api/message_groups/{uuid}/read`. */
export interface ReadAnswer {
  unread_count: number;
}

export interface SentMessage {
  message_group_uuid: string;
  message: Message;
}

/** Where a message goes: a person (starting the conversation if needed) or a conversation. */
export type SendTarget = { handle: string } | { message_group_uuid: string };
