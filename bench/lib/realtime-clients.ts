import { WebSocket } from 'ws';

/**
 * The realtime benchmark's clients: the HTTP calls a client makes (dev sign-in, send) and
 * WebSockets that log every frame with its arrival time, so delivery is checked per message
 * and per socket afterwards, whatever order frames and POST answers came in.
 */
export interface BenchUser {
  uuid: string;
  handle: string;
  token: string;
}

export interface SentMessage {
  uuid: string;
  groupUuid: string;
  sender: BenchUser;
  recipient: BenchUser;
  /** performance.now() when the POST's answer (status and body) was in. */
  answeredAt: number;
}

const call = async (base: string, method: string, path: string, body?: unknown, token?: string) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
};

/** A setup call (not measured) tried again while the server answers 503 (DynamoDB slow). */
const retried = async <T>(attempt: () => Promise<T>): Promise<T> => {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= 6 || !/: 503 /.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * i));
    }
  }
};

export const createUser = async (base: string, handle: string): Promise<BenchUser> => {
  await retried(() =>
    call(base, 'POST', '/api/dev/users', { handle, display_name: `Bench ${handle}` }).catch(
      (error: unknown) => {
        // A retry of a create that did happen: the user is there.
        if (/: 409 /.test(String(error))) return undefined;
        throw error;
      },
    ),
  );
  const { token, user } = (await retried(() =>
    call(base, 'POST', '/api/dev/sessions', { handle }),
  )) as { token: string; user: { uuid: string; handle: string } };
  return { uuid: user.uuid, handle: user.handle, token };
};

/** `sendMessage` for setup: tried again on 503 (a retry by handle finds the conversation). */
export const setupMessage = (...args: Parameters<typeof sendMessage>): Promise<SentMessage> =>
  retried(() => sendMessage(...args));

export const realtimeUrlOf = async (base: string): Promise<string> => {
  const { realtime_url } = (await call(base, 'GET', '/api/config')) as {
    realtime_url: string | null;
  };
  if (!realtime_url) throw new Error('GET /api/config has no realtime_url');
  return realtime_url;
};

/** Sends one message; `to` a group, or a handle (which starts the conversation if need be). */
export const sendMessage = async (
  base: string,
  sender: BenchUser,
  recipient: BenchUser,
  to: { groupUuid: string } | 'handle',
  text: string,
): Promise<SentMessage> => {
  const body =
    to === 'handle'
      ? { handle: recipient.handle, message: text }
      : { message_group_uuid: to.groupUuid, message: text };
  const answer = (await call(base, 'POST', '/api/messages', body, sender.token)) as {
    message_group_uuid: string;
    message: { uuid: string };
  };
  return {
    uuid: answer.message.uuid,
    groupUuid: answer.message_group_uuid,
    sender,
    recipient,
    answeredAt: performance.now(),
  };
};

export interface Arrival {
  socket: number;
  at: number;
}

/** Every socket of a run, and every `message` frame each one received. */
export class SocketPool {
  readonly sockets: { id: number; user: BenchUser; ws: WebSocket; closed: boolean }[] = [];
  /** message uuid → each arrival of a `message` frame carrying it. */
  readonly arrivals = new Map<string, Arrival[]>();
  /** Frames of every type, all sockets: what the Management API posted. */
  readonly frames: Record<string, number> = {};
  /** Sockets closed by the server while the benchmark still held them. */
  unexpectedCloses = 0;
  #closing = false;

  constructor(private readonly url: string) {}

