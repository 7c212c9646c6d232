import { ApiError, describeError } from '../../lib/api-error';

/** A message on screen before the server has it: shown at once, confirmed or failed later. */
export interface PendingMessage {
  /** Sent with every attempt, so that a retry can never make a second message. */
  clientMessageId: string;
  text: string;
  /** Local time of the first attempt, for display only. */
  createdAt: string;
  status: 'sending' | 'failed';
  error: string | null;
  /** False when sending again cannot help (the text or the recipient is refused). */
  retryable: boolean;
}

// 4xx answers about the message itself: the same request would be refused again.
const FINAL_CODES = new Set([
  'message_blank',
  'message_too_long',
  'cannot_message_self',
  'invalid_text',
  'user_not_found',
  'message_group_not_found',
  'invalid_request',
]);

/**
 * How a failed send is shown. Refused with 403 `blocked` (one of us blocks the other), it
 * stays retryable: the block may be lifted, and only a send can tell.
 */
export const failureOf = (
  error: unknown,
): { error: string; retryable: boolean; blocked: boolean } => ({
  error: describeError(error),
  retryable: !(error instanceof ApiError && FINAL_CODES.has(error.code)),
  blocked: error instanceof ApiError && error.code === 'blocked',
});
