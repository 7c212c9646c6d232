import type { TransactItem } from '../../src/messaging/table-port.js';

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
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSize(v), 0);
  if (typeof value === 'object')
    return 3 + itemSize(value as Record<string, unknown>) + Object.keys(value).length;
  return 0;
};

const kilobytes = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

/** Items that carry the GSI key are written to the index too (not doubled in transactions). */
const indexed = (item: Record<string, unknown> | undefined): boolean =>
  item !== undefined && typeof item.message_group_uuid === 'string';

/** Write request units AWS charges for a conditional write of `items` (one Put, or a transaction). */
export const awsWriteUnits = (
  items: TransactItem[],
  deletedSizes: (key: Record<string, unknown>) => number,
): number => {
  const transactional = items.length > 1 ? 2 : 1;
  return items.reduce((sum, entry) => {
    if (entry.Put) {
      const units = kilobytes(itemSize(entry.Put.Item as Record<string, unknown>));
      return (
        sum +
        transactional * units +
        (indexed(entry.Put.Item as Record<string, unknown>) ? units : 0)
      );
    }
    if (entry.Delete) {
      const units = kilobytes(deletedSizes(entry.Delete.Key as Record<string, unknown>));
      // Only group rows are ever deleted, and they are in the index.
      return sum + transactional * units + units;
    }
    return sum + transactional;
  }, 0);
};

export const dollarsPerMillion = (readUnits: number, writeUnits: number): number =>
  (readUnits * PRICES.readRequestUnit + writeUnits * PRICES.writeRequestUnit) * 1_000_000;
