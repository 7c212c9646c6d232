import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Inspector } from '../context.js';
import { openEventStream } from '../event-stream.js';
import { inspectCostRoutes } from './inspect-costs.js';

const Items = Type.Object({ items: Type.Array(Type.Record(Type.String(), Type.Unknown())) });

/**
 * An attribute as JSON can carry it. The document client reads a DynamoDB set (a pair's
 * `blocked_by`, a string set) as a JS Set, which JSON.stringify turns into `{}`: a set is
 * sent as its members, sorted (a set has no order of its own). Lists and maps are walked.
 */
export const toJsonValue = (value: unknown): unknown => {
  if (value instanceof Set)
    return [...value].map(toJsonValue).sort((a, b) => (String(a) < String(b) ? -1 : 1));
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return value;
};

const jsonItems = (items: Record<string, unknown>[]) => ({
  items: items.map((item) => toJsonValue(item) as Record<string, unknown>),
});

/** Local mode only: the whole table, its GSI, the stream and the cost ledger, as the inspector page shows them. */
export const inspectRoutes: FastifyPluginAsyncTypebox<{ inspector: Inspector }> = async (
  app,
  { inspector },
) => {
  app.get(
    '/api/inspect/items',
    {
      schema: {
        summary: 'Every item of the table (a Scan; local mode only)',
        tags: ['inspect'],
        security: [],
        response: { 200: Items },
      },
    },
    async () => jsonItems(await inspector.tableItems()),
  );
  app.get(
    '/api/inspect/index',
    {
      schema: {
        summary: 'Every row of the GSI message-group-sk-index (a Scan; local mode only)',
        tags: ['inspect'],
        security: [],
        response: { 200: Items },
      },
    },
    async () => jsonItems(await inspector.indexItems()),
  );
  app.get(
    '/api/inspect/stream',
    {
      schema: {
        summary:
          'Stream records and what pattern E did with each (Server-Sent Events; local mode only)',
        tags: ['inspect'],
        security: [],
      },
    },
    async (request, reply) => {
      let unsubscribe = () => {};
      const send = openEventStream(request, reply, () => unsubscribe());
      for (const record of inspector.feed.recent()) send('record', record);
      unsubscribe = inspector.feed.subscribe((record) => send('record', record));
    },
  );
  await app.register(inspectCostRoutes, { ledger: inspector.costs });
};
