import type { ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { ItemExistsError } from './errors.js';
import type { PeopleTokenItem, UserItem } from './items.js';
import { peopleItems, putPeopleItemRequest } from './requests/people.js';
import { toUser } from './requests/users.js';
import type { TablePort } from './table-port.js';

export interface PeopleBackfillReport {
  users: number;
  itemsWritten: number;
  itemsExisting: number;
}

/** Profiles and people items: what a backfill compares. */
const usersAndPeopleScan = (
  tableName: string,
  startKey: Record<string, unknown> | undefined,
): ScanCommandInput => ({
  TableName: tableName,
  FilterExpression: '#type IN (:user, :people)',
  ProjectionExpression: '#pk, #sk, #type, user_uuid, handle, display_name',
  ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#type': 'item_type' },
  ExpressionAttributeValues: { ':user': 'user', ':people': 'people_token' },
  ...(startKey ? { ExclusiveStartKey: startKey } : {}),
});

const keyOf = (item: { pk: string; sk: string }): string => `${item.pk}\n${item.sk}`;

/**
 * Writes the people items users lack: users created before people search have none. One
 * filtered Scan of the whole table finds the profiles and the people items there are (a
 * maintenance read: about the table's size in KB / 4 × 0.5 RCU, and the keys of the people
 * items in memory, ~100 B each; no access pattern of the product scans). Then each missing
 * item is its own conditional PutItem (1 WCU; a transaction would cost 2), 8 at a time: one
 * that appeared meanwhile fails its condition and is counted, never replaced. So it can run
 * any number of times, also beside a live API, and costs one Scan once nothing is missing.
 */
export const backfillPeople = async (table: TablePort): Promise<PeopleBackfillReport> => {
  const users: UserItem[] = [];
  const present = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.scan<UserItem | PeopleTokenItem>(
      usersAndPeopleScan(table.tableName, startKey),
    );
    for (const item of page.items) {
      if (item.item_type === 'user') users.push(item);
      else present.add(keyOf(item));
    }
    startKey = page.lastKey;
  } while (startKey);

  const report: PeopleBackfillReport = { users: users.length, itemsWritten: 0, itemsExisting: 0 };
  const expected = users.flatMap((user) => peopleItems(toUser(user)));
  const missing = expected.filter((item) => !present.has(keyOf(item)));
  report.itemsExisting = expected.length - missing.length;
  await pMap(
    missing,
    async (item) => {
      try {
        await table.write(putPeopleItemRequest(table.tableName, item));
        report.itemsWritten++;
      } catch (error) {
        if (!(error instanceof ItemExistsError)) throw error;
        report.itemsExisting++;
      }
    },
    { concurrency: 8 },
  );
  return report;
};
