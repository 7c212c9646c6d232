import type { ClientFrame, ServerFrame } from '../../../src/realtime/frames';

/** `polling`: the deployment has no realtime WebSocket; the app refetches on a timer. */
export type RealtimeStatus = 'connecting' | 'open' | 'reconnecting' | 'polling';

export interface RealtimeSocketOptions {
  /** The socket's URL with the current token, computed at every (re)connect. */
  url: () => string;
  onFrame: (frame: ServerFrame) => void;
  onStatus: (status: RealtimeStatus) => void;
  /** Every open after the first: frames may have been missed meanwhile, refetch. */
  onReconnected: () => void;
  /**
   * Several attempts in a row failed before opening. A browser does not say why an upgrade
   * was refused; an expired token is the likely reason, which an API call then reveals.
   */
  onFailing?: () => void;
}

/** Under API Gateway's 10-minute idle timeout, with room to spare. */
export const KEEPALIVE_MS = 4 * 60_000;
const MAX_RETRY_DELAY_MS = 30_000;
const FIRST_RETRY_DELAY_MS = 500;
const FAILURES_BEFORE_CHECK = 3;

/**
 * Full jitter: a server restart drops every client at once, and they must not all come back
 * in the same millisecond.
 */
export const retryDelay = (failures: number, random = Math.random): number =>
  Math.max(100, random() * Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** failures));

const isServerFrame = (value: unknown): value is ServerFrame => {
  const frame = value as { type?: unknown; data?: unknown } | null;
  return typeof frame?.type === 'string' && typeof frame.data === 'object' && frame.data !== null;
};

/**
 * A WebSocket that stays connected: reconnects with jittered backoff whenever it closes
 * (a server restart, API Gateway's 2-hour limit, a network change), pings under the idle
 * timeout, and reports each reconnect so the app can refetch what it missed.
 */
export const openRealtimeSocket = (options: RealtimeSocketOptions) => {
  let socket: WebSocket | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let keepalive: ReturnType<typeof setInterval> | undefined;
  let failures = 0;
  let opens = 0;
  let closed = false;

  const connect = () => {
    const current = new WebSocket(options.url());
    socket = current;
    current.onopen = () => {
      failures = 0;
      opens += 1;
      options.onStatus('open');
      keepalive = setInterval(() => send({ action: 'ping' }), KEEPALIVE_MS);
      if (opens > 1) options.onReconnected();
    };
    current.onmessage = (event: MessageEvent) => {
      let frame: unknown;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return; // not ours to crash on
      }
      if (isServerFrame(frame)) options.onFrame(frame);
    };
    current.onclose = () => {
      clearInterval(keepalive);
      if (closed) return;
      options.onStatus('reconnecting');
      failures += 1;
      if (failures === FAILURES_BEFORE_CHECK) options.onFailing?.();
      retryTimer = setTimeout(connect, retryDelay(failures));
    };
  };

  const send = (frame: ClientFrame): boolean => {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  };

  options.onStatus('connecting');
  connect();
  return {
    send,
    close: () => {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(keepalive);
      socket?.close();
    },
  };
};
