import { resolve } from 'node:path';
import { DEFAULT_TABLE_NAME } from './store/table-definition.js';

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

export class ConfigError extends Error {
  readonly code = 'invalid_config';
}

type Env = Record<string, string | undefined>;

export const dataDirOf = (env: Env): string => resolve(env.DATA_DIR || '.data');

export const loadDatabaseConfig = (env: Env = process.env): DatabaseConfig => {
  const tableName = env.DDB_TABLE || DEFAULT_TABLE_NAME;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new ConfigError(
      `DDB_TABLE must be 3-255 characters of A-Z a-z 0-9 _ . -, got "${tableName}".`,
    );
  }
  const explicit = env.DDB_TARGET?.toLowerCase();
  const endpoint = env.DYNAMODB_ENDPOINT;
  if (explicit === 'aws') {
    if (endpoint) throw new ConfigError('DDB_TARGET=aws and DYNAMODB_ENDPOINT exclude each other.');
    return { tableName, target: { kind: 'aws', region: env.AWS_REGION || env.AWS_DEFAULT_REGION } };
  }
  if (endpoint || explicit === 'endpoint') {
    if (!endpoint) throw new ConfigError('DDB_TARGET=endpoint needs DYNAMODB_ENDPOINT=URL.');
    if (!/^https?:\/\/[^\s]+$/.test(endpoint)) {
      throw new ConfigError(`DYNAMODB_ENDPOINT must be an http(s) URL, got "${endpoint}".`);
    }
    return { tableName, target: { kind: 'endpoint', endpoint } };
  }
  if (explicit !== undefined && explicit !== '' && explicit !== 'embedded') {
    throw new ConfigError(`DDB_TARGET must be embedded, endpoint or aws, got "${env.DDB_TARGET}".`);
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

/** The port in `env[name]`, if set; the message names the variable (several hold ports). */
export const parsePort = (env: Env, name: string): number | undefined => {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigError(`Not a port number: ${name}="${value}".`);
  }
  return port;
};
