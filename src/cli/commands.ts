import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { MessageGroupItem, MessageItem } from '../messaging/items.js';
import { messageGroupPartition, messagePartition } from '../messaging/keys.js';
import { Messaging } from '../messaging/messaging.js';
import { listMessageGroupsQuery, listMessagesQuery } from '../messaging/requests/queries.js';
import { normalizeLimit, normalizeUuid } from '../messaging/validation.js';
import { seedDemoData } from '../seed/seed.js';
import { dropTable, listTables, loadSchema } from '../store/schema.js';
import { type CliContext, type GlobalOptions, withDatabase } from './context.js';
import { UsageError } from './errors.js';
import { printCapacity, printItems } from './print.js';

export const schemaLoad = (options: GlobalOptions) =>
  withDatabase(options, async ({ client, config, where }) => {
    const result = await loadSchema(client, config.tableName);
    console.log(
      `${config.tableName}: ${result === 'created' ? 'created' : 'exists already, left as it is'} (${where})`,
    );
  });

export const listTablesCommand = (options: GlobalOptions) =>
  withDatabase(options, async ({ client }) => {
    for (const name of await listTables(client)) console.log(name);
  });

export const drop = (options: GlobalOptions & { yes?: boolean }) => {
  if (!options.yes)
    throw new UsageError('drop deletes the table and all its data; pass --yes to confirm.');
  return withDatabase(options, async ({ client, config }) => {
    const dropped = await dropTable(client, config.tableName);
    console.log(dropped ? `${config.tableName}: dropped` : `${config.tableName}: did not exist`);
  });
};

export const seed = (options: GlobalOptions) =>
  withDatabase(options, async ({ client, config, table }) => {
    await loadSchema(client, config.tableName);
    const report = await seedDemoData(table);
    console.log(
      `users: ${report.usersCreated} created, ${report.usersExisting} already there; ` +
        `conversations: ${report.conversationsCreated} created (${report.messagesWritten} messages), ` +
        `${report.conversationsExisting} already there` +
        (report.peopleItemsAdded > 0
          ? `; people search: ${report.peopleItemsAdded} item(s) added for users created before it`
          : ''),
    );
  });

const SCAN_COLUMNS = ['pk', 'sk', 'item_type', 'message_group_uuid', 'user_handle', 'message'];
/** Attributes of blocks (the block item's, the pair's mark): columns when the page holds any. */
const SCAN_COLUMNS_IF_PRESENT = ['blocked_handle', 'blocked_by'];
/**
 * Columns when the page holds items of a type: a people-search item's word and handle are in
 * its keys, and the name it copies (what a search shows without another read) is this.
 */
const SCAN_COLUMNS_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  people_token: ['display_name'],
};

export const scan = (options: GlobalOptions & { limit?: string }) =>
  withDatabase(options, async ({ doc, config }) => {
    const limit = Number(options.limit ?? 50);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError('--limit must be a positive whole number.');
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: config.tableName,
          Limit: limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && items.length < limit);
    const types = new Set(items.map((item) => String(item.item_type)));
    printItems(items, [
      ...SCAN_COLUMNS,
      ...SCAN_COLUMNS_IF_PRESENT.filter((column) => items.some((item) => column in item)),
      ...Object.entries(SCAN_COLUMNS_OF_TYPE).flatMap(([type, columns]) =>
        types.has(type) ? columns : [],
      ),
    ]);
    console.log(`${items.length} item(s)${start ? ` shown; more with --limit ${limit * 2}` : ''}`);
  });

interface PageOptions extends GlobalOptions {
  limit?: string;
  before?: string;
}

const pageOf = (options: PageOptions) => ({
  limit: normalizeLimit(options.limit === undefined ? undefined : Number(options.limit)),
  before: options.before,
});

/** Pattern B, as the table sees it: Query pk = GRP#<user>, newest first. */
export const listConversations = (handle: string, options: PageOptions) =>
  withDatabase(options, async (ctx) => {
    const user = await new Messaging({ table: ctx.table }).getUserByHandle(handle);
    ctx.meter.reset();
    const { limit, before } = pageOf(options);
    const query = listMessageGroupsQuery(ctx.config.tableName, user.uuid, limit, before);
    const { items } = await ctx.table.query<MessageGroupItem>(query);
    printQuery(ctx, query.KeyConditionExpression, messageGroupPartition(user.uuid));
    printItems(items.slice(0, limit) as unknown as Record<string, unknown>[], [
      'sk',
      'message_group_uuid',
      'user_handle',
      'user_display_name',
      'message',
    ]);
    printMore(items, limit);
    printCapacity(ctx.meter);
  });

/** Pattern A, as the table sees it: Query pk = MSG#<group>, newest first (shown oldest first). */
export const getConversation = (groupUuid: string, options: PageOptions) =>
  withDatabase(options, async (ctx) => {
    const { limit, before } = pageOf(options);
    const group = normalizeUuid(groupUuid, 'message_group_uuid');
    const query = listMessagesQuery(ctx.config.tableName, group, limit, before);
    const { items } = await ctx.table.query<MessageItem>(query);
    printQuery(ctx, query.KeyConditionExpression, messagePartition(group));
    printItems(items.slice(0, limit).reverse() as unknown as Record<string, unknown>[], [
      'sk',
      'user_handle',
      'message',
    ]);
    printMore(items, limit);
    printCapacity(ctx.meter);
  });

const printQuery = (ctx: CliContext, condition: string | undefined, pk: string) =>
  console.log(
    `Query ${ctx.config.tableName}: ${condition?.replace('#pk', 'pk').replace(':pk', `"${pk}"`)} (${ctx.where})`,
  );

const printMore = (items: { sk: string }[], limit: number) => {
  const oldest = items[limit - 1];
  if (items.length > limit && oldest) console.log(`More: --before '${oldest.sk}'`);
};
