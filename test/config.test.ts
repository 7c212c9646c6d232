import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  cognitoPoolOf,
  cursorSecretArnOf,
  LOCAL_GATEWAY_DEFAULTS,
  loadDatabaseConfig,
  loadFunctionDatabaseConfig,
  loadLogConfig,
  loadStartConfig,
  loadStreamSettings,
  logFormatOf,
  managementEndpointOf,
  STREAM_DEFAULTS,
  STREAM_VARIABLES,
} from '../src/config.js';

type Env = Record<string, string | undefined>;

describe('database config', () => {
  it('defaults to the embedded DynamoDB Local on .data and the seed table name', () => {
    const config = loadDatabaseConfig({});
    expect(config.tableName).toBe('cruddur-messages');
    expect(config.target).toMatchObject({ kind: 'embedded', port: undefined });
    expect(config.target.kind === 'embedded' && config.target.dataDir.endsWith('/.data')).toBe(
      true,
    );
  });

  it('uses an endpoint without starting anything when DYNAMODB_ENDPOINT is set', () => {
    expect(
      loadDatabaseConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000', DDB_TABLE: 'other' }),
    ).toEqual({
      tableName: 'other',
      target: { kind: 'endpoint', endpoint: 'http://localhost:8000' },
      client: { region: 'us-east-1', credentialsInEnvironment: false },
    });
  });

  it('goes to AWS only when told so explicitly', () => {
    expect(loadDatabaseConfig({ DDB_TARGET: 'aws', AWS_REGION: 'eu-west-1' })).toMatchObject({
      target: { kind: 'aws' },
      client: { region: 'eu-west-1' },
    });
    expect(loadDatabaseConfig({ AWS_REGION: 'eu-west-1' }).target.kind).toBe('embedded');
  });

  it('gives the SDK client its region and says whether the environment holds credentials', () => {
    const client = (env: Env) => loadDatabaseConfig(env).client;
    expect(client({})).toEqual({ region: 'us-east-1', credentialsInEnvironment: false });
    expect(client({ AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(client({ AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe(
      'ap-south-1',
    );
    // An empty variable is unset: never an empty region handed to the SDK.
    expect(client({ AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(client({ AWS_REGION: '' }).region).toBe('us-east-1');
    // Any key id counts (DynamoDB Local takes any); an empty one does not.
    expect(client({ AWS_ACCESS_KEY_ID: 'local' }).credentialsInEnvironment).toBe(true);
    expect(client({ AWS_ACCESS_KEY_ID: '' }).credentialsInEnvironment).toBe(false);
    expect(
      client({ DYNAMODB_ENDPOINT: 'http://localhost:8000', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' }),
    ).toEqual({ region: 'us-east-1', credentialsInEnvironment: true });
  });

  it.each([
    [{ DDB_TARGET: 'aws', DYNAMODB_ENDPOINT: 'http://x:1' }, 'exclude each other'],
    [
      { DDB_TARGET: 'embedded', DYNAMODB_ENDPOINT: 'http://x:1' },
      'DDB_TARGET=embedded and DYNAMODB_ENDPOINT exclude each other',
    ],
    [{ DDB_TARGET: 'endpoint' }, 'needs DYNAMODB_ENDPOINT'],
    [{ DYNAMODB_ENDPOINT: 'localhost:8000' }, 'http(s) URL'],
    [{ DDB_TARGET: 'cloud' }, 'embedded, endpoint or aws'],
    [{ DDB_TABLE: 'a b' }, 'DDB_TABLE'],
    [{ DYNAMODB_LOCAL_PORT: '70000' }, 'Not a port'],
  ])('rejects %j with a clear message', (env, message) => {
    expect(() => loadDatabaseConfig(env)).toThrow(
      expect.objectContaining({
        code: 'invalid_config',
        message: expect.stringContaining(message),
      }),
    );
  });
});

const SECRET = 'a-test-cursor-secret-of-at-least-32-bytes';
const cognito: Env = {
  AUTH_MODE: 'cognito',
  COGNITO_USER_POOL_ID: 'us-east-1_Example01',
  COGNITO_CLIENT_ID: 'exampleclientid0123456789',
  CURSOR_SECRET: SECRET,
};

/** The ConfigError `npm start` stops with for `env`, or a failure if it starts. */
const refusal = (env: Env): ConfigError => {
  try {
    loadStartConfig(env, false);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};

/** A bad value of every variable that has one, and the one line it is refused with. */
const REFUSED: [variable: string, env: Env, message: string][] = [
  ['PORT', { PORT: '80.5' }, 'Not a port number: PORT="80.5".'],
  [
    'HOST',
    { HOST: 'http://0.0.0.0' },
    'HOST must be a host name or an IP address such as 127.0.0.1, got "http://0.0.0.0".',
  ],
  [
    'ALLOW_REMOTE_LOCAL_MODE',
    { ALLOW_REMOTE_LOCAL_MODE: 'yes' },
    'ALLOW_REMOTE_LOCAL_MODE must be 1, 0 or unset, got "yes".',
  ],
  ['AUTH_MODE', { AUTH_MODE: 'none' }, 'AUTH_MODE must be local or cognito, got "none".'],
  [
    'COGNITO_USER_POOL_ID',
    { ...cognito, COGNITO_USER_POOL_ID: 'my pool' },
    'COGNITO_USER_POOL_ID must be a user pool id such as us-east-1_AbC123xyz, got "my pool".',
  ],
  [
    'COGNITO_CLIENT_ID',
    { ...cognito, COGNITO_CLIENT_ID: undefined },
    'AUTH_MODE=cognito needs COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID.',
  ],
  [
    'COGNITO_DOMAIN',
    { ...cognito, COGNITO_DOMAIN: 'auth.example.org' },
    'COGNITO_DOMAIN must be the hosted UI\'s https:// base URL, got "auth.example.org".',
  ],
  ['CURSOR_SECRET', { CURSOR_SECRET: 'short' }, 'CURSOR_SECRET must be at least 32 bytes.'],
  [
    'WEB_ORIGIN',
    { WEB_ORIGIN: 'https://example.org/' },
    'WEB_ORIGIN must be an origin such as https://example.org (no path, no trailing slash), got "https://example.org/".',
  ],
  [
    'SEND_RATE_LIMIT',
    { SEND_RATE_LIMIT: ' ' },
    'SEND_RATE_LIMIT must be a whole number (0 turns it off), got " ".',
  ],
  [
    'EDIT_WINDOW_S',
    { EDIT_WINDOW_S: '15m' },
    'EDIT_WINDOW_S must be a whole number of seconds, got "15m".',
  ],
  [
    'REALTIME_URL',
    { REALTIME_URL: 'https://example.org/live' },
    'REALTIME_URL must be a ws:// or wss:// URL, got "https://example.org/live".',
  ],
  [
    'DDB_TABLE',
    { DDB_TABLE: 'a b' },
    'DDB_TABLE must be 3-255 characters of A-Z a-z 0-9 _ . -, got "a b".',
  ],
  [
    'DDB_TARGET',
    { DDB_TARGET: 'cloud' },
    'DDB_TARGET must be embedded, endpoint or aws, got "cloud".',
  ],
  [
    'DYNAMODB_ENDPOINT',
    { DYNAMODB_ENDPOINT: 'localhost:8000' },
    'DYNAMODB_ENDPOINT must be an http(s) URL, got "localhost:8000".',
  ],
  [
    'AWS_REGION',
    { AWS_REGION: 'Europe' },
    'AWS_REGION must be a region name such as us-east-1, got "Europe".',
  ],
  [
    'AWS_DEFAULT_REGION',
    { DDB_TARGET: 'aws', AWS_DEFAULT_REGION: 'us east 1' },
    'AWS_DEFAULT_REGION must be a region name such as us-east-1, got "us east 1".',
  ],
  [
    'DYNAMODB_LOCAL_PORT',
    { DYNAMODB_LOCAL_PORT: '70000' },
    'Not a port number: DYNAMODB_LOCAL_PORT="70000".',
  ],
  ['SEED', { SEED: 'no' }, 'SEED must be 1, 0 or unset, got "no".'],
  [
    'STREAM_BATCH_SIZE',
    { STREAM_BATCH_SIZE: '5000' },
    'STREAM_BATCH_SIZE must be a whole number from 1 to 1000, got "5000".',
  ],
  [
    'STREAM_BATCHING_WINDOW_MS',
    { STREAM_BATCHING_WINDOW_MS: '0.5' },
    'STREAM_BATCHING_WINDOW_MS must be a whole number from 0 to 300000, got "0.5".',
  ],
  [
    'STREAM_BUSY_BATCHING_WINDOW_MS',
    { STREAM_BUSY_BATCHING_WINDOW_MS: '-1' },
    'STREAM_BUSY_BATCHING_WINDOW_MS must be a whole number from 0 to 300000, got "-1".',
  ],
  [
    'STREAM_POLL_INTERVAL_MS',
    { STREAM_POLL_INTERVAL_MS: '0' },
    'STREAM_POLL_INTERVAL_MS must be a whole number from 1 to 60000, got "0".',
  ],
  [
    'STREAM_MAX_RETRIES',
    { STREAM_MAX_RETRIES: 'three' },
    'STREAM_MAX_RETRIES must be a whole number from 0 to 10000, got "three".',
  ],
  [
    'REALTIME_IDLE_TIMEOUT_MS',
    { REALTIME_IDLE_TIMEOUT_MS: '10m' },
    'REALTIME_IDLE_TIMEOUT_MS must be a whole number from 1 to 2147483647, got "10m".',
  ],
  [
    'REALTIME_MAX_CONNECTION_AGE_MS',
    { REALTIME_MAX_CONNECTION_AGE_MS: '9999999999' },
    'REALTIME_MAX_CONNECTION_AGE_MS must be a whole number from 1 to 2147483647, got "9999999999".',
  ],
  [
    'LOG_LEVEL',
    { LOG_LEVEL: 'verbose' },
    'LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent, got "verbose".',
  ],
  ['LOG_REQUESTS', { LOG_REQUESTS: 'true' }, 'LOG_REQUESTS must be 1, 0 or unset, got "true".'],
  ['LOG_FORMAT', { LOG_FORMAT: 'text' }, 'LOG_FORMAT must be pretty or json, got "text".'],
];

const CONFIG_DIR = new URL('../src/config/', import.meta.url);

/** Variables any value of which is taken: a path, a command, a key id. */
const ANY_VALUE = ['DATA_DIR', 'JAVA', 'AWS_ACCESS_KEY_ID'];
/** Read by the deployed functions only (the stack sets them): refused below, as they load. */
const DEPLOYED_ONLY = ['REALTIME_MANAGEMENT_ENDPOINT', 'CURSOR_SECRET_ARN'];

describe("npm start's configuration", () => {
  it.each(REFUSED)(
    'refuses a bad %s with one line naming it, the value and what is allowed',
    (_, env, message) => {
      const error = refusal(env);
      expect(error).toMatchObject({ name: 'ConfigError', code: 'invalid_config', message });
      expect(message).not.toContain('\n');
    },
  );

  it('takes nothing set, with one set of defaults for the event source and the gateway', () => {
    const config = loadStartConfig({}, false);
    expect(config.stream).toEqual(STREAM_DEFAULTS);
    expect(loadStreamSettings({})).toEqual(STREAM_DEFAULTS);
    expect(config.localGateway).toEqual(LOCAL_GATEWAY_DEFAULTS);
    expect(config.seedDemoData).toBe(true);
    expect(config.log).toEqual({ level: 'info', requests: false, format: 'json' });
    expect(config.dataDir.endsWith('/.data')).toBe(true);
  });

  it('takes every STREAM_ setting as given, at the ends of its range', () => {
    const ends = (end: 'min' | 'max') =>
      Object.fromEntries(
        Object.values(STREAM_VARIABLES).map((rule) => [rule.name, String(rule[end])]),
      );
    expect(loadStreamSettings(ends('min'))).toEqual({
      batchSize: 1,
      batchingWindowMs: 0,
      busyBatchingWindowMs: 0,
      pollIntervalMs: 1,
      maxRetries: 0,
    });
    expect(loadStreamSettings(ends('max'))).toEqual({
      batchSize: 1_000,
      batchingWindowMs: 300_000,
      busyBatchingWindowMs: 300_000,
      pollIntervalMs: 60_000,
      maxRetries: 10_000,
    });
  });

  it('takes an empty variable as unset', () => {
    const empty = Object.fromEntries(REFUSED.map(([name]) => [name, '']));
    expect(loadStartConfig(empty, false)).toEqual(loadStartConfig({}, false));
  });

  it("lists in README.md's table exactly the variables it reads", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('| variable | default |');
    const table = readme.slice(start, readme.indexOf('\n\n', start));
    const listed = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap(([, cell]) =>
      [...(cell ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(([, name]) => name),
    );
    const read = [...REFUSED.map(([name]) => name), ...ANY_VALUE, ...DEPLOYED_ONLY];
    expect(new Set(listed)).toEqual(new Set(read));
    // What it reads: every variable name src/config/ quotes, each tested above or any-value.
    const sources = [
      ...readdirSync(CONFIG_DIR).map((file) => readFileSync(new URL(file, CONFIG_DIR), 'utf8')),
      readFileSync(new URL('../src/config.ts', import.meta.url), 'utf8'),
    ];
    const quoted = sources.flatMap((source) =>
      [...source.matchAll(/'([A-Z][A-Z0-9_]+)'/g)].map(([, name]) => name),
    );
    expect(new Set(quoted)).toEqual(new Set(read));
  });

  it('is the only reader of the environment: elsewhere process.env is only handed to it', () => {
    const src = new URL('../src/', import.meta.url);
    const readers = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.startsWith('config'))
      .filter((file) => /process\.env\s*(\.|\[)/.test(readFileSync(new URL(file, src), 'utf8')));
    // That one sets the AWS SDK's own flag before the SDK loads; it reads nothing.
    expect(readers).toEqual(['runtime/node-version-notice.ts']);
  });
});

describe('the deployed functions', () => {
  it("take DynamoDB of the function's region, or DYNAMODB_ENDPOINT when set (tests)", () => {
    expect(
      loadFunctionDatabaseConfig({ DDB_TARGET: 'embedded', AWS_REGION: 'eu-west-1' }),
    ).toMatchObject({ target: { kind: 'aws' }, client: { region: 'eu-west-1' } });
    expect(
      loadFunctionDatabaseConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', DDB_TABLE: 't-1' }),
    ).toMatchObject({ tableName: 't-1', target: { kind: 'endpoint' } });
  });

  it('refuse a WebSocket authorizer without its user pool, or with a malformed pool id', () => {
    expect(() => cognitoPoolOf({ COGNITO_CLIENT_ID: 'client' }, 'The authorizer')).toThrow(
      new ConfigError('The authorizer needs COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID.'),
    );
    expect(() =>
      cognitoPoolOf({ COGNITO_USER_POOL_ID: 'pool', COGNITO_CLIENT_ID: 'c' }, 'The authorizer'),
    ).toThrow(
      /^COGNITO_USER_POOL_ID must be a user pool id such as us-east-1_AbC123xyz, got "pool"\.$/,
    );
  });

  it('refuse a REALTIME_MANAGEMENT_ENDPOINT that is not an http(s) URL', () => {
    expect(() => managementEndpointOf({ REALTIME_MANAGEMENT_ENDPOINT: 'wss://x/y' })).toThrow(
      new ConfigError('REALTIME_MANAGEMENT_ENDPOINT must be an http(s) URL, got "wss://x/y".'),
    );
    expect(() =>
      managementEndpointOf({ REALTIME_MANAGEMENT_ENDPOINT: 'abc.execute-api.eu-west-1' }),
    ).toThrow(
      /^REALTIME_MANAGEMENT_ENDPOINT must be an http\(s\) URL, got "abc\.execute-api\.eu-west-1"\.$/,
    );
  });

  it('refuse a CURSOR_SECRET_ARN that is not a Secrets Manager secret ARN', () => {
    expect(() => cursorSecretArnOf({ CURSOR_SECRET_ARN: 'CursorSecret' })).toThrow(
      new ConfigError(
        'CURSOR_SECRET_ARN must be a Secrets Manager secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:name, got "CursorSecret".',
      ),
    );
  });

  it('fetch the cursor secret by its ARN only when CURSOR_SECRET is not set', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:CursorSecret-AbCdEf';
    expect(cursorSecretArnOf({ CURSOR_SECRET_ARN: arn })).toBe(arn);
    expect(cursorSecretArnOf({ CURSOR_SECRET_ARN: arn, CURSOR_SECRET: SECRET })).toBeUndefined();
    expect(cursorSecretArnOf({ CURSOR_SECRET_ARN: '' })).toBeUndefined();
  });

  it('take an http(s) REALTIME_MANAGEMENT_ENDPOINT as it is, and none when unset or empty', () => {
    const stage = 'https://abc123.execute-api.eu-west-1.amazonaws.com/realtime';
    expect(managementEndpointOf({ REALTIME_MANAGEMENT_ENDPOINT: stage })).toBe(stage);
    expect(managementEndpointOf({ REALTIME_MANAGEMENT_ENDPOINT: '' })).toBeUndefined();
    expect(managementEndpointOf({})).toBeUndefined();
  });
});

describe('log output', () => {
  it('is readable lines on a terminal and JSON otherwise; LOG_FORMAT decides when set', () => {
    expect(logFormatOf(true, {})).toBe('pretty');
    expect(logFormatOf(false, {})).toBe('json');
    expect(logFormatOf(true, { LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormatOf(false, { LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(logFormatOf(false, { LOG_FORMAT: '' })).toBe('json');
  });

  it('has no line per request at the default level unless asked', () => {
    expect(loadLogConfig({}, true)).toEqual({ level: 'info', requests: false, format: 'pretty' });
    expect(loadLogConfig({ LOG_REQUESTS: '1' }, true).requests).toBe(true);
    expect(loadLogConfig({ LOG_LEVEL: 'debug' }, true).requests).toBe(true);
    expect(loadLogConfig({ LOG_LEVEL: 'TRACE' }, true)).toMatchObject({
      level: 'trace',
      requests: true,
    });
    expect(loadLogConfig({ LOG_LEVEL: 'debug', LOG_REQUESTS: '0' }, true).requests).toBe(false);
  });
});
