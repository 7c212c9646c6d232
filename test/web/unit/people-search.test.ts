import { describe, expect, it } from 'vitest';
import {
  PEOPLE_QUERY_MAX_LENGTH,
  peopleQuery,
} from '../../../web/src/features/conversations/conversations-api';
import { describeFound } from '../../../web/src/features/conversations/use-people-search';

const person = (handle: string) => ({ uuid: handle, handle, display_name: handle });

describe('peopleQuery', () => {
  it('searches the text without spaces around it or a leading @, as typed otherwise', () => {
    expect(peopleQuery('  Inès ')).toBe('Inès');
    expect(peopleQuery('@teo_')).toBe('teo_');
    expect(peopleQuery('@@ ana')).toBe('ana');
    expect(peopleQuery('Ana Lúcia')).toBe('Ana Lúcia');
  });

  it('searches nothing for an empty text, a lone @, or more than the server takes', () => {
    expect(peopleQuery('')).toBe('');
    expect(peopleQuery('  @ ')).toBe('');
    expect(peopleQuery('x'.repeat(PEOPLE_QUERY_MAX_LENGTH))).toHaveLength(PEOPLE_QUERY_MAX_LENGTH);
    expect(peopleQuery('x'.repeat(PEOPLE_QUERY_MAX_LENGTH + 1))).toBe('');
  });
});

describe('describeFound', () => {
  it('counts the people of an answered search, and says nothing before', () => {
    expect(describeFound({ status: 'done', users: [] })).toBe('No one found');
    expect(describeFound({ status: 'done', users: [person('ana')] })).toBe('1 person found');
    expect(describeFound({ status: 'done', users: ['a', 'b', 'c'].map(person) })).toBe(
      '3 people found',
    );
    expect(describeFound({ status: 'searching', users: [person('ana')] })).toBeNull();
    expect(describeFound({ status: 'idle', users: [] })).toBeNull();
    expect(
      describeFound({ status: 'failed', users: [], problem: 'Cannot reach the server.' }),
    ).toBe('Could not search for people. Cannot reach the server.');
  });
});
