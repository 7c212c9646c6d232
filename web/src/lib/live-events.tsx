import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { DEFAULT_EDIT_WINDOW_SECONDS } from '../../../src/contract/limits';
import type { ServerFrame } from '../../../src/realtime/frames';
import type { ClientConfig, User } from './api-types';
import { openRealtimeSocket, type RealtimeStatus } from './realtime-socket';
import { useSession } from './session';
import { useLatest } from './use-latest';
import { usePollWhileVisible } from './use-poll-while-visible';

type FrameData<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>['data'];

/** The realtime frames the features listen to, by type (src/realtime/frames.ts). */
export interface LiveEventPayloads {
  /** Every new message in any of my conversations, my own included (other tabs too). */
  message: FrameData<'message'>;
  /** A message was edited or unsent (the message as listed now), in any of my conversations. */
  message_updated: FrameData<'message_updated'>;
  /** My row of a conversation moved to a new last message (after pattern E). */
  message_group: FrameData<'message_group'>;
  /**
   * Someone's read position moved in one of my conversations: mine (another tab or device of
   * mine read it) or the other participant's (what they have seen).
   */
  read: FrameData<'read'>;
  /** The other participant is typing. */
  typing: FrameData<'typing'>;
}
export type LiveEventType = keyof LiveEventPayloads;
type Listener = (payload: never) => void;

/** Where the deployment has no realtime WebSocket: refetch this often. */
const POLL_MS = 10_000;
/** Typing is told at most this often while the person types. */
export const TYPING_EVERY_MS = 3_000;

// Only well-formed payloads reach the features: a malformed frame is dropped, not rendered.
const isPayload: { [K in LiveEventType]: (data: unknown) => data is LiveEventPayloads[K] } = {
  message: (data): data is LiveEventPayloads['message'] => {
    const message = data as Partial<LiveEventPayloads['message']> | null;
    return (
      typeof message?.message_group_uuid === 'string' &&
      typeof message.uuid === 'string' &&
      typeof message.created_at === 'string'
    );
  },
  message_updated: (data): data is LiveEventPayloads['message_updated'] => {
    const message = data as Partial<LiveEventPayloads['message_updated']> | null;
    return (
      typeof message?.message_group_uuid === 'string' &&
      typeof message.uuid === 'string' &&
      typeof message.created_at === 'string' &&
      typeof message.message === 'string'
    );
  },
  message_group: (data): data is LiveEventPayloads['message_group'] => {
    const row = data as Partial<LiveEventPayloads['message_group']> | null;
    return typeof row?.uuid === 'string' && typeof row.created_at === 'string';
  },
  read: (data): data is LiveEventPayloads['read'] => {
    const read = data as Partial<LiveEventPayloads['read']> | null;
    return (
      typeof read?.message_group_uuid === 'string' &&
      typeof read.user_uuid === 'string' &&
      typeof read.message_uuid === 'string'
    );
  },
  typing: (data): data is LiveEventPayloads['typing'] => {
    const typing = data as Partial<LiveEventPayloads['typing']> | null;
    return typeof typing?.message_group_uuid === 'string' && typeof typing.user_uuid === 'string';
  },
};

interface LiveSubscriptions {
  subscribe<K extends LiveEventType>(
    type: K,
    listener: (payload: LiveEventPayloads[K]) => void,
  ): () => void;
  /**
   * Called on every reconnect (frames may have been missed) and, where the deployment has no
   * realtime WebSocket, on every poll: refetch.
   */
  subscribeReconnect(listener: () => void): () => void;
  /** Tells the other participant that I am typing in `messageGroupUuid` (throttled). */
  typing(messageGroupUuid: string): void;
}

// Two contexts: subscribers must not resubscribe each time the status changes.
const SubscriptionsContext = createContext<LiveSubscriptions | null>(null);
const StatusContext = createContext<RealtimeStatus>('connecting');
/** The server's edit window (from the same `GET /api/config` that names the socket). */
const EditWindowContext = createContext<number>(DEFAULT_EDIT_WINDOW_SECONDS);

