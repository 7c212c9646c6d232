import type { MessageGroupItem, MessageItem } from './items.js';
import { ownerOfGroupKey, parseMessageSortKey } from './keys.js';
import { sortKeyOfMessageUuid } from './message-uuid.js';

/**
 * Read state lives on the group rows, so that pattern B stays one Query: the owner's read
 * position (`last_read`, the uuid of the newest message they have read, or `last_read_sk`, its
 * sort key) and `unread_count` (the other participant's messages after the position, up to
 * the row's sk). Only two writers change it, both with
 * conditions on the values they read: pattern E (new messages, and the sender's own position)
 * and a read mark. Counts are taken from the messages themselves, with a strongly consistent
 * Query, never by adding one per stream record, so a redelivered record cannot count twice.
 */

/** The later of two sort keys (they order as strings; Math.max is for numbers). */
export const laterKey = (a: string, b: string): string => (a >= b ? a : b);

export const earlierKey = (a: string, b: string): string => (a <= b ? a : b);

/**
 * The owner's read position as stored: the sort key `last_read` names (a UUIDv7 message uuid
 * names its sort key, see message-uuid.ts), or `last_read_sk`; undefined when neither is
 * stored. A `last_read` that names no sort key is returned as it is, for the checker to find.
 */
export const storedReadPosition = (
  row: Partial<Pick<MessageGroupItem, 'last_read' | 'last_read_sk'>>,
): string | undefined =>
  row.last_read === undefined
    ? row.last_read_sk
    : (sortKeyOfMessageUuid(row.last_read) ?? row.last_read);

/** A row storing no position is read up to its own sk (compact, or older than read state). */
export const readPositionOf = (
  row: Pick<MessageGroupItem, 'sk'> & Partial<Pick<MessageGroupItem, 'last_read' | 'last_read_sk'>>,
): string => storedReadPosition(row) ?? row.sk;

/**
 * How a read position other than the row's own sk is stored: by its message's uuid when that
 * names the sort key (36 characters instead of 61), else by the sort key ('' before the
 * first message; messages older than UUIDv7 uuids).
 */
const storedPosition = (lastRead: string): Pick<MessageGroupItem, 'last_read' | 'last_read_sk'> => {
  const uuid = parseMessageSortKey(lastRead)?.messageUuid;
  return uuid !== undefined && sortKeyOfMessageUuid(uuid) === lastRead
    ? { last_read: uuid }
    : { last_read_sk: lastRead };
};

/**
 * The row with this read state, compact. Every byte of a row is paid for by every page of
 * pattern B (21 rows a page), so a row stores only what differs from the usual:
 * - no position when read up to its own sk, the usual state;
 * - no `unread_count` on a row whose last message is the owner's (`last_mine`): sending
 *   reads everything before, so it is 0. A row whose last message is the other's keeps it,
 *   even at 0: that is what tells it from a row older than read state.
 */
export const withReadState = (
  row: MessageGroupItem,
  lastRead: string,
  unread: number,
): MessageGroupItem => {
  const { last_read_sk: _sk, last_read: _uuid, unread_count: _count, ...rest } = row;
  return {
    ...rest,
    ...(lastRead === row.sk ? {} : storedPosition(lastRead)),
    ...(row.last_mine === true && unread === 0 ? {} : { unread_count: unread }),
  };
};

/** Whether the row has read state: rows older than it have neither field. */
export const hasReadState = (
  row: Partial<Pick<MessageGroupItem, 'unread_count' | 'last_mine' | 'last_message_user_uuid'>>,
): boolean =>
  row.unread_count !== undefined ||
  row.last_mine !== undefined ||
  row.last_message_user_uuid !== undefined;

/** Who wrote the row's last message; null on a row older than read state. */
export const lastMessageUserOf = (row: MessageGroupItem): string | null => {
  if (row.last_message_user_uuid !== undefined) return row.last_message_user_uuid;
  if (row.last_mine === true) return ownerOf(row);
  return row.unread_count === undefined ? null : row.user_uuid;
};

export const unreadCountOf = (row: MessageGroupItem): number => row.unread_count ?? 0;

