import { describe, expect, it } from 'vitest';
import { ConfigError, loadApiConfig, remoteLocalModeWarning } from '../../src/config.js';

type Env = Record<string, string | undefined>;

const SECRET = 'a-test-cursor-secret-of-at-least-32-bytes';
/** What the deployed stack gives the API function (after resolving CURSOR_SECRET_ARN). */
const cognitoEnv: Env = {
  AUTH_MODE: 'cognito',
  COGNITO_USER_POOL_ID: 'us-east-1_Example01',
  COGNITO_CLIENT_ID: 'exampleclientid0123456789',
  CURSOR_SECRET: SECRET,
};

/** The ConfigError `env` is refused with (what `npm start` prints), or a failure if accepted. */
const refusal = (env: Env): { code: string; message: string } => {
  try {
    loadApiConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};

describe('API configuration: what it accepts', () => {
  it('runs locally with nothing set', () => {
    expect(loadApiConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      authMode: 'local',
      webOrigin: 'http://localhost:3000',
      sendRateLimit: 120,
      editWindowSeconds: 900,
      cursorSecret: undefined,
      realtimeUrl: undefined,
    });
  });

  it('takes each variable as given', () => {
    expect(
      loadApiConfig({
        ...cognitoEnv,
        AUTH_MODE: 'Cognito',
        PORT: '8080',
        HOST: '0.0.0.0',
        WEB_ORIGIN: 'https://example.org',
        SEND_RATE_LIMIT: '0',
        EDIT_WINDOW_S: '60',
        COGNITO_DOMAIN: 'https://cruddur.auth.us-east-1.amazoncognito.com',
        REALTIME_URL: 'wss://abc123.execute-api.us-east-1.amazonaws.com/live',
      }),
    ).toEqual({
      realtimeUrl: 'wss://abc123.execute-api.us-east-1.amazonaws.com/live',
      port: 8080,
      host: '0.0.0.0',
      authMode: 'cognito',
      webOrigin: 'https://example.org',
      sendRateLimit: 0,
      editWindowSeconds: 60,
      cursorSecret: Buffer.from(SECRET),
      cognito: {
        userPoolId: 'us-east-1_Example01',
        clientId: 'exampleclientid0123456789',
        domain: 'https://cruddur.auth.us-east-1.amazoncognito.com',
      },
    });
  });

  it('counts the cursor secret in bytes: 16 two-byte characters are enough', () => {
    expect(loadApiConfig({ CURSOR_SECRET: 'é'.repeat(16) }).cursorSecret).toHaveLength(32);
  });
});

