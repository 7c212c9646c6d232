/** `polling`: the server has no push (it said `unavailable`); the stream is closed for good. */
export type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'polling';

export interface EventStreamOptions {
  /** Computed at every (re)connect. */
  url: () => string;
  eventTypes: readonly string[];
  onEvent: (type: string, data: unknown) => void;
  onStatus: (status: StreamStatus) => void;
  /**
   * The browser gave up on the stream: the server answered an error status (EventSource does
   * not say which; a 401 is the likely one) or is not there. We then reconnect ourselves.
   */
  onGaveUp?: () => void;
  /** The server has no push here and asks to be polled every `pollMs` instead. */
  onUnavailable?: (pollMs: number) => void;
}

const MAX_RETRY_DELAY_MS = 30_000;
const DEFAULT_POLL_MS = 10_000;
// Beyond 2^31 - 1 ms setInterval fires at once, again and again; a minute is slow enough.
const POLL_MS_RANGE = { min: 1_000, max: 60_000 };

/** The server's `poll_ms`, within a sane range. */
const pollIntervalOf = (data: string): number => {
  try {
    const pollMs = (JSON.parse(data) as { poll_ms?: unknown }).poll_ms;
    if (typeof pollMs !== 'number' || Number.isNaN(pollMs)) return DEFAULT_POLL_MS;
    return Math.min(POLL_MS_RANGE.max, Math.max(POLL_MS_RANGE.min, pollMs));
  } catch {
    return DEFAULT_POLL_MS;
  }
};

/**
 * Server-Sent Events that stay connected. EventSource already reconnects after a dropped
 * connection (a server restart), but gives up for good after an HTTP error; this retries
 * those too, with exponential backoff, unless the server said it has no push (`unavailable`).
 * Returns the function that closes the stream.
 */
export const openEventStream = (options: EventStreamOptions): (() => void) => {
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;

  const connect = () => {
    const current = new EventSource(options.url());
    source = current;
    current.onopen = () => {
      failures = 0;
      options.onStatus('open');
    };
    current.onerror = () => {
      if (closed) return;
      options.onStatus('reconnecting');
      if (current.readyState !== EventSource.CLOSED) return; // the browser retries by itself
      current.close();
      options.onGaveUp?.();
      const delay = Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** failures);
      failures += 1;
      retryTimer = setTimeout(connect, delay);
    };
    current.addEventListener('unavailable', (event) => {
      closed = true; // for good: no reconnect
      current.close();
      options.onStatus('polling');
      options.onUnavailable?.(pollIntervalOf((event as MessageEvent<string>).data));
    });
    for (const type of options.eventTypes) {
      current.addEventListener(type, (event) => {
        let data: unknown;
        try {
          data = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          return; // not ours to crash on
        }
        options.onEvent(type, data);
      });
    }
  };

  options.onStatus('connecting');
  connect();
  return () => {
    closed = true;
    clearTimeout(retryTimer);
    source?.close();
  };
};
