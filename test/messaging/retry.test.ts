import { setTimeout } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { retryOn } from '../../src/messaging/retry.js';

// The default wait is node:timers/promises' setTimeout: recorded here, never waited for.
vi.mock('node:timers/promises', () => ({ setTimeout: vi.fn(async () => undefined) }));

class Stale extends Error {}
class StalerStill extends Stale {}
class GaveUp extends Error {}

/** An attempt that fails with `errors` in turn, then answers 'done'; it records each call. */
const failingWith = (...errors: Error[]) => {
  const calls: number[] = [];
  const attempt = vi.fn(async (n: number) => {
    calls.push(n);
    const error = errors[n - 1];
    if (error) throw error;
    return 'done';
  });
  return { attempt, calls };
};

/** Records each wait instead of waiting. */
const recordingSleep = () => {
  const waits: number[] = [];
  const sleep = vi.fn(async (ms: number) => {
    waits.push(ms);
  });
  return { sleep, waits };
};

describe('retryOn', () => {
  it('returns the first success, numbering attempts from 1 and waiting backoffMs(n) after attempt n', async () => {
    const { attempt, calls } = failingWith(new Stale(), new StalerStill());
    const { sleep, waits } = recordingSleep();
    const result = await retryOn(Stale, attempt, {
      attempts: 8,
      backoffMs: (n) => 5 * 2 ** n,
      sleep,
    });
    expect(result).toBe('done');
    expect(calls).toEqual([1, 2, 3]);
    expect(waits).toEqual([10, 20]);
  });

  it('does not wait before the first attempt, nor after a success', async () => {
    const { attempt } = failingWith();
    const { sleep } = recordingSleep();
    await retryOn(Stale, attempt, { attempts: 3, backoffMs: () => 100, sleep });
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('makes `attempts` attempts in all, waits between them only, then throws the last error', async () => {
    const errors = [new Stale('1'), new Stale('2'), new Stale('3')];
    const { attempt } = failingWith(...errors, new Stale('never reached'));
    const { sleep, waits } = recordingSleep();
    const outcome = retryOn(Stale, attempt, { attempts: 3, backoffMs: (n) => n, sleep });
    await expect(outcome).rejects.toBe(errors[2]);
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(waits).toEqual([1, 2]);
  });

  it('throws what giveUp makes of the last error', async () => {
    const last = new Stale('last');
    const { attempt } = failingWith(new Stale(), last);
    const outcome = retryOn(Stale, attempt, {
      attempts: 2,
      giveUp: (error) => new GaveUp('gave up', { cause: error }),
    });
    await expect(outcome).rejects.toSatisfy(
      (error) => error instanceof GaveUp && error.cause === last,
    );
  });

  it('throws any other error at once: no wait, no second attempt, no giveUp', async () => {
    const other = new Error('not stale');
    const { attempt } = failingWith(other);
    const { sleep } = recordingSleep();
    const giveUp = vi.fn((error: Error) => error);
    const outcome = retryOn(Stale, attempt, { attempts: 5, backoffMs: () => 10, giveUp, sleep });
    await expect(outcome).rejects.toBe(other);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
    expect(giveUp).not.toHaveBeenCalled();
  });

  it('stops at a non-retryable error after retryable ones', async () => {
    const other = new TypeError('broken');
    const { attempt } = failingWith(new Stale(), other);
    await expect(retryOn(Stale, attempt, { attempts: 5 })).rejects.toBe(other);
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('retries at once without backoffMs, or when it says 0 ms', async () => {
    const { sleep } = recordingSleep();
    const none = failingWith(new Stale(), new Stale());
    await expect(retryOn(Stale, none.attempt, { attempts: 3, sleep })).resolves.toBe('done');
    const zero = failingWith(new Stale());
    await retryOn(Stale, zero.attempt, { attempts: 2, backoffMs: () => 0, sleep });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('waits with setTimeout of node:timers/promises when no sleep is given', async () => {
    const { attempt } = failingWith(new Stale(), new Stale());
    await retryOn(Stale, attempt, { attempts: 3, backoffMs: (n) => 30 * n });
    expect(vi.mocked(setTimeout).mock.calls).toEqual([[30], [60]]);
  });
});
