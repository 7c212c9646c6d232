import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
} from 'react';
import { describeError, isAbortError } from '../../lib/api-error';
import type { MessageGroup } from '../../lib/api-types';
import { useLiveEvent, useLiveReconnect } from '../../lib/live-events';
import { useApi, useSignedInUser } from '../../lib/session';
import { useLatest } from '../../lib/use-latest';
import { useNextPage } from '../../lib/use-next-page';
import { lastMessage } from '../messages/messages-api';
import {
  type ConversationListState,
  conversationListReducer,
  initialConversationListState,
} from './conversation-list-state';
import { movedRows } from './conversation-rows';
import { listMessageGroups } from './conversations-api';

interface ConversationList extends ConversationListState {
  loadMore(): void;
  reload(): void;
}

const ConversationListContext = createContext<ConversationList | null>(null);

interface ConversationsProviderProps {
  /** The conversation on screen: its arriving messages are read, not unread. */
  openGroupUuid: string | null;
  children: ReactNode;
}

/**
 * My conversation list, kept live: loaded page by page, moved by push events, refetched after
 * a reconnect. It lives above the routes so that switching conversations keeps it as it is.
 */
export const ConversationsProvider = ({ openGroupUuid, children }: ConversationsProviderProps) => {
  const api = useApi();
  const me = useSignedInUser();
  const [state, dispatch] = useReducer(conversationListReducer, initialConversationListState);
  const nextPage = useNextPage();
  // Aborted when the provider goes away, so no answer arrives into an unmounted tree.
  const lifetime = useRef(new AbortController());

  const latestState = useLatest(state);
  const latestOpen = useLatest(openGroupUuid);

  /**
   * After a refresh (a reconnect, or a poll where there is no push): a conversation that moved
   * while no event said so is unread if its last message is from the other person.
   */
  const markMissedMessages = useCallback(
    (moved: readonly MessageGroup[]) => {
      const signal = lifetime.current.signal;
      for (const row of moved) {
        if (row.uuid === latestOpen.current) continue;
        lastMessage(api, row.uuid, signal).then(
          (message) => {
            if (!message || message.user_uuid === me.uuid || row.uuid === latestOpen.current)
              return;
            dispatch({ type: 'missed_message', messageGroupUuid: row.uuid });
          },
          () => {}, // the dot is a hint; the row itself is already right
        );
      }
    },
    [api, me.uuid, latestOpen],
  );

  const loadFirstPage = useCallback(() => {
    listMessageGroups(api, null, lifetime.current.signal).then(
      (page) => {
        const { phase, rows } = latestState.current;
        dispatch({ type: 'first_page_loaded', page });
        if (phase === 'ready') markMissedMessages(movedRows(rows, page.message_groups));
      },
      (error: unknown) => {
        if (isAbortError(error)) return;
        dispatch({ type: 'first_page_failed', error: describeError(error) });
      },
    );
  }, [api, latestState, markMissedMessages]);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    loadFirstPage();
    return () => controller.abort();
  }, [loadFirstPage]);

  const reload = useCallback(() => {
    dispatch({ type: 'reload_started' });
    loadFirstPage();
  }, [loadFirstPage]);

  const { nextCursor } = state;
  const loadMore = useCallback(
    () =>
      nextPage({
        fetch: nextCursor
          ? () => listMessageGroups(api, nextCursor, lifetime.current.signal)
          : undefined,
        started: () => dispatch({ type: 'more_started' }),
        loaded: (page) => dispatch({ type: 'more_loaded', page }),
        failed: (error) => dispatch({ type: 'more_failed', error }),
      }),
    [api, nextCursor, nextPage],
  );

  useLiveEvent('message_group', (row) => dispatch({ type: 'rows_arrived', rows: [row] }));
  useLiveEvent('message', (message) => {
    const { message_group_uuid } = message;
    dispatch({
      type: 'message_arrived',
      messageGroupUuid: message_group_uuid,
      message,
      unread: message.user_uuid !== me.uuid && message_group_uuid !== openGroupUuid,
    });
    // A new conversation: pattern C wrote both rows in place, so pattern E moves nothing and
    // no `message_group` event follows. The first page of the list has its row.
    if (!latestState.current.rows.some((row) => row.uuid === message_group_uuid)) loadFirstPage();
  });
  useLiveReconnect(loadFirstPage);

  useEffect(() => {
    if (openGroupUuid) dispatch({ type: 'opened', messageGroupUuid: openGroupUuid });
  }, [openGroupUuid]);

  const value = useMemo(() => ({ ...state, loadMore, reload }), [state, loadMore, reload]);
  return (
    <ConversationListContext.Provider value={value}>{children}</ConversationListContext.Provider>
  );
};

export const useConversationList = (): ConversationList => {
  const value = useContext(ConversationListContext);
  if (!value) throw new Error('useConversationList must be used inside <ConversationsProvider>');
  return value;
};

/** The list row of one conversation, when loaded: it names the other participant. */
export const useConversationRow = (messageGroupUuid: string): MessageGroup | undefined =>
  useConversationList().rows.find((row) => row.uuid === messageGroupUuid);

/** My conversation with `handle`, when it is among the loaded rows. */
export const useConversationWith = (handle: string): MessageGroup | undefined =>
  useConversationList().rows.find((row) => row.handle === handle);