/** One realtime connection per tab, shared by everything that shows live data. */
export const LiveEventsProvider = ({ children }: { children: ReactNode }) => {
  const { session, api } = useSession();
  const token = session?.token;
  const [status, setStatus] = useState<RealtimeStatus>('connecting');
  const [pollMs, setPollMs] = useState<number | undefined>(undefined);
  const [editWindowS, setEditWindowS] = useState(DEFAULT_EDIT_WINDOW_SECONDS);
  const listeners = useRef(new Map<LiveEventType, Set<Listener>>());
  const reconnectListeners = useRef(new Set<() => void>());
  const socket = useRef<ReturnType<typeof openRealtimeSocket> | null>(null);
  const lastTyping = useRef(new Map<string, number>());
  const refetch = useCallback(() => {
    for (const listener of reconnectListeners.current) listener();
  }, []);
  usePollWhileVisible(pollMs, refetch);

  useEffect(() => {
    setPollMs(undefined);
    // A new token is a new connection: not open until it says so.
    setStatus('connecting');
    if (!token) return;
    let stopped = false;
    void api
      .get<ClientConfig>('/api/config')
      .catch(
        (): ClientConfig => ({ realtime_url: null, edit_window_s: DEFAULT_EDIT_WINDOW_SECONDS }),
      )
      .then(({ realtime_url: url, edit_window_s: editWindow }) => {
        if (stopped) return;
        setEditWindowS(editWindow);
        if (!url) {
          setStatus('polling');
          setPollMs(POLL_MS);
          return;
        }
        socket.current = openRealtimeSocket({
          // A browser cannot set headers on a WebSocket, hence the query parameter.
          url: () => `${url}?access_token=${encodeURIComponent(token)}`,
          onFrame: (frame) => {
            if (!isPayload[frame.type as LiveEventType]?.(frame.data)) return;
            for (const listener of listeners.current.get(frame.type as LiveEventType) ?? []) {
              (listener as (payload: unknown) => void)(frame.data);
            }
          },
          onStatus: setStatus,
          onReconnected: refetch,
          // An expired token is the likely reason: any API call then answers 401 and signs out.
          onFailing: () => void api.get<User>('/api/me').catch(() => undefined),
        });
      });
    return () => {
      stopped = true;
      socket.current?.close();
      socket.current = null;
    };
  }, [token, api, refetch]);

  const subscriptions = useMemo<LiveSubscriptions>(
    () => ({
      subscribe: (type, listener) => {
        const set = listeners.current.get(type) ?? new Set<Listener>();
        listeners.current.set(type, set);
        set.add(listener as Listener);
        return () => set.delete(listener as Listener);
      },
      subscribeReconnect: (listener) => {
        reconnectListeners.current.add(listener);
        return () => reconnectListeners.current.delete(listener);
      },
      typing: (messageGroupUuid) => {
        const now = Date.now();
        if (now - (lastTyping.current.get(messageGroupUuid) ?? 0) < TYPING_EVERY_MS) return;
        if (socket.current?.send({ action: 'typing', message_group_uuid: messageGroupUuid }))
          lastTyping.current.set(messageGroupUuid, now);
      },
    }),
    [],
  );
  return (
    <SubscriptionsContext.Provider value={subscriptions}>
      <StatusContext.Provider value={status}>
        <EditWindowContext.Provider value={editWindowS}>{children}</EditWindowContext.Provider>
      </StatusContext.Provider>
    </SubscriptionsContext.Provider>
  );
};

const useSubscriptions = (): LiveSubscriptions => {
  const value = useContext(SubscriptionsContext);
  if (!value) throw new Error('Live event hooks must be used inside <LiveEventsProvider>');
  return value;
};

export const useLiveStatus = (): RealtimeStatus => useContext(StatusContext);

/** How long after sending a message its author may edit it, in seconds (the server's). */
export const useEditWindowSeconds = (): number => useContext(EditWindowContext);

/** Tells the other participant I am typing; call it on every keystroke, it throttles. */
export const useSendTyping = (): ((messageGroupUuid: string) => void) => useSubscriptions().typing;

/** Calls the latest `listener` for every event of `type`, without resubscribing on renders. */
export const useLiveEvent = <K extends LiveEventType>(
  type: K,
  listener: (payload: LiveEventPayloads[K]) => void,
): void => {
  const { subscribe } = useSubscriptions();
  const latest = useLatest(listener);
  useEffect(() => subscribe(type, (payload) => latest.current(payload)), [subscribe, type, latest]);
};

/**
 * Calls the latest `listener` after the realtime connection came back, and on every poll
 * where there is none: catch up by refetching.
 */
export const useLiveReconnect = (listener: () => void): void => {
  const { subscribeReconnect } = useSubscriptions();
  const latest = useLatest(listener);
  useEffect(() => subscribeReconnect(() => latest.current()), [subscribeReconnect, latest]);
};
