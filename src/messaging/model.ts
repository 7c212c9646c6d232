/** What the core hands to its callers: plain objects, no DynamoDB keys. */
export interface User {
  uuid: string;
  handle: string;
  displayName: string;
}

export interface Message {
  uuid: string;
  messageGroupUuid: string;
  userUuid: string;
  handle: string;
  displayName: string;
  message: string;
  createdAt: string;
  /** The message's sort key: where pattern E moves the group rows. */
  sk: string;
  /** When it was last edited; null if never (or unsent). */
  editedAt: string | null;
  /** Unsent by its author: the text is ''. */
  deleted: boolean;
}

export interface MessageGroup {
  messageGroupUuid: string;
  /** The other participant. */
  userUuid: string;
  handle: string;
  displayName: string;
  /** Preview: the text of the last message ('' if it was unsent). */
  message: string;
  /** The last message was unsent. */
  messageDeleted: boolean;
  createdAt: string;
  sk: string;
  /** The other participant's messages after my read position (my own never count). */
  unreadCount: number;
  /** Who wrote the last message; null on a row written before read state existed. */
  lastMessageUserUuid: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface MessagesPage extends Page<Message> {
  /** The newest message the other participant has read, for "Seen"; null: none yet. */
  otherLastReadMessageUuid: string | null;
}
