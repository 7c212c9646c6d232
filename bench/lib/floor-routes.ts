import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { FastifyInstance } from 'fastify';
import { findGroupRowsQuery } from '../../src/messaging/requests/message-groups.js';
import { listMessageGroupsQuery, listMessagesQuery } from '../../src/messaging/requests/queries.js';
import { bareMarkRead, type MarkReadReaders } from './mark-read-readers.js';
import { bareFindPeople } from './people-search.js';

/** A's bare requests: the page's Query and, in parallel, the GSI Query for the other's read position ("Seen"). */
export const bareListMessages = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  group: string,
): Promise<number> => {
  const [page, rows] = await Promise.all([
    doc.send(new QueryCommand(listMessagesQuery(tableName, group, 20))),
    doc.send(new QueryCommand(findGroupRowsQuery(tableName, group))),
  ]);
  return (page.Items?.length ?? 0) + (rows.Items?.length ?? 0);
};

/**
 * The HTTP floor: the bare request behind the same server, with none of our route code
 * (no auth, validation, participant check, mapping or cursor). API minus floor is what our
 * code adds; floor minus bare is the loopback hop and Node's HTTP. For A, B, people search
 * and mark read, under /bench/floor/.
 */
export const addFloorRoutes = (
  app: FastifyInstance,
  options: { doc: DynamoDBDocumentClient; tableName: string; readers: MarkReadReaders },
): void => {
  const { doc, tableName, readers } = options;
  app.get('/bench/floor/messages/:group', async (request) => {
    const { group } = request.params as { group: string };
    return { items: await bareListMessages(doc, tableName, group) };
  });
  app.get('/bench/floor/message_groups/:user', async (request) => {
    const { user } = request.params as { user: string };
    const out = await doc.send(new QueryCommand(listMessageGroupsQuery(tableName, user, 20)));
    return { items: out.Items?.length ?? 0 };
  });
  // People search: its two Queries (handles, words of names) in parallel, as findUsers sends them.
  app.get('/bench/floor/people', async (request) => {
    const { q } = request.query as { q: string };
    return { items: await bareFindPeople(doc, tableName, q) };
  });
  app.post('/bench/floor/read', async () => {
    await bareMarkRead(doc, tableName, readers.nextBare());
    return { ok: 1 };
  });
};
