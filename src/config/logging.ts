import { choiceOf, type Env, switchOf } from './env-values.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFormat = 'pretty' | 'json';

export interface LogConfig {
  level: LogLevel;
  /** One line per request (method, url with credentials redacted, status, time). */
  requests: boolean;
  format: LogFormat;
}

/**
 * Readable lines for a person at a terminal, JSON for machines (a pipe, a file, CloudWatch).
 * LOG_FORMAT overrides the guess either way.
 */
export const logFormatOf = (isTTY: boolean, env: Env): LogFormat =>
  choiceOf(env, 'LOG_FORMAT', ['pretty', 'json'] as const) ?? (isTTY ? 'pretty' : 'json');

/**
 * A line per request drowns what matters when a person watches `npm start`, so requests are
 * logged only when asked: LOG_REQUESTS=1, or a level that asks for detail (debug, trace).
 * On AWS, API Gateway's access log has a line per request already.
 */
export const loadLogConfig = (
  env: Env = process.env,
  isTTY = process.stdout.isTTY === true,
): LogConfig => {
  const level = choiceOf(env, 'LOG_LEVEL', LOG_LEVELS) ?? 'info';
  return {
    level,
    requests: switchOf(env, 'LOG_REQUESTS') ?? (level === 'debug' || level === 'trace'),
    format: logFormatOf(isTTY, env),
  };
};
