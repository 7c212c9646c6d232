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
 * People search (docs/data-model.md section 12): one item per search word of a user, kind
 * `H` for the handle, `N` for each word of the display name. The partition is the word's
 * first character, so searches spread over as many partitions as first letters are typed;
 * the sort key puts the word first (a Query `begins_with` finds every word with a prefix) and
 * the handle last (unique, so each item is too, and a word's users sort by handle).
 */
export type PeopleTokenKind = 'H' | 'N';

const PEOPLE_PREFIX = 'PEOPLE#';

/** `word` is folded (search-text.ts) and never empty; its first code point, not UTF-16 unit. */
export const peoplePartition = (word: string): string =>
  `${PEOPLE_PREFIX}${String.fromCodePoint(word.codePointAt(0) ?? 0)}`;

export const peopleTokenKey = (kind: PeopleTokenKind, word: string, handle: string): ItemKey => ({
  pk: peoplePartition(word),
  // A handle item's word is the handle itself: `H#<handle>`, not `H#<handle>#<handle>`.
  sk: kind === 'H' ? `H#${handle}` : `N#${word}#${handle}`,
});

/** What `begins_with(sk, …)` looks for: every item of `kind` whose word starts with `prefix`. */
export const peopleSortKeyPrefix = (kind: PeopleTokenKind, prefix: string): string =>
  `${kind}#${prefix}`;

const PEOPLE_SORT_KEY = /^(?:H#([a-z0-9_]{3,30})|N#([^#]+)#([a-z0-9_]{3,30}))$/u;

/**
 * Splits a people item's key, or returns undefined when it is not one (words hold letters
 * and digits only, handles `[a-z0-9_]`, so `#` separates them unambiguously). Also checks
 * that the partition is the word's first character.
 */
export const parsePeopleTokenKey = (
  key: ItemKey,
): { kind: PeopleTokenKind; word: string; handle: string } | undefined => {
  if (!key.pk.startsWith(PEOPLE_PREFIX)) return undefined;
  const match = PEOPLE_SORT_KEY.exec(key.sk);
  if (!match) return undefined;
  const [, handleOnly, word, handle] = match;
  const parsed =
    handleOnly !== undefined
      ? { kind: 'H' as const, word: handleOnly, handle: handleOnly }
      : word !== undefined && handle !== undefined
        ? { kind: 'N' as const, word, handle }
        : undefined;
  if (!parsed || peoplePartition(parsed.word) !== key.pk) return undefined;
  return parsed;
};

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
