import { awsWriteUnits, type TouchedSizes, UNDER_ONE_KB } from '../costs/cost-model.js';
import { isGroupRowKey, messageGroupPartition, ownerOfGroupKey } from '../messaging/keys.js';
import type { TransactItem } from '../messaging/table-port.js';

/**
 * The cost model charges a group row's index entry with the row (the bill). A partition of
 * the table carries only the table's share: the index is partitioned by message_group_uuid,
 * so its writes land elsewhere. Renaming the key's prefix to one of the same length outside
 * `GRP#` keeps the item's size (so its write units) and drops the index share.
 */
const NOT_A_KEY_PREFIX = '_'.repeat(messageGroupPartition('').length);
const tableOnly = (pk: string): string =>
  isGroupRowKey(pk) ? `${NOT_A_KEY_PREFIX}${ownerOfGroupKey(pk)}` : pk;

const rekeyed = (entry: TransactItem): { pk: string; entry: TransactItem } | undefined => {
  if (entry.Put) {
    const item = entry.Put.Item as Record<string, unknown>;
    const pk = String(item.pk);
    return { pk, entry: { Put: { ...entry.Put, Item: { ...item, pk: tableOnly(pk) } } } };
  }
  const target = entry.Delete ?? entry.Update ?? entry.ConditionCheck;
  if (!target) return undefined;
  const key = target.Key as Record<string, unknown>;
  const pk = String(key.pk);
  const Key = { ...key, pk: tableOnly(pk) };
  if (entry.Delete) return { pk, entry: { Delete: { ...entry.Delete, Key } } };
  if (entry.Update) return { pk, entry: { Update: { ...entry.Update, Key } } };
  return { pk, entry: { ConditionCheck: { ...(entry.ConditionCheck as object), Key } as never } };
};

/**
 * Write units each partition key of the table takes from a write of `items` as DynamoTable
 * sends it (one item alone, more in a transaction), by the cost model's rules: what counts
 * against DynamoDB's 1,000 write units a second per partition.
 */
export const writeUnitsByPartition = (
  items: readonly TransactItem[],
  sizes: TouchedSizes = UNDER_ONE_KB,
): Map<string, number> => {
  const units = new Map<string, number>();
  const transactional = items.length > 1;
  for (const original of items) {
    const keyed = rekeyed(original);
    if (!keyed) continue;
    const tableSizes: TouchedSizes = {
      before: (key) => sizes.before({ ...key, pk: keyed.pk }),
      after: (key) => sizes.after({ ...key, pk: keyed.pk }),
    };
    // Two of the same item make the cost model price it as a transaction item; half is one.
    const cost = transactional
      ? awsWriteUnits([keyed.entry, keyed.entry], tableSizes) / 2
      : awsWriteUnits([keyed.entry], tableSizes);
    units.set(keyed.pk, (units.get(keyed.pk) ?? 0) + cost);
  }
  return units;
};
