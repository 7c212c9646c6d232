import type { CapacityMeter } from '../store/capacity.js';

const MAX_CELL = 40;
/** Keys are what a person learning the design came to see: never cut them. */
const KEY_COLUMNS = new Set(['pk', 'sk']);

/**
 * A DynamoDB set (a pair's `blocked_by`), which the document client reads as a JS Set and
 * JSON.stringify would print as `{}`: its members, sorted, in braces. Two uuids do not fit a
 * cell: then each is shortened to its first 8 characters, enough to tell it in the keys.
 */
const setText = (values: ReadonlySet<unknown>): string => {
  const members = [...values].map(String).sort();
  const whole = `{${members.join(', ')}}`;
  if (whole.length <= MAX_CELL) return whole;
  return `{${members.map((m) => (m.length > 9 ? `${m.slice(0, 8)}…` : m)).join(', ')}}`;
};

const cell = (column: string, value: unknown): string => {
  const text =
    typeof value === 'string'
      ? value
      : value instanceof Set
        ? setText(value)
        : JSON.stringify(value);
  const flat = (text ?? '').replace(/\s+/g, ' ');
  if (KEY_COLUMNS.has(column)) return flat;
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
};

/** Items as a table of the given columns, long values cut to fit a terminal. */
export const printItems = (items: Record<string, unknown>[], columns: string[]): void => {
  if (items.length === 0) {
    console.log('(no items)');
    return;
  }
  console.table(items.map((item) => Object.fromEntries(columns.map((c) => [c, cell(c, item[c])]))));
};

export const printCapacity = (meter: CapacityMeter): void => {
  const { requests, readCapacityUnits, writeCapacityUnits } = meter.total();
  const operations = [...new Set(meter.records.map((r) => r.operation))].join(', ');
  console.log(
    `ConsumedCapacity: ${readCapacityUnits} RCU, ${writeCapacityUnits} WCU in ${requests} request(s) (${operations})`,
  );
};
