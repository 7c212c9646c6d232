import { DEFAULT_EDIT_WINDOW_SECONDS } from '../contract/limits.js';
import { cognitoPoolOf } from './cognito.js';
import {
  ConfigError,
  choiceOf,
  type Env,
  parsePort,
  readVariable,
  switchOf,
  wholeNumberOf,
} from './env-values.js';

export interface ApiConfig {
  port: number;
  host: string;
  authMode: 'local' | 'cognito';
  /** `domain`: the hosted UI's base URL, where the web app signs people in (optional). */
  cognito?: { userPoolId: string; clientId: string; domain?: string | undefined };
  webOrigin: string;
  sendRateLimit: number;
  /** `EDIT_WINDOW_S`: how long after sending a message its author may edit it. */
  editWindowSeconds: number;
  /** Required with Cognito: every API instance must sign cursors alike. */
  cursorSecret?: Buffer | undefined;
  /** The realtime WebSocket (`REALTIME_URL`); `npm start` derives it from each request's host. */
  realtimeUrl?: string | undefined;
}

/** Interfaces only this machine reaches: the only ones local mode may listen on unasked. */
export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * Local mode signs anyone in without a password and shows every item of the table at /inspect:
 * a tool for one machine. Listening beyond loopback serves that to the whole network, so it
 * takes a deliberate ALLOW_REMOTE_LOCAL_MODE=1 (and `npm start` warns at every start).
 */
const refuseRemoteLocalMode = (host: string, allowRemote: boolean): void => {
  if (isLoopbackHost(host) || allowRemote) return;
  throw new ConfigError(
    `HOST=${host} would serve local mode to every machine that can reach this one: anyone could ` +
      'sign in as anyone without a password and read every item at /inspect. Keep HOST on ' +
      '127.0.0.1, use AUTH_MODE=cognito, or set ALLOW_REMOTE_LOCAL_MODE=1 if you mean it.',
  );
};

/** What `npm start` prints at every start when local mode listens beyond loopback. */
export const remoteLocalModeWarning = (config: ApiConfig): string | undefined =>
  config.authMode === 'local' && !isLoopbackHost(config.host)
    ? `WARNING: local mode on HOST=${config.host} (ALLOW_REMOTE_LOCAL_MODE=1): every machine ` +
      'that reaches this port can sign in as anyone without a password and read the whole ' +
      'table at /inspect.'
    : undefined;

/** A name or an address to listen on: `HOST=http://0.0.0.0` would fail only once the database is up. */
const hostOf = (env: Env): string => {
  const host = readVariable(env, 'HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:%-]+$/.test(host))
    throw new ConfigError(
      `HOST must be a host name or an IP address such as 127.0.0.1, got "${host}".`,
    );
  return host;
};

/** A CORS origin is compared as a string: a path or a trailing slash would never match. */
const webOriginOf = (env: Env, port: number): string => {
  const origin = readVariable(env, 'WEB_ORIGIN') ?? `http://localhost:${port}`;
  if (!/^https?:\/\/[^\s/]+$/.test(origin))
    throw new ConfigError(
      `WEB_ORIGIN must be an origin such as https://example.org (no path, no trailing slash), got "${origin}".`,
    );
  return origin;
};

const cursorSecretOf = (env: Env): Buffer | undefined => {
  const text = readVariable(env, 'CURSOR_SECRET');
  const secret = text === undefined ? undefined : Buffer.from(text, 'utf8');
  if (secret && secret.length < 32)
    throw new ConfigError('CURSOR_SECRET must be at least 32 bytes.');
  return secret;
};

const realtimeUrlOf = (env: Env): string | undefined => {
  const url = readVariable(env, 'REALTIME_URL');
  if (url && !/^wss?:\/\/[^\s/]+(\/\S*)?$/.test(url))
    throw new ConfigError(`REALTIME_URL must be a ws:// or wss:// URL, got "${url}".`);
  return url;
};

/**
 * The deployed API function's CURSOR_SECRET_ARN: the Secrets Manager secret holding
 * CURSOR_SECRET, fetched at its first invocation (src/api/lambda.ts); undefined when
 * CURSOR_SECRET itself is set (it wins) or the ARN is not. A typo would otherwise surface as
 * Secrets Manager's refusal, not as the variable's name.
 */
export const cursorSecretArnOf = (env: Env): string | undefined => {
  const arn = readVariable(env, 'CURSOR_SECRET_ARN');
  if (
    arn !== undefined &&
    !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:\S+$/.test(arn)
  )
    throw new ConfigError(
      `CURSOR_SECRET_ARN must be a Secrets Manager secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:name, got "${arn}".`,
    );
  return readVariable(env, 'CURSOR_SECRET') === undefined ? arn : undefined;
};

/** Cognito mode's user pool, app client and hosted UI; every instance must sign cursors alike. */
const cognitoOf = (env: Env, cursorSecret: Buffer | undefined): ApiConfig['cognito'] => {
  const { userPoolId, clientId } = cognitoPoolOf(env, 'AUTH_MODE=cognito');
  if (!cursorSecret)
    throw new ConfigError('AUTH_MODE=cognito needs CURSOR_SECRET (32 bytes or more).');
  const domain = readVariable(env, 'COGNITO_DOMAIN');
  if (domain && !/^https:\/\/[^\s/]+$/.test(domain)) {
    throw new ConfigError(
      `COGNITO_DOMAIN must be the hosted UI's https:// base URL, got "${domain}".`,
    );
  }
  return { userPoolId, clientId, domain };
};

export const loadApiConfig = (env: Env = process.env): ApiConfig => {
  const port = parsePort(env, 'PORT') ?? 3000;
  const authMode = choiceOf(env, 'AUTH_MODE', ['local', 'cognito'] as const) ?? 'local';
  const sendRateLimit =
    wholeNumberOf(env, 'SEND_RATE_LIMIT', { min: 0, allowed: 'a whole number (0 turns it off)' }) ??
    120;
  const editWindowSeconds =
    wholeNumberOf(env, 'EDIT_WINDOW_S', { min: 0, allowed: 'a whole number of seconds' }) ??
    DEFAULT_EDIT_WINDOW_SECONDS;
  const cursorSecret = cursorSecretOf(env);
  const realtimeUrl = realtimeUrlOf(env);
  const host = hostOf(env);
  const allowRemote = switchOf(env, 'ALLOW_REMOTE_LOCAL_MODE') ?? false;
  if (authMode === 'local') refuseRemoteLocalMode(host, allowRemote);
  const config: ApiConfig = {
    port,
    realtimeUrl,
    host,
    authMode,
    webOrigin: webOriginOf(env, port),
    sendRateLimit,
    editWindowSeconds,
    cursorSecret,
  };
  if (authMode === 'cognito') config.cognito = cognitoOf(env, cursorSecret);
  return config;
};
