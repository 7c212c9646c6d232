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
  | { kind: 'aws'; region: string | undefined };

export interface DatabaseConfig {
  target: DatabaseTarget;
  tableName: string;
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
 * The region for DDB_TARGET=aws, when the environment names one (else the SDK's own chain
 * decides). A typo would otherwise surface as an unreachable endpoint at the first request.
 */
const regionOf = (env: Env): string | undefined => {
  const name = readVariable(env, 'AWS_REGION') ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
  const region = readVariable(env, name);
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new ConfigError(`${name} must be a region name such as us-east-1, got "${region}".`);
  return region;
};

export const loadDatabaseConfig = (env: Env = process.env): DatabaseConfig => {
  const tableName = tableNameOf(env);
  const explicit = choiceOf(env, 'DDB_TARGET', ['embedded', 'endpoint', 'aws'] as const);
  const endpoint = readVariable(env, 'DYNAMODB_ENDPOINT');
  if (explicit === 'aws') {
    if (endpoint) throw new ConfigError('DDB_TARGET=aws and DYNAMODB_ENDPOINT exclude each other.');
    return { tableName, target: { kind: 'aws', region: regionOf(env) } };
  }
  if (endpoint || explicit === 'endpoint') {
    if (!endpoint) throw new ConfigError('DDB_TARGET=endpoint needs DYNAMODB_ENDPOINT=URL.');
    if (!/^https?:\/\/[^\s]+$/.test(endpoint)) {
      throw new ConfigError(`DYNAMODB_ENDPOINT must be an http(s) URL, got "${endpoint}".`);
    }
    return { tableName, target: { kind: 'endpoint', endpoint } };
  }
  return {
    tableName,
    target: {
      kind: 'embedded',
      dataDir: dataDirOf(env),
      port: parsePort(env, 'DYNAMODB_LOCAL_PORT'),
    },
  };
};
