/**
 * Every key of the single table, built in one place. Tests pin these strings: changing one
 * is a data migration, not a refactor.
 */
/** The sparse GSI over group rows: HASH message_group_uuid, RANGE sk. */
export const MESSAGE_GROUP_INDEX = 'message-group-sk-index';

export interface ItemKey {
  pk: string;
  sk: string;
}

export const userKey = (userUuid: string): ItemKey => ({ pk: `USER#${userUuid}`, sk: 'PROFILE' });

/** `handle` must already be normalized (lower case); see validation.ts. */
export const handleKey = (handle: string): ItemKey => ({ pk: `HANDLE#${handle}`, sk: 'HANDLE' });

/** The pair's uuids in sorted order, so that both sides of a pair name the same item. */
export const pairKey = (userA: string, userB: string): ItemKey => {
  const [low, high] = userA < userB ? [userA, userB] : [userB, userA];
  return { pk: `PAIR#${low}#${high}`, sk: 'PAIR' };
};

export const conversationKey = (messageGroupUuid: string): ItemKey => ({
  pk: `CONV#${messageGroupUuid}`,
  sk: 'CONV',
});

export const messagePartition = (messageGroupUuid: string): string => `MSG#${messageGroupUuid}`;

export const messageGroupPartition = (ownerUserUuid: string): string => `GRP#${ownerUserUuid}`;

export const clientMessageKey = (senderUuid: string, clientMessageId: string): ItemKey => ({
  pk: `CLIENTMSG#${senderUuid}#${clientMessageId}`,
  sk: 'CLIENTMSG',
});

/** A user's open WebSocket connections: one Query lists them when pushing to the user. */
export const connectionPartition = (userUuid: string): string => `CONN#${userUuid}`;

export const connectionKey = (userUuid: string, connectionId: string): ItemKey => ({
  pk: connectionPartition(userUuid),
  sk: connectionId,
});

/** Whom a user blocks: one Query lists them (`GET /api/blocks`). */
export const blockPartition = (blockerUuid: string): string => `BLOCK#${blockerUuid}`;

export const blockKey = (blockerUuid: string, blockedUuid: string): ItemKey => ({
  pk: blockPartition(blockerUuid),
  sk: blockedUuid,
});

/**
 * The time-ordered key of a message: fixed-width UTC milliseconds, then the message uuid.
 * The timestamp makes string order chronological; the uuid makes the key unique even when
 * two messages share a millisecond (the original used a bare local timestamp, so such
 * messages overwrote each other). Group rows take the key of their last message, so the
 * uuid also keeps one user's rows apart when two conversations end in the same millisecond.
 */
export const messageSortKey = (createdAt: Date, messageUuid: string): string =>
  `${toUtcTimestamp(createdAt)}#${messageUuid}`;

const SORT_KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([0-9a-f-]{36})$/;

/** Splits a message sort key, or returns undefined when the string is not one. */
export const parseMessageSortKey = (
  sk: string,
): { createdAt: string; messageUuid: string } | undefined => {
  const match = SORT_KEY.exec(sk);
  if (!match?.[1] || !match[2]) return undefined;
  return { createdAt: match[1], messageUuid: match[2] };
};

/** `Date#toISOString` is UTC and fixed width for years 0000-9999; refuse anything else. */
export const toUtcTimestamp = (date: Date): string => {
  const iso = date.toISOString();
  if (iso.length !== 24) throw new RangeError(`Timestamp out of range: ${iso}`);
  return iso;
};

export const partitionId = (pk: string, prefix: string): string => {
  if (!pk.startsWith(prefix)) throw new Error(`Expected a ${prefix} key, got ${pk}`);
  return pk.slice(prefix.length);
};
