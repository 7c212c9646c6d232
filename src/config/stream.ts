import { type Env, type WholeNumberRule, wholeNumberOf } from './env-values.js';

/** What `npm start` and `npm run stream` tune of the local event source (Lambda's mapping). */
export interface StreamSettings {
  /** Lambda's BatchSize. */
  batchSize: number;
  /** Lambda's MaximumBatchingWindowInSeconds, in ms. */
  batchingWindowMs: number;
  /** The window while the stream is busy (see LocalEventSourceOptions). */
  busyBatchingWindowMs: number;
  /** How long to wait before polling a shard that had nothing new. */
  pollIntervalMs: number;
  /** Lambda's MaximumRetryAttempts: retries of a failing batch before it is dead-lettered. */
  maxRetries: number;
}

/**
 * The one set of defaults: the event source's own, and `npm start`'s. Why these values:
 * docs/architecture.md, "Local batch size 1,000, and a batching window only when busy".
 */
export const STREAM_DEFAULTS: Readonly<StreamSettings> = Object.freeze({
  batchSize: 1_000,
  batchingWindowMs: 0,
  busyBatchingWindowMs: 300,
  pollIntervalMs: 50,
  maxRetries: 3,
});

/**
 * Each setting's variable and range. A batch is at most 1,000 records because one GetRecords
 * returns at most that many; the windows stop at Lambda's 300 s; a poll interval of 0 would
 * spin on an idle stream.
 */
export const STREAM_VARIABLES: Readonly<
  Record<keyof StreamSettings, { name: string } & WholeNumberRule>
> = {
  batchSize: { name: 'STREAM_BATCH_SIZE', min: 1, max: 1_000 },
  batchingWindowMs: { name: 'STREAM_BATCHING_WINDOW_MS', min: 0, max: 300_000 },
  busyBatchingWindowMs: { name: 'STREAM_BUSY_BATCHING_WINDOW_MS', min: 0, max: 300_000 },
  pollIntervalMs: { name: 'STREAM_POLL_INTERVAL_MS', min: 1, max: 60_000 },
  maxRetries: { name: 'STREAM_MAX_RETRIES', min: 0, max: 10_000 },
};

export const loadStreamSettings = (env: Env = process.env): StreamSettings => {
  const setting = (key: keyof StreamSettings): number => {
    const { name, ...rule } = STREAM_VARIABLES[key];
    return wholeNumberOf(env, name, rule) ?? STREAM_DEFAULTS[key];
  };
  return {
    batchSize: setting('batchSize'),
    batchingWindowMs: setting('batchingWindowMs'),
    busyBatchingWindowMs: setting('busyBatchingWindowMs'),
    pollIntervalMs: setting('pollIntervalMs'),
    maxRetries: setting('maxRetries'),
  };
};
