import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from '../contract/limits.js';
import { InvalidLimitError } from './errors.js';
import type { PeopleTokenItem } from './items.js';
import type { User } from './model.js';
import { findPeopleQuery } from './requests/people.js';
import { toUser } from './requests/users.js';
import { InvalidSearchQueryError } from './search-errors.js';
import { MAX_SEARCH_LENGTH, type SearchTerms, searchTerms, searchWords } from './search-text.js';
import type { QueryResult, TablePort } from './table-port.js';
import { codePointLength } from './validation.js';

export { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT };

/**
 * Name pages read at most (limit + 1 items each). More than one is needed only when many
 * items are the caller, users found by handle already, several words of one user ("Anna
 * Andersen" for "an") or names missing a later word of the text: a bound keeps a search at
 * a few Queries whatever the data.
 */
const MAX_NAME_PAGES = 3;

/** What a search sends: the handle prefix, the words, and the one word whose items are read. */
export interface SearchPlan extends SearchTerms {
  /** The longest word (the fewest items to read past); undefined when the text has none. */
  nameWord: string | undefined;
}

/** The text as prefixes; InvalidSearchQueryError when it is blank or too long. */
export const searchPlan = (text: string): SearchPlan => {
  if (text.trim() === '' || codePointLength(text) > MAX_SEARCH_LENGTH)
    throw new InvalidSearchQueryError(MAX_SEARCH_LENGTH);
  const terms = searchTerms(text);
  const nameWord = terms.words.reduce<string | undefined>(
    (longest, word) => (longest === undefined || word.length > longest.length ? word : longest),
    undefined,
  );
  return { ...terms, nameWord };
};

export const normalizeSearchLimit = (limit: number | undefined): number => {
  if (limit === undefined) return DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT)
    throw new InvalidLimitError(MAX_SEARCH_LIMIT);
  return limit;
};

const none: QueryResult<PeopleTokenItem> = { items: [] };
const byHandle = (a: User, b: User): number => (a.handle < b.handle ? -1 : 1);

/** Every word of the text begins some word of the name ("ines ok" → "Inès Okafor"). */
const nameHasEvery = (displayName: string, words: string[]): boolean => {
  const own = searchWords(displayName);
  return words.every((word) => own.some((name) => name.startsWith(word)));
};

/**
 * People search (docs/data-model.md section 12): users whose handle starts with the text, then
 * users any word of whose display name starts with each of its words, without `callerUuid`,
 * each once. Handle matches come in handle order; name matches are the first ones in sort key
 * order (whole-word matches first), then shown by handle. One Query per kind, in parallel,
 * eventually consistent, limit + 1 items each (the caller may be one of them); more name
 * pages only when duplicates left too few.
 */
export const findPeople = async (
  table: TablePort,
  callerUuid: string | undefined,
  text: string,
  limitAsked?: number,
): Promise<User[]> => {
  const limit = normalizeSearchLimit(limitAsked);
  const plan = searchPlan(text);
  const { handlePrefix, nameWord } = plan;
  const [handleItems, firstNamePage] = await Promise.all([
    handlePrefix === undefined
      ? none
      : table.query<PeopleTokenItem>(
          findPeopleQuery(table.tableName, 'H', handlePrefix, limit + 1),
        ),
    nameWord === undefined
      ? none
      : table.query<PeopleTokenItem>(findPeopleQuery(table.tableName, 'N', nameWord, limit + 1)),
  ]);
  const byHandlePrefix = handleItems.items
    .filter((item) => item.user_uuid !== callerUuid)
    .map(toUser)
    .slice(0, limit);
  if (nameWord === undefined || byHandlePrefix.length === limit) return byHandlePrefix;

  const seen = new Set([callerUuid, ...byHandlePrefix.map((user) => user.uuid)]);
  const byName: User[] = [];
  const wanted = limit - byHandlePrefix.length;
  let page = firstNamePage;
  for (let pages = 1; ; pages++) {
    for (const item of page.items) {
      if (byName.length === wanted) break;
      if (seen.has(item.user_uuid)) continue;
      seen.add(item.user_uuid);
      if (nameHasEvery(item.display_name, plan.words)) byName.push(toUser(item));
    }
    if (byName.length === wanted || !page.lastKey || pages === MAX_NAME_PAGES) break;
    page = await table.query<PeopleTokenItem>(
      findPeopleQuery(table.tableName, 'N', nameWord, limit + 1, page.lastKey),
    );
  }
  return [...byHandlePrefix, ...byName.sort(byHandle)];
};
