import { ConfigError, parsePort } from '../config.js';
import { DEFAULT_EDIT_WINDOW_SECONDS } from '../messaging/message-changes.js';

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

type Env = Record<string, string | undefined>;

/** Interfaces only this machine reaches: the only ones local mode may listen on unasked. */
export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * Local mode signs anyone in without a password and shows every item of the table at /inspect:
 * a tool for one machine. Listening beyond loopback serves that to the whole network, so it
 * takes a deliberate ALLOW_REMOTE_LOCAL_MODE=1 (and `npm start` warns at every start).
 */
const refuseRemoteLocalMode = (host: string, env: Env): void => {
  const allow = env.ALLOW_REMOTE_LOCAL_MODE ?? '';
  if (allow !== '' && allow !== '0' && allow !== '1')
    throw new ConfigError(`ALLOW_REMOTE_LOCAL_MODE must be 1, 0 or unset, got "${allow}".`);
  if (isLoopbackHost(host) || allow === '1') return;
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

export const loadApiConfig = (env: Env = process.env): ApiConfig => {
  const port = parsePort(env, 'PORT') ?? 3000;
  const authMode = (env.AUTH_MODE || 'local').toLowerCase();
  if (authMode !== 'local' && authMode !== 'cognito') {
    throw new ConfigError(`AUTH_MODE must be local or cognito, got "${env.AUTH_MODE}".`);
  }
  // Digits only: Number() reads " " as 0, which would turn the limit off unasked.
  const rateText = env.SEND_RATE_LIMIT ?? '';
  if (rateText !== '' && !/^\d+$/.test(rateText)) {
    throw new ConfigError(
      `SEND_RATE_LIMIT must be a whole number (0 turns it off), got "${rateText}".`,
    );
  }
  const rate = rateText === '' ? 120 : Number(rateText);
  const windowText = env.EDIT_WINDOW_S ?? '';
  if (windowText !== '' && !/^\d+$/.test(windowText)) {
    throw new ConfigError(`EDIT_WINDOW_S must be a whole number of seconds, got "${windowText}".`);
  }
  const cursorSecret = env.CURSOR_SECRET ? Buffer.from(env.CURSOR_SECRET, 'utf8') : undefined;
  if (cursorSecret && cursorSecret.length < 32)
    throw new ConfigError('CURSOR_SECRET must be at least 32 bytes.');
  const realtimeUrl = env.REALTIME_URL || undefined;
  if (realtimeUrl && !/^wss?:\/\/[^\s/]+(\/\S*)?$/.test(realtimeUrl))
    throw new ConfigError(`REALTIME_URL must be a ws:// or wss:// URL, got "${realtimeUrl}".`);
  const host = env.HOST || '127.0.0.1';
  if (authMode === 'local') refuseRemoteLocalMode(host, env);
  const config: ApiConfig = {
    port,
    realtimeUrl,
    host,
    authMode,
    webOrigin: env.WEB_ORIGIN || `http://localhost:${port}`,
    sendRateLimit: rate,
    editWindowSeconds: windowText === '' ? DEFAULT_EDIT_WINDOW_SECONDS : Number(windowText),
    cursorSecret,
  };
  if (authMode === 'cognito') {
    const userPoolId = env.COGNITO_USER_POOL_ID;
    const clientId = env.COGNITO_CLIENT_ID;
    if (!userPoolId || !clientId) {
      throw new ConfigError('AUTH_MODE=cognito needs COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID.');
    }
    if (!cursorSecret)
      throw new ConfigError('AUTH_MODE=cognito needs CURSOR_SECRET (32 bytes or more).');
    const domain = env.COGNITO_DOMAIN || undefined;
    if (domain && !/^https:\/\/[^\s/]+$/.test(domain)) {
      throw new ConfigError(
        `COGNITO_DOMAIN must be the hosted UI's https:// base URL, got "${domain}".`,
      );
    }
    config.cognito = { userPoolId, clientId, domain };
  }
  return config;
};
