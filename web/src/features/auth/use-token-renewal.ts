import { useEffect } from 'react';
import { useSession } from '../../lib/session';

/**
 * Renews a Cognito sign-in's access token shortly before it expires: a minute before, or a
 * quarter of its remaining life for short-lived tokens (at once if it has expired, say after
 * the computer slept). A request refused with 401 meanwhile renews too (api-client). If
 * renewal fails, the next 401 ends the session with "please sign in again".
 */
export const useTokenRenewal = (): void => {
  const { session, renewNow } = useSession();
  const expiresAt = session?.renewal?.expiresAt;
  useEffect(() => {
    if (expiresAt === undefined) return;
    const left = expiresAt - Date.now();
    const timer = setTimeout(() => void renewNow(), Math.max(0, left - Math.min(60_000, left / 4)));
    return () => clearTimeout(timer);
  }, [expiresAt, renewNow]);
};

/** Mounted once inside the session provider. */
export const TokenRenewal = (): null => {
  useTokenRenewal();
  return null;
};
