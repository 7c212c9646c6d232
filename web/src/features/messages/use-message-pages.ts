import { type Dispatch, startTransition, useCallback, useRef } from 'react';
import { ApiError, describeError, isAbortError } from '../../lib/api-error';
import type { MessagePage } from '../../lib/api-types';
import type { Arrived } from '../../lib/early-requests';
import { useLiveReconnect } from '../../lib/live-events';
import { useApi } from '../../lib/session';
import { useFirstPageOnMount } from '../../lib/use-first-page-on-mount';
import { useNextPage } from '../../lib/use-next-page';
import type { ConversationUpdateAction } from './message-updates';
import { listMessages } from './messages-api';

/** A first page asked for before the screen rendered, and come by its first render. */
export type ArrivedFirstPage = Arrived<MessagePage>;

export interface MessagePages {
  /**
   * The screen's lifetime: aborted when it goes away (or its conversation changes), which
   * ends its page requests and tells a send answered later that nobody is there any more.
   */
  lifetime: { readonly current: AbortController };
  loadOlder(): void;
  /** Asks for the first page again, after it failed: the screen shows loading meanwhile. */
  reload(): void;
}

/**
 * A conversation's messages, page by page: the first page on mount (unless `arrived` brought
 * it), again after each reconnect to catch up on what the live frames missed, and older pages
 * as the timeline is scrolled up. A conversation not created yet (`groupUuid` null) has none.
 */
export const useMessagePages = (
  groupUuid: string | null,
  arrived: ArrivedFirstPage | undefined,
  olderCursor: string | null,
  dispatch: Dispatch<ConversationUpdateAction>,
): MessagePages => {
  const api = useApi();
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
  }, [api, groupUuid, dispatch]);

  // The page that came early is in the opening state already.
  useFirstPageOnMount(lifetime, arrived, loadFirstPage);

  useLiveReconnect(loadFirstPage);

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
    [api, groupUuid, olderCursor, nextPage, dispatch],
  );

  const reload = useCallback(() => {
    dispatch({ type: 'reload_started' });
    loadFirstPage();
  }, [loadFirstPage, dispatch]);

  return { lifetime, loadOlder, reload };
};