export const ownerOf = (row: MessageGroupItem): string => ownerOfGroupKey(row.pk);

/** What pattern E must count for one row before it can write the row's new state. */
export interface RowAdvance {
  row: MessageGroupItem;
  /** The batch's newest message, when it is past the row: the row moves to it. */
  moveTo: MessageItem | undefined;
  lastRead: string;
  /** The other participant's messages with `countFrom` < sk <= `countTo` are added to `base`. */
  countFrom: string;
  countTo: string;
  base: number;
}

const newestOf = (messages: readonly MessageItem[]): MessageItem | undefined =>
  messages.reduce<MessageItem | undefined>((a, b) => (a && a.sk >= b.sk ? a : b), undefined);

/**
 * Plans one row's new read state for a batch of messages of its conversation:
 * - the owner's own messages move their read position (sending reads what came before);
 * - the other's messages past the row's sk are counted on top of the count it holds;
 * - a message at or before the row's sk but after the read position is late (written after
 *   a newer one was counted: a slow or retried send), and so is a read position moved back
 *   inside what was counted: then the whole unread range is counted again.
 */
export const planRowAdvance = (
  row: MessageGroupItem,
  batch: readonly MessageItem[],
): RowAdvance => {
  const owner = ownerOf(row);
  const stored = readPositionOf(row);
  const ownNewest = newestOf(batch.filter((m) => m.user_uuid === owner));
  const lastRead = ownNewest && ownNewest.sk > stored ? ownNewest.sk : stored;
  const batchNewest = newestOf(batch);
  const moveTo = batchNewest && batchNewest.sk > row.sk ? batchNewest : undefined;
  const countTo = moveTo?.sk ?? row.sk;
  const late = batch.some((m) => m.user_uuid === row.user_uuid && m.sk <= row.sk && m.sk > stored);
  return late || lastRead !== stored
    ? { row, moveTo, lastRead, countFrom: lastRead, countTo, base: 0 }
    : {
        row,
        moveTo,
        lastRead,
        countFrom: laterKey(row.sk, lastRead),
        countTo,
        base: unreadCountOf(row),
      };
};

/** The row as pattern E leaves it, given how many of the other's messages the range holds. */
export const advancedRow = (
  plan: RowAdvance,
  counted: number,
  /** The message moved to, as the table holds it now (edited or unsent since its record). */
  current: MessageItem | undefined = plan.moveTo,
): MessageGroupItem => {
  const { row, moveTo } = plan;
  const preview = current ?? moveTo;
  const moved = moveTo && preview ? rowAt(row, moveTo, preview) : row;
  return withReadState(moved, plan.lastRead, plan.base + counted);
};

/** The row moved to `last`, previewing it as `preview` (the same message, as it is now). */
const rowAt = (
  row: MessageGroupItem,
  last: MessageItem,
  preview: MessageItem,
): MessageGroupItem => {
  const {
    last_mine: _mine,
    last_message_user_uuid: _user,
    message_deleted: _deleted,
    preview_revision: _revision,
    ...rest
  } = row;
  return {
    ...rest,
    sk: last.sk,
    message: preview.message,
    created_at: last.created_at,
    ...(last.user_uuid === ownerOf(row) ? { last_mine: true as const } : {}),
    ...(preview.deleted === true ? { message_deleted: true } : {}),
    ...(preview.revision ? { preview_revision: preview.revision } : {}),
  };
};

/** Whether the row must be written: it moved, or its read state changed. */
export const rowChanged = (before: MessageGroupItem, after: MessageGroupItem): boolean =>
  before.sk !== after.sk ||
  readPositionOf(before) !== readPositionOf(after) ||
  unreadCountOf(before) !== unreadCountOf(after);

/** The other participant's messages with `from` < sk <= `to` among `messages`. */
export const countFrom = (
  messages: readonly Pick<MessageItem, 'sk' | 'user_uuid'>[],
  userUuid: string,
  from: string,
  to: string,
): number => messages.filter((m) => m.user_uuid === userUuid && m.sk > from && m.sk <= to).length;