  open(user: BenchUser, timeoutMs = 15_000): Promise<number> {
    const id = this.sockets.length;
    const ws = new WebSocket(`${this.url}?access_token=${encodeURIComponent(user.token)}`);
    const entry = { id, user, ws, closed: false };
    this.sockets.push(entry);
    ws.on('message', (data) => {
      const at = performance.now();
      const frame = JSON.parse(String(data)) as { type?: string; data?: { uuid?: string } };
      const type = frame.type ?? 'unknown';
      this.frames[type] = (this.frames[type] ?? 0) + 1;
      if (type !== 'message' || !frame.data?.uuid) return;
      const list = this.arrivals.get(frame.data.uuid) ?? [];
      list.push({ socket: id, at });
      this.arrivals.set(frame.data.uuid, list);
    });
    ws.on('close', () => {
      entry.closed = true;
      if (!this.#closing) this.unexpectedCloses++;
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`socket ${id} did not open within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(id);
      });
      ws.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  socketsOf(user: BenchUser): number[] {
    return this.sockets.filter((s) => s.user.uuid === user.uuid && !s.closed).map((s) => s.id);
  }

  get openCount(): number {
    return this.sockets.filter((s) => !s.closed).length;
  }

  /**
   * Closes every socket, `chunk` at a time with `pauseMs` between chunks, and waits until
   * each is closed (bounded).
   */
  async closeAll(chunk = Number.POSITIVE_INFINITY, pauseMs = 0, timeoutMs = 15_000): Promise<void> {
    this.#closing = true;
    const open = this.sockets.filter((s) => !s.closed);
    const closed: Promise<void>[] = [];
    for (let i = 0; i < open.length; i += Math.min(chunk, open.length)) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      for (const s of open.slice(i, i + chunk))
        closed.push(
          new Promise<void>((resolve) => {
            s.ws.once('close', () => resolve());
            s.ws.close(1000, 'bench done');
          }),
        );
    }
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => setTimeout(resolve, timeoutMs)),
    ]);
    for (const s of this.sockets) if (!s.closed) s.ws.terminate();
  }
}

export interface DeliveryCheck {
  /** Acknowledged messages checked. */
  messages: number;
  /** (message, socket) pairs expected: every open socket of sender and recipient. */
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Frames that reached a socket of neither participant. */
  misdelivered: number;
}

/** Exactly once at each socket of both participants, nowhere else. */
export const checkDelivery = (
  pool: SocketPool,
  messages: readonly SentMessage[],
  socketsByUser: Map<string, number[]>,
): DeliveryCheck => {
  const check: DeliveryCheck = {
    messages: messages.length,
    expected: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    misdelivered: 0,
  };
  for (const m of messages) {
    const expected = new Set([
      ...(socketsByUser.get(m.sender.uuid) ?? []),
      ...(socketsByUser.get(m.recipient.uuid) ?? []),
    ]);
    const perSocket = new Map<number, number>();
    for (const a of pool.arrivals.get(m.uuid) ?? [])
      perSocket.set(a.socket, (perSocket.get(a.socket) ?? 0) + 1);
    check.expected += expected.size;
    for (const socket of expected) {
      const n = perSocket.get(socket) ?? 0;
      if (n === 0) check.lost++;
      else check.delivered++;
      if (n > 1) check.duplicated += n - 1;
    }
    for (const [socket, n] of perSocket) if (!expected.has(socket)) check.misdelivered += n;
  }
  return check;
};

/** Waits until every expected socket has every message, or `timeoutMs` passed. */
export const waitForDelivery = async (
  pool: SocketPool,
  messages: readonly SentMessage[],
  socketsByUser: Map<string, number[]>,
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (checkDelivery(pool, messages, socketsByUser).lost === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Arrival at the recipient's socket(s) minus the POST's answer: the latest socket's, in ms. */
export const lagsToRecipient = (
  pool: SocketPool,
  messages: readonly SentMessage[],
  socketsByUser: Map<string, number[]>,
): { lags: number[]; byUuid: Map<string, number>; missing: number } => {
  const lags: number[] = [];
  const byUuid = new Map<string, number>();
  let missing = 0;
  for (const m of messages) {
    const sockets = new Set(socketsByUser.get(m.recipient.uuid) ?? []);
    const firsts = new Map<number, number>();
    for (const a of pool.arrivals.get(m.uuid) ?? [])
      if (sockets.has(a.socket) && !firsts.has(a.socket)) firsts.set(a.socket, a.at);
    if (firsts.size < sockets.size) {
      missing++;
      continue;
    }
    const lag = Math.max(...firsts.values()) - m.answeredAt;
    lags.push(lag);
    byUuid.set(m.uuid, lag);
  }
  return { lags, byUuid, missing };
};
