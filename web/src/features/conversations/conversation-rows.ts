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
  a.handle === b.handle &&
  a.display_name === b.display_name;

/**
 * A known row with a new last message, from a `message` event: the list moves at once,
 * before the `message_group` event that follows pattern E confirms it. The other
 * participant's name stays, whoever sent the message.
 */
export const rowWithLastMessage = (row: MessageGroup, message: Message): MessageGroup => ({
  ...row,
  message: message.message,
  created_at: message.created_at,
});

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

/**
 * The rows of a refreshed page that moved since `before`: a newer last message, or a
 * conversation not seen yet. A list row does not say who wrote its last message, so these are
 * the conversations where a message may have arrived unseen.
 */
export const movedRows = (
  before: readonly MessageGroup[],
  page: readonly MessageGroup[],
): MessageGroup[] => {
  const known = new Map(before.map((row) => [row.uuid, row.created_at]));
  return page.filter((row) => {
    const createdAt = known.get(row.uuid);
    return createdAt === undefined || row.created_at > createdAt;
  });
};
