import type { Message, MessageGroup } from '../../lib/api-types';
import { refreshLeavesGap } from '../../lib/refresh-gap';

/** Newest first, as pattern B returns them; the uuid breaks ties so the order is stable. */
export const newestFirst = (a: MessageGroup, b: MessageGroup): number => {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.uuid < b.uuid ? 1 : a.uuid > b.uuid ? -1 : 0;
};

/**
 * Adds or updates rows, one per conversation, newest first. Monotonic like pattern E itself:
 * a late or duplicate event never moves a conversation back in time. Returns `rows` itself
 * when nothing changed, so React skips the render.
 */
export const upsertRows = (
  rows: readonly MessageGroup[],
  incoming: readonly MessageGroup[],
): readonly MessageGroup[] => {
  const byUuid = new Map(rows.map((row) => [row.uuid, row]));
  let changed = false;
  for (const row of incoming) {
    const existing = byUuid.get(row.uuid);
    if (existing && (existing.created_at > row.created_at || sameRow(existing, row))) continue;
    byUuid.set(row.uuid, row);
    changed = true;
  }
  return changed ? [...byUuid.values()].sort(newestFirst) : rows;
};

const sameRow = (a: MessageGroup, b: MessageGroup): boolean =>
  a.created_at === b.created_at &&
  a.message === b.message &&
  (a.message_deleted ?? false) === (b.message_deleted ?? false) &&
  a.handle === b.handle &&
  a.display_name === b.display_name &&
  a.unread_count === b.unread_count &&
  a.last_message_user_uuid === b.last_message_user_uuid;

/**
 * A row as the API or a frame gave it, with its read state made safe to show: a server (or a
 * frame) older than read state leaves the fields out, which reads as nothing unread.
 */
export const normalizeRow = (row: MessageGroup): MessageGroup => {
  const count: unknown = row.unread_count;
  const lastBy: unknown = row.last_message_user_uuid;
  const unread_count =
    typeof count === 'number' && Number.isSafeInteger(count) && count > 0 ? count : 0;
  const last_message_user_uuid = typeof lastBy === 'string' ? lastBy : null;
  return unread_count === count && last_message_user_uuid === lastBy
    ? row
    : { ...row, unread_count, last_message_user_uuid };
};

/**
 * A known row with a new last message, from a `message` event: the list moves at once,
 * before the `message_group` event that follows pattern E confirms it (with the server's
 * count). The other participant's name stays, whoever sent the message; a message of the
 * other participant is one more unread, one of mine means I have read everything (sending
 * moves my read position to it).
 */
export const rowWithLastMessage = (
  row: MessageGroup,
  message: Message,
  mine: boolean,
): MessageGroup => ({
  ...row,
  message: message.message,
  message_deleted: message.deleted ?? false,
  created_at: message.created_at,
  last_message_user_uuid: message.user_uuid,
  unread_count: mine ? 0 : row.unread_count + 1,
});

/**
 * Rows whose last message is at or before my read position in their conversation have
 * nothing unread, whatever a late frame or a page fetched before the mark says. `readThrough`
 * holds, per conversation, the created_at of the newest message this tab knows I have read.
 * Returns `rows` itself when nothing changed.
 */
export const applyReadThrough = (
  rows: readonly MessageGroup[],
  readThrough: ReadonlyMap<string, string>,
): readonly MessageGroup[] => {
  let changed = false;
  const next = rows.map((row) => {
    const readAt = readThrough.get(row.uuid);
    if (row.unread_count === 0 || readAt === undefined || row.created_at > readAt) return row;
    changed = true;
    return { ...row, unread_count: 0 };
  });
  return changed ? next : rows;
};

/** How many of `rows` have unread messages. */
export const countUnread = (rows: readonly MessageGroup[]): number =>
  rows.reduce((count, row) => count + (row.unread_count > 0 ? 1 : 0), 0);

/**
 * A fresh first page after a reconnect. When every row on it is newer than anything we had
 * and more pages follow, conversations may have moved in between that we would never see:
 * start over from this page. Otherwise merge it in, keeping the pages loaded below.
 */
export const mergeRefreshedFirstPage = (
  rows: readonly MessageGroup[],
  nextCursor: string | null,
  page: { message_groups: MessageGroup[]; next_cursor: string | null },
): { rows: readonly MessageGroup[]; nextCursor: string | null } => {
  const oldestFetched = page.message_groups[page.message_groups.length - 1];
  if (refreshLeavesGap(rows[0], oldestFetched, page.next_cursor))
    return { rows: [...page.message_groups].sort(newestFirst), nextCursor: page.next_cursor };
  return { rows: upsertRows(rows, page.message_groups), nextCursor };
};
