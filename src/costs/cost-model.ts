import { isGroupRowKey as isGroupRowPartition } from '../messaging/keys.js';
import type { TransactItem } from '../messaging/table-port.js';

/**
 * AWS on-demand pricing (us-east-1, since the November 2024 price cut; taken 2026-11-26:
 * check current prices) and DynamoDB's documented capacity rules. DynamoDB Local reports
 * reads and single-item writes correctly but under-reports transactions, so writes are
 * computed here from the items themselves.
 */
export const PRICES = {
  writeRequestUnit: 0.625 / 1_000_000,
  readRequestUnit: 0.125 / 1_000_000,
} as const;

/** DynamoDB's item size: attribute names plus values (UTF-8 strings, lists and maps with overhead). */
export const itemSize = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value),
    0,
  );

const valueSize = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(value).length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  // A string or number set: its elements, no overhead (DynamoDB's item size rules).
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSize(v), 0);
  if (typeof value === 'object')
    return 3 + itemSize(value as Record<string, unknown>) + Object.keys(value).length;
  return 0;
};

const kilobytes = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

/**
 * Group rows (`GRP#` keys) carry the GSI key, and the GSI projects ALL: every write to one,
 * an update of any attribute included, is also a write to the index (+1 WCU per KB, not
 * doubled in a transaction), and a delete removes its index entry (+1 WCU).
 */
export const isGroupRowKey = (key: Record<string, unknown> | undefined): boolean =>
  typeof key?.pk === 'string' && isGroupRowPartition(key.pk);

/** Sizes of the items an Update or a Delete touches (the Put carries its own). */
export interface TouchedSizes {
  /** Bytes of the item before the write. */
  before: (key: Record<string, unknown>) => number;
  /** Bytes of the item after an update. */
  after: (key: Record<string, unknown>) => number;
}

/** What the metering assumes when it does not read the items: every one under 1 KB, as they are. */
export const UNDER_ONE_KB: TouchedSizes = { before: () => 500, after: () => 500 };

/** Write request units of a write, split by where AWS charges them. */
export interface WriteUnits {
  /** The table's own writes, transactional ones doubled. */
  table: number;
  /** Keeping the GSI up to date: a group row's put, update or delete, never doubled. */
  index: number;
}

/**
 * Write request units AWS charges for a conditional write of `items` as `DynamoTable` sends
 * it: a lone Put, Delete or Update as PutItem / DeleteItem / UpdateItem, more items as
 * TransactWriteItems, 2 WCU per KB per item. An update is charged on the larger of the item's
 * size before and after.
 */
export const awsWriteUnitsByTarget = (
  items: TransactItem[],
  sizes: TouchedSizes = UNDER_ONE_KB,
): WriteUnits => {
  const [only] = items;
  const single = items.length === 1 && (only?.Put ?? only?.Delete ?? only?.Update) !== undefined;
  const transactional = single ? 1 : 2;
  const units = { table: 0, index: 0 };
  for (const entry of items) {
    if (entry.Put) {
      const item = entry.Put.Item as Record<string, unknown>;
      const size = kilobytes(itemSize(item));
      units.table += transactional * size;
      if (isGroupRowKey(item)) units.index += size;
    } else if (entry.Delete) {
      const key = entry.Delete.Key as Record<string, unknown>;
      const size = kilobytes(sizes.before(key));
      units.table += transactional * size;
      if (isGroupRowKey(key)) units.index += size;
    } else if (entry.Update) {
      const key = entry.Update.Key as Record<string, unknown>;
      units.table += transactional * kilobytes(Math.max(sizes.before(key), sizes.after(key)));
      if (isGroupRowKey(key)) units.index += kilobytes(sizes.after(key));
    } else {
      units.table += transactional; // ConditionCheck
    }
  }
  return units;
};

/** All the write request units of `items`: the table's and the GSI's. */
export const awsWriteUnits = (
  items: TransactItem[],
  sizes: TouchedSizes = UNDER_ONE_KB,
): number => {
  const { table, index } = awsWriteUnitsByTarget(items, sizes);
  return table + index;
};

/** On-demand dollars of `readUnits` read and `writeUnits` write request units. */
export const dollars = (readUnits: number, writeUnits: number): number =>
  readUnits * PRICES.readRequestUnit + writeUnits * PRICES.writeRequestUnit;

export const dollarsPerMillion = (readUnits: number, writeUnits: number): number =>
  dollars(readUnits, writeUnits) * 1_000_000;
