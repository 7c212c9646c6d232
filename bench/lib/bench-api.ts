import type { FastifyInstance } from 'fastify';
import pMap from 'p-map';
import { buildApp } from '../../src/api/app.js';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import { localApiContext } from '../../src/api/create-context.js';
import { tableHealthCheck } from '../../src/api/health-check.js';
import { createCursorCodec } from '../../src/messaging/cursor.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import type { DynamoConnection } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import type { BenchConversation, Dataset } from './dataset.js';
import type { LoadGenerator } from './http-load.js';

export interface BenchApi {
  app: FastifyInstance;
  /** Where it listens: http://127.0.0.1:<port>. */
  base: string;
  /** The API's own core (its caches are the ones the latency runs meet). */
  messaging: Messaging;
  table: DynamoTable;
  /** A signed-in user's bearer token (every user of the dataset and their legacy twins). */
  token: (user: User) => string;
  /**
   * Steady state: every user has signed in before (their token and profile are cached by the
   * API) and the API has met these conversations before (their participants are cached).
   * Run before each pattern: the token cache forgets after 60 s, and a pattern's runs end
   * well within that.
   */
  warmCaches: (conversations: readonly BenchConversation[]) => Promise<void>;
}

/** The API in local mode on `messaging`, listening on a loopback port of its own. */
export const listenLocalApi = async (
  connection: DynamoConnection,
  tableName: string,
  messaging: Messaging,
  issuer: LocalIssuer,
  addRoutes?: (app: FastifyInstance) => void,
): Promise<{ app: FastifyInstance; base: string }> => {
  const app = await buildApp({
    context: localApiContext(messaging, issuer, tableHealthCheck(connection.client, tableName)),
  });
  addRoutes?.(app);
  return { app, base: await app.listen({ port: 0, host: '127.0.0.1' }) };
};

/**
 * The Fastify app of `npm start` on loopback, in this process, with real tokens (local
 * issuer), plus the routes `addRoutes` adds (the HTTP floor); and the load generator warmed.
 */
export const startBenchApi = async (options: {
  connection: DynamoConnection;
  tableName: string;
  dataset: Dataset;
  loadGenerator: LoadGenerator;
  /** Where the load generator runs with 1 client (see pin-cores.ts). */
  loadGeneratorCores: string | undefined;
  addRoutes: (app: FastifyInstance) => void;
}): Promise<BenchApi> => {
  const { connection, tableName, dataset, loadGenerator } = options;
  const table = new DynamoTable(connection.doc, { tableName });
  const messaging = new Messaging({ table, cursors: createCursorCodec() });
  const issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
  const { app, base } = await listenLocalApi(
    connection,
    tableName,
    messaging,
    issuer,
    options.addRoutes,
  );

  const everyone = [...dataset.users, ...dataset.legacyTwins];
  const tokens = new Map<string, string>();
  for (const user of everyone) tokens.set(user.uuid, await issuer.issue(user));
  const token = (user: User) => tokens.get(user.uuid) ?? '';
  // The load generator's process is new and its code not yet optimized: the first pattern
  // measured it (user lookup at 1 client cost it 280–590 µs of CPU per request, A and B after
  // it 110–160 µs). Two seconds of requests first, not measured.
  await loadGenerator.run({
    baseUrl: base,
    cores: options.loadGeneratorCores,
    connections: 8,
    seconds: 2,
    specs: dataset.users.map((user) => ({ method: 'GET', path: '/api/me', token: token(user) })),
  });

  const warmCaches = async (conversations: readonly BenchConversation[]) => {
    await pMap(
      everyone,
      (user) => fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token(user)}` } }),
      { concurrency: 32 },
    );
    for (const c of conversations) await messaging.participants(c.groupUuid);
  };
  return { app, base, messaging, table, token, warmCaches };
};
