import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { Authenticator } from '../api/auth/authenticator.js';
import { CognitoVerifier } from '../api/auth/cognito-verifier.js';
import {
  ConfigError,
  cognitoPoolOf,
  loadFunctionDatabaseConfig,
  MANAGEMENT_ENDPOINT_VARIABLE,
  managementEndpointOf,
  remoteConnectionOf,
} from '../config.js';
import { Messaging } from '../messaging/messaging.js';
import { connectDynamo } from '../store/clients.js';
import { DynamoTable } from '../store/dynamo-table.js';
import { createRealtimeAuthorizer } from './authorizer.js';
import { ConnectionRegistry } from './connection-registry.js';
import { managementClient } from './management-client.js';
import { RealtimePusher } from './pusher.js';
import { createRealtimeHandler, type RealtimeHandler } from './websocket-handler.js';

/**
 * The deployed entries of the WebSocket API, one bundle for two functions: `authorizer`
 * (the `$connect` REQUEST authorizer) and `handler` (every route). Each is built once per
 * container on its first invocation, from the environment:
 * - DDB_TABLE; DYNAMODB_ENDPOINT, when set, points at DynamoDB Local (tests), as in
 *   src/api/lambda.ts; on AWS the SDK finds DynamoDB itself;
 * - the authorizer: COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID (Cognito access tokens; a user
 *   seen for the first time is created, as the API does in Cognito mode);
 * - the handler: REALTIME_MANAGEMENT_ENDPOINT, the stage's Management API, where replies
 *   (`pong`, `error`) and typing frames are posted.
 */
const messagingFromEnv = (env: Record<string, string | undefined>) => {
  const database = loadFunctionDatabaseConfig(env);
  const connection = connectDynamo(remoteConnectionOf(database));
  const table = new DynamoTable(connection.doc, { tableName: database.tableName });
  // No cursors are issued here: the codec's random key is never used.
  return { table, messaging: new Messaging({ table }) };
};

type Authorizer = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

let deployedAuthorizer: Authorizer | undefined;
let deployedHandler: RealtimeHandler | undefined;

export const authorizer: Authorizer = async (event) => {
  if (!deployedAuthorizer) {
    const env = process.env;
    const { userPoolId, clientId } = cognitoPoolOf(env, 'The authorizer');
    const { messaging } = messagingFromEnv(env);
    const authenticator = new Authenticator(
      new CognitoVerifier(userPoolId, clientId),
      messaging,
      true,
    );
    deployedAuthorizer = createRealtimeAuthorizer((token) => authenticator.authenticate(token));
  }
  return deployedAuthorizer(event);
};

export const handler: RealtimeHandler = async (event) => {
  if (!deployedHandler) {
    const env = process.env;
    const endpoint = managementEndpointOf(env);
    if (!endpoint)
      throw new ConfigError(`The WebSocket handler needs ${MANAGEMENT_ENDPOINT_VARIABLE}.`);
    const { table, messaging } = messagingFromEnv(env);
    const registry = new ConnectionRegistry(table);
    const pusher = new RealtimePusher({ registry, client: managementClient(endpoint) });
    deployedHandler = createRealtimeHandler({ registry, pusher, messaging });
  }
  return deployedHandler(event);
};
