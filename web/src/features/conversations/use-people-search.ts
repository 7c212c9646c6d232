import { useEffect, useState } from 'react';
import { describeError, isAbortError } from '../../lib/api-error';
import type { User } from '../../lib/api-types';
import { useApi } from '../../lib/session';
import { peopleQuery, searchPeople } from './conversations-api';

/** Typing pauses this long before a search goes out: one request per pause, not per key. */
export const PEOPLE_SEARCH_DELAY_MS = 200;
/** How many people one search shows. */
export const PEOPLE_SEARCH_LIMIT = 10;

export interface PeopleSearch {
  /**
   * `idle`: nothing to search. `searching`: a search is waiting or under way; `users` are
   * still those of the previous one, so the list does not flicker while typing.
   */
  status: 'idle' | 'searching' | 'done' | 'failed';
  /** The people of the last search that was answered. */
  users: User[];
  /** Why the last search failed (status `failed`). */
  problem?: string;
}

const IDLE: PeopleSearch = { status: 'idle', users: [] };

/** What a screen reader hears when a search is answered; null while there is no answer. */
export const describeFound = (search: PeopleSearch): string | null => {
  if (search.status === 'failed') {
    return `Could not search for people. ${search.problem ?? ''}`.trim();
  }
  if (search.status !== 'done') return null;
  const count = search.users.length;
  if (count === 0) return 'No one found';
  return count === 1 ? '1 person found' : `${count} people found`;
};

/**
 * The people matching what is typed into `input`, searched once typing pauses. Each new text
 * aborts the previous search, waiting or sent: an answer that arrives late is never shown.
 */
export const usePeopleSearch = (input: string): PeopleSearch => {
  const api = useApi();
  const query = peopleQuery(input);
  const [search, setSearch] = useState<PeopleSearch>(IDLE);

  useEffect(() => {
    if (!query) {
      setSearch(IDLE);
      return;
    }
    setSearch((previous) => ({ status: 'searching', users: previous.users }));
    const controller = new AbortController();
    const timer = setTimeout(() => {
      searchPeople(api, query, PEOPLE_SEARCH_LIMIT, controller.signal).then(
        (users) => {
          if (!controller.signal.aborted) setSearch({ status: 'done', users });
        },
        (error: unknown) => {
          if (controller.signal.aborted || isAbortError(error)) return;
          setSearch({ status: 'failed', users: [], problem: describeError(error) });
        },
      );
    }, PEOPLE_SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, query]);

  return search;
};
