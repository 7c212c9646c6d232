import type { ApiConfig } from '../config.js';
import { CostLedger } from '../costs/cost-ledger.js';
import { meterCosts } from '../costs/cost-middleware.js';
import { createCursorCodec } from '../messaging/cursor.js';
import { MESSAGE_GROUP_INDEX } from '../messaging/keys.js';
import { Messaging } from '../messaging/messaging.js';
import { InspectorFeed } from '../push/inspector-feed.js';
import type { DynamoConnection } from '../store/clients.js';
import { DynamoTable } from '../store/dynamo-table.js';
import { scanAll } from '../store/scan-all.js';
import { CognitoVerifier } from './auth/cognito-verifier.js';
import { LocalIssuer } from './auth/local-issuer.js';
import type { ApiContext } from './context.js';
import { tableHealthCheck } from './health-check.js';

export interface ContextSources {
  config: ApiConfig;
  connection: DynamoConnection;
  tableName: string;
  /** Local mode: the dev issuer's key and the cursor secret of the data dir. */
  localSecrets?: { issuerJwk: import('jose').JWK; cursorSecret: Buffer } | undefined;
}

export const createApiContext = async ({
  config,
  connection,
  tableName,
  localSecrets,
}: ContextSources): Promise<ApiContext> => {
  const cursorSecret = config.cursorSecret ?? localSecrets?.cursorSecret;
  const table = new DynamoTable(connection.doc, { tableName });
  const messaging = new Messaging({
    table,
    cursors: createCursorCodec(cursorSecret),
    editWindowSeconds: config.editWindowSeconds,
  });
  const base = {
    messaging,
    checkHealth: tableHealthCheck(connection.client, tableName),
    webOrigin: config.webOrigin,
    realtimeUrl: config.realtimeUrl ? () => config.realtimeUrl as string : undefined,
    sendRateLimit: config.sendRateLimit,
  };
  if (config.authMode === 'cognito' && config.cognito) {
    return {
      ...base,
      authMode: 'cognito',
      verifier: new CognitoVerifier(config.cognito.userPoolId, config.cognito.clientId),
      hostedSignIn: config.cognito.domain
        ? { domain: config.cognito.domain, clientId: config.cognito.clientId }
        : undefined,
    };
  }
  const issuer = await LocalIssuer.fromJwk(
    localSecrets?.issuerJwk ?? (await LocalIssuer.generateJwk()),
  );
  // Local mode meters the connection's client: the API's, the stream consumer's and the
  // realtime gateway's requests all go through it under `npm start`.
  const costs = new CostLedger();
  meterCosts(connection.client, costs);
  const inspector = {
    feed: new InspectorFeed(),
    costs,
    // A demo-sized table: past 5,000 items the inspector shows the first 5,000.
    tableItems: () => scanAll(connection.doc, { TableName: tableName }, 5_000),
    indexItems: () =>
      scanAll(connection.doc, { TableName: tableName, IndexName: MESSAGE_GROUP_INDEX }, 5_000),
  };
  return { ...base, authMode: 'local', verifier: issuer, localIssuer: issuer, inspector };
};

/**
 * A local-mode context around an existing core, without push or inspector: what tests and
 * benchmarks run the API with. No rate limit unless asked.
 */
export const localApiContext = (
  messaging: Messaging,
  issuer: LocalIssuer,
  checkHealth: () => Promise<boolean>,
  overrides: Partial<ApiContext> = {},
): ApiContext => ({
  messaging,
  verifier: issuer,
  authMode: 'local',
  localIssuer: issuer,
  checkHealth,
  webOrigin: 'http://localhost:3000',
  sendRateLimit: 0,
  ...overrides,
});
