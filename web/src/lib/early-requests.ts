/**
 * GET requests a screen is known to make, started before it renders: opened at a conversation's
 * address, its first page and the list's are asked for by the boot script while the entry
 * script still downloads, instead of after the screens' code has come and rendered
 * (app/boot.ts).
 *
 * Each answer is taken once, by the screen's own request for the same thing within a few
 * seconds of the start, and only if it succeeded: a failure (an expired token, the network) is
 * left to the screen's request, which then runs and handles it as it always did.
 */

/** Older than this, an early answer is stale: the screen asks again. */
const FRESH_MS = 10_000;

interface Early {
  at: number;
  /** Settles with undefined when the request failed. */
  answer: Promise<unknown>;
  /** Set once the answer came. */
  arrived?: { value: unknown };
}

const started = new Map<string, Early>();

export const startEarly = (key: string, request: () => Promise<unknown>): void => {
  const early: Early = {
    at: Date.now(),
    answer: request().then(
      (value) => {
        early.arrived = { value };
        return value;
      },
      () => undefined,
    ),
  };
  started.set(key, early);
};

/** Settles once every early request started so far has come or failed. */
export const earlyRequestsSettled = async (): Promise<void> => {
  await Promise.all([...started.values()].map((early) => early.answer));
};

const isFresh = (early: Early): boolean => Date.now() - early.at < FRESH_MS;

/** A fresh early request for `key`, taken: no other request gets its answer. */
const take = (key: string): Early | undefined => {
  const early = started.get(key);
  started.delete(key);
  return early && isFresh(early) ? early : undefined;
};

/** An early answer that came, for a screen's first render; `forget` once it is on screen. */
export interface Arrived<T> {
  value: T;
  forget(): void;
}

/**
 * The early answer for `key` if it has come already, for a screen to show in its first render;
 * the screen calls `forget` once it is on screen (its mount effect: a render can be thrown away
 * and done again, which must find the answer still there). Undefined when it has not come (or
 * failed): the screen then asks as it always did, and gets it through `earlyOr` when it is
 * still on its way.
 */
export const arrivedEarly = <T>(key: string): Arrived<T> | undefined => {
  const early = started.get(key);
  if (!early?.arrived || !isFresh(early)) return undefined;
  return {
    value: early.arrived.value as T,
    forget: () => {
      if (started.get(key) === early) started.delete(key);
    },
  };
};

/** The early answer for `key` when there is a fresh one that succeeded, else `request()`. */
export const earlyOr = async <T>(
  key: string,
  request: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> => {
  const early = take(key);
  if (early) {
    const answer = (await early.answer) as T | undefined;
    signal?.throwIfAborted();
    if (answer !== undefined) return answer;
  }
  return request();
};
