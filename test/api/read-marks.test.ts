import { describe, expect, it } from 'vitest';
import { errorOf, sendThrough, withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const api = withApi(t);

const send = (token: string, body: Record<string, string>) => sendThrough(api, token, body);

const markRead = (token: string, group: string, body: unknown) =>
  api.request(`/api/message_groups/${group}/read`, { method: 'POST', token, json: body });

const unreadOf = async (token: string, group: string) => {
  const { message_groups } = (await (
    await api.request('/api/message_groups', { token })
  ).json()) as {
    message_groups: { uuid: string; unread_count: number; last_message_user_uuid: string }[];
  };
  return message_groups.find((g) => g.uuid === group);
};

describe('POST /api/message_groups/{uuid}/read', () => {
  it('answers the unread count left, and the list, the profile and the other’s page follow', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const first = await send(a.token, { handle: b.user.handle, message: 'one' });
    const g = first.message_group_uuid;
    // Pattern C wrote both rows: the recipient's says one unread, from a.
    expect(await unreadOf(b.token, g)).toMatchObject({
      unread_count: 1,
      last_message_user_uuid: a.user.uuid,
    });
    const me = async () =>
      (
        (await (await api.request('/api/me', { token: b.token })).json()) as {
          unread_conversations: number;
        }
      ).unread_conversations;
    expect(await me()).toBe(1);
    const page = async (token: string) =>
      (
        (await (await api.request(`/api/messages/${g}`, { token })).json()) as {
          other_last_read_message_uuid: string | null;
        }
      ).other_last_read_message_uuid;
    expect(await page(a.token)).toBeNull();

    const marked = await markRead(b.token, g, { message_uuid: first.message.uuid });
    expect([marked.status, await marked.json()]).toEqual([200, { unread_count: 0 }]);
    expect(await unreadOf(b.token, g)).toMatchObject({ unread_count: 0 });
    expect(await me()).toBe(0);
    expect(await page(a.token)).toBe(first.message.uuid);
    // a's own position is at its own message: b has read nothing of a's that a has not.
    expect(await page(b.token)).toBe(first.message.uuid);
  });

  it('answers strangers, unknown conversations and other conversations’ messages with 404, bad input with 400, and writes nothing', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const c = await api.signedInUser('c');
    const mine = await send(a.token, { handle: b.user.handle, message: 'one' });
    const elsewhere = await send(a.token, { handle: c.user.handle, message: 'two' });
    const g = mine.message_group_uuid;
    const cases: [string, string, unknown, number, string][] = [
      ['a stranger', c.token, { message_uuid: mine.message.uuid }, 404, 'message_group_not_found'],
      [
        'no such conversation',
        b.token,
        { message_uuid: mine.message.uuid },
        404,
        'message_group_not_found',
      ],
      [
        'a message of another conversation',
        b.token,
        { message_uuid: elsewhere.message.uuid },
        404,
        'message_not_found',
      ],
      ['a malformed uuid', b.token, { message_uuid: 'not-a-uuid' }, 400, 'invalid_uuid'],
      ['no body field', b.token, {}, 400, 'invalid_request'],
      [
        'an extra field',
        b.token,
        { message_uuid: mine.message.uuid, x: 1 },
        400,
        'invalid_request',
      ],
    ];
    for (const [name, token, body, status, code] of cases) {
      const group = name === 'no such conversation' ? '00000000-0000-4000-8000-000000000000' : g;
      expect({ name, ...(await errorOf(await markRead(token, group, body))) }).toMatchObject({
        name,
        status,
        code,
      });
    }
    expect(await unreadOf(b.token, g)).toMatchObject({ unread_count: 1 });
    // A stranger and a participant are told the same about the conversation.
    const stranger = await errorOf(await markRead(c.token, g, { message_uuid: mine.message.uuid }));
    const missing = await errorOf(
      await markRead(b.token, '00000000-0000-4000-8000-000000000000', {
        message_uuid: mine.message.uuid,
      }),
    );
    expect(stranger).toEqual(missing);
  });
});
