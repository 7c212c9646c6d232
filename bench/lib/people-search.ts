import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parsePeopleTokenKey } from '../../src/messaging/keys.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import { DEFAULT_SEARCH_LIMIT, searchPlan } from '../../src/messaging/people-search.js';
import { putNew } from '../../src/messaging/requests/conditions.js';
import { findPeopleQuery, peopleItems } from '../../src/messaging/requests/people.js';
import { handleItem, userItem } from '../../src/messaging/requests/users.js';
import type { DynamoConnection } from '../../src/store/clients.js';
import { type CostRow, costRow } from './cost-rows.js';
import { MeteringTable } from './metering-table.js';
import { pick } from './pick.js';
import { type ItemSizeRow, sizeOf } from './read-state-costs.js';

/**
 * What people type into "To", over the benchmark's users (`bench_user_<i>`, "Bench User <i>"):
 * a handle cut after 1 to all of its characters, the number of a name, a word of the name, in
 * any case. One word each: the first Query of each kind is all a search sends (a text of
 * several words can read up to 3 name pages; the cost runs measure one).
 */
export const searchText = (users: readonly User[]): string => {
  const user = pick(users);
  const number = user.handle.slice(user.handle.lastIndexOf('_') + 1);
  switch (Math.floor(Math.random() * 4)) {
    case 0:
      return user.handle.slice(0, 1 + Math.floor(Math.random() * user.handle.length));
    case 1:
      return number.slice(0, 1 + Math.floor(Math.random() * number.length));
    case 2:
      return pick(['user', 'USER', 'Bench', 'leg']);
    default:
      return `@${user.handle.slice(0, 3 + Math.floor(Math.random() * 8))}`;
  }
};

/**
 * The search's bare requests: the Queries `findUsers` sends for `text`, H and N in parallel,
 * limit + 1 items each, sent with the SDK alone (no caller to leave out, no merge).
 */
export const bareFindPeople = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  text: string,
  limit = DEFAULT_SEARCH_LIMIT,
): Promise<number> => {
  const plan = searchPlan(text);
  const kinds = [
    plan.handlePrefix === undefined ? [] : [['H', plan.handlePrefix] as const],
    plan.nameWord === undefined ? [] : [['N', plan.nameWord] as const],
  ].flat();
  const pages = await Promise.all(
    kinds.map(([kind, prefix]) =>
      doc.send(new QueryCommand(findPeopleQuery(tableName, kind, prefix, limit + 1))),
    ),
  );
  return pages.reduce((n, page) => n + (page.Items?.length ?? 0), 0);
};

export interface PeopleCosts {
  cost: CostRow[];
  itemSizes: ItemSizeRow[];
}

/**
 * People search's capacity through the core on a metering table: searches of each shape over
 * the benchmark's users, and the profile write (a user's creation) now and before people
 * search (the 2-item transaction it was: the profile and the handle claim), for a name of
 * two words and for the benchmark's three.
 */
export const measurePeopleCosts = async (
  connection: DynamoConnection,
  tableName: string,
  users: readonly User[],
  times = 20,
): Promise<PeopleCosts> => {
  const metering = new MeteringTable(connection, tableName, { readSizes: true });
  const metered = new Messaging({ table: metering });
  const caller = users[0] as User;
  const cost: CostRow[] = [];
  const measure = async (name: string, run: (i: number) => Promise<unknown>) => {
    await run(-1); // the SDK's connection warm, as in the latency runs
    metering.reset();
    for (let i = 0; i < times; i++) await run(i);
    cost.push(costRow(name, metering.meter, times));
  };
  const search = (text: string, limit?: number) => () =>
    metered.findUsers(caller.uuid, text, limit);
  await measure('find users (10): a handle prefix, "bench_user_1"', search('bench_user_1'));
  await measure('find users (10): one letter, "b"', search('b'));
  await measure('find users (10): a number of names, "42"', search('42'));
  await measure('find users (20): a word of every name, "bench"', search('bench', 20));
  await measure('find users (10): two words, "user 7" (more name pages)', search('user 7'));

  const tag = randomUUID().slice(0, 8);
  const person = (i: number, displayName: string): User => ({
    uuid: randomUUID(),
    handle: `pc_${tag}_${i + 1}_${displayName.length}`,
    displayName,
  });
  for (const displayName of ['Inès Okafor', 'Bench User 1234']) {
    await measure(
      `profile write, now: ${peopleItems(person(0, displayName)).length} people items ("${displayName}")`,
      (i) => metered.createUser(person(i, displayName)),
    );
    await measure(`profile write, before people search ("${displayName}")`, async (i) => {
      const user = person(i + times + 1, displayName);
      await metering.write({
        items: [
          putNew(tableName, userItem(user, new Date().toISOString())),
          putNew(tableName, handleItem(user)),
        ],
      });
    });
  }

  const sizes = (item: string, values: number[]): ItemSizeRow => ({
    item,
    min: Math.min(...values),
    max: Math.max(...values),
  });
  const samples = users.slice(0, 200).flatMap(peopleItems);
  const itemSizes = [
    sizes(
      'people_token, handle (H), benchmark users',
      samples.filter((item) => parsePeopleTokenKey(item)?.kind === 'H').map(sizeOf),
    ),
    sizes(
      'people_token, word of a name (N), benchmark users',
      samples.filter((item) => parsePeopleTokenKey(item)?.kind === 'N').map(sizeOf),
    ),
    sizes('people_token, "Inès Okafor"', peopleItems(person(0, 'Inès Okafor')).map(sizeOf)),
  ];
  return { cost, itemSizes };
};
