import type { Session } from '../../lib/session';

/**
 * TODO(cognito): the sign-in of `AUTH_MODE=cognito`. The API already verifies Cognito access
 * tokens and creates a user on their first request (src/api/auth/). To wire it:
 * 1. redirect to the Cognito Hosted UI (authorization code + PKCE) for the app client;
 * 2. on the callback route, exchange the code for tokens at the pool's /oauth2/token;
 * 3. GET /api/me with the access token, and return `{ token: accessToken, user }`;
 * 4. refresh the access token before it expires (the 401 handler signs out meanwhile).
 * The sign-in page shows this path when GET /api/dev/users answers 404 (no dev sign-in).
 */
export const signInWithCognito = async (): Promise<Session> => {
  throw new Error('Cognito sign-in is not wired into the web app yet.');
};
