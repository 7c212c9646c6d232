import { describe, expect, it } from 'vitest';
import { errorOf, type SentMessage, sendThrough, withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const api = withApi(t);

const send = (token: string, body: Record<string, string>) => sendThrough(api, token, body);

const messagePath = (sent: SentMessage) =>
  `/api/messages/${sent.message_group_uuid}/${sent.message.uuid}`;

describe('PATCH and DELETE /api/messages/{group}/{message}', () => {
  it('edits (200, the message as listed with edited_at) and unsends (204, a tombstone in the listing)', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const sent = await send(a.token, { handle: b.user.handle, message: 'helo' });
    const edited = await api.request(messagePath(sent), {
      method: 'PATCH',
      token: a.token,
      json: { message: 'hello' },
    });
    expect(edited.status).toBe(200);
    const body = (await edited.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ uuid: sent.message.uuid, message: 'hello', deleted: false });
    expect(body.edited_at).toEqual(expect.stringMatching(/^\d{4}-.*Z$/));

    const unsent = await api.request(messagePath(sent), { method: 'DELETE', token: a.token });
    expect([unsent.status, await unsent.text()]).toEqual([204, '']);
    const page = (await (
      await api.request(`/api/messages/${sent.message_group_uuid}`, { token: b.token })
    ).json()) as { messages: Record<string, unknown>[] };
    expect(page.messages).toEqual([
      expect.objectContaining({
        uuid: sent.message.uuid,
        message: '',
        deleted: true,
        edited_at: null,
      }),
    ]);
  });

  it('answers the other participant, a stranger and a missing message with the same 404, bad text with 422', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const c = await api.signedInUser('c');
    const sent = await send(a.token, { handle: b.user.handle, message: 'mine' });
    const missing = `/api/messages/${sent.message_group_uuid}/0190a000-0000-7000-8000-000000000000`;
    const answers = [];
    for (const [token, path] of [
      [b.token, messagePath(sent)],
      [c.token, messagePath(sent)],
      [a.token, missing],
    ] as const) {
      answers.push(
        await errorOf(await api.request(path, { method: 'PATCH', token, json: { message: 'x' } })),
        await errorOf(await api.request(path, { method: 'DELETE', token })),
      );
    }
    expect(new Set(answers.map((x) => JSON.stringify(x)))).toEqual(
      new Set([
        JSON.stringify({
          status: 404,
          code: 'message_not_found',
          message: 'No such message in this conversation.',
        }),
      ]),
    );
    expect(
      await errorOf(
        await api.request(messagePath(sent), {
          method: 'PATCH',
          token: a.token,
          json: { message: '   ' },
        }),
      ),
    ).toMatchObject({ status: 422, code: 'message_blank' });
    const page = (await (
      await api.request(`/api/messages/${sent.message_group_uuid}`, { token: a.token })
    ).json()) as { messages: Record<string, unknown>[] };
    expect(page.messages).toEqual([expect.objectContaining({ message: 'mine', edited_at: null })]);
  });
});

describe('the edit window', () => {
  const closed = withApi(t, { messaging: t.messaging({ editWindowSeconds: 0 }) });

  it('closes: an edit after it is 403 edit_window_closed, an unsend still works', async () => {
    const a = await closed.signedInUser('a');
    const b = await closed.signedInUser('b');
    const response = await closed.request('/api/messages', {
      method: 'POST',
      token: a.token,
      json: { handle: b.user.handle, message: 'fixed forever' },
    });
    const sent = (await response.json()) as SentMessage;
    // The window is 0 s: by the time the edit arrives, at least a millisecond has passed.
    await expect
      .poll(async () =>
        errorOf(
          await closed.request(messagePath(sent), {
            method: 'PATCH',
            token: a.token,
            json: { message: 'changed' },
          }),
        ),
      )
      .toMatchObject({ status: 403, code: 'edit_window_closed' });
    expect(
      (await closed.request(messagePath(sent), { method: 'DELETE', token: a.token })).status,
    ).toBe(204);
  });
});
