import { type ApiClient, pageQuery, segment } from '../../lib/api-client';
import type { MessageGroupPage, User } from '../../lib/api-types';

export const CONVERSATION_PAGE_SIZE = 20;

/** Pattern B: my conversations, newest first. */
export const listMessageGroups = (
  api: ApiClient,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<MessageGroupPage> =>
  api.get(`/api/message_groups${pageQuery(CONVERSATION_PAGE_SIZE, cursor)}`, signal);

/** A user by handle (case-insensitive); 404 `user_not_found`, 422 `invalid_handle`. */
export const lookupUser = (api: ApiClient, handle: string, signal?: AbortSignal): Promise<User> =>
  api.get(`/api/users/@${segment(handle)}/short`, signal);

/** What people type for a handle: "@Teo_Vance " → "teo_vance". */
export const normalizeHandleInput = (input: string): string =>
  input.trim().replace(/^@/, '').toLowerCase();
