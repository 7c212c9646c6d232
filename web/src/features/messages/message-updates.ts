import type { Message } from '../../lib/api-types';
import {
  type ConversationAction,
  type ConversationState,
  conversationReducer,
} from './conversation-state';

/** How far a message has been changed: unsent is final, a later edit beats an earlier one. */
const isNewer = (incoming: Message, known: Message): boolean => {
  if (known.deleted) return false;
  if (incoming.deleted) return true;
  const was = known.edited_at ?? '';
  const now = incoming.edited_at ?? '';
  return now > was;
};

/**
 * Replaces the messages `incoming` holds newer versions of (an edit or an unsend); returns
 * `messages` itself when nothing changed. Never adds a message.
 */
export const applyMessageUpdates = (
  messages: readonly Message[],
  incoming: readonly Message[],
): readonly Message[] => {
  if (incoming.length === 0) return messages;
  const byUuid = new Map(incoming.map((message) => [message.uuid, message]));
  let changed = false;
  const next = messages.map((known) => {
    const update = byUuid.get(known.uuid);
    if (!update || !isNewer(update, known)) return known;
    changed = true;
    return {
      ...known,
      message: update.message,
      edited_at: update.edited_at ?? null,
      deleted: update.deleted ?? false,
    };
  });
  return changed ? next : messages;
};

/** The message as the server holds it after I unsent it (DELETE answers 204, no body). */
export const unsentVersion = (message: Message): Message => ({
  ...message,
  message: '',
  edited_at: null,
  deleted: true,
});

export type ConversationUpdateAction =
  | ConversationAction
  /** A message was edited or unsent (a `message_updated` frame, or my own request's answer). */
  | { type: 'message_updated'; message: Message };

const withUpdates = (state: ConversationState, incoming: readonly Message[]): ConversationState => {
  const messages = applyMessageUpdates(state.messages, incoming);
  const heldBack = applyMessageUpdates(state.heldBack, incoming);
  return messages === state.messages && heldBack === state.heldBack
    ? state
    : { ...state, messages, heldBack };
};

/**
 * The conversation's reducer, plus edits and unsends: a frame replaces the message it is
 * about, and a page (a refetch after a reconnect) brings newer versions of known messages,
 * which adding by uuid alone would keep as they were.
 */
export const conversationWithUpdatesReducer = (
  state: ConversationState,
  action: ConversationUpdateAction,
): ConversationState => {
  if (action.type === 'message_updated') return withUpdates(state, [action.message]);
  const next = conversationReducer(state, action);
  switch (action.type) {
    case 'first_page_loaded':
    case 'older_loaded':
      return withUpdates(next, action.page.messages);
    case 'pushed':
    case 'send_succeeded':
      return withUpdates(next, [action.message]);
    default:
      return next;
  }
};
