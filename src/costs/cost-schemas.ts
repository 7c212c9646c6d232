import { type Static, Type } from 'typebox';
import { messageGroupPartition } from '../messaging/keys.js';

// The ledger's JSON: the types its code makes, and the schemas the API's inspector routes
// answer with (src/api/schemas.ts re-exports them), one definition for both.

/** One DynamoDB request of a cost ledger entry (request-cost.ts computes it). */
export const RequestCostJson = Type.Object({
  operation: Type.String({ description: 'GetItem, Query, PutItem, TransactWriteItems, …' }),
  table: Type.String(),
  index: Type.Union([Type.String(), Type.Null()], { description: 'the index read, if any' }),
  items_read: Type.Integer(),
  items_written: Type.Integer(),
  rcu: Type.Number({ description: 'read request units, as DynamoDB reported them' }),
  wcu: Type.Number({ description: "write request units by AWS's rules, the GSI's included" }),
  gsi_wcu: Type.Number({ description: 'of wcu, what keeping the GSI up to date cost' }),
  group_rows: Type.Integer({
    description: `group rows (${messageGroupPartition('')}) written, one per owner`,
  }),
  failed: Type.Boolean({ description: 'a condition failed (AWS charges the write anyway)' }),
});
export type RequestCost = Static<typeof RequestCostJson>;

/**
 * What one browser request, stream batch or WebSocket event cost in DynamoDB (local mode's
 * inspector): each entry of `GET /api/inspect/costs`, and each `cost` event of its stream.
 */
export const CostEntryJson = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  source: Type.String({
    description: 'what caused it: "POST /api/messages", "stream batch", "WebSocket $connect"',
  }),
  records: Type.Optional(Type.Integer({ description: "a stream batch's record count" })),
  requests: Type.Array(RequestCostJson),
  rcu: Type.Number(),
  wcu: Type.Number(),
  gsi_wcu: Type.Number(),
  usd: Type.Number({ description: 'on-demand price in US dollars (us-east-1)' }),
});
export type CostEntry = Static<typeof CostEntryJson>;
