import { type ApiClient, pageQuery, segment } from '../../lib/api-client';
import type { Message, MessagePage, SendTarget, SentMessage } from '../../lib/api-types';

export const MESSAGE_PAGE_SIZE = 30;

/** Pattern A: the newest page first (oldest-first inside it); the cursor leads to older ones. */
export const listMessages = (
  api: ApiClient,
  messageGroupUuid: string,
  cursor: string | null,
  signal?: AbortSignal,
  limit = MESSAGE_PAGE_SIZE,
): Promise<MessagePage> =>
  api.get(`/api/messages/${segment(messageGroupUuid)}${pageQuery(limit, cursor)}`, signal);

/** Patterns C and D. Retrying with the same clientMessageId returns the original message. */
export const sendMessage = (
  api: ApiClient,
  target: SendTarget,
  text: string,
  clientMessageId: string,
): Promise<SentMessage> =>
  api.post('/api/messages', { ...target, message: text, client_message_id: clientMessageId });

/** Edits my message (within the edit window): the message as listed, with `edited_at`. */
export const editMessage = (
  api: ApiClient,
  messageGroupUuid: string,
  messageUuid: string,
  text: string,
): Promise<Message> =>
  api.patch(`/api/messages/${segment(messageGroupUuid)}/${segment(messageUuid)}`, {
    message: text,
  });

/** Unsends my message: it stays as a tombstone for both participants. */
export const unsendMessage = (
  api: ApiClient,
  messageGroupUuid: string,
  messageUuid: string,
): Promise<void> =>
  api.delete(`/api/messages/${segment(messageGroupUuid)}/${segment(messageUuid)}`);
