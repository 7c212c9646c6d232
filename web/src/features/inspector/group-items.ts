import type { TableItem } from './inspector-api';
import { ENTITIES, type EntityInfo, prefixOf } from './key-schema';

export interface Partition {
  key: string;
  /** Sorted by sort key, as DynamoDB stores a partition. */
  items: TableItem[];
}

export interface EntitySection extends EntityInfo {
  partitions: Partition[];
  itemCount: number;
}

export const stringAttribute = (item: TableItem, name: string): string => {
  const value = item[name];
  return typeof value === 'string' ? value : '';
};

const bySortKey = (sortAttribute: string) => (a: TableItem, b: TableItem) => {
  const x = stringAttribute(a, sortAttribute);
  const y = stringAttribute(b, sortAttribute);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Items grouped by `partitionAttribute`, each partition sorted by `sortAttribute`. */
export const partitionsOf = (
  items: readonly TableItem[],
  partitionAttribute: string,
  sortAttribute = 'sk',
): Partition[] => {
  const byKey = new Map<string, TableItem[]>();
  for (const item of items) {
    const key = stringAttribute(item, partitionAttribute);
    const partition = byKey.get(key) ?? [];
    partition.push(item);
    byKey.set(key, partition);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, partitionItems]) => ({
      key,
      items: partitionItems.sort(bySortKey(sortAttribute)),
    }));
};

/** The table as sections by kind of item (GRP#, MSG#, USER#, ...), then by partition. */
export const sectionsOf = (items: readonly TableItem[]): EntitySection[] => {
  const byPrefix = new Map<string, TableItem[]>();
  for (const item of items) {
    const prefix = prefixOf(stringAttribute(item, 'pk'));
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), item]);
  }
  const known = ENTITIES.filter((entity) => byPrefix.has(entity.prefix));
  const unknown = [...byPrefix.keys()]
    .filter((prefix) => !ENTITIES.some((entity) => entity.prefix === prefix))
    .sort()
    .map((prefix) => ({ prefix, title: 'Other items', purpose: 'Not described by this page.' }));
  return [...known, ...unknown].map((entity) => {
    const entityItems = byPrefix.get(entity.prefix) ?? [];
    return {
      ...entity,
      partitions: partitionsOf(entityItems, 'pk'),
      itemCount: entityItems.length,
    };
  });
};

/** Case-insensitive search in keys and every attribute, to follow one uuid across items. */
export const matchesFilter = (item: TableItem, filter: string): boolean => {
  if (!filter) return true;
  const needle = filter.toLowerCase();
  return Object.values(item).some((value) =>
    (typeof value === 'string' ? value : JSON.stringify(value)).toLowerCase().includes(needle),
  );
};

/** user uuid → handle, from the USER# items, to say whose GRP# partition a row is in. */
export const handlesByUserUuid = (items: readonly TableItem[]): Map<string, string> =>
  new Map(
    items
      .filter((item) => item.item_type === 'user')
      .map((item) => [stringAttribute(item, 'user_uuid'), stringAttribute(item, 'handle')]),
  );
