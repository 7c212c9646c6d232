import { describe, expect, it } from 'vitest';
import {
  applyReadThrough,
  countUnread,
  mergeRefreshedFirstPage,
  normalizeRow,
  rowWithLastMessage,
  upsertRows,
} from '../../../web/src/features/conversations/conversation-rows';
import type { Message, MessageGroup } from '../../../web/src/lib/api-types';

const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;

const row = (
  uuid: string,
  minute: number,
  message = `last of ${uuid}`,
  unread_count = 0,
): MessageGroup => ({
  uuid,
  handle: `user_${uuid}`,
  display_name: `User ${uuid}`,
  message,
  message_deleted: false,
  created_at: at(minute),
  unread_count,
  last_message_user_uuid: `other_${uuid}`,
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

  it('takes a row whose read state changed, its last message the same (a read elsewhere)', () => {
    const rows = upsertRows([], [row('a', 1, 'hi', 3)]);
    const read = upsertRows(rows, [row('a', 1, 'hi', 0)]);
    expect(read).not.toBe(rows);
    expect(read[0]?.unread_count).toBe(0);
  });

  it('moves a known row with a pushed message, keeping the other participant', () => {
    const known = row('a', 1, 'before', 2);
    const message: Message = {
      uuid: 'm',
      user_uuid: 'them',
      handle: 'them',
      display_name: 'Them',
      message: 'hello',
      created_at: '2026-11-26T10:09:00.000Z',
      edited_at: null,
      deleted: false,
    };
    // Theirs: one more unread. Mine: sending moved my read position to it, nothing unread.
    expect(rowWithLastMessage(known, message, false)).toEqual({
      ...known,
      message: 'hello',
      message_deleted: false,
      created_at: message.created_at,
      last_message_user_uuid: 'them',
      unread_count: 3,
    });
    // A row that previewed an unsent message previews the new one as it is.
    expect(
      rowWithLastMessage({ ...known, message: '', message_deleted: true }, message, false),
    ).toMatchObject({ message: 'hello', message_deleted: false });
    expect(rowWithLastMessage(known, { ...message, user_uuid: 'me' }, true)).toMatchObject({
      last_message_user_uuid: 'me',
      unread_count: 0,
    });
  });
});

describe('read state of rows', () => {
  it('clears the rows at or before my read position, and only those', () => {
    const rows = [row('a', 5, 'a', 2), row('b', 4, 'b', 1), row('c', 3, 'c', 4)];
    const positions = new Map([
      ['a', at(4)], // read up to an older message than the row's last: the row's count stays
      ['b', at(4)], // read up to its last message
      ['c', at(9)], // read beyond (a message this tab has not seen yet)
    ]);
    const read = applyReadThrough(rows, positions);
    expect(read.map((r) => r.unread_count)).toEqual([2, 0, 0]);
    expect(countUnread(read)).toBe(1);
    expect(applyReadThrough(read, positions)).toBe(read);
  });

  it('reads a row without read state (an older server or frame) as nothing unread', () => {
    const { unread_count: _count, last_message_user_uuid: _by, ...bare } = row('a', 1);
    expect(normalizeRow(bare as MessageGroup)).toMatchObject({
      unread_count: 0,
      last_message_user_uuid: null,
    });
    const ok = row('a', 1, 'x', 2);
    expect(normalizeRow(ok)).toBe(ok);
    expect(normalizeRow({ ...ok, unread_count: -1 }).unread_count).toBe(0);
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
