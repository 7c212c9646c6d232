/**
 * The items of the single table, attribute names as in the seed. Only message-group rows
 * carry `message_group_uuid`: that keeps the GSI `message-group-sk-index` sparse, so a GSI
 * query by group returns exactly the two rows of a conversation. Other items that refer to
 * a group therefore name it `group_uuid`.
 */
import type { ItemKey } from './keys.js';

export type ItemType =
  | 'user'
  | 'handle'
  | 'pair'
  | 'conversation'
  | 'message'
  | 'message_group'
  | 'client_message'
  | 'connection'
  | 'block'
  | 'people_token';

interface BaseItem extends ItemKey {
  item_type: ItemType;
}

export interface UserItem extends BaseItem {
  item_type: 'user';
  user_uuid: string;
  handle: string;
  display_name: string;
  created_at: string;
  /** How many of the user's conversations have unread messages (absent: none). */
  unread_conversations?: number;
}

/** Makes handles unique; carries a copy of the profile so a lookup by handle is one read. */
export interface HandleItem extends BaseItem {
  item_type: 'handle';
  user_uuid: string;
  handle: string;
  display_name: string;
}

/**
 * Makes a conversation between two users unique, and holds whether either blocks the other:
 * every send by handle reads it already. A pair blocked before it ever talked has no
 * conversation yet (no group_uuid); pattern C then fills it in, unless blocked.
 */
export interface PairItem extends BaseItem {
  item_type: 'pair';
  group_uuid?: string;
  created_at?: string;
  /** Who of the two blocks the other (a string set; DynamoDB removes it when emptied). */
  blocked_by?: Set<string>;
}

/** Answers "is this user a participant of group g" with one strongly consistent read. */
export interface ConversationItem extends BaseItem {
  item_type: 'conversation';
  group_uuid: string;
  participant_uuids: string[];
  created_at: string;
}

/**
 * The five attributes of a message, as the seed names them: its text, its sender (uuid,
 * display name, handle) and its time. Its claim holds them too, and a group row previews its
 * last message with them, except that on a group row `user_*` name the **other** participant.
 */
export interface MessageFields {
  message: string;
  user_uuid: string;
  user_display_name: string;
  user_handle: string;
  created_at: string;
}

export interface MessageItem extends BaseItem, MessageFields {
  item_type: 'message';
  message_uuid: string;
  client_message_id?: string;
  /** Set by an edit (the text is the edited one). */
  edited_at?: string;
  /** Unsent: the text is '' and no edited_at remains. */
  deleted?: boolean;
  /** How many times it was edited or unsent (absent: never): orders its MODIFY records. */
  revision?: number;
}

/** One per participant; names the OTHER participant; sk = sort key of the last message. */
export interface MessageGroupItem extends BaseItem, MessageFields {
  item_type: 'message_group';
  message_group_uuid: string;
  /**
   * The last message is the owner's (absent: the other participant's). Rows written between
   * read state and compact rows name the sender instead, in `last_message_user_uuid`.
   */
  last_mine?: true;
  last_message_user_uuid?: string;
  /**
   * The owner's read position, the newest message they have read, by its uuid (a UUIDv7
   * names its sort key). Absent when read up to the row's own sk, the usual case, to keep
   * pattern B's page small (and on rows older than read state, which count as read that far).
   */
  last_read?: string;
  /**
   * The read position by its sort key, where `last_read` cannot name it: '' before the first
   * message, or a message older than UUIDv7 uuids (and on rows written before `last_read`).
   */
  last_read_sk?: string;
  /**
   * The other participant's messages after the read position, up to this row's sk. Absent
   * (0) on a row whose last message is the owner's (`last_mine`) and on rows older than read
   * state.
   */
  unread_count?: number;
  /** The previewed message was unsent: the preview is '' and the web app says so (absent: not). */
  message_deleted?: boolean;
  /** The previewed message's revision (absent: 0): an older edit never overwrites a newer preview. */
  preview_revision?: number;
}

/**
 * Remembers a sender's client_message_id, so that a retried send returns the original; holds
 * the whole message, so that a retry can finish a send that stopped before writing it.
 */
export interface ClientMessageItem extends BaseItem, MessageFields {
  item_type: 'client_message';
  group_uuid: string;
  message_sk: string;
  message_uuid: string;
  client_message_id: string;
}

/**
 * One open WebSocket connection of a user (API Gateway's connection id). Outside the GSI and
 * ignored by pattern E; `expires_at` (epoch seconds, the table's TTL attribute) removes one
 * whose `$disconnect` never came, after the longest life API Gateway gives a connection.
 */
export interface ConnectionItem extends BaseItem {
  item_type: 'connection';
  user_uuid: string;
  connection_id: string;
  connected_at: string;
  expires_at: number;
}

/** `blocker` blocks `blocked`; a copy of the blocked profile, so the list is one Query. */
export interface BlockItem extends BaseItem {
  item_type: 'block';
  blocker_uuid: string;
  blocked_uuid: string;
  blocked_handle: string;
  blocked_display_name: string;
  created_at: string;
}

/**
 * One search word of a user (people search): the handle (`H`) or a word of the display name
 * (`N`), folded, in the key only. A copy of the profile, so a search needs no other read.
 * Outside the GSI (no message_group_uuid) and ignored by pattern E.
 */
export interface PeopleTokenItem extends BaseItem {
  item_type: 'people_token';
  user_uuid: string;
  handle: string;
  display_name: string;
}
