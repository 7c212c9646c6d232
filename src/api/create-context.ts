import { createCursorCodec } from '../messaging/cursor.js';
import { Messaging } from '../messaging/messaging.js';
import type { DynamoConnection } from '../store/clients.js';
import { DynamoTable } from '../store/dynamo-table.js';
import type { ApiConfig } from './api-config.js';
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
  const messaging = new Messaging({
    table: new DynamoTable(connection.doc, { tableName }),
    cursors: createCursorCodec(cursorSecret),
  });
  const base = {
    messaging,
    checkHealth: tableHealthCheck(connection.client, tableName),
    webOrigin: config.webOrigin,
    sendRateLimit: config.sendRateLimit,
  };
  if (config.authMode === 'cognito' && config.cognito) {
    return {
      ...base,
      authMode: 'cognito',
      verifier: new CognitoVerifier(config.cognito.userPoolId, config.cognito.clientId),
    };
  }
  const issuer = await LocalIssuer.fromJwk(
    localSecrets?.issuerJwk ?? (await LocalIssuer.generateJwk()),
  );
  return { ...base, authMode: 'local', verifier: issuer, localIssuer: issuer };
};
