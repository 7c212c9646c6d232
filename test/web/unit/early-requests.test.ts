import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  arrivedEarly,
  earlyOr,
  earlyRequestsSettled,
  startEarly,
} from '../../../web/src/lib/early-requests';

// The boot script's requests (web/src/app/boot.ts) and how the screens take their answers.

let key = 0;
/** A key no other test has started a request for (the module keeps them between tests). */
const fresh = () => `/api/test/${key++}`;

afterEach(() => {
  vi.useRealTimers();
});

describe('early requests', () => {
  it('gives an early answer to the first request for it, once', async () => {
    const path = fresh();
    startEarly(path, async () => 'early');
    const again = vi.fn(async () => 'asked again');
    expect(await earlyOr(path, again)).toBe('early');
    expect(again).not.toHaveBeenCalled();
    expect(await earlyOr(path, again)).toBe('asked again');
  });

  it('settles once every early request has come or failed, for the first render to wait on', async () => {
    const [ok, failing] = [fresh(), fresh()];
    let answer: (value: string) => void = () => {};
    let fail: (error: Error) => void = () => {};
    startEarly(ok, () => new Promise<string>((resolve) => (answer = resolve)));
    startEarly(failing, () => new Promise<string>((_, reject) => (fail = reject)));
    let settled = false;
    const waiting = earlyRequestsSettled().then(() => {
      settled = true;
    });
    answer('early');
    await Promise.resolve();
    expect(settled).toBe(false);
    fail(new Error('network'));
    await waiting;
    expect(arrivedEarly<string>(ok)?.value).toBe('early');
  });

  it('waits for an early answer still on its way', async () => {
    const path = fresh();
    let answer: (value: string) => void = () => {};
    startEarly(path, () => new Promise<string>((resolve) => (answer = resolve)));
    expect(arrivedEarly(path)).toBeUndefined();
    const taken = earlyOr(path, async () => 'asked again');
    answer('early');
    expect(await taken).toBe('early');
  });

  it('leaves a failed early request to the screen, which asks again and sees its own failure', async () => {
    const path = fresh();
    startEarly(path, async () => {
      throw new Error('401');
    });
    await expect(
      earlyOr(path, async () => {
        throw new Error('asked again: 401');
      }),
    ).rejects.toThrow('asked again: 401');
  });

  it('answers an aborted request with the abort, not the early answer', async () => {
    const path = fresh();
    startEarly(path, async () => 'early');
    const controller = new AbortController();
    const taken = earlyOr(path, async () => 'asked again', controller.signal);
    controller.abort();
    await expect(taken).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('shows an answer that came in the first render, until the screen forgets it', async () => {
    const path = fresh();
    startEarly(path, async () => 'early');
    await Promise.resolve(); // the answer comes
    await Promise.resolve();
    const arrived = arrivedEarly<string>(path);
    expect(arrived?.value).toBe('early');
    // A render thrown away and done again finds it still.
    expect(arrivedEarly<string>(path)?.value).toBe('early');
    arrived?.forget();
    expect(arrivedEarly(path)).toBeUndefined();
    expect(await earlyOr(path, async () => 'asked again')).toBe('asked again');
  });

  it('does not give an answer older than ten seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const path = fresh();
    startEarly(path, async () => 'early');
    await Promise.resolve();
    await Promise.resolve();
    vi.setSystemTime(Date.now() + 10_001);
    expect(arrivedEarly(path)).toBeUndefined();
    expect(await earlyOr(path, async () => 'asked again')).toBe('asked again');
  });
});
