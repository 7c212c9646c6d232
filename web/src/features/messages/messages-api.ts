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

/** A conversation's last message (a page of one): a list row does not say who wrote it. */
export const lastMessage = async (
  api: ApiClient,
  messageGroupUuid: string,
  signal?: AbortSignal,
): Promise<Message | undefined> =>
  (await listMessages(api, messageGroupUuid, null, signal, 1)).messages.at(-1);

/** Patterns C and D. Retrying with the same clientMessageId returns the original message. */
export const sendMessage = (
  api: ApiClient,
  target: SendTarget,
  text: string,
  clientMessageId: string,
): Promise<SentMessage> =>
  api.post('/api/messages', { ...target, message: text, client_message_id: clientMessageId });
