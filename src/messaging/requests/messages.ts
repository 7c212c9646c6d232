import type { GetCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  ConversationExistsError,
  DuplicateClientMessageError,
  ItemExistsError,
  UserNotFoundError,
} from '../errors.js';
import type {
  ClientMessageItem,
  ConversationItem,
  MessageGroupItem,
  MessageItem,
  PairItem,
} from '../items.js';
import {
  clientMessageKey,
  conversationKey,
  groupOfMessageKey,
  messageGroupPartition,
  messagePartition,
  messageSortKey,
  pairKey,
  toUtcTimestamp,
  userKey,
} from '../keys.js';
import type { Message, MessageGroup, User } from '../model.js';
import { lastMessageUserOf, withReadState } from '../read-state.js';
import type { TransactItem, WriteRequest } from '../table-port.js';
import { putNew } from './conditions.js';

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
const unreadLastRow = (
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
const clientMessageItem = (message: MessageItem, id: string): ClientMessageItem => ({
  ...clientMessageKey(message.user_uuid, id),
  item_type: 'client_message',
  group_uuid: groupOfMessageKey(message.pk),
  message_sk: message.sk,
  message_uuid: message.message_uuid,
  message: message.message,
  user_uuid: message.user_uuid,
  user_display_name: message.user_display_name,
  user_handle: message.user_handle,
  created_at: message.created_at,
  client_message_id: id,
});

/** The message a claim was made for, exactly as its first attempt built it. */
export const claimedMessageItem = (claim: ClientMessageItem): MessageItem => ({
  pk: messagePartition(claim.group_uuid),
  sk: claim.message_sk,
  item_type: 'message',
  message_uuid: claim.message_uuid,
  message: claim.message,
  user_uuid: claim.user_uuid,
  user_display_name: claim.user_display_name,
  user_handle: claim.user_handle,
  created_at: claim.created_at,
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

/**
 * The pair's conversation, set once: the pair item may exist already without one (a block
 * made before the two ever talked), so the condition is on the conversation and the block,
 * not on the item. Either there: the transaction fails at this index.
 */
const claimPair = (
  tableName: string,
  a: User,
  b: User,
  groupUuid: string,
  createdAt: string,
): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: pairKey(a.uuid, b.uuid),
    UpdateExpression: 'SET item_type = :pair, group_uuid = :group_uuid, created_at = :created_at',
    ConditionExpression: 'attribute_not_exists(group_uuid) AND attribute_not_exists(blocked_by)',
    ExpressionAttributeValues: {
      ':pair': 'pair',
      ':group_uuid': groupUuid,
      ':created_at': createdAt,
    },
  },
});

/**
 * Pattern C: the first message of a pair. One transaction writes the pair claim (which
 * makes the conversation unique), the participant record, both group rows already at the
 * first message, the message itself and, if given, the client_message_id claim.
 */
export const startConversationRequest = (
  tableName: string,
  sender: User,
  recipient: User,
  first: NewMessage,
  /** The seed writes a conversation's history first: the recipient has read all of it. */
  recipientReadTo = '',
): WriteRequest => {
  const message = messageItem(first);
  const items = [
    claimPair(tableName, sender, recipient, first.messageGroupUuid, message.created_at),
    putNew(
      tableName,
      conversationItem(sender, recipient, first.messageGroupUuid, message.created_at),
    ),
    putNew(tableName, messageGroupItem(sender, recipient, message)),
    putNew(tableName, unreadLastRow(recipient, sender, message, recipientReadTo)),
    putNew(tableName, message),
    {
      Update: {
        TableName: tableName,
        Key: userKey(recipient.uuid),
        UpdateExpression: 'ADD unread_conversations :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
  ];
  const clientMessageIndex = first.clientMessageId === undefined ? undefined : items.length;
  if (first.clientMessageId !== undefined) {
    items.push(putNew(tableName, clientMessageItem(message, first.clientMessageId)));
  }
  return {
    items,
    explain: (failed) => {
      if (clientMessageIndex !== undefined && failed.includes(clientMessageIndex)) {
        return new DuplicateClientMessageError();
      }
      if (failed.includes(0)) return new ConversationExistsError();
      if (failed.includes(5)) return new UserNotFoundError();
      return new ItemExistsError('A message with this key');
    },
  };
};

/**
 * Pattern D with a client_message_id, first step: the claim. The send is two PutItems, claim
 * first, instead of one transaction: half the write units (2 instead of 4), and each step is
 * durable on its own. A send that stops between them leaves a claim without its message; the
 * retry that finds the claim writes the message from it (`restoreMessageRequest`), so nothing
 * acknowledged or retried is lost and nothing is written twice.
 */
export const claimClientMessageRequest = (
  tableName: string,
  message: MessageItem,
  clientMessageId: string,
): WriteRequest => ({
  items: [putNew(tableName, clientMessageItem(message, clientMessageId))],
  explain: () => new DuplicateClientMessageError(),
});

/** Pattern D: a message into an existing conversation (the group rows follow by pattern E). */
export const appendMessageRequest = (tableName: string, message: MessageItem): WriteRequest => ({
  items: [putNew(tableName, message)],
  explain: () => new ItemExistsError('A message with this key'),
});

/** The message of a claim whose first attempt stopped before writing it. */
export const restoreMessageRequest = (tableName: string, claim: ClientMessageItem): WriteRequest =>
  appendMessageRequest(tableName, claimedMessageItem(claim));

export const getPairRequest = (
  tableName: string,
  userA: string,
  userB: string,
): GetCommandInput => ({
  TableName: tableName,
  Key: pairKey(userA, userB),
  ConsistentRead: true,
});

/**
 * Which conversation two users have, for a lookup (not for a send): eventually consistent,
 * half a read unit; a conversation started a moment ago may not show yet, and a send finds it.
 */
export const pairConversationRequest = (
  tableName: string,
  userA: string,
  userB: string,
): GetCommandInput => ({
  ...getPairRequest(tableName, userA, userB),
  ConsistentRead: false,
  ProjectionExpression: 'group_uuid',
});

export const getConversationRequest = (tableName: string, groupUuid: string): GetCommandInput => ({
  TableName: tableName,
  Key: conversationKey(groupUuid),
  ConsistentRead: true,
});

export const getClientMessageRequest = (
  tableName: string,
  senderUuid: string,
  clientMessageId: string,
): GetCommandInput => ({
  TableName: tableName,
  Key: clientMessageKey(senderUuid, clientMessageId),
  ConsistentRead: true,
});

export const getMessageRequest = (
  tableName: string,
  groupUuid: string,
  sk: string,
): GetCommandInput => ({
  TableName: tableName,
  Key: { pk: messagePartition(groupUuid), sk },
  ConsistentRead: true,
});

export const toMessage = (item: MessageItem): Message => ({
  uuid: item.message_uuid,
  messageGroupUuid: groupOfMessageKey(item.pk),
  userUuid: item.user_uuid,
  handle: item.user_handle,
  displayName: item.user_display_name,
  message: item.message,
  createdAt: item.created_at,
  sk: item.sk,
  editedAt: item.edited_at ?? null,
  deleted: item.deleted === true,
});

export const toMessageGroup = (item: MessageGroupItem): MessageGroup => ({
  messageGroupUuid: item.message_group_uuid,
  userUuid: item.user_uuid,
  handle: item.user_handle,
  displayName: item.user_display_name,
  message: item.message,
  createdAt: item.created_at,
  sk: item.sk,
  messageDeleted: item.message_deleted === true,
  unreadCount: item.unread_count ?? 0,
  lastMessageUserUuid: lastMessageUserOf(item),
});
