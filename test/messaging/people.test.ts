import { randomUUID } from 'node:crypto';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { HandleTakenError } from '../../src/messaging/errors.js';
import { Messaging } from '../../src/messaging/messaging.js';
import { backfillPeople } from '../../src/messaging/people-backfill.js';
import { asPeopleToken, peopleItems } from '../../src/messaging/requests/people.js';
import { handleItem, userItem } from '../../src/messaging/requests/users.js';
import { InvalidSearchQueryError } from '../../src/messaging/search-errors.js';
import { interposedTable } from '../support/interposed-table.js';
import { createTestTable, uniqueHandle } from '../support/test-table.js';

const keysOf = (items: Record<string, unknown>[]) =>
  items.map((item) => `${String(item.pk)}|${String(item.sk)}`).sort();

const peopleOf = async (t: { scanAll(): Promise<Record<string, unknown>[]> }) =>
  (await t.scanAll()).filter((item) => asPeopleToken(item) !== undefined);

describe('people-search items', () => {
  it('are written with the profile in its transaction: the handle and each distinct word of the name', async () => {
    const t = await createTestTable();
    const ines = await t
      .messaging()
      .createUser({ handle: 'Ines_Okafor', displayName: 'Inès Okafor inès' });
    const people = await peopleOf(t);
    expect(keysOf(people)).toEqual([
      'PEOPLE#i|H#ines_okafor',
      'PEOPLE#i|N#ines#ines_okafor',
      'PEOPLE#o|N#okafor#ines_okafor',
    ]);
    expect(people).toEqual(expect.arrayContaining(peopleItems(ines)));
    for (const item of people)
      expect(asPeopleToken(item)).toMatchObject({
        userUuid: ines.uuid,
        handle: 'ines_okafor',
        displayName: 'Inès Okafor inès',
      });
    // Kept small: the profile's copy and the key, nothing else.
    expect(Object.keys(people[0] ?? {}).sort()).toEqual(
      ['display_name', 'handle', 'item_type', 'pk', 'sk', 'user_uuid'].sort(),
    );
  });

  it('are not written when the handle is taken: the transaction writes nothing', async () => {
    const t = await createTestTable();
    const messaging = t.messaging();
    await messaging.createUser({ handle: 'mara_q', displayName: 'Mara Quinn' });
    const before = keysOf(await t.scanAll());
    await expect(
      messaging.createUser({ handle: 'MARA_Q', displayName: 'Another Mara' }),
    ).rejects.toBeInstanceOf(HandleTakenError);
    expect(keysOf(await t.scanAll())).toEqual(before);
  });

  it('are backfilled for users created before people search, once however often it runs', async () => {
    const t = await createTestTable();
    const old = { uuid: randomUUID(), handle: uniqueHandle('old'), displayName: 'Zoë Old' };
    // As createUserRequest wrote a user before people search: the profile and the handle only.
    for (const item of [userItem(old, '2025-12-01T00:00:00.000Z'), handleItem(old)])
      await t.table.write({ items: [{ Put: { TableName: t.tableName, Item: item } }] });
    const recent = await t
      .messaging()
      .createUser({ handle: uniqueHandle('new'), displayName: 'Zoe New' });

    expect(await backfillPeople(t.table)).toEqual({ users: 2, itemsWritten: 3, itemsExisting: 3 });
    expect(keysOf(await peopleOf(t))).toEqual(
      keysOf([...peopleItems(old), ...peopleItems(recent)] as unknown as Record<string, unknown>[]),
    );
    expect(await backfillPeople(t.table)).toEqual({ users: 2, itemsWritten: 0, itemsExisting: 6 });
    const found = await t.messaging().findUsers(recent.uuid, 'zoe');
    expect(found.map((user) => user.handle)).toEqual([old.handle]);
  });
});

describe('findUsers', () => {
  it('reads further name pages only when the first held no one new, and at most a few', async () => {
    const t = await createTestTable();
    const messaging = t.messaging();
    const make = (handle: string, displayName: string) =>
      messaging.createUser({ handle, displayName });
    // Found by handle and by two words of their name each: four name items of users found already.
    await make('an_one', 'Anna Andersen');
    await make('an_two', 'Anna Andersen');
    const anya = await make('zed_anya', 'Anya Zed');
    const queries: QueryCommandInput[] = [];
    const counting = interposedTable(t.table, {
      query: (input) => {
        queries.push(input);
        return t.table.query(input);
      },
    });
    const found = await new Messaging({ table: counting }).findUsers(undefined, 'an', 3);
    expect(found.map((user) => user.handle)).toEqual(['an_one', 'an_two', anya.handle]);
    // H and N in parallel, each limit + 1; then one more N page past the four duplicates.
    expect(queries.map((q) => [q.ExpressionAttributeValues?.[':prefix'], q.Limit])).toEqual([
      ['H#an', 4],
      ['N#an', 4],
      ['N#an', 4],
    ]);
    expect(queries.every((q) => q.ConsistentRead !== true)).toBe(true);
  });

  it('refuses a blank or over-long text before any request', async () => {
    const t = await createTestTable();
    const messaging = t.messaging();
    for (const text of ['', '   ', '\t\n', 'x'.repeat(65)])
      await expect(messaging.findUsers(undefined, text)).rejects.toBeInstanceOf(
        InvalidSearchQueryError,
      );
    // 64 emoji are 64 characters (code points), and find nobody: no word, no handle.
    expect(await messaging.findUsers(undefined, '🙂'.repeat(64))).toEqual([]);
  });
});
