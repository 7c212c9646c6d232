import type { ApiClient } from '../../lib/api-client';
import type { DevSession, User, UserList } from '../../lib/api-types';
import type { Session } from '../../lib/session';

/** The dev sign-in of `AUTH_MODE=local` (src/api/routes/dev.ts); 404 in Cognito mode. */
export const listDevUsers = async (api: ApiClient, signal?: AbortSignal): Promise<User[]> =>
  (await api.get<UserList>('/api/dev/users', signal)).users;

export const createDevUser = (
  api: ApiClient,
  input: { handle: string; display_name: string },
): Promise<User> => api.post<User>('/api/dev/users', input);

export const createDevSession = (api: ApiClient, handle: string): Promise<Session> =>
  api.post<DevSession>('/api/dev/sessions', { handle });
