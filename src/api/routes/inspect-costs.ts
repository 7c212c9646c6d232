import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type CostLedger, LEDGER_SIZE } from '../../costs/cost-ledger.js';
import { messageGroupPartition } from '../../messaging/keys.js';
import { openEventStream } from '../event-stream.js';
import { errorResponses } from '../schemas.js';

/** Entries a new viewer of the live feed gets first, so a reconnect misses nothing recent. */
const REPLAYED = 50;

const RequestCostJson = Type.Object({
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

const CostEntryJson = Type.Object({
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

/** Local mode only: what each action of the app cost in DynamoDB, recorded while watched. */
export const inspectCostRoutes: FastifyPluginAsyncTypebox<{ ledger: CostLedger }> = async (
  app,
  { ledger },
) => {
  app.get(
    '/api/inspect/costs',
    {
      schema: {
        summary: 'What each browser request and stream batch cost in DynamoDB (local mode only)',
        description:
          'Newest first, the last 500. Recorded only while someone watches ' +
          '/api/inspect/costs/stream (the inspector page): an unwatched server records nothing.',
        tags: ['inspect'],
        security: [],
        querystring: Type.Object(
          {
            limit: Type.Optional(
              Type.Integer({ minimum: 1, maximum: LEDGER_SIZE, default: LEDGER_SIZE }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ entries: Type.Array(CostEntryJson) }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => ({ entries: ledger.entries(request.query.limit) }),
  );
  app.get(
    '/api/inspect/costs/stream',
    {
      schema: {
        summary: 'New cost ledger entries as they happen (Server-Sent Events; local mode only)',
        description: `Watching turns recording on. The last ${REPLAYED} entries come first, oldest first.`,
        tags: ['inspect'],
        security: [],
      },
    },
    async (request, reply) => {
      let unsubscribe = () => {};
      const send = openEventStream(request, reply, () => unsubscribe());
      for (const entry of ledger.entries(REPLAYED).reverse()) send('cost', entry);
      unsubscribe = ledger.subscribe((entry) => send('cost', entry));
    },
  );
};
