import { useEffect } from 'react';
import { useSession } from '../../lib/session';
import { renewCognitoToken } from './cognito-sign-in';

/**
 * Renews a Cognito sign-in's access token shortly before it expires: a minute before, or a
 * quarter of its remaining life for short-lived tokens. If renewal fails, the token runs out
 * and the next API call ends the session with "please sign in again", as before.
 */
export const useTokenRenewal = (): void => {
  const { session, renewed } = useSession();
  const renewal = session?.renewal;
  useEffect(() => {
    if (!renewal) return;
    const left = renewal.expiresAt - Date.now();
    const timer = setTimeout(
      () => {
        renewCognitoToken(renewal).then(
          (next) => renewed(next.token, next.renewal),
          (error: unknown) => console.warn(String(error)),
        );
      },
      Math.max(0, left - Math.min(60_000, left / 4)),
    );
    return () => clearTimeout(timer);
  }, [renewal, renewed]);
};

/** Mounted once inside the session provider. */
export const TokenRenewal = (): null => {
  useTokenRenewal();
  return null;
};
