import type { Message, MessageGroup, MessageGroupPage } from '../../lib/api-types';
import { mergeRefreshedFirstPage, rowWithLastMessage, upsertRows } from './conversation-rows';

export interface ConversationListState {
  rows: readonly MessageGroup[];
  nextCursor: string | null;
  phase: 'loading' | 'ready' | 'failed';
  loadingMore: boolean;
  /** Why the first page could not be loaded (phase `failed`). */
  error: string | null;
  /** Why the next page could not be loaded; the rows above stay usable. */
  moreError: string | null;
  /** Conversations with a message from the other person that arrived while not open. */
  unread: ReadonlySet<string>;
}

export type ConversationListAction =
  | { type: 'reload_started' }
  | { type: 'first_page_loaded'; page: MessageGroupPage }
  | { type: 'more_started' }
  | { type: 'more_loaded'; page: MessageGroupPage }
  | { type: 'first_page_failed'; error: string }
  | { type: 'more_failed'; error: string }
  | { type: 'rows_arrived'; rows: MessageGroup[] }
  | { type: 'message_arrived'; messageGroupUuid: string; message: Message; unread: boolean }
  | { type: 'opened'; messageGroupUuid: string }
  /** A refresh found a message from the other person that no event told of. */
  | { type: 'missed_message'; messageGroupUuid: string };

export const initialConversationListState: ConversationListState = {
  rows: [],
  nextCursor: null,
  phase: 'loading',
  loadingMore: false,
  error: null,
  moreError: null,
  unread: new Set(),
};

const withUnread = (unread: ReadonlySet<string>, uuid: string, on: boolean) => {
  if (unread.has(uuid) === on) return unread;
  const next = new Set(unread);
  if (on) next.add(uuid);
  else next.delete(uuid);
  return next;
};

export const conversationListReducer = (
  state: ConversationListState,
  action: ConversationListAction,
): ConversationListState => {
  switch (action.type) {
    case 'reload_started':
      return { ...state, phase: 'loading', error: null };
    case 'first_page_loaded': {
      if (state.phase !== 'ready') {
        // Rows that arrived live while the page was on its way are merged, not lost.
        const rows = upsertRows(state.rows, action.page.message_groups);
        return { ...state, rows, nextCursor: action.page.next_cursor, phase: 'ready', error: null };
      }
      return { ...state, ...mergeRefreshedFirstPage(state.rows, state.nextCursor, action.page) };
    }
    case 'more_started':
      return { ...state, loadingMore: true, moreError: null };
    case 'more_loaded':
      return {
        ...state,
        rows: upsertRows(state.rows, action.page.message_groups),
        nextCursor: action.page.next_cursor,
        loadingMore: false,
      };
    case 'first_page_failed':
      // After a reconnect the rows on screen stay; the next reconnect tries again.
      return state.phase === 'ready' ? state : { ...state, phase: 'failed', error: action.error };
    case 'more_failed':
      return { ...state, loadingMore: false, moreError: action.error };
    case 'rows_arrived':
      return { ...state, rows: upsertRows(state.rows, action.rows) };
    case 'message_arrived': {
      const row = state.rows.find((candidate) => candidate.uuid === action.messageGroupUuid);
      // An unknown conversation waits for its `message_group` event, which names the person.
      const rows = row
        ? upsertRows(state.rows, [rowWithLastMessage(row, action.message)])
        : state.rows;
      const unread = withUnread(state.unread, action.messageGroupUuid, action.unread);
      return rows === state.rows && unread === state.unread ? state : { ...state, rows, unread };
    }
    case 'missed_message': {
      const unread = withUnread(state.unread, action.messageGroupUuid, true);
      return unread === state.unread ? state : { ...state, unread };
    }
    case 'opened': {
      const unread = withUnread(state.unread, action.messageGroupUuid, false);
      return unread === state.unread ? state : { ...state, unread };
    }
  }
};
