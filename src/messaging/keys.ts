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

// The prefixes this module both builds and parses, named once. Every other module builds and
// reads keys through the functions below (test/messaging/key-literals.test.ts fails on a
// prefix literal anywhere else in src/ or bench/).
const USER_PREFIX = 'USER#';
const PAIR_PREFIX = 'PAIR#';
const MESSAGE_PREFIX = 'MSG#';
const GROUP_ROW_PREFIX = 'GRP#';
const BLOCK_PREFIX = 'BLOCK#';

/** The rest of `pk` after `prefix`; a key of another kind is a bug in the caller, so throw. */
const afterPrefix = (pk: string, prefix: string): string => {
  if (!pk.startsWith(prefix)) throw new Error(`Expected a ${prefix} key, got ${pk}`);
  return pk.slice(prefix.length);
};

export const userKey = (userUuid: string): ItemKey => ({
  pk: `${USER_PREFIX}${userUuid}`,
  sk: 'PROFILE',
});

/** `handle` must already be normalized (lower case); see validation.ts. */
export const handleKey = (handle: string): ItemKey => ({ pk: `HANDLE#${handle}`, sk: 'HANDLE' });

/** The pair's uuids in sorted order, so that both sides of a pair name the same item. */
export const pairKey = (userA: string, userB: string): ItemKey => {
  const [low, high] = userA < userB ? [userA, userB] : [userB, userA];
  return { pk: `${PAIR_PREFIX}${low}#${high}`, sk: 'PAIR' };
};

export const isPairKey = (pk: string): boolean => pk.startsWith(PAIR_PREFIX);

/**
 * The uuids a pair key names, in key order. A well-formed key names exactly two; this does
 * not check the count, so that the invariant checker can report a stored key that does not.
 */
export const usersOfPairKey = (pk: string): string[] => afterPrefix(pk, PAIR_PREFIX).split('#');

export const conversationKey = (messageGroupUuid: string): ItemKey => ({
  pk: `CONV#${messageGroupUuid}`,
  sk: 'CONV',
});

export const messagePartition = (messageGroupUuid: string): string =>
  `${MESSAGE_PREFIX}${messageGroupUuid}`;

/** A message's partition key (`MSG#<group>`), not any other kind of item's. */
export const isMessageKey = (pk: string): boolean => pk.startsWith(MESSAGE_PREFIX);

/** The conversation a message's partition key names; throws on any other kind of key. */
export const groupOfMessageKey = (pk: string): string => afterPrefix(pk, MESSAGE_PREFIX);

/** A user's inbox: one group row per conversation (`GRP#<owner>`). */
export const messageGroupPartition = (ownerUserUuid: string): string =>
  `${GROUP_ROW_PREFIX}${ownerUserUuid}`;

export const isGroupRowKey = (pk: string): boolean => pk.startsWith(GROUP_ROW_PREFIX);

/** The user whose inbox a group row's partition key names; throws on any other kind of key. */
export const ownerOfGroupKey = (pk: string): string => afterPrefix(pk, GROUP_ROW_PREFIX);

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
export const blockPartition = (blockerUuid: string): string => `${BLOCK_PREFIX}${blockerUuid}`;

export const isBlockKey = (pk: string): boolean => pk.startsWith(BLOCK_PREFIX);

/** The blocker a block item's partition key names (the blocked user is its sort key). */
export const blockerOfBlockKey = (pk: string): string => afterPrefix(pk, BLOCK_PREFIX);

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

/**
 * The people partition in words, for messages that say what a key should be
 * (`PEOPLE#<first character of the word>`): peoplePartition cannot take a placeholder, as it
 * keeps only the word's first character.
 */
export const peoplePartitionShape = (placeholder: string): string =>
  `${PEOPLE_PREFIX}<${placeholder}>`;

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