describe('API configuration: each wrong variable is named in its own message', () => {
  it.each([['abc'], ['0'], ['65536'], ['80.5'], ['-1']])('PORT=%j', (port) => {
    expect(refusal({ PORT: port })).toEqual({
      code: 'invalid_config',
      message: `Not a port number: PORT="${port}".`,
    });
  });

  it.each([['oauth'], ['none']])('AUTH_MODE=%j', (mode) => {
    expect(refusal({ AUTH_MODE: mode })).toEqual({
      code: 'invalid_config',
      message: `AUTH_MODE must be local or cognito, got "${mode}".`,
    });
  });

  // " " is the case that matters: read as a number it is 0, which turns the limit off.
  it.each([['-1'], ['2.5'], ['many'], [' '], ['1e3']])('SEND_RATE_LIMIT=%j', (rate) => {
    expect(refusal({ SEND_RATE_LIMIT: rate })).toEqual({
      code: 'invalid_config',
      message: `SEND_RATE_LIMIT must be a whole number (0 turns it off), got "${rate}".`,
    });
  });

  it.each([['-1'], ['2.5'], ['15m'], [' ']])('EDIT_WINDOW_S=%j', (seconds) => {
    expect(refusal({ EDIT_WINDOW_S: seconds })).toEqual({
      code: 'invalid_config',
      message: `EDIT_WINDOW_S must be a whole number of seconds, got "${seconds}".`,
    });
  });

  it.each([
    ['31 characters', 'x'.repeat(31)],
    ['31 bytes in 16 characters', `${'é'.repeat(15)}x`],
  ])('CURSOR_SECRET of %s, in either mode', (_, secret) => {
    for (const env of [{}, cognitoEnv]) {
      expect(refusal({ ...env, CURSOR_SECRET: secret })).toEqual({
        code: 'invalid_config',
        message: 'CURSOR_SECRET must be at least 32 bytes.',
      });
    }
  });

  it.each([['COGNITO_USER_POOL_ID'], ['COGNITO_CLIENT_ID']])(
    'AUTH_MODE=cognito without %s',
    (missing) => {
      for (const value of [undefined, '']) {
        expect(refusal({ ...cognitoEnv, [missing]: value })).toEqual({
          code: 'invalid_config',
          message: 'AUTH_MODE=cognito needs COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID.',
        });
      }
    },
  );

  // Locally the data dir holds a secret; every Lambda container must sign cursors alike.
  it('AUTH_MODE=cognito without CURSOR_SECRET', () => {
    for (const value of [undefined, '']) {
      expect(refusal({ ...cognitoEnv, CURSOR_SECRET: value })).toEqual({
        code: 'invalid_config',
        message: 'AUTH_MODE=cognito needs CURSOR_SECRET (32 bytes or more).',
      });
    }
  });

  it.each([
    ['http://cruddur.auth.us-east-1.amazoncognito.com'],
    ['https://cruddur.auth.us-east-1.amazoncognito.com/'],
    ['https://cruddur.auth.us-east-1.amazoncognito.com/login'],
    ['cruddur.auth.us-east-1.amazoncognito.com'],
  ])('COGNITO_DOMAIN=%j', (domain) => {
    expect(refusal({ ...cognitoEnv, COGNITO_DOMAIN: domain })).toEqual({
      code: 'invalid_config',
      message: `COGNITO_DOMAIN must be the hosted UI's https:// base URL, got "${domain}".`,
    });
  });

  it.each([['https://example.org/live'], ['ws://'], ['wss://host name/']])(
    'REALTIME_URL=%j',
    (url) => {
      expect(refusal({ REALTIME_URL: url })).toEqual({
        code: 'invalid_config',
        message: `REALTIME_URL must be a ws:// or wss:// URL, got "${url}".`,
      });
    },
  );
});

describe('API configuration: local mode stays on this machine', () => {
  it('refuses local mode on a HOST beyond loopback, naming the risk and the way out', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'my-laptop.lan']) {
      const { message } = refusal({ HOST: host });
      expect(message).toContain(`HOST=${host}`);
      expect(message).toMatch(/without a password/);
      expect(message).toMatch(/ALLOW_REMOTE_LOCAL_MODE=1/);
    }
    expect(refusal({ HOST: '0.0.0.0', AUTH_MODE: 'LOCAL' }).message).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('takes loopback as it is, without a warning', () => {
    for (const host of ['127.0.0.1', '127.0.1.1', 'localhost', '::1']) {
      const config = loadApiConfig({ HOST: host });
      expect(config.host).toBe(host);
      expect(remoteLocalModeWarning(config)).toBeUndefined();
    }
  });

  it('serves local mode beyond loopback only with ALLOW_REMOTE_LOCAL_MODE=1, and then warns', () => {
    const config = loadApiConfig({ HOST: '0.0.0.0', ALLOW_REMOTE_LOCAL_MODE: '1' });
    expect(config.host).toBe('0.0.0.0');
    expect(remoteLocalModeWarning(config)).toMatch(/^WARNING: local mode on HOST=0\.0\.0\.0/);
    expect(refusal({ HOST: '0.0.0.0', ALLOW_REMOTE_LOCAL_MODE: '0' }).message).toMatch(
      /^HOST=0\.0\.0\.0 would serve local mode/,
    );
    for (const allow of ['true', 'yes', ' 1']) {
      expect(refusal({ HOST: '0.0.0.0', ALLOW_REMOTE_LOCAL_MODE: allow }).message).toBe(
        `ALLOW_REMOTE_LOCAL_MODE must be 1, 0 or unset, got "${allow}".`,
      );
    }
  });

  it('leaves Cognito mode alone: it may listen anywhere, without a warning', () => {
    const config = loadApiConfig({ ...cognitoEnv, HOST: '0.0.0.0' });
    expect(config.host).toBe('0.0.0.0');
    expect(remoteLocalModeWarning(config)).toBeUndefined();
  });
});
