import { describe, expect, it } from 'vitest';
import { sectionsOf } from '../../../web/src/features/inspector/group-items';
import type { TableItem } from '../../../web/src/features/inspector/inspector-api';
import { partitionNote } from '../../../web/src/features/inspector/partition-note';

const ines = { user_uuid: 'u-ines', handle: 'ines_okafor', display_name: 'Inès Okafor' };
const ivan = { user_uuid: 'u-ivan', handle: 'ivan_petrov', display_name: 'Иван Петров' };
const people = (pk: string, sk: string, user: typeof ines): TableItem => ({
  pk,
  sk,
  item_type: 'people_token',
  ...user,
});

/** As the inspector route serves them: Ines and Ivan, their profiles and their people items. */
const items: TableItem[] = [
  { pk: 'USER#u-ines', sk: 'PROFILE', item_type: 'user', ...ines },
  { pk: 'USER#u-ivan', sk: 'PROFILE', item_type: 'user', ...ivan },
  people('PEOPLE#o', 'N#okafor#ines_okafor', ines),
  people('PEOPLE#i', 'N#ines#ines_okafor', ines),
  people('PEOPLE#i', 'H#ivan_petrov', ivan),
  people('PEOPLE#i', 'H#ines_okafor', ines),
  people('PEOPLE#и', 'N#иван#ivan_petrov', ivan),
  people('PEOPLE#п', 'N#петров#ivan_petrov', ivan),
];

describe('people items in the table inspector', () => {
  it('are a section of their own, explained, by partition (a first character), sorted by sk', () => {
    const sections = sectionsOf(items);
    expect(sections.map((s) => s.prefix)).toEqual(['USER', 'PEOPLE']);
    const section = sections.find((s) => s.prefix === 'PEOPLE');
    expect(section).toMatchObject({ title: 'People search', itemCount: 6 });
    expect(section?.purpose).toMatch(/one item per search word/i);
    expect(section?.purpose).toContain('begins_with');
    expect(section?.partitions.map((p) => p.key)).toEqual([
      'PEOPLE#i',
      'PEOPLE#o',
      'PEOPLE#и',
      'PEOPLE#п',
    ]);
    expect(section?.partitions[0]?.items.map((i) => i.sk)).toEqual([
      'H#ines_okafor',
      'H#ivan_petrov',
      'N#ines#ines_okafor',
    ]);
    // Never "Other items": the page describes them.
    expect(sections.map((s) => s.title)).not.toContain('Other items');
  });

  it('name their partition by its first character and how many people have a word there', () => {
    const section = sectionsOf(items).find((s) => s.prefix === 'PEOPLE');
    const notes = section?.partitions.map((p) => partitionNote(p, new Map()));
    expect(notes).toEqual([
      'words beginning with “i”, of 2 people',
      'words beginning with “o”, of 1 person',
      'words beginning with “и”, of 1 person',
      'words beginning with “п”, of 1 person',
    ]);
  });
});
