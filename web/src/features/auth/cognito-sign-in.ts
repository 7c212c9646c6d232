import type { HostedSignIn, User } from '../../lib/api-types';
import type { Session } from '../../lib/session';
import type { Renewal } from '../../lib/session-storage';
import { challengeOf, randomToken } from './pkce';

// Kept for the round trip to Cognito's pages and back, in this tab only.
const PENDING = 'cruddur-messaging.cognito-pending';

interface Pending {
  verifier: string;
  state: string;
  returnPath: string;
}

const redirectUri = (): string => `${window.location.origin}/signin`;

/** Leaves for Cognito's hosted sign-in (authorization code + PKCE); comes back to /signin. */
export const startCognitoSignIn = async (
  hosted: HostedSignIn,
  returnPath: string,
): Promise<void> => {
  const pending: Pending = { verifier: randomToken(), state: randomToken(), returnPath };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL('/oauth2/authorize', hosted.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: hosted.client_id,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: await challengeOf(pending.verifier),
    state: pending.state,
  }).toString();
  window.location.assign(url.toString());
};

/**
 * Back on /signin with `?code&state`: checks the state, trades the code (and the verifier)
 * for tokens at the pool's token endpoint, and asks the API who the access token names.
 */
export const completeCognitoSignIn = async (
  hosted: HostedSignIn,
  params: URLSearchParams,
): Promise<{ session: Session; returnPath: string }> => {
  const stored = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const pending = stored ? (JSON.parse(stored) as Pending) : null;
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) {
    throw new Error('This sign-in was not started in this tab. Please sign in again.');
  }
  const response = await fetch(new URL('/oauth2/token', hosted.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: hosted.client_id,
      code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok)
    throw new Error(`Cognito refused the sign-in (${response.status}). Please try again.`);
  const tokens = (await response.json()) as TokenResponse;
  const token = tokens.access_token;
  const me = await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
  if (!me.ok) throw new Error(`The API refused the Cognito token (${me.status}).`);
  const renewal: Renewal | undefined = tokens.refresh_token
    ? {
        tokenEndpoint: new URL('/oauth2/token', hosted.domain).toString(),
        clientId: hosted.client_id,
        refreshToken: tokens.refresh_token,
        expiresAt: expiryOf(tokens),
      }
    : undefined;
  return {
    session: { token, user: (await me.json()) as User, renewal },
    returnPath: pending.returnPath,
  };
};

interface TokenResponse {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
}

// Cognito's default lifetime of an access token, when the answer does not say.
const expiryOf = (tokens: TokenResponse): number => Date.now() + (tokens.expires_in ?? 3600) * 1000;

/**
 * A new access token for the refresh token (grant_type=refresh_token at the pool's token
 * endpoint), so that a sign-in outlives its first access token. Cognito answers with no new
 * refresh token unless rotation is on; the old one then stays.
 */
export const renewCognitoToken = async (
  renewal: Renewal,
): Promise<{ token: string; renewal: Renewal }> => {
  const response = await fetch(renewal.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: renewal.clientId,
      refresh_token: renewal.refreshToken,
    }),
  });
  if (!response.ok) throw new Error(`Cognito refused to renew the sign-in (${response.status}).`);
  const tokens = (await response.json()) as TokenResponse;
  return {
    token: tokens.access_token,
    renewal: {
      ...renewal,
      refreshToken: tokens.refresh_token ?? renewal.refreshToken,
      expiresAt: expiryOf(tokens),
    },
  };
};
