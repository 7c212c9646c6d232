import {
  createContext,
  type ReactNode,
  startTransition,
  useCallback,
  useContext,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import { describeError, isAbortError } from '../../lib/api-error';
import type { Message, MessageGroup, MessageGroupPage } from '../../lib/api-types';
import { useLiveEvent, useLiveReconnect } from '../../lib/live-events';
import { createdAtOfMessageUuid } from '../../lib/message-position';
import { useApi, useSignedInUser } from '../../lib/session';
import { useFirstPageOnMount } from '../../lib/use-first-page-on-mount';
import { useLatest } from '../../lib/use-latest';
import { useNextPage } from '../../lib/use-next-page';
import {
  type ConversationListState,
  conversationListReducer,
  initialConversationListState,
  unreadConversations,
} from './conversation-list-state';
import {
  arrivedFirstMessageGroups,
  listMessageGroups,
  markConversationRead,
  unreadConversationCount,
} from './conversations-api';

/** The message a tab saw: the newest of its conversation, on screen in a focused tab. */
export type SeenMessage = Pick<Message, 'uuid' | 'user_uuid' | 'created_at'>;

interface ConversationList extends ConversationListState {
  /** How many of my conversations have unread messages, loaded or not: the title's count. */
  unreadConversations: number;
  loadMore(): void;
  reload(): void;
  /**
   * The newest message of a conversation is on screen in a focused, visible tab: marks the
   * conversation read up to it (once per message; nothing for my own or what is read already).
   */
  markRead(messageGroupUuid: string, message: SeenMessage): void;
}

const ConversationListContext = createContext<ConversationList | null>(null);

/**
 * My conversation list, kept live: loaded page by page, moved by push events, refetched after
 * a reconnect, with each conversation's unread count (the server's, kept by the stream, moved
 * here by frames: mine and other tabs' read marks, new messages). It lives above the routes so
 * that switching conversations keeps it as it is.
 */
export const ConversationsProvider = ({ children }: { children: ReactNode }) => {
  const api = useApi();
  const me = useSignedInUser();
  // The first page, when it was asked for early and came before this first render: shown at
  // once, and not asked for again on mount.
  const [arrived] = useState(arrivedFirstMessageGroups);
  const [state, dispatch] = useReducer(conversationListReducer, initialConversationListState, () =>
    arrived
      ? conversationListReducer(initialConversationListState, {
          type: 'first_page_loaded',
          page: arrived.value,
        })
      : initialConversationListState,
  );
  const nextPage = useNextPage();
  // Aborted when the provider goes away, so no answer arrives into an unmounted tree.
  const lifetime = useRef(new AbortController());
  /** The messages this tab has marked read: each once. */
  const marked = useRef(new Set<string>());

  const latestState = useLatest(state);

  /**
   * The loaded rows tell which of them are unread; `/api/me` tells how many are in all. Only
   * asked while pages remain unloaded (the reducer ignores it otherwise).
   */
  const countUnreadElsewhere = useCallback(() => {
    unreadConversationCount(api, lifetime.current.signal).then(
      (total) => dispatch({ type: 'unread_total', total }),
      () => {}, // a hint for the title: the rows themselves are right
    );
  }, [api]);

  /** With more pages to come, how many conversations are unread in all (for the title). */
  const afterFirstPage = useCallback(
    (page: MessageGroupPage) => {
      if (page.next_cursor !== null) countUnreadElsewhere();
    },
    [countUnreadElsewhere],
  );

  const loadFirstPage = useCallback(() => {
    listMessageGroups(api, null, lifetime.current.signal).then(
      (page) => {
        // A transition: the rows are rendered in slices, the tab responsive in between.
        startTransition(() => dispatch({ type: 'first_page_loaded', page }));
        afterFirstPage(page);
      },
      (error: unknown) => {
        if (isAbortError(error)) return;
        dispatch({ type: 'first_page_failed', error: describeError(error) });
      },
    );
  }, [api, afterFirstPage]);

  useFirstPageOnMount(lifetime, arrived, loadFirstPage, afterFirstPage);

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

  /** A conversation beyond the loaded rows changed: the count of those is asked again. */
  const notLoaded = (messageGroupUuid: string) => {
    const current = latestState.current;
    const loaded = current.rows.some((row) => row.uuid === messageGroupUuid);
    if (!loaded && current.nextCursor !== null) countUnreadElsewhere();
  };

  const markRead = useCallback(
    (messageGroupUuid: string, message: SeenMessage) => {
      if (message.user_uuid === me.uuid || marked.current.has(message.uuid)) return;
      const { rows, readThrough } = latestState.current;
      const readAt = readThrough.get(messageGroupUuid);
      if (readAt !== undefined && readAt >= message.created_at) return;
      const row = rows.find((candidate) => candidate.uuid === messageGroupUuid);
      // Nothing unread up to this message already (a row older than read state included).
      if (row && row.unread_count === 0 && row.created_at >= message.created_at) return;
      marked.current.add(message.uuid);
      // At once: the badge and the title clear before the answer, in this tab.
      dispatch({ type: 'read_through', messageGroupUuid, createdAt: message.created_at });
      markConversationRead(api, messageGroupUuid, message.uuid, lifetime.current.signal).then(
        () => {
          if (!row && latestState.current.nextCursor !== null) countUnreadElsewhere();
        },
        (error: unknown) => {
          if (isAbortError(error)) return;
          // Refused or lost: the server's counts, not this tab's guess.
          dispatch({ type: 'mark_failed', messageGroupUuid, createdAt: message.created_at });
          loadFirstPage();
        },
      );
    },
    [api, me.uuid, latestState, loadFirstPage, countUnreadElsewhere],
  );

  useLiveEvent('message_group', (row) => {
    notLoaded(row.uuid);
    dispatch({ type: 'rows_arrived', rows: [row] });
  });
  useLiveEvent('message', (message) => {
    const { message_group_uuid } = message;
    dispatch({
      type: 'message_arrived',
      messageGroupUuid: message_group_uuid,
      message,
      mine: message.user_uuid === me.uuid,
    });
    // A new conversation: pattern C wrote both rows in place, so pattern E moves nothing and
    // no `message_group` event follows. The first page of the list has its row.
    if (!latestState.current.rows.some((row) => row.uuid === message_group_uuid)) loadFirstPage();
  });
  useLiveEvent('message_updated', (message) =>
    dispatch({ type: 'message_updated', messageGroupUuid: message.message_group_uuid, message }),
  );
  useLiveEvent('read', (read) => {
    // The other participant's position is the conversation's business ("Seen").
    if (read.user_uuid !== me.uuid) return;
    // Another tab or device of mine read it (or this tab's own mark, told back).
    const row = latestState.current.rows.find((r) => r.uuid === read.message_group_uuid);
    const createdAt = createdAtOfMessageUuid(read.message_uuid) ?? row?.created_at;
    if (createdAt !== undefined) {
      dispatch({ type: 'read_through', messageGroupUuid: read.message_group_uuid, createdAt });
    }
    if (!row) notLoaded(read.message_group_uuid);
    // Read up to an older message than the row's last: how many remain after it is the
    // server's to say (the row's count may be from before this mark).
    else if (createdAt !== undefined && row.created_at > createdAt && row.unread_count > 0) {
      loadFirstPage();
    }
  });
  useLiveReconnect(loadFirstPage);

  const value = useMemo(
    () => ({
      ...state,
      unreadConversations: unreadConversations(state),
      loadMore,
      reload,
      markRead,
    }),
    [state, loadMore, reload, markRead],
  );
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
