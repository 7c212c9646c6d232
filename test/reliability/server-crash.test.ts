import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningServer,
  SERVER_START_TIMEOUT_MS,
  startServer,
} from '../support/product-server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ web: false });
}, SERVER_START_TIMEOUT_MS);
afterAll(() => server?.stop());

const api = (path: string, init: { token?: string; json?: unknown } = {}) =>
  fetch(`${server.url}${path}`, {
    method: init.json === undefined ? 'GET' : 'POST',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });

const signIn = async (handle: string) => {
  const response = await api('/api/dev/sessions', { json: { handle } });
  return ((await response.json()) as { token: string }).token;
};

/** Sends until an answer comes back: what a client does while the server is down. */
const sendUntilAnswered = async (token: string, body: unknown): Promise<Response> => {
  for (;;) {
    try {
      const response = await api('/api/messages', { token, json: body });
      if (response.status < 500) return response;
    } catch {
      // connection refused while the server restarts
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('the server killed (SIGKILL) in the middle of a send', () => {
  it.each([0, 5, 25])(
    'ends with exactly one message when the client retries (killed after %i ms)',
    async (delay) => {
      const token = await signIn('mara_quinn');
      const clientMessageId = `crash-${delay}-${Date.now()}`;
      const body = {
        handle: 'sol_park',
        message: `survives a crash (${delay} ms)`,
        client_message_id: clientMessageId,
      };
      const inFlight = api('/api/messages', { token, json: body }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, delay));
      await server.crashAndRestart();
      await inFlight;

      const retry = await sendUntilAnswered(await signIn('mara_quinn'), body);
      expect([200, 201]).toContain(retry.status);
      const { message_group_uuid } = (await retry.json()) as { message_group_uuid: string };
      const page = await api(`/api/messages/${message_group_uuid}?limit=100`, {
        token: await signIn('mara_quinn'),
      });
      const texts = ((await page.json()) as { messages: { message: string }[] }).messages.map(
        (m) => m.message,
      );
      expect(texts.filter((t) => t === body.message)).toHaveLength(1);
    },
    120_000,
  );
});
