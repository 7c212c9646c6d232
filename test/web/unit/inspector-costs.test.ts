import { describe, expect, it } from 'vitest';
import {
  actionOf,
  addEntry,
  capacityText,
  formatUsd,
  NO_COSTS,
  perMillionActions,
  sentenceOf,
} from '../../../web/src/features/inspector/cost-entries';
import type { CostEntry, RequestCost } from '../../../web/src/lib/api-types';

const request = (overrides: Partial<RequestCost>): RequestCost => ({
  operation: 'GetItem',
  table: 'cruddur-messages',
  index: null,
  items_read: 0,
  items_written: 0,
  rcu: 0,
  wcu: 0,
  gsi_wcu: 0,
  group_rows: 0,
  failed: false,
  ...overrides,
});

const entry = (source: string, requests: RequestCost[], records?: number): CostEntry => {
  const sum = (pick: (r: RequestCost) => number) => requests.reduce((s, r) => s + pick(r), 0);
  return {
    id: 1,
    at: '2026-12-02T03:00:00.000Z',
    source,
    ...(records === undefined ? {} : { records }),
    requests,
    rcu: sum((r) => r.rcu),
    wcu: sum((r) => r.wcu),
    gsi_wcu: sum((r) => r.gsi_wcu),
    usd: sum((r) => r.rcu) * 0.125e-6 + sum((r) => r.wcu) * 0.625e-6,
  };
};

// Pattern E of one message, as the ledger records it under `npm start`.
const patternE = entry(
  'stream batch',
  [
    request({ operation: 'Query', index: 'message-group-sk-index', rcu: 0.5, items_read: 2 }),
    request({ operation: 'Query', rcu: 1, items_read: 1 }),
    request({
      operation: 'TransactWriteItems',
      wcu: 12,
      gsi_wcu: 4,
      group_rows: 2,
      items_written: 4,
    }),
  ],
  1,
);
const send = entry('POST /api/messages', [
  request({ operation: 'GetItem', rcu: 0.5, items_read: 1 }),
  request({ operation: 'PutItem', wcu: 1, items_written: 1 }),
]);

describe("the Costs view's words", () => {
  it('says what happened and what it cost, the GSI apart', () => {
    expect(sentenceOf(send)).toBe('Sent a message: 0.5 RCU + 1 WCU');
    expect(sentenceOf(patternE)).toBe('Pattern E moved 2 group rows: 1.5 RCU + 8 WCU + 4 GSI WCU');
    expect(actionOf(entry('stream batch', [request({ operation: 'Query', rcu: 0.5 })], 3))).toBe(
      'The stream consumer read 3 records',
    );
    expect(actionOf(entry('GET /api/somewhere/new', []))).toBe('GET /api/somewhere/new');
    // An edit reaching both previews: two lone updates of group rows, not a move.
    const follow = request({ operation: 'UpdateItem', wcu: 2, gsi_wcu: 1, group_rows: 1 });
    expect(sentenceOf(entry('stream batch', [follow, follow], 1))).toBe(
      'The stream consumer updated 2 previews: 2 WCU + 2 GSI WCU',
    );
    expect(capacityText({ rcu: 0, wcu: 0, gsi_wcu: 0 })).toBe('no capacity');
  });

  it('does not count a failed move as a moved row', () => {
    const failed = entry('stream batch', [
      request({
        operation: 'TransactWriteItems',
        wcu: 12,
        gsi_wcu: 4,
        group_rows: 2,
        failed: true,
      }),
    ]);
    expect(actionOf(failed)).not.toMatch(/moved/);
  });

  it('projects a million actions at the mix seen', () => {
    const totals = addEntry(addEntry(NO_COSTS, send), patternE);
    expect(totals).toMatchObject({ actions: 2, requests: 5, rcu: 2, wcu: 13, gsi_wcu: 4 });
    // (2 × 0.125 + 13 × 0.625) / 2 dollars per million each: $4.19 a million actions.
    expect(formatUsd(perMillionActions(totals))).toBe('$4.19');
    expect(perMillionActions(NO_COSTS)).toBe(0);
    expect(formatUsd(0.0000076875)).toBe('$0.0000077');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(8.1e-7)).toBe('$0.00000081');
    expect(formatUsd(0.000001)).toBe('$0.000001');
  });
});
