import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type CostLedger, LEDGER_SIZE } from '../../costs/cost-ledger.js';
import { openEventStream } from '../event-stream.js';
import {
  type CostEntry,
  type CostEntryList,
  CostEntryListJson,
  errorResponses,
} from '../schemas.js';

/** Entries a new viewer of the live feed gets first, so a reconnect misses nothing recent. */
const REPLAYED = 50;

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
          200: CostEntryListJson,
          ...errorResponses(400),
        },
      },
    },
    async (request): Promise<CostEntryList> => ({ entries: ledger.entries(request.query.limit) }),
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
      // Each event is one entry of GET /api/inspect/costs, on the wire as its schema says.
      const sendEntry = (entry: CostEntry) => send('cost', entry);
      for (const entry of ledger.entries(REPLAYED).reverse()) sendEntry(entry);
      unsubscribe = ledger.subscribe(sendEntry);
    },
  );
};
