import { resolve } from 'node:path';
import { DEFAULT_TABLE_NAME } from '../store/table-definition.js';
import { ConfigError, choiceOf, type Env, parsePort, readVariable } from './env-values.js';

/**
 * Where the data lives:
 * - embedded (default): this process starts DynamoDB Local on DATA_DIR;
 * - endpoint: DYNAMODB_ENDPOINT names a DynamoDB-compatible endpoint; nothing is started;
 * - aws: DDB_TARGET=aws, real DynamoDB through the SDK's credential chain. Never by accident.
 */
export type DatabaseTarget =
  | { kind: 'embedded'; dataDir: string; port: number | undefined }
  | { kind: 'endpoint'; endpoint: string }
  | { kind: 'aws' };

/** What the SDK client is given beside the endpoint (src/store/clients.ts's connectDynamo). */
export interface DynamoClientSettings {
  /**
   * AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1: DynamoDB's region on AWS, the
   * signing region for an endpoint.
   */
  region: string;
  /**
   * AWS_ACCESS_KEY_ID is set: the SDK's own credential chain signs requests to an endpoint
   * too (LocalStack, a DynamoDB Local that keeps one database per key). Otherwise an endpoint
   * gets placeholder credentials, which DynamoDB Local accepts. On AWS the chain always signs.
   */
  credentialsInEnvironment: boolean;
}

export interface DatabaseConfig {
  target: DatabaseTarget;
  tableName: string;
  client: DynamoClientSettings;
}

/** Any path: the embedded database, the local secrets and the stream checkpoint live there. */
export const dataDirOf = (env: Env): string => resolve(readVariable(env, 'DATA_DIR') ?? '.data');

const tableNameOf = (env: Env): string => {
  const tableName = readVariable(env, 'DDB_TABLE') ?? DEFAULT_TABLE_NAME;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new ConfigError(
      `DDB_TABLE must be 3-255 characters of A-Z a-z 0-9 _ . -, got "${tableName}".`,
    );
  }
  return tableName;
};

/**
 * The client's region, whatever the target. A typo would otherwise surface as an unreachable
 * endpoint at the first request on AWS, or as another database of a DynamoDB Local without
 * -sharedDb; an empty variable is unset, never an empty region.
 */
const regionOf = (env: Env): string => {
  const name = readVariable(env, 'AWS_REGION') ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
  const region = readVariable(env, name);
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new ConfigError(`${name} must be a region name such as us-east-1, got "${region}".`);
  return region ?? 'us-east-1';
};

/** Any key id is taken (DynamoDB Local's users pick any); only whether one is set matters. */
const clientSettingsOf = (env: Env): DynamoClientSettings => ({
  region: regionOf(env),
  credentialsInEnvironment: readVariable(env, 'AWS_ACCESS_KEY_ID') !== undefined,
});

export const loadDatabaseConfig = (env: Env = process.env): DatabaseConfig => {
  const tableName = tableNameOf(env);
  const client = clientSettingsOf(env);
  const explicit = choiceOf(env, 'DDB_TARGET', ['embedded', 'endpoint', 'aws'] as const);
  const endpoint = readVariable(env, 'DYNAMODB_ENDPOINT');
  if (endpoint && (explicit === 'aws' || explicit === 'embedded'))
    throw new ConfigError(`DDB_TARGET=${explicit} and DYNAMODB_ENDPOINT exclude each other.`);
  if (explicit === 'aws') {
    return { tableName, client, target: { kind: 'aws' } };
  }
  if (endpoint || explicit === 'endpoint') {
    if (!endpoint) throw new ConfigError('DDB_TARGET=endpoint needs DYNAMODB_ENDPOINT=URL.');
    if (!/^https?:\/\/[^\s]+$/.test(endpoint)) {
      throw new ConfigError(`DYNAMODB_ENDPOINT must be an http(s) URL, got "${endpoint}".`);
    }
    return { tableName, client, target: { kind: 'endpoint', endpoint } };
  }
  return {
    tableName,
    client,
    target: {
      kind: 'embedded',
      dataDir: dataDirOf(env),
      port: parsePort(env, 'DYNAMODB_LOCAL_PORT'),
    },
  };
};

/**
 * What the DynamoDB client is given for a target that starts nothing: DynamoDB on AWS, or
 * the endpoint named (src/store/clients.ts's connectDynamo options).
 */
export const remoteConnectionOf = (config: DatabaseConfig) => ({
  ...config.client,
  endpoint: config.target.kind === 'endpoint' ? config.target.endpoint : undefined,
});

/**
 * The API's and the WebSocket functions' table: DynamoDB of the function's region through its
 * role, or DYNAMODB_ENDPOINT when set (tests against DynamoDB Local). DDB_TARGET is theirs to
 * decide, not the environment's.
 */
export const loadFunctionDatabaseConfig = (env: Env): DatabaseConfig =>
  loadDatabaseConfig({
    ...env,
    DDB_TARGET: readVariable(env, 'DYNAMODB_ENDPOINT') ? 'endpoint' : 'aws',
  });
