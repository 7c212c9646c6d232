import type { User } from './api-types';

/** How to get a new access token before this one expires (Cognito's refresh token). */
export interface Renewal {
  tokenEndpoint: string;
  clientId: string;
  refreshToken: string;
  /** When the current access token expires, in ms since the epoch. */
  expiresAt: number;
}

export interface Session {
  token: string;
  user: User;
  renewal?: Renewal | undefined;
}

// sessionStorage, not localStorage: a sign-in lives as long as the tab (reloads included), so
// two tabs can be two different users, which is how the demo is meant to be tried.
const KEY = 'cruddur-messaging.session';

const isSession = (value: unknown): value is Session => {
  const candidate = value as Partial<Session> | null;
  return (
    typeof candidate?.token === 'string' &&
    typeof candidate.user?.uuid === 'string' &&
    typeof candidate.user.handle === 'string' &&
    typeof candidate.user.display_name === 'string'
  );
};

export const readStoredSession = (): Session | null => {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    return isSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
};

export const storeSession = (session: Session | null): void => {
  try {
    if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage can be full or disabled; the session then lasts until the next reload.
  }
};
