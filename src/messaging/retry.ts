import { setTimeout as delay } from 'node:timers/promises';

/** A class of errors, matched with `instanceof` (its subclasses too). */
export type ErrorClass = abstract new (...args: never[]) => Error;

export interface RetryOptions {
  /** How many attempts in all, the first one included. */
  attempts: number;
  /** Milliseconds to wait after failed attempt `attempt` (1, 2, …); no wait if absent. */
  backoffMs?: (attempt: number) => number;
  /** What to throw when the last attempt fails too; by default that attempt's error. */
  giveUp?: (error: Error) => Error;
  /** How to wait; tests pass their own. */
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Runs `attempt` (numbered from 1) until it returns. An error of class `retryable` is followed
 * by a wait (`backoffMs`) and another attempt, up to `attempts` in all, and then by `giveUp`'s
 * error; any other error is thrown at once.
 */
export const retryOn = async <T>(
  retryable: ErrorClass,
  attempt: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> => {
  const sleep = options.sleep ?? delay;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof retryable)) throw error;
      if (n >= options.attempts) throw options.giveUp ? options.giveUp(error) : error;
      const ms = options.backoffMs?.(n) ?? 0;
      if (ms > 0) await sleep(ms);
    }
  }
};
