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
}

export interface MessageGroup {
  messageGroupUuid: string;
  /** The other participant. */
  userUuid: string;
  handle: string;
  displayName: string;
  /** Preview: the text of the last message. */
  message: string;
  createdAt: string;
  sk: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
