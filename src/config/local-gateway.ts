import { type Env, wholeNumberOf } from './env-values.js';

/** When `npm start`'s WebSocket gateway closes connections, as API Gateway does. */
export interface LocalGatewayTimeouts {
  /** An idle connection: API Gateway's 10 minutes. */
  idleTimeoutMs: number;
  /** Any connection: API Gateway's 2 hours. */
  maxConnectionAgeMs: number;
}

export const LOCAL_GATEWAY_DEFAULTS: Readonly<LocalGatewayTimeouts> = Object.freeze({
  idleTimeoutMs: 10 * 60_000,
  maxConnectionAgeMs: 2 * 60 * 60_000,
});

/** Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer one fires at once. */
const TIMER_RULE = { min: 1, max: 2_147_483_647 };

export const loadLocalGatewayTimeouts = (env: Env = process.env): LocalGatewayTimeouts => ({
  idleTimeoutMs:
    wholeNumberOf(env, 'REALTIME_IDLE_TIMEOUT_MS', TIMER_RULE) ??
    LOCAL_GATEWAY_DEFAULTS.idleTimeoutMs,
  maxConnectionAgeMs:
    wholeNumberOf(env, 'REALTIME_MAX_CONNECTION_AGE_MS', TIMER_RULE) ??
    LOCAL_GATEWAY_DEFAULTS.maxConnectionAgeMs,
});
