import type { MessageGroupItem, MessageItem } from './items.js';
import { groupOfMessageKey } from './keys.js';
import type { Message, MessageGroup } from './model.js';
import { lastMessageUserOf } from './read-state.js';

/** Items as the core's callers see them: the models the API and the push path serialize. */

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
