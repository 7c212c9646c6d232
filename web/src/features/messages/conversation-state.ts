import type { Message, MessagePage } from '../../lib/api-types';
import { messagePosition, positionOfMessageUuid } from '../../lib/message-position';
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
  /**
   * The newest message the other participant has read (the first page's
   * `other_last_read_message_uuid`, then their `read` frames): what "Seen" is under.
   */
  otherReadUuid: string | null;
  /**
   * A send of mine was refused with 403 `blocked` (one of us blocks the other) and none has
   * gone through since: the only way a person learns that they are blocked.
   */
  sendBlocked: boolean;
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
  | {
      type: 'send_failed';
      clientMessageId: string;
      error: string;
      retryable: boolean;
      /** Refused with 403 `blocked`. */
      blocked?: boolean;
    }
  | { type: 'discarded'; clientMessageId: string }
  /** I lifted my block of the other participant: a refusal seen before may be over. */
  | { type: 'send_block_cleared' }
  /** The other participant has read up to and including this message. */
  | { type: 'other_read'; messageUuid: string };

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
  otherReadUuid: null,
  sendBlocked: false,
});

/** Where a message stands: known on screen, or told by its uuid (UUIDv7); else undefined. */
const positionOf = (messages: readonly Message[], uuid: string): string | undefined => {
  const known = messages.find((message) => message.uuid === uuid);
  return known ? messagePosition(known.created_at, known.uuid) : positionOfMessageUuid(uuid);
};

/**
 * The other participant's read position only moves forward: a page fetched before a `read`
 * frame, or a late frame, never takes it back. A position that cannot be placed (a message
 * neither on screen nor carrying its time) is older than a first page that does not hold it,
 * but may be a message a frame announces before the message itself arrives.
 */
const laterRead = (
  messages: readonly Message[],
  current: string | null,
  next: string | null | undefined,
  from: 'page' | 'frame',
): string | null => {
  if (!next || next === current) return current;
  if (!current) return next;
  const was = positionOf(messages, current);
  const now = positionOf(messages, next);
  if (now === undefined) return from === 'frame' || was === undefined ? next : current;
  if (was === undefined) return next;
  return now > was ? next : current;
};

/**
 * My newest message the other participant has read (at or before their read position), or
 * null: the one "Seen" is shown under.
 */
export const seenMessageUuid = (
  messages: readonly Message[],
  otherReadUuid: string | null,
  myUuid: string,
): string | null => {
  if (!otherReadUuid) return null;
  const readAt = positionOf(messages, otherReadUuid);
  if (readAt === undefined) return null;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (!message || message.user_uuid !== myUuid) continue;
    if (messagePosition(message.created_at, message.uuid) <= readAt) return message.uuid;
  }
  return null;
};

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

/**
 * A pushed message joins the timeline. One of the other participant's also moves their read
 * position to it: sending marks the sender's position at their message, and no `read` frame
 * need say so.
 */
const afterPushed = (
  state: ConversationState,
  message: Message,
  mine: boolean,
): ConversationState => {
  const messages = addMessages(state.messages, [message]);
  const otherReadUuid = mine
    ? state.otherReadUuid
    : laterRead(messages, state.otherReadUuid, message.uuid, 'frame');
  return messages === state.messages && otherReadUuid === state.otherReadUuid
    ? state
    : { ...state, messages, otherReadUuid };
};

export const conversationReducer = (
  state: ConversationState,
  action: ConversationAction,
): ConversationState => {
  switch (action.type) {
    case 'first_page_loaded': {
      const otherReadUuid = laterRead(
        [...state.messages, ...action.page.messages],
        state.otherReadUuid,
        action.page.other_last_read_message_uuid,
        'page',
      );
      if (state.phase === 'ready')
        return { ...mergeRefreshedPage(state, action.page), otherReadUuid };
      return {
        ...state,
        otherReadUuid,
        // Keeps what is already known (the message that started the conversation).
        messages: addMessages(state.messages, action.page.messages),
        olderCursor: action.page.next_cursor,
        phase: 'ready',
        error: null,
      };
    }
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
      return afterPushed(state, action.message, action.mine);
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
        sendBlocked: false,
      });
    case 'send_failed':
      return releaseHeldBack({
        ...state,
        pending: state.pending.map((p) =>
          p.clientMessageId === action.clientMessageId
            ? { ...p, status: 'failed', error: action.error, retryable: action.retryable }
            : p,
        ),
        sendBlocked: state.sendBlocked || action.blocked === true,
      });
    case 'discarded':
      return releaseHeldBack({
        ...state,
        pending: state.pending.filter((p) => p.clientMessageId !== action.clientMessageId),
      });
    case 'send_block_cleared':
      return state.sendBlocked ? { ...state, sendBlocked: false } : state;
    case 'other_read': {
      const otherReadUuid = laterRead(
        state.messages,
        state.otherReadUuid,
        action.messageUuid,
        'frame',
      );
      return otherReadUuid === state.otherReadUuid ? state : { ...state, otherReadUuid };
    }
  }
};
