import { startTransition, useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { ApiError, describeError, isAbortError } from '../../lib/api-error';
import type { Message, SendTarget, SentMessage } from '../../lib/api-types';
import { newClientMessageId } from '../../lib/client-message-id';
import { useLiveEvent, useLiveReconnect } from '../../lib/live-events';
import { useApi, useSignedInUser } from '../../lib/session';
import { useLatest } from '../../lib/use-latest';
import { useNextPage } from '../../lib/use-next-page';
import { type ConversationState, initialConversationState } from './conversation-state';
import { conversationWithUpdatesReducer, unsentVersion } from './message-updates';
import {
  arrivedFirstMessages,
  editMessage,
  listMessages,
  sendMessage,
  unsendMessage,
} from './messages-api';
import { failureOf, type PendingMessage } from './pending-message';

export interface ConversationOptions {
  /** Messages known before the first page arrives (the one that started the conversation). */
  known?: readonly Message[];
  /** After each confirmed send while the screen is shown; a send to a handle names the new conversation. */
  onSent?: (sent: SentMessage) => void;
}

export interface Conversation extends ConversationState {
  hasOlder: boolean;
  loadOlder(): void;
  reload(): void;
  send(text: string): void;
  retry(clientMessageId: string): void;
  discard(clientMessageId: string): void;
  /** Edits my confirmed message; rejects with the API's error (403 window closed, 422). */
  edit(messageUuid: string, text: string): Promise<void>;
  /** Unsends my confirmed message; rejects with the API's error. */
  unsend(messageUuid: string): Promise<void>;
  /** After I unblocked the other participant: forgets a refusal (`sendBlocked`) seen before. */
  clearSendBlocked(): void;
}

/**
 * One conversation on screen: its messages page by page, live arrivals, and my sends with
 * their optimistic messages. The target is a conversation, or a person with whom none exists
 * yet. Callers key the component by conversation, so state never leaks from one to the next.
 */
export const useConversation = (
  target: SendTarget,
  options: ConversationOptions = {},
): Conversation => {
  const api = useApi();
  const me = useSignedInUser();
  const groupUuid = 'message_group_uuid' in target ? target.message_group_uuid : null;
  // The first page, when it was asked for early and came before this first render: shown at
  // once, and not asked for again on mount.
  const [arrived] = useState(() => (groupUuid ? arrivedFirstMessages(groupUuid) : undefined));
  const [state, dispatch] = useReducer(conversationWithUpdatesReducer, null, () => {
    const initial = initialConversationState(options.known ?? [], groupUuid ? 'loading' : 'ready');
    return arrived
      ? conversationWithUpdatesReducer(initial, { type: 'first_page_loaded', page: arrived.value })
      : initial;
  });
  const firstPageShown = useRef(arrived !== undefined);
  const latestState = useLatest(state);
  const latestTarget = useLatest(target);
  const onSent = useLatest(options.onSent);
  const lifetime = useRef(new AbortController());
  const nextPage = useNextPage();

  const loadFirstPage = useCallback(() => {
    if (!groupUuid) return;
    listMessages(api, groupUuid, null, lifetime.current.signal).then(
      // A transition: the page's messages are rendered in slices between which the tab stays
      // responsive (one long task on a slow phone otherwise); nothing else waits for it.
      (page) => startTransition(() => dispatch({ type: 'first_page_loaded', page })),
      (error: unknown) => {
        if (isAbortError(error)) return;
        // Not mine and not there answer alike (404); a malformed uuid is not there either.
        const notFound =
          error instanceof ApiError &&
          (error.code === 'message_group_not_found' || error.code === 'invalid_uuid');
        dispatch({ type: 'first_page_failed', error: describeError(error), notFound });
      },
    );
  }, [api, groupUuid]);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    if (firstPageShown.current && arrived) {
      firstPageShown.current = false;
      arrived.forget();
    } else loadFirstPage();
    return () => controller.abort();
  }, [loadFirstPage, arrived]);

  useLiveEvent('message', (message) => {
    if (message.message_group_uuid !== groupUuid) return;
    dispatch({ type: 'pushed', message, mine: message.user_uuid === me.uuid });
  });
  // The other participant read further: "Seen" moves. (Mine are the list's business.)
  useLiveEvent('read', (read) => {
    if (read.message_group_uuid !== groupUuid || read.user_uuid === me.uuid) return;
    dispatch({ type: 'other_read', messageUuid: read.message_uuid });
  });
  // An edit or unsend, by either participant (mine from this tab too, told back).
  useLiveEvent('message_updated', (message) => {
    if (message.message_group_uuid !== groupUuid) return;
    dispatch({ type: 'message_updated', message });
  });
  useLiveReconnect(loadFirstPage);

  const { olderCursor } = state;
  const loadOlder = useCallback(
    () =>
      nextPage({
        fetch:
          groupUuid && olderCursor
            ? () => listMessages(api, groupUuid, olderCursor, lifetime.current.signal)
            : undefined,
        started: () => dispatch({ type: 'older_started' }),
        loaded: (page) => dispatch({ type: 'older_loaded', page }),
        failed: (error) => dispatch({ type: 'older_failed', error }),
      }),
    [api, groupUuid, olderCursor, nextPage],
  );

  const reload = useCallback(() => {
    dispatch({ type: 'reload_started' });
    loadFirstPage();
  }, [loadFirstPage]);

  const attempt = useCallback(
    (pending: PendingMessage) => {
      dispatch({ type: 'send_started', pending: { ...pending, status: 'sending', error: null } });
      // Not tied to `lifetime`: a send goes through even if the user leaves the screen.
      sendMessage(api, latestTarget.current, pending.text, pending.clientMessageId).then(
        (sent) => {
          dispatch({
            type: 'send_succeeded',
            clientMessageId: pending.clientMessageId,
            message: sent.message,
          });
          if (!lifetime.current.signal.aborted) onSent.current?.(sent);
        },
        (error: unknown) =>
          dispatch({
            type: 'send_failed',
            clientMessageId: pending.clientMessageId,
            ...failureOf(error),
          }),
      );
    },
    [api, latestTarget, onSent],
  );

  const send = useCallback(
    (text: string) =>
      attempt({
        clientMessageId: newClientMessageId(),
        text,
        createdAt: new Date().toISOString(),
        status: 'sending',
        error: null,
        retryable: true,
      }),
    [attempt],
  );

  const retry = useCallback(
    (clientMessageId: string) => {
      const pending = latestState.current.pending.find(
        (p) => p.clientMessageId === clientMessageId,
      );
      if (pending?.status === 'failed') attempt(pending);
    },
    [attempt, latestState],
  );

  const discard = useCallback(
    (clientMessageId: string) => dispatch({ type: 'discarded', clientMessageId }),
    [],
  );

  const edit = useCallback(
    async (messageUuid: string, text: string) => {
      if (!groupUuid) return;
      const message = await editMessage(api, groupUuid, messageUuid, text);
      dispatch({ type: 'message_updated', message });
    },
    [api, groupUuid],
  );

  const unsend = useCallback(
    async (messageUuid: string) => {
      if (!groupUuid) return;
      await unsendMessage(api, groupUuid, messageUuid);
      const known = latestState.current.messages.find((message) => message.uuid === messageUuid);
      if (known) dispatch({ type: 'message_updated', message: unsentVersion(known) });
    },
    [api, groupUuid, latestState],
  );

  const clearSendBlocked = useCallback(() => dispatch({ type: 'send_block_cleared' }), []);

  return {
    ...state,
    clearSendBlocked,
    edit,
    unsend,
    hasOlder: olderCursor !== null,
    loadOlder,
    reload,
    send,
    retry,
    discard,
  };
};
