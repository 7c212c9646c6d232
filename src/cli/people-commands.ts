import { peoplePartition, peopleSortKeyPrefix } from '../messaging/keys.js';
import { Messaging } from '../messaging/messaging.js';
import { backfillPeople } from '../messaging/people-backfill.js';
import { searchPlan } from '../messaging/people-search.js';
import type { GlobalOptions } from './context.js';
import { withDatabase } from './context.js';
import { printCapacity, printItems } from './print.js';

interface FindUsersOptions extends GlobalOptions {
  limit?: string;
  as?: string;
}

/**
 * People search as the table sees it: the Query of each kind (H: handles, N: words of names)
 * and what they found, with the capacity consumed. `--as` leaves that user out, as the API
 * leaves out the caller.
 */
export const findUsers = (text: string, options: FindUsersOptions) =>
  withDatabase(options, async (ctx) => {
    const limit = options.limit === undefined ? undefined : Number(options.limit);
    const messaging = new Messaging({ table: ctx.table });
    const caller =
      options.as === undefined ? undefined : await messaging.getUserByHandle(options.as);
    const plan = searchPlan(text);
    ctx.meter.reset();
    const users = await messaging.findUsers(caller?.uuid, text, limit);
    const sent = [
      plan.handlePrefix === undefined ? undefined : (['H', plan.handlePrefix] as const),
      plan.nameWord === undefined ? undefined : (['N', plan.nameWord] as const),
    ].filter((query) => query !== undefined);
    if (sent.length === 0) console.log('No letter, digit or _ to search for: no Query sent.');
    for (const [kind, prefix] of sent)
      console.log(
        `Query ${ctx.config.tableName}: pk = "${peoplePartition(prefix)}" AND begins_with(sk, "${peopleSortKeyPrefix(kind, prefix)}") (${ctx.where})`,
      );
    if (plan.words.length > 1)
      console.log(`Name matches must also have words beginning ${JSON.stringify(plan.words)}.`);
    printItems(
      users.map((user) => ({
        handle: user.handle,
        display_name: user.displayName,
        uuid: user.uuid,
      })),
      ['handle', 'display_name', 'uuid'],
    );
    printCapacity(ctx.meter);
  });

/** Writes the people items of every user that lacks them; idempotent. */
export const backfillPeopleCommand = (options: GlobalOptions) =>
  withDatabase(options, async (ctx) => {
    const report = await backfillPeople(ctx.table);
    console.log(
      `people search: ${report.itemsWritten} item(s) written, ${report.itemsExisting} already there, for ${report.users} user(s)`,
    );
    printCapacity(ctx.meter);
  });
