import type { Message, MessageGroup, MessageGroupPage } from '../../lib/api-types';
import {
  applyReadThrough,
  countUnread,
  mergeRefreshedFirstPage,
  normalizeRow,
  rowWithLastMessage,
  upsertRows,
} from './conversation-rows';

export interface ConversationListState {
  /** Newest first; each row's `unread_count` is the server's, or what this tab knows since. */
  rows: readonly MessageGroup[];
  nextCursor: string | null;
  phase: 'loading' | 'ready' | 'failed';
  loadingMore: boolean;
  /** Why the first page could not be loaded (phase `failed`). */
  error: string | null;
  /** Why the next page could not be loaded; the rows above stay usable. */
  moreError: string | null;
  /**
   * Per conversation, the created_at of the newest message this tab knows I have read (its own
   * marks, `read` frames of mine from other tabs and devices, my own messages): a row at or
   * before it has nothing unread, whatever a frame or page computed before the mark says.
   */
  readThrough: ReadonlyMap<string, string>;
  /**
   * Conversations with unread messages among those not loaded yet (further pages), from
   * `GET /api/me`'s `unread_conversations`; 0 once every page is loaded.
   */
  unreadElsewhere: number;
}

export type ConversationListAction =
  | { type: 'reload_started' }
  | { type: 'first_page_loaded'; page: MessageGroupPage }
  | { type: 'more_started' }
  | { type: 'more_loaded'; page: MessageGroupPage }
  | { type: 'first_page_failed'; error: string }
  | { type: 'more_failed'; error: string }
  | { type: 'rows_arrived'; rows: MessageGroup[] }
  | { type: 'message_arrived'; messageGroupUuid: string; message: Message; mine: boolean }
  /**
   * A message was edited or unsent (a `message_updated` frame, or this tab's own change): the
   * row that previews it shows its new text or "unsent". No `message_group` frame says so.
   */
  | { type: 'message_updated'; messageGroupUuid: string; message: Message }
  /** I have read up to `createdAt`: this tab's own mark, or a `read` frame of mine. */
  | { type: 'read_through'; messageGroupUuid: string; createdAt: string }
  /** This tab's mark at `createdAt` was refused: forget it (a refetch shows the truth). */
  | { type: 'mark_failed'; messageGroupUuid: string; createdAt: string }
  /** `GET /api/me`'s count of my conversations with unread messages, all pages included. */
  | { type: 'unread_total'; total: number };

export const initialConversationListState: ConversationListState = {
  rows: [],
  nextCursor: null,
  phase: 'loading',
  loadingMore: false,
  error: null,
  moreError: null,
  readThrough: new Map(),
  unreadElsewhere: 0,
};

/** How many conversations have unread messages: the title's count. */
export const unreadConversations = (state: ConversationListState): number =>
  countUnread(state.rows) + state.unreadElsewhere;

const normalizePage = (page: MessageGroupPage): MessageGroupPage => ({
  ...page,
  message_groups: page.message_groups.map(normalizeRow),
});

/** Rows changed: my known read positions apply; loading the last page leaves nothing elsewhere. */
const withRows = (
  state: ConversationListState,
  rows: readonly MessageGroup[],
  changes: Partial<ConversationListState> = {},
): ConversationListState => {
  const next = { ...state, ...changes, rows: applyReadThrough(rows, state.readThrough) };
  if (next.nextCursor === null) next.unreadElsewhere = 0;
  return next;
};

/** Moves my read position in a conversation forward (never back) and clears what it covers. */
const readThrough = (
  state: ConversationListState,
  messageGroupUuid: string,
  createdAt: string,
): ConversationListState => {
  const current = state.readThrough.get(messageGroupUuid);
  if (current !== undefined && current >= createdAt) return state;
  const positions = new Map(state.readThrough);
  positions.set(messageGroupUuid, createdAt);
  const next = { ...state, readThrough: positions };
  return { ...next, rows: applyReadThrough(state.rows, positions) };
};

export const conversationListReducer = (
  state: ConversationListState,
  action: ConversationListAction,
): ConversationListState => {
  switch (action.type) {
    case 'reload_started':
      return { ...state, phase: 'loading', error: null };
    case 'first_page_loaded': {
      const page = normalizePage(action.page);
      if (state.phase !== 'ready') {
        // Rows that arrived live while the page was on its way are merged, not lost.
        return withRows(state, upsertRows(state.rows, page.message_groups), {
          nextCursor: page.next_cursor,
          phase: 'ready',
          error: null,
        });
      }
      const merged = mergeRefreshedFirstPage(state.rows, state.nextCursor, page);
      return withRows(state, merged.rows, { nextCursor: merged.nextCursor });
    }
    case 'more_started':
      return { ...state, loadingMore: true, moreError: null };
    case 'more_loaded': {
      const page = normalizePage(action.page);
      const known = new Set(state.rows.map((row) => row.uuid));
      const rows = upsertRows(state.rows, page.message_groups);
      // The unread ones of this page were counted elsewhere until now.
      const nowLoaded = countUnread(
        applyReadThrough(
          page.message_groups.filter((row) => !known.has(row.uuid)),
          state.readThrough,
        ),
      );
      return withRows(state, rows, {
        nextCursor: page.next_cursor,
        loadingMore: false,
        unreadElsewhere: Math.max(0, state.unreadElsewhere - nowLoaded),
      });
    }
    case 'first_page_failed':
      // After a reconnect the rows on screen stay; the next reconnect tries again.
      return state.phase === 'ready' ? state : { ...state, phase: 'failed', error: action.error };
    case 'more_failed':
      return { ...state, loadingMore: false, moreError: action.error };
    case 'rows_arrived': {
      const rows = upsertRows(state.rows, action.rows.map(normalizeRow));
      return rows === state.rows ? state : withRows(state, rows);
    }
    case 'message_arrived': {
      const { message, mine } = action;
      // Sending moves my read position to my message: everything before it is read.
      const next = mine ? readThrough(state, action.messageGroupUuid, message.created_at) : state;
      const row = next.rows.find((candidate) => candidate.uuid === action.messageGroupUuid);
      // An unknown conversation waits for its `message_group` event, which names the person;
      // a message the row already has (its `message_group` event came first) counts once.
      if (!row || row.created_at >= message.created_at) return next;
      return withRows(next, upsertRows(next.rows, [rowWithLastMessage(row, message, mine)]));
    }
    case 'message_updated': {
      const { message } = action;
      const row = state.rows.find((candidate) => candidate.uuid === action.messageGroupUuid);
      // Rows preview their newest message: its created_at says which one.
      if (!row || row.created_at !== message.created_at) return state;
      const deleted = message.deleted ?? false;
      if (row.message === message.message && (row.message_deleted ?? false) === deleted)
        return state;
      if (row.message_deleted && !deleted) return state; // an unsend is final
      const rows = state.rows.map((candidate) =>
        candidate === row
          ? { ...row, message: message.message, message_deleted: deleted }
          : candidate,
      );
      return { ...state, rows };
    }
    case 'read_through':
      return readThrough(state, action.messageGroupUuid, action.createdAt);
    case 'mark_failed': {
      if (state.readThrough.get(action.messageGroupUuid) !== action.createdAt) return state;
      const positions = new Map(state.readThrough);
      positions.delete(action.messageGroupUuid);
      return { ...state, readThrough: positions };
    }
    case 'unread_total': {
      const unreadElsewhere =
        state.nextCursor === null ? 0 : Math.max(0, action.total - countUnread(state.rows));
      return unreadElsewhere === state.unreadElsewhere ? state : { ...state, unreadElsewhere };
    }
  }
};
