import type { Message, MessagePage } from '../../lib/api-types';
import { refreshLeavesGap } from '../../lib/refresh-gap';
import { addMessages } from './message-order';
import type { PendingMessage } from './pending-message';

export interface ConversationState {
  /** Confirmed messages, oldest first. */
  messages: readonly Message[];
  /** Mine, not confirmed yet, in the order written; shown after `messages`. */
  pending: readonly PendingMessage[];
  /**
   * My own messages pushed while they may be one of my pending ones: the push carries no
   * client_message_id, so a message that arrives before its send's answer (or whose answer
   * was lost: "failed", yet delivered) would otherwise show twice. Held while a send is in
   * flight or a pending message has the same text; released when its send is answered,
   * retried (same uuid) or discarded, and `addMessages` drops the copy the answer brought.
   */
  heldBack: readonly Message[];
  /** Where older messages start; null when the first message is loaded. */
  olderCursor: string | null;
  phase: 'loading' | 'ready' | 'not_found' | 'failed';
  error: string | null;
  loadingOlder: boolean;
  olderError: string | null;
}

export type ConversationAction =
  | { type: 'first_page_loaded'; page: MessagePage }
  | { type: 'first_page_failed'; error: string; notFound: boolean }
  | { type: 'reload_started' }
  | { type: 'older_started' }
  | { type: 'older_loaded'; page: MessagePage }
  | { type: 'older_failed'; error: string }
  | { type: 'pushed'; message: Message; mine: boolean }
  | { type: 'send_started'; pending: PendingMessage }
  | { type: 'send_succeeded'; clientMessageId: string; message: Message }
  | { type: 'send_failed'; clientMessageId: string; error: string; retryable: boolean }
  | { type: 'discarded'; clientMessageId: string };

export const initialConversationState = (
  known: readonly Message[],
  phase: ConversationState['phase'],
): ConversationState => ({
  messages: addMessages([], known),
  pending: [],
  heldBack: [],
  olderCursor: null,
  phase,
  error: null,
  loadingOlder: false,
  olderError: null,
});

const mayBePending = (state: ConversationState, message: Message): boolean =>
  state.pending.some((p) => p.status === 'sending' || p.text === message.message);

const releaseHeldBack = (state: ConversationState): ConversationState => {
  const released = state.heldBack.filter((message) => !mayBePending(state, message));
  if (released.length === 0) return state;
  return {
    ...state,
    messages: addMessages(state.messages, released),
    heldBack: state.heldBack.filter((message) => mayBePending(state, message)),
  };
};

/**
 * A fresh first page after a reconnect. If even its oldest message is newer than everything
 * on screen and older ones exist, messages were missed in between: start over from it.
 */
const mergeRefreshedPage = (state: ConversationState, page: MessagePage): ConversationState => {
  const newestKnown = state.messages[state.messages.length - 1];
  if (refreshLeavesGap(newestKnown, page.messages[0], page.next_cursor))
    return { ...state, messages: addMessages([], page.messages), olderCursor: page.next_cursor };
  return { ...state, messages: addMessages(state.messages, page.messages) };
};

export const conversationReducer = (
  state: ConversationState,
  action: ConversationAction,
): ConversationState => {
  switch (action.type) {
    case 'first_page_loaded':
      if (state.phase === 'ready') return mergeRefreshedPage(state, action.page);
      return {
        ...state,
        // Keeps what is already known (the message that started the conversation).
        messages: addMessages(state.messages, action.page.messages),
        olderCursor: action.page.next_cursor,
        phase: 'ready',
        error: null,
      };
    case 'first_page_failed':
      if (state.phase === 'ready') return state; // a failed catch-up keeps the screen as it is
      return { ...state, phase: action.notFound ? 'not_found' : 'failed', error: action.error };
    case 'reload_started':
      return { ...state, phase: 'loading', error: null };
    case 'older_started':
      return { ...state, loadingOlder: true, olderError: null };
    case 'older_loaded':
      return {
        ...state,
        messages: addMessages(state.messages, action.page.messages),
        olderCursor: action.page.next_cursor,
        loadingOlder: false,
      };
    case 'older_failed':
      return { ...state, loadingOlder: false, olderError: action.error };
    case 'pushed':
      if (action.mine && mayBePending(state, action.message)) {
        return { ...state, heldBack: [...state.heldBack, action.message] };
      }
      return { ...state, messages: addMessages(state.messages, [action.message]) };
    case 'send_started': {
      const others = state.pending.filter(
        (p) => p.clientMessageId !== action.pending.clientMessageId,
      );
      const retried = others.length < state.pending.length;
      return {
        ...state,
        // A retry keeps its place among the pending messages.
        pending: retried
          ? state.pending.map((p) =>
              p.clientMessageId === action.pending.clientMessageId ? action.pending : p,
            )
          : [...state.pending, action.pending],
      };
    }
    case 'send_succeeded':
      return releaseHeldBack({
        ...state,
        pending: state.pending.filter((p) => p.clientMessageId !== action.clientMessageId),
        messages: addMessages(state.messages, [action.message]),
      });
    case 'send_failed':
      return releaseHeldBack({
        ...state,
        pending: state.pending.map((p) =>
          p.clientMessageId === action.clientMessageId
            ? { ...p, status: 'failed', error: action.error, retryable: action.retryable }
            : p,
        ),
      });
    case 'discarded':
      return releaseHeldBack({
        ...state,
        pending: state.pending.filter((p) => p.clientMessageId !== action.clientMessageId),
      });
  }
};
