/**
 * The configuration: the environment variables the product reads are read through this module
 * and refused here, with one line naming the variable, its value and what is allowed (a
 * ConfigError). Each concern's variables and defaults live in one file of `config/`;
 * README.md's table lists them all. Entry points only hand `process.env` to a loader. Read
 * elsewhere: only the AWS SDK's own variables (credentials, AWS_ENDPOINT_URL_DYNAMODB), by
 * the SDK itself.
 */
import { type ApiConfig, loadApiConfig } from './config/api.js';
import { type DatabaseConfig, dataDirOf, loadDatabaseConfig } from './config/database.js';
import type { Env } from './config/env-values.js';
import { type LocalGatewayTimeouts, loadLocalGatewayTimeouts } from './config/local-gateway.js';
import { seedDemoDataOf } from './config/local-runtime.js';
import { type LogConfig, loadLogConfig } from './config/logging.js';
import { loadStreamSettings, type StreamSettings } from './config/stream.js';

export {
  type ApiConfig,
  cursorSecretArnOf,
  isLoopbackHost,
  loadApiConfig,
  remoteLocalModeWarning,
} from './config/api.js';
export { type CognitoPool, cognitoPoolOf } from './config/cognito.js';
export type { DatabaseConfig, DatabaseTarget, DynamoClientSettings } from './config/database.js';
export {
  dataDirOf,
  loadDatabaseConfig,
  loadFunctionDatabaseConfig,
  remoteConnectionOf,
} from './config/database.js';
export { ConfigError, type Env, parsePort } from './config/env-values.js';
export {
  LOCAL_GATEWAY_DEFAULTS,
  type LocalGatewayTimeouts,
  loadLocalGatewayTimeouts,
} from './config/local-gateway.js';
export { javaCommandOf, seedDemoDataOf } from './config/local-runtime.js';
export { type LogConfig, loadLogConfig, logFormatOf } from './config/logging.js';
export {
  MANAGEMENT_ENDPOINT_VARIABLE,
  managementEndpointOf,
} from './config/realtime-management.js';
export {
  loadStreamSettings,
  STREAM_DEFAULTS,
  STREAM_VARIABLES,
  type StreamSettings,
} from './config/stream.js';

/** Everything `npm start` runs on. */
export interface StartConfig {
  api: ApiConfig;
  database: DatabaseConfig;
  dataDir: string;
  seedDemoData: boolean;
  stream: StreamSettings;
  localGateway: LocalGatewayTimeouts;
  log: LogConfig;
}

/**
 * All of `npm start`'s variables at once, before anything starts: a bad value stops it with
 * its one line, never after DynamoDB Local is up or on the first request that reads it.
 */
export const loadStartConfig = (
  env: Env = process.env,
  isTTY = process.stdout.isTTY === true,
): StartConfig => ({
  api: loadApiConfig(env),
  database: loadDatabaseConfig(env),
  dataDir: dataDirOf(env),
  seedDemoData: seedDemoDataOf(env),
  stream: loadStreamSettings(env),
  localGateway: loadLocalGatewayTimeouts(env),
  log: loadLogConfig(env, isTTY),
});
