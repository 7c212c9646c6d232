import type { GetCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  ConversationExistsError,
  DuplicateClientMessageError,
  ItemExistsError,
  UserNotFoundError,
} from '../errors.js';
import type { ClientMessageItem, MessageItem } from '../items.js';
import { clientMessageKey, conversationKey, messagePartition, pairKey, userKey } from '../keys.js';
import {
  claimedMessageItem,
  clientMessageItem,
  conversationItem,
  messageGroupItem,
  messageItem,
  type NewMessage,
  unreadLastRow,
} from '../message-items.js';
import type { User } from '../model.js';
import type { TransactItem, WriteRequest } from '../table-port.js';
import { putNew } from './conditions.js';

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
