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
import { type ApiClient, createApiClient } from './api-client';
import type { User } from './api-types';
import { type Renewal, readStoredSession, type Session, storeSession } from './session-storage';

export type { Session } from './session-storage';

interface SessionContextValue {
  session: Session | null;
  /** Why the last session ended, when it was not the user's choice. */
  endedBecause: string | null;
  api: ApiClient;
  signIn(session: Session): void;
  signOut(reason?: string): void;
  /**
   * A new access token for the same person, if the session can be renewed (one renewal at a
   * time: concurrent callers share it); null if it cannot or renewal failed. Given the token
   * the API refused: if the session holds another one already, that one, with no renewal.
   */
  renewNow(refused?: string): Promise<string | null>;
}

/** Trades a session's renewal (refresh token) for a new access token. */
export type Renewer = (renewal: Renewal) => Promise<{ token: string; renewal: Renewal }>;

const SessionContext = createContext<SessionContextValue | null>(null);

/** Who is signed in, and the API client that speaks for them. */
export const SessionProvider = ({ children, renew }: { children: ReactNode; renew?: Renewer }) => {
  const [session, setSession] = useState<Session | null>(readStoredSession);
  // The API client and the renewal read the session at call time through this ref.
  const sessionRef = useRef(session);
  sessionRef.current = session;
  const renewing = useRef<Promise<string | null> | null>(null);
  const [endedBecause, setEndedBecause] = useState<string | null>(null);

  const update = useCallback((next: Session | null) => {
    sessionRef.current = next; // at once: a request or renewal before the next render sees it
    storeSession(next);
    setSession(next);
  }, []);

  const signIn = useCallback(
    (next: Session) => {
      setEndedBecause(null);
      update(next);
    },
    [update],
  );

  const signOut = useCallback(
    (reason?: string) => {
      setEndedBecause(reason ?? null);
      update(null);
    },
    [update],
  );

  const renewNow = useCallback(
    (refused?: string): Promise<string | null> => {
      const current = sessionRef.current;
      // Refused with a token renewed since: answers to requests sent before the renewal.
      if (refused !== undefined && current && current.token !== refused)
        return Promise.resolve(current.token);
      const renewal = current?.renewal;
      if (!renew || !renewal) return Promise.resolve(null);
      renewing.current ??= renew(renewal)
        .then(
          (next) => {
            if (!sessionRef.current) return null; // signed out meanwhile: nothing to renew
            update({ ...sessionRef.current, token: next.token, renewal: next.renewal });
            return next.token;
          },
          (error: unknown) => {
            console.warn(String(error));
            return null;
          },
        )
        .finally(() => {
          renewing.current = null;
        });
      return renewing.current;
    },
    [renew, update],
  );

  const api = useMemo(
    () =>
      createApiClient({
        getToken: () => sessionRef.current?.token ?? null,
        onUnauthorized: () => signOut('Your session has ended. Please sign in again.'),
        renewToken: renewNow,
      }),
    [signOut, renewNow],
  );

  // A stored session may be stale (user renamed, token expired): ask the server once per token.
  const token = session?.token;
  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    api.get<User>('/api/me', controller.signal).then(
      ({ uuid, handle, display_name }) => {
        const current = sessionRef.current;
        if (current?.token !== token) return;
        // Most often the same person as stored: then no new session, which would render
        // every screen again for nothing.
        const { user } = current;
        if (user.uuid === uuid && user.handle === handle && user.display_name === display_name)
          return;
        update({ ...current, user: { uuid, handle, display_name } });
      },
      () => {
        // 401 already signed out through onUnauthorized; other failures keep the stored user.
      },
    );
    return () => controller.abort();
  }, [api, token, update]);

  const value = useMemo(
    () => ({ session, endedBecause, api, signIn, signOut, renewNow }),
    [session, endedBecause, api, signIn, signOut, renewNow],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useSession = (): SessionContextValue => {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
};

/** For screens behind the sign-in guard, where a session always exists. */
export const useSignedInUser = (): User => {
  const { session } = useSession();
  if (!session) throw new Error('useSignedInUser must be used behind the sign-in guard');
  return session.user;
};

export const useApi = (): ApiClient => useSession().api;
