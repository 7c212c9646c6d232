import type { RunningServer } from '../../support/product-server.js';

export interface TestUser {
  uuid: string;
  handle: string;
  display_name: string;
}

let counter = 0;

/** A handle no other test uses: 3-30 of [a-z0-9_]. */
export const uniqueHandle = (name: string): string =>
  `${name}_${Date.now().toString(36)}${(counter++).toString(36)}`.slice(0, 30);

const call = async <T>(
  server: RunningServer,
  path: string,
  init: { method?: string; token?: string; json?: unknown } = {},
): Promise<T> => {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

/** A user made through the dev API (the sign-in page lists it); a handle of its own by default. */
export const createUser = (
  server: RunningServer,
  name: string,
  handle: string = uniqueHandle(name),
): Promise<TestUser> =>
  call(server, '/api/dev/users', {
    json: { handle, display_name: `${name[0]?.toUpperCase()}${name.slice(1)} Tester` },
  });

export const tokenFor = async (server: RunningServer, handle: string): Promise<string> =>
  (await call<{ token: string }>(server, '/api/dev/sessions', { json: { handle } })).token;

/** Sends as `token`, the way another device of that person would. */
export const sendMessage = (
  server: RunningServer,
  token: string,
  body: { message: string } & ({ handle: string } | { message_group_uuid: string }),
): Promise<{ message_group_uuid: string; message: { uuid: string; created_at: string } }> =>
  call(server, '/api/messages', { token, json: body });

/** Edits my message, as another device of mine would. */
export const editMessage = (
  server: RunningServer,
  token: string,
  messageGroupUuid: string,
  messageUuid: string,
  message: string,
): Promise<unknown> =>
  call(server, `/api/messages/${messageGroupUuid}/${messageUuid}`, {
    method: 'PATCH',
    token,
    json: { message },
  });

/** Unsends my message (204: no body to read). */
export const unsendMessage = async (
  server: RunningServer,
  token: string,
  messageGroupUuid: string,
  messageUuid: string,
): Promise<void> => {
  const response = await fetch(`${server.url}/api/messages/${messageGroupUuid}/${messageUuid}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 204)
    throw new Error(`unsend: ${response.status} ${await response.text()}`);
};

/** Marks the conversation read up to `messageUuid` for the token's user (their "Seen"). */
export const markRead = (
  server: RunningServer,
  token: string,
  messageGroupUuid: string,
  messageUuid: string,
): Promise<{ unread_count: number }> =>
  call(server, `/api/message_groups/${messageGroupUuid}/read`, {
    token,
    json: { message_uuid: messageUuid },
  });
