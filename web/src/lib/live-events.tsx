import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { Message, MessageGroup, User } from './api-types';
import { openEventStream, type StreamStatus } from './event-stream';
import { useSession } from './session';
import { useLatest } from './use-latest';
import { usePollWhileVisible } from './use-poll-while-visible';

/** The events of GET /api/events, by name. */
export interface LiveEventPayloads {
  /** Every new message in any of my conversations, my own included. */
  message: { message_group_uuid: string; message: Message };
  /** My row of a conversation moved to a new last message (after pattern E). */
  message_group: MessageGroup;
}
export type LiveEventType = keyof LiveEventPayloads;
type Listener = (payload: never) => void;

// Only well-formed payloads reach the features: a malformed event is dropped, not rendered.
const isPayload: { [K in LiveEventType]: (data: unknown) => data is LiveEventPayloads[K] } = {
  message: (data): data is LiveEventPayloads['message'] => {
    const event = data as Partial<LiveEventPayloads['message']> | null;
    return (
      typeof event?.message_group_uuid === 'string' &&
      typeof event.message?.uuid === 'string' &&
      typeof event.message.created_at === 'string'
    );
  },
  message_group: (data): data is MessageGroup => {
    const row = data as Partial<MessageGroup> | null;
    return typeof row?.uuid === 'string' && typeof row.created_at === 'string';
  },
};

interface LiveSubscriptions {
  subscribe<K extends LiveEventType>(
    type: K,
    listener: (payload: LiveEventPayloads[K]) => void,
  ): () => void;
  /**
   * Called on every `ready` after the first (events may have been missed) and, where the
   * server has no push, on every poll: refetch.
   */
  subscribeReconnect(listener: () => void): () => void;
}

// Two contexts: subscribers must not resubscribe each time the status changes.
const SubscriptionsContext = createContext<LiveSubscriptions | null>(null);
const StatusContext = createContext<StreamStatus>('connecting');

/** One push connection per tab, shared by everything that shows live data. */
export const LiveEventsProvider = ({ children }: { children: ReactNode }) => {
  const { session, api } = useSession();
  const token = session?.token;
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [pollMs, setPollMs] = useState<number | undefined>(undefined);
  const listeners = useRef(new Map<LiveEventType, Set<Listener>>());
  const reconnectListeners = useRef(new Set<() => void>());
  usePollWhileVisible(pollMs, () => {
    for (const listener of reconnectListeners.current) listener();
  });

  useEffect(() => {
    setPollMs(undefined);
    if (!token) return;
    let readyEvents = 0;
    return openEventStream({
      // EventSource cannot send an Authorization header, hence the query parameter.
      url: () => `/api/events?access_token=${encodeURIComponent(token)}`,
      eventTypes: ['ready', 'message', 'message_group'],
      onEvent: (type, data) => {
        if (type === 'ready') {
          readyEvents += 1;
          if (readyEvents > 1) for (const listener of reconnectListeners.current) listener();
          return;
        }
        const eventType = type as LiveEventType;
        if (!isPayload[eventType](data)) return;
        for (const listener of listeners.current.get(eventType) ?? []) {
          (listener as (payload: unknown) => void)(data);
        }
      },
      onStatus: setStatus,
      onUnavailable: setPollMs,
      // An expired token is the likely reason: any API call then answers 401 and signs out.
      onGaveUp: () => void api.get<User>('/api/me').catch(() => undefined),
    });
  }, [token, api]);

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
    }),
    [],
  );
  return (
    <SubscriptionsContext.Provider value={subscriptions}>
      <StatusContext.Provider value={status}>{children}</StatusContext.Provider>
    </SubscriptionsContext.Provider>
  );
};

const useSubscriptions = (): LiveSubscriptions => {
  const value = useContext(SubscriptionsContext);
  if (!value) throw new Error('Live event hooks must be used inside <LiveEventsProvider>');
  return value;
};

export const useLiveStatus = (): StreamStatus => useContext(StatusContext);

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
 * Calls the latest `listener` after the push connection came back, and on every poll where
 * there is no push: catch up by refetching.
 */
export const useLiveReconnect = (listener: () => void): void => {
  const { subscribeReconnect } = useSubscriptions();
  const latest = useLatest(listener);
  useEffect(() => subscribeReconnect(() => latest.current()), [subscribeReconnect, latest]);
};
