import type {
  ClientMessageItem,
  ConversationItem,
  MessageFields,
  MessageGroupItem,
  MessageItem,
  PairItem,
} from './items.js';
import {
  clientMessageKey,
  conversationKey,
  groupOfMessageKey,
  messageGroupPartition,
  messagePartition,
  messageSortKey,
  pairKey,
  toUtcTimestamp,
} from './keys.js';
import type { User } from './model.js';
import { withReadState } from './read-state.js';

/**
 * The items a send writes, built from what the core knows: a message, its claim, the two
 * group rows, the pair and the conversation. Requests (requests/messages.ts) put them.
 */

/** The five attributes a message shares with its claim, copied whole. */
const messageFieldsOf = (item: MessageFields): MessageFields => ({
  message: item.message,
  user_uuid: item.user_uuid,
  user_display_name: item.user_display_name,
  user_handle: item.user_handle,
  created_at: item.created_at,
});

export interface NewMessage {
  messageGroupUuid: string;
  messageUuid: string;
  sender: User;
  text: string;
  createdAt: Date;
  clientMessageId?: string | undefined;
}

export const messageItem = (m: NewMessage): MessageItem => {
  const item: MessageItem = {
    pk: messagePartition(m.messageGroupUuid),
    sk: messageSortKey(m.createdAt, m.messageUuid),
    item_type: 'message',
    message_uuid: m.messageUuid,
    message: m.text,
    user_uuid: m.sender.uuid,
    user_display_name: m.sender.displayName,
    user_handle: m.sender.handle,
    created_at: toUtcTimestamp(m.createdAt),
  };
  if (m.clientMessageId !== undefined) item.client_message_id = m.clientMessageId;
  return item;
};

/**
 * `owner`'s row of a conversation, naming the other participant, at the last message, with
 * everything up to it read (compact, see read-state.ts withReadState).
 */
export const messageGroupItem = (
  owner: User,
  other: User,
  lastMessage: MessageItem,
): MessageGroupItem =>
  withReadState(
    {
      pk: messageGroupPartition(owner.uuid),
      sk: lastMessage.sk,
      item_type: 'message_group',
      message_group_uuid: groupOfMessageKey(lastMessage.pk),
      message: lastMessage.message,
      user_uuid: other.uuid,
      user_display_name: other.displayName,
      user_handle: other.handle,
      created_at: lastMessage.created_at,
      ...(lastMessage.user_uuid === owner.uuid ? { last_mine: true as const } : {}),
    },
    lastMessage.sk,
    0,
  );

/**
 * Pattern C's row for the recipient: read up to `readTo` ('' for a first message: nothing),
 * so the new message is its one unread.
 */
export const unreadLastRow = (
  owner: User,
  sender: User,
  last: MessageItem,
  readTo: string,
): MessageGroupItem => withReadState(messageGroupItem(owner, sender, last), readTo, 1);

/**
 * The claim of a sender's client_message_id holds the whole message, so that a retry can
 * finish a send that stopped after its claim and before its message (see
 * `claimClientMessageRequest`).
 */
export const clientMessageItem = (message: MessageItem, id: string): ClientMessageItem => ({
  ...clientMessageKey(message.user_uuid, id),
  item_type: 'client_message',
  group_uuid: groupOfMessageKey(message.pk),
  message_sk: message.sk,
  message_uuid: message.message_uuid,
  ...messageFieldsOf(message),
  client_message_id: id,
});

/** The message a claim was made for, exactly as its first attempt built it. */
export const claimedMessageItem = (claim: ClientMessageItem): MessageItem => ({
  pk: messagePartition(claim.group_uuid),
  sk: claim.message_sk,
  item_type: 'message',
  message_uuid: claim.message_uuid,
  ...messageFieldsOf(claim),
  client_message_id: claim.client_message_id,
});

export const pairItem = (a: User, b: User, groupUuid: string, createdAt: string): PairItem => ({
  ...pairKey(a.uuid, b.uuid),
  item_type: 'pair',
  group_uuid: groupUuid,
  created_at: createdAt,
});

export const conversationItem = (
  a: User,
  b: User,
  groupUuid: string,
  createdAt: string,
): ConversationItem => ({
  ...conversationKey(groupUuid),
  item_type: 'conversation',
  group_uuid: groupUuid,
  participant_uuids: [a.uuid, b.uuid],
  created_at: createdAt,
});
