import { MAX_SEARCH_LENGTH } from '../../../../src/contract/limits';
import { type ApiClient, pageQuery, segment } from '../../lib/api-client';
import type {
  Me,
  MessageGroupPage,
  ReadAnswer,
  User,
  UserList,
  UserLookup,
} from '../../lib/api-types';
import { arrivedEarly, earlyOr, startEarly } from '../../lib/early-requests';

export const CONVERSATION_PAGE_SIZE = 20;

const messageGroupsPath = (cursor: string | null): string =>
  `/api/message_groups${pageQuery(CONVERSATION_PAGE_SIZE, cursor)}`;

/**
 * Pattern B: my conversations, newest first. The first page may have been asked for already
 * (`prefetchFirstMessageGroups`).
 */
export const listMessageGroups = (
  api: ApiClient,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<MessageGroupPage> => {
  const path = messageGroupsPath(cursor);
  return earlyOr(path, () => api.get<MessageGroupPage>(path, signal), signal);
};

/** The list's first page if it was asked for early and has come already (lib/early-requests). */
export const arrivedFirstMessageGroups = () =>
  arrivedEarly<MessageGroupPage>(messageGroupsPath(null));

/** The list's first page, asked for before the messages screens render. */
export const prefetchFirstMessageGroups = (api: ApiClient): void => {
  const path = messageGroupsPath(null);
  startEarly(path, () => api.get<MessageGroupPage>(path));
};

/** A user by handle (case-insensitive); 404 `user_not_found`, 422 `invalid_handle`. */
export const lookupUser = (
  api: ApiClient,
  handle: string,
  signal?: AbortSignal,
): Promise<UserLookup> => api.get(`/api/users/@${segment(handle)}/short`, signal);

/** The longest search text the server takes (`q` of `GET /api/users`). */
export const PEOPLE_QUERY_MAX_LENGTH = MAX_SEARCH_LENGTH;

/**
 * What the "To" field searches for: the text without spaces around it or a leading @; '' when
 * there is nothing to search (empty, or longer than the server takes).
 */
export const peopleQuery = (input: string): string => {
  const query = input.trim().replace(/^@+/, '').trim();
  return query.length > PEOPLE_QUERY_MAX_LENGTH ? '' : query;
};

/**
 * People whose handle, or a word of whose display name, starts with `query` (case- and
 * accent-insensitive), without me; handle matches first. `limit` 1-20.
 */
export const searchPeople = async (
  api: ApiClient,
  query: string,
  limit: number,
  signal?: AbortSignal,
): Promise<User[]> => {
  const params = new URLSearchParams({ q: query, limit: String(limit) });
  const { users } = await api.get<Partial<UserList>>(`/api/users?${params.toString()}`, signal);
  return Array.isArray(users) ? users : [];
};

/** What people type for a handle: "@Teo_Vance " → "teo_vance". */
export const normalizeHandleInput = (input: string): string =>
  input.trim().replace(/^@/, '').toLowerCase();

/**
 * Marks a conversation read up to and including `messageUuid`, for me on every device.
 * Monotonic on the server: an older message changes nothing. 404 when not mine or unknown.
 */
export const markConversationRead = (
  api: ApiClient,
  messageGroupUuid: string,
  messageUuid: string,
  signal?: AbortSignal,
): Promise<ReadAnswer> =>
  api.post(
    `/api/message_groups/${segment(messageGroupUuid)}/read`,
    { message_uuid: messageUuid },
    signal,
  );

/** How many of my conversations have unread messages, loaded or not (`GET /api/me`). */
export const unreadConversationCount = async (
  api: ApiClient,
  signal?: AbortSignal,
): Promise<number> => {
  const { unread_conversations: count } = await api.get<Partial<Me>>('/api/me', signal);
  return typeof count === 'number' && Number.isSafeInteger(count) && count > 0 ? count : 0;
};
