import type { Message, MessageGroup, User } from '../messaging/model.js';
import type * as Wire from './schemas.js';

/** Domain objects to the API's JSON (snake_case names, as the original app used). */
export const userJson = (user: User): Wire.User => ({
  uuid: user.uuid,
  handle: user.handle,
  display_name: user.displayName,
});

export const messageJson = (message: Message): Wire.Message => ({
  uuid: message.uuid,
  user_uuid: message.userUuid,
  handle: message.handle,
  display_name: message.displayName,
  message: message.message,
  created_at: message.createdAt,
  edited_at: message.editedAt,
  deleted: message.deleted,
});

export const messageGroupJson = (group: MessageGroup): Wire.MessageGroup => ({
  uuid: group.messageGroupUuid,
  handle: group.handle,
  display_name: group.displayName,
  message: group.message,
  message_deleted: group.messageDeleted,
  created_at: group.createdAt,
  unread_count: group.unreadCount,
  last_message_user_uuid: group.lastMessageUserUuid,
});
