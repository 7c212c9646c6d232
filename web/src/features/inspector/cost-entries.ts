import type { CostEntry } from '../../lib/api-types';

/** Server-Sent Events of new entries; watching is what turns the server's recording on. */
export const COSTS_STREAM_URL = '/api/inspect/costs/stream';

export const isCostEntry = (data: unknown): data is CostEntry => {
  const entry = data as Partial<CostEntry> | null;
  return (
    typeof entry?.id === 'number' &&
    typeof entry.source === 'string' &&
    Array.isArray(entry.requests) &&
    typeof entry.usd === 'number'
  );
};

/** An entry's identity: ids start again at 1 when the server restarts. */
export const entryKey = (entry: CostEntry): string => `${entry.id}@${entry.at}`;

/** The routes in plain words, by `METHOD /route` as the server names them. */
const ACTIONS: Record<string, string> = {
  'POST /api/messages': 'Sent a message',
  'GET /api/message_groups': 'Listed conversations',
  'GET /api/messages/:message_group_uuid': 'Opened a conversation',
  'PATCH /api/messages/:message_group_uuid/:message_uuid': 'Edited a message',
  'DELETE /api/messages/:message_group_uuid/:message_uuid': 'Unsent a message',
  'POST /api/message_groups/:message_group_uuid/read': 'Marked a conversation read',
  'GET /api/users': 'Searched for people',
  'GET /api/users/@:handle/short': 'Looked someone up',
  'GET /api/me': 'Loaded my profile',
  'GET /api/blocks': 'Listed blocks',
  'POST /api/users/@:handle/block': 'Blocked someone',
  'DELETE /api/users/@:handle/block': 'Unblocked someone',
  'GET /api/dev/users': 'Listed the sign-in users',
  'POST /api/dev/users': 'Created a user',
  'POST /api/dev/sessions': 'Signed in',
  'WebSocket authorizer': 'Opened the realtime connection (token check)',
  'WebSocket $connect': 'Opened the realtime connection',
  'WebSocket $disconnect': 'Closed the realtime connection',
  'WebSocket typing': 'Typed',
  'WebSocket ping': 'Kept the connection alive',
};

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What happened, in plain words: "Sent a message", "Pattern E moved 2 group rows". */
export const actionOf = (entry: CostEntry): string => {
  if (entry.source === 'stream batch') {
    const written = entry.requests.filter((request) => !request.failed);
    const rows = (moving: boolean) =>
      written
        .filter((request) => (request.operation === 'TransactWriteItems') === moving)
        .reduce((sum, request) => sum + request.group_rows, 0);
    // Pattern E moves rows in a transaction; an edit's or unsend's preview is a lone update.
    if (rows(true) > 0) return `Pattern E moved ${plural(rows(true), 'group row')}`;
    if (rows(false) > 0) return `The stream consumer updated ${plural(rows(false), 'preview')}`;
    return `The stream consumer read ${plural(entry.records ?? 0, 'record')}`;
  }
  return ACTIONS[entry.source] ?? entry.source;
};

/** At most two decimals, no trailing zeros: 0.5, 1, 10.5. */
export const units = (n: number) => String(Math.round(n * 100) / 100);

/** "1 RCU + 8 WCU + 4 GSI WCU": the table's writes and the GSI's apart. */
export const capacityText = (c: { rcu: number; wcu: number; gsi_wcu: number }): string => {
  const parts = [
    c.rcu > 0 ? `${units(c.rcu)} RCU` : '',
    c.wcu - c.gsi_wcu > 0 ? `${units(c.wcu - c.gsi_wcu)} WCU` : '',
    c.gsi_wcu > 0 ? `${units(c.gsi_wcu)} GSI WCU` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' + ') : 'no capacity';
};

/** "Sent a message: 1 RCU + 2 WCU", as the view shows and a screen reader hears it. */
export const sentenceOf = (entry: CostEntry): string =>
  `${actionOf(entry)}: ${capacityText(entry)}`;

export interface CostTotals {
  actions: number;
  requests: number;
  rcu: number;
  wcu: number;
  gsi_wcu: number;
  usd: number;
}

export const NO_COSTS: CostTotals = { actions: 0, requests: 0, rcu: 0, wcu: 0, gsi_wcu: 0, usd: 0 };

export const addEntry = (totals: CostTotals, entry: CostEntry): CostTotals => ({
  actions: totals.actions + 1,
  requests: totals.requests + entry.requests.length,
  rcu: totals.rcu + entry.rcu,
  wcu: totals.wcu + entry.wcu,
  gsi_wcu: totals.gsi_wcu + entry.gsi_wcu,
  usd: totals.usd + entry.usd,
});

/** Dollars for a million actions of the mix seen so far, on on-demand. */
export const perMillionActions = (totals: CostTotals): number =>
  totals.actions === 0 ? 0 : (totals.usd / totals.actions) * 1_000_000;

export const formatUsd = (usd: number): string => {
  if (usd >= 0.01 || usd <= 0) return `$${usd.toFixed(2)}`;
  // Two significant digits in plain decimals ($0.00000081), never exponent notation.
  const decimals = Math.min(20, 1 - Math.floor(Math.log10(usd)));
  return `$${usd.toFixed(decimals).replace(/0+$/, '')}`;
};
