import { describe, expect, it } from 'vitest';
import {
  type ConversationListAction,
  type ConversationListState,
  conversationListReducer,
  initialConversationListState,
  unreadConversations,
} from '../../../web/src/features/conversations/conversation-list-state';
import type { Message, MessageGroup } from '../../../web/src/lib/api-types';

const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;

const row = (uuid: string, minute: number, unread_count = 0): MessageGroup => ({
  uuid,
  handle: `user_${uuid}`,
  display_name: `User ${uuid}`,
  message: `last of ${uuid} at ${minute}`,
  message_deleted: false,
  created_at: at(minute),
  unread_count,
  last_message_user_uuid: `other_${uuid}`,
});

const message = (minute: number, user_uuid: string): Message => ({
  uuid: `m${minute}`,
  user_uuid,
  handle: user_uuid,
  display_name: user_uuid,
  message: `message at ${minute}`,
  created_at: at(minute),
  edited_at: null,
  deleted: false,
});

const run = (...actions: ConversationListAction[]): ConversationListState =>
  actions.reduce(conversationListReducer, initialConversationListState);

const loaded = (
  rows: MessageGroup[],
  next_cursor: string | null = null,
): ConversationListAction => ({
  type: 'first_page_loaded',
  page: { message_groups: rows, next_cursor },
});

const counts = (state: ConversationListState) =>
  Object.fromEntries(state.rows.map((r) => [r.uuid, r.unread_count]));

describe('unread counts in the conversation list', () => {
  it("takes the server's counts, and counts conversations with unread for the title", () => {
    const state = run(loaded([row('a', 3, 2), row('b', 2, 0), row('c', 1, 5)]));
    expect(counts(state)).toEqual({ a: 2, b: 0, c: 5 });
    expect(unreadConversations(state)).toBe(2);
  });

  it('counts a pushed message of the other person once; mine clears the row', () => {
    let state = run(loaded([row('a', 3, 1)]));
    const theirs = message(4, 'other_a');
    state = conversationListReducer(state, {
      type: 'message_arrived',
      messageGroupUuid: 'a',
      message: theirs,
      mine: false,
    });
    expect(counts(state)).toEqual({ a: 2 });
    // The same message again (the `message_group` frame came first, or a duplicate).
    const again = conversationListReducer(state, {
      type: 'message_arrived',
      messageGroupUuid: 'a',
      message: theirs,
      mine: false,
    });
    expect(again).toBe(state);
    state = conversationListReducer(state, {
      type: 'message_arrived',
      messageGroupUuid: 'a',
      message: message(5, 'me'),
      mine: true,
    });
    expect(counts(state)).toEqual({ a: 0 });
    expect(state.rows[0]?.last_message_user_uuid).toBe('me');
  });

  it('a read mark clears the row at once, and a frame or page computed before it does not undo it', () => {
    let state = run(loaded([row('a', 3, 2), row('b', 2, 1)]));
    state = conversationListReducer(state, {
      type: 'read_through',
      messageGroupUuid: 'a',
      createdAt: at(3),
    });
    expect(counts(state)).toEqual({ a: 0, b: 1 });
    expect(unreadConversations(state)).toBe(1);
    // pattern E's frame for that message, computed before the mark, arrives after it.
    state = conversationListReducer(state, { type: 'rows_arrived', rows: [row('a', 3, 2)] });
    expect(counts(state)).toEqual({ a: 0, b: 1 });
    state = conversationListReducer(state, loaded([row('a', 3, 2), row('b', 2, 1)]));
    expect(counts(state)).toEqual({ a: 0, b: 1 });
    // A newer message is unread again, with the server's count.
    state = conversationListReducer(state, { type: 'rows_arrived', rows: [row('a', 6, 1)] });
    expect(counts(state)).toEqual({ a: 1, b: 1 });
    // The position never moves back.
    const back = conversationListReducer(state, {
      type: 'read_through',
      messageGroupUuid: 'a',
      createdAt: at(1),
    });
    expect(back).toBe(state);
  });

  it('a refused mark is forgotten, so the next page shows the server count', () => {
    let state = run(loaded([row('a', 3, 2)]));
    state = conversationListReducer(state, {
      type: 'read_through',
      messageGroupUuid: 'a',
      createdAt: at(3),
    });
    state = conversationListReducer(state, {
      type: 'mark_failed',
      messageGroupUuid: 'a',
      createdAt: at(3),
    });
    state = conversationListReducer(state, loaded([row('a', 3, 2)]));
    expect(counts(state)).toEqual({ a: 2 });
  });

  it('counts unread conversations beyond the loaded pages from /api/me, until they load', () => {
    let state = run(loaded([row('a', 9, 1), row('b', 8, 0)], 'more'));
    state = conversationListReducer(state, { type: 'unread_total', total: 3 });
    expect(state.unreadElsewhere).toBe(2);
    expect(unreadConversations(state)).toBe(3);
    state = conversationListReducer(state, {
      type: 'more_loaded',
      page: { message_groups: [row('c', 7, 4), row('d', 6, 0)], next_cursor: 'even-more' },
    });
    expect(state.unreadElsewhere).toBe(1);
    expect(unreadConversations(state)).toBe(3);
    state = conversationListReducer(state, {
      type: 'more_loaded',
      page: { message_groups: [row('e', 5, 1)], next_cursor: null },
    });
    expect(state.unreadElsewhere).toBe(0);
    expect(unreadConversations(state)).toBe(3);
    // Everything is loaded: the rows alone say it.
    expect(conversationListReducer(state, { type: 'unread_total', total: 7 })).toBe(state);
  });
});
