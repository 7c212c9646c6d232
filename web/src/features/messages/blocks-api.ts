import { type ApiClient, segment } from '../../lib/api-client';
import type { BlockedUser, BlockList } from '../../lib/api-types';

/** The users I block. Never whether someone blocks me: that is not announced. */
export const listBlocks = async (api: ApiClient, signal?: AbortSignal): Promise<BlockedUser[]> =>
  (await api.get<BlockList>('/api/blocks', signal)).users;

/**
 * Blocks a user (204, idempotent): while either of us blocks the other, sends between us
 * answer 403 `blocked`. 404 `user_not_found`, 422 `cannot_block_self`.
 */
export const blockUser = (api: ApiClient, handle: string): Promise<void> =>
  api.post(`/api/users/@${segment(handle)}/block`, undefined);

/** Lifts my block of a user (204, idempotent). */
export const unblockUser = (api: ApiClient, handle: string): Promise<void> =>
  api.delete(`/api/users/@${segment(handle)}/block`);
