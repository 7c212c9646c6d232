import { type ApiClient, pageQuery, segment } from '../../lib/api-client';
import type { Message, MessagePage, SendTarget, SentMessage } from '../../lib/api-types';
import { arrivedEarly, earlyOr, startEarly } from '../../lib/early-requests';

export const MESSAGE_PAGE_SIZE = 30;

const messagesPath = (messageGroupUuid: string, cursor: string | null, limit: number): string =>
  `/api/messages/${segment(messageGroupUuid)}${pageQuery(limit, cursor)}`;

/**
 * Pattern A: the newest page first (oldest-first inside it); the cursor leads to older ones.
 * The first page may have been asked for already (`prefetchFirstMessages`).
 */
export const listMessages = (
  api: ApiClient,
  messageGroupUuid: string,
  cursor: string | null,
  signal?: AbortSignal,
  limit = MESSAGE_PAGE_SIZE,
): Promise<MessagePage> => {
  const path = messagesPath(messageGroupUuid, cursor, limit);
  return earlyOr(path, () => api.get<MessagePage>(path, signal), signal);
};

/** The first page if it was asked for early and has come already (see lib/early-requests). */
export const arrivedFirstMessages = (messageGroupUuid: string) =>
  arrivedEarly<MessagePage>(messagesPath(messageGroupUuid, null, MESSAGE_PAGE_SIZE));

/** The first page of a conversation about to be shown, asked for before its screen renders. */
export const prefetchFirstMessages = (api: ApiClient, messageGroupUuid: string): void => {
  const path = messagesPath(messageGroupUuid, null, MESSAGE_PAGE_SIZE);
  startEarly(path, () => api.get<MessagePage>(path));
};

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
