import { useReducer, useState } from 'react';
import type { Message, SendTarget, SentMessage } from '../../lib/api-types';
import { type ConversationState, initialConversationState } from './conversation-state';
import { conversationWithUpdatesReducer } from './message-updates';
import { arrivedFirstMessages } from './messages-api';
import { useConversationFrames } from './use-conversation-frames';
import { type MessageChanges, useMessageChanges } from './use-message-changes';
import { type ArrivedFirstPage, type MessagePages, useMessagePages } from './use-message-pages';
import { type Sending, useSending } from './use-sending';

export interface ConversationOptions {
  /** Messages known before the first page arrives (the one that started the conversation). */
  known?: readonly Message[];
  /** After each confirmed send while the screen is shown; a send to a handle names the new conversation. */
  onSent?: (sent: SentMessage) => void;
}

export interface Conversation
  extends ConversationState,
    Omit<MessagePages, 'lifetime'>,
    Sending,
    MessageChanges {
  hasOlder: boolean;
}

/**
 * The state the screen opens with: what is known already, and the first page if it came
 * early. A conversation not created yet has no pages to wait for.
 */
const openingState = (
  known: readonly Message[],
  groupUuid: string | null,
  arrived: ArrivedFirstPage | undefined,
): ConversationState => {
  const initial = initialConversationState(known, groupUuid ? 'loading' : 'ready');
  return arrived
    ? conversationWithUpdatesReducer(initial, { type: 'first_page_loaded', page: arrived.value })
    : initial;
};

/**
 * One conversation on screen: its messages page by page, live arrivals, and my sends with
 * their optimistic messages. The target is a conversation, or a person with whom none exists
 * yet. Callers key the component by conversation, so state never leaks from one to the next.
 * Each part has its own hook; they share the one reducer, so that a page, a frame and a
 * send's answer about the same message are merged in one place (conversation-state.ts).
 */
export const useConversation = (
  target: SendTarget,
  options: ConversationOptions = {},
): Conversation => {
  const groupUuid = 'message_group_uuid' in target ? target.message_group_uuid : null;
  // The first page, when it was asked for early and came before this first render: shown at
  // once, and not asked for again on mount.
  const [arrived] = useState(() => (groupUuid ? arrivedFirstMessages(groupUuid) : undefined));
  const [state, dispatch] = useReducer(conversationWithUpdatesReducer, null, () =>
    openingState(options.known ?? [], groupUuid, arrived),
  );
  const { lifetime, loadOlder, reload } = useMessagePages(
    groupUuid,
    arrived,
    state.olderCursor,
    dispatch,
  );
  useConversationFrames(groupUuid, dispatch);
  const sending = useSending(target, state.pending, lifetime, dispatch, options.onSent);
  const changes = useMessageChanges(groupUuid, state.messages, dispatch);

  return {
    ...state,
    ...sending,
    ...changes,
    hasOlder: state.olderCursor !== null,
    loadOlder,
    reload,
  };
};
