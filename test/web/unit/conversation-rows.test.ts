import { describe, expect, it } from 'vitest';
import {
  mergeRefreshedFirstPage,
  movedRows,
  rowWithLastMessage,
  upsertRows,
} from '../../../web/src/features/conversations/conversation-rows';
import type { Message, MessageGroup } from '../../../web/src/lib/api-types';

const row = (uuid: string, minute: number, message = `last of ${uuid}`): MessageGroup => ({
  uuid,
  handle: `user_${uuid}`,
  display_name: `User ${uuid}`,
  message,
  created_at: `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`,
});

const uuids = (rows: readonly MessageGroup[]) => rows.map((r) => r.uuid);

describe('upsertRows', () => {
  it('keeps one row per conversation, newest first', () => {
    const rows = upsertRows([], [row('a', 1), row('b', 3), row('c', 2)]);
    expect(uuids(rows)).toEqual(['b', 'c', 'a']);
    expect(uuids(upsertRows(rows, [row('a', 5)]))).toEqual(['a', 'b', 'c']);
  });

  it('never moves a conversation back in time (a late or duplicate event)', () => {
    const rows = upsertRows([], [row('a', 5, 'new'), row('b', 3)]);
    const late = upsertRows(rows, [row('a', 1, 'old')]);
    expect(late).toBe(rows);
    expect(late[0]?.message).toBe('new');
  });

  it('returns the same array when nothing changed, so React does not render', () => {
    const rows = upsertRows([], [row('a', 1)]);
    expect(upsertRows(rows, [row('a', 1)])).toBe(rows);
  });

  it('moves a known row with a pushed message, keeping the other participant', () => {
    const known = row('a', 1);
    const message: Message = {
      uuid: 'm',
      user_uuid: 'me',
      handle: 'me',
      display_name: 'Me',
      message: 'hello',
      created_at: '2026-11-26T10:09:00.000Z',
    };
    expect(rowWithLastMessage(known, message)).toEqual({
      ...known,
      message: 'hello',
      created_at: message.created_at,
    });
  });
});

describe('mergeRefreshedFirstPage', () => {
  it('merges a page that overlaps what is shown, keeping the pages loaded below', () => {
    const rows = [row('a', 5), row('b', 4), row('c', 3)];
    const merged = mergeRefreshedFirstPage(rows, 'cursor-below', {
      message_groups: [row('c', 6), row('a', 5)],
      next_cursor: 'next',
    });
    expect(uuids(merged.rows)).toEqual(['c', 'a', 'b']);
    expect(merged.nextCursor).toBe('cursor-below');
  });

  it('starts over when the page is all newer and more follow: rows may have moved unseen', () => {
    const merged = mergeRefreshedFirstPage([row('a', 1), row('b', 0)], 'old-cursor', {
      message_groups: [row('x', 9), row('y', 8)],
      next_cursor: 'fresh-cursor',
    });
    expect(uuids(merged.rows)).toEqual(['x', 'y']);
    expect(merged.nextCursor).toBe('fresh-cursor');
  });
});

describe('movedRows', () => {
  it('finds the conversations with a newer last message, and new ones, nothing else', () => {
    const before = [row('a', 5), row('b', 3), row('c', 1)];
    const page = [row('d', 9), row('b', 8), row('a', 5), row('c', 0)];
    expect(uuids(movedRows(before, page))).toEqual(['d', 'b']);
    expect(movedRows(before, before)).toEqual([]);
  });
});
