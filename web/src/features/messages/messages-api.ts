import { type ApiClient, pageQuery, segment } from '../../lib/api-client';
import type { MessagePage, SendTarget, SentMessage } from '../../lib/api-types';

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
