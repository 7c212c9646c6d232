import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ItemExistsError } from '../errors.js';
import type { PeopleTokenItem } from '../items.js';
import {
  type PeopleTokenKind,
  parsePeopleTokenKey,
  peoplePartition,
  peopleSortKeyPrefix,
  peopleTokenKey,
} from '../keys.js';
import type { User } from '../model.js';
import { nameWords } from '../search-text.js';
import type { WriteRequest } from '../table-port.js';
import { putNew } from './conditions.js';

const peopleTokenItem = (kind: PeopleTokenKind, word: string, user: User): PeopleTokenItem => ({
  ...peopleTokenKey(kind, word, user.handle),
  item_type: 'people_token',
  user_uuid: user.uuid,
  handle: user.handle,
  display_name: user.displayName,
});

/**
 * Every people-search item a user has: one for the handle, one per distinct word of the
 * display name (at most MAX_NAME_WORDS). What the profile's transaction writes, what the
 * backfill restores and what a checker expects.
 */
export const peopleItems = (user: User): PeopleTokenItem[] => [
  peopleTokenItem('H', user.handle, user),
  ...nameWords(user.displayName).map((word) => peopleTokenItem('N', word, user)),
];

/** A people item, read back: its parsed key and the profile it copies. */
export interface PeopleToken {
  kind: PeopleTokenKind;
  word: string;
  handle: string;
  userUuid: string;
  displayName: string;
}

/**
 * The parts of a people item, or undefined when the item is not one (another type, or a
 * people item whose key does not parse or whose copy is not strings).
 */
export const asPeopleToken = (item: Record<string, unknown>): PeopleToken | undefined => {
  const { pk, sk, item_type, user_uuid, handle, display_name } = item;
  if (item_type !== 'people_token' || typeof pk !== 'string' || typeof sk !== 'string')
    return undefined;
  if (typeof user_uuid !== 'string' || typeof handle !== 'string') return undefined;
  if (typeof display_name !== 'string') return undefined;
  const key = parsePeopleTokenKey({ pk, sk });
  if (!key) return undefined;
  return { ...key, userUuid: user_uuid, displayName: display_name };
};

/**
 * Items of `kind` whose word starts with `prefix` (folded, not empty), in sort key order:
 * by word, shortest first (`#` sorts before letters, so whole-word matches lead), then by
 * handle. Eventually consistent: a user created a moment ago may be missing for a moment.
 */
export const findPeopleQuery = (
  tableName: string,
  kind: PeopleTokenKind,
  prefix: string,
  limit: number,
  startKey?: Record<string, unknown>,
): QueryCommandInput => ({
  TableName: tableName,
  KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
  ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
  ExpressionAttributeValues: {
    ':pk': peoplePartition(prefix),
    ':prefix': peopleSortKeyPrefix(kind, prefix),
  },
  Limit: limit,
  ...(startKey ? { ExclusiveStartKey: startKey } : {}),
});

/** One missing item of a user created before people search; ItemExistsError if it is there. */
export const putPeopleItemRequest = (tableName: string, item: PeopleTokenItem): WriteRequest => ({
  items: [putNew(tableName, item)],
  explain: () => new ItemExistsError(`People item ${item.pk} / ${item.sk}`),
});
