import pMap from 'p-map';
import { ItemExistsError } from './errors.js';
import type { UserItem } from './items.js';
import type { User } from './model.js';
import { peopleItems, putPeopleItemRequest } from './requests/people.js';
import { listUsersScan, toUser } from './requests/users.js';
import type { TablePort } from './table-port.js';

export interface PeopleBackfillReport {
  users: number;
  itemsWritten: number;
  itemsExisting: number;
}

/**
 * Writes the people items a user lacks: users created before people search have none. Each
 * item is its own conditional PutItem (1 WCU; a transaction would cost 2): an item that is
 * there already fails its condition and is counted, never replaced, so the backfill can run
 * any number of times, also beside a live API (a user created meanwhile has all of them).
 */
export const backfillUserPeople = async (
  table: TablePort,
  user: User,
  report: PeopleBackfillReport = { users: 0, itemsWritten: 0, itemsExisting: 0 },
): Promise<PeopleBackfillReport> => {
  report.users++;
  for (const item of peopleItems(user)) {
    try {
      await table.write(putPeopleItemRequest(table.tableName, item));
      report.itemsWritten++;
    } catch (error) {
      if (!(error instanceof ItemExistsError)) throw error;
      report.itemsExisting++;
    }
  }
  return report;
};

/**
 * Every user's missing people items. It finds users with a filtered Scan of the whole table
 * (a one-off maintenance read, about the table's size in KB / 4 × 0.5 RCU; no access pattern
 * of the product scans), a page at a time, and writes each page's users' items 8 at a time.
 */
export const backfillPeople = async (table: TablePort): Promise<PeopleBackfillReport> => {
  const report: PeopleBackfillReport = { users: 0, itemsWritten: 0, itemsExisting: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.scan<UserItem>(listUsersScan(table.tableName, startKey));
    await pMap(page.items, (item) => backfillUserPeople(table, toUser(item), report), {
      concurrency: 8,
    });
    startKey = page.lastKey;
  } while (startKey);
  return report;
};
