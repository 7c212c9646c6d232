import { describe, expect, it } from 'vitest';
import { errorOf, sendThrough, type TestApi, withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const api = withApi(t);

type SignedIn = Awaited<ReturnType<TestApi['signedInUser']>>;

const blockPath = (who: SignedIn) => `/api/users/@${who.user.handle}/block`;

const block = (by: SignedIn, who: SignedIn, method: 'POST' | 'DELETE' = 'POST') =>
  api.request(blockPath(who), { method, token: by.token });

const send = (from: SignedIn, body: Record<string, string>) =>
  api.request('/api/messages', { method: 'POST', token: from.token, json: body });

/** The items of the table, to show that a refused send wrote nothing. */
const itemKeys = async (): Promise<string[]> =>
  (await t.scanAll()).map((item) => `${String(item.pk)}|${String(item.sk)}`).sort();

const blockedAnswer = {
  status: 403,
  code: 'blocked',
  message: 'You cannot send messages in this conversation: one of you blocks the other.',
};

describe('blocking', () => {
  it('refuses sends both ways, by conversation and by handle, writing nothing; unblocking lifts it at once', async () => {
    const [ann, bob] = [await api.signedInUser('ann'), await api.signedInUser('bob')];
    const { message_group_uuid } = await sendThrough(api, bob.token, {
      handle: ann.user.handle,
      message: 'hi Ann',
    });
    expect((await block(ann, bob)).status).toBe(204);

    const before = await itemKeys();
    const refused = [
      await send(bob, { message_group_uuid, message: 'hello?' }),
      await send(bob, { handle: ann.user.handle, message: 'hello?' }),
      await send(ann, { message_group_uuid, message: 'go away' }),
      await send(ann, { handle: bob.user.handle, message: 'go away', client_message_id: 'c-1' }),
    ];
    for (const response of refused) expect(await errorOf(response)).toEqual(blockedAnswer);
    expect(await itemKeys()).toEqual(before);

    // The conversation stays readable to both.
    for (const reader of [ann, bob]) {
      const page = await api.request(`/api/messages/${message_group_uuid}`, {
        token: reader.token,
      });
      expect(page.status).toBe(200);
      expect(((await page.json()) as { messages: unknown[] }).messages).toHaveLength(1);
    }

    expect((await block(ann, bob, 'DELETE')).status).toBe(204);
    expect((await send(bob, { message_group_uuid, message: 'hello again' })).status).toBe(201);
    expect((await send(ann, { handle: bob.user.handle, message: 'hi Bob' })).status).toBe(201);
  });

  it('stands while either still blocks: both block, one unblocks, sends stay refused', async () => {
    const [ann, bob] = [await api.signedInUser('ann'), await api.signedInUser('bob')];
    const { message_group_uuid } = await sendThrough(api, ann.token, {
      handle: bob.user.handle,
      message: 'hi',
    });
    expect((await block(ann, bob)).status).toBe(204);
    expect((await block(bob, ann)).status).toBe(204);
    expect((await block(ann, bob, 'DELETE')).status).toBe(204);
    expect(await errorOf(await send(ann, { message_group_uuid, message: 'x' }))).toEqual(
      blockedAnswer,
    );
    expect((await block(bob, ann, 'DELETE')).status).toBe(204);
    expect((await send(ann, { message_group_uuid, message: 'x' })).status).toBe(201);
  });

  it('refuses starting a conversation with someone who blocked you before you ever talked; after unblocking it starts', async () => {
    const [ann, cat] = [await api.signedInUser('ann'), await api.signedInUser('cat')];
    expect((await block(ann, cat)).status).toBe(204);
    const before = await itemKeys();
    expect(await errorOf(await send(cat, { handle: ann.user.handle, message: 'hi' }))).toEqual(
      blockedAnswer,
    );
    expect(await itemKeys()).toEqual(before);

    expect((await block(ann, cat, 'DELETE')).status).toBe(204);
    const started = await sendThrough(api, cat.token, { handle: ann.user.handle, message: 'hi' });
    const rows = await api.request('/api/message_groups', { token: ann.token });
    expect(
      ((await rows.json()) as { message_groups: { uuid: string }[] }).message_groups.map(
        (row) => row.uuid,
      ),
    ).toEqual([started.message_group_uuid]);
  });

  it('lists whom I block, once each, and is idempotent both ways', async () => {
    const [ann, bob, cat] = [
      await api.signedInUser('ann'),
      await api.signedInUser('bob'),
      await api.signedInUser('cat'),
    ];
    for (const who of [bob, bob, cat]) expect((await block(ann, who)).status).toBe(204);
    const listed = await api.request('/api/blocks', { token: ann.token });
    expect(listed.status).toBe(200);
    const { users } = (await listed.json()) as { users: Record<string, unknown>[] };
    expect(users).toEqual(
      [bob, cat]
        .map((who) => ({
          uuid: who.user.uuid,
          handle: who.user.handle,
          display_name: who.user.displayName,
          blocked_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
        }))
        .sort((a, b) => a.handle.localeCompare(b.handle)),
    );
    // Bob's list is his own: Ann's blocks are not in it.
    const bobs = await api.request('/api/blocks', { token: bob.token });
    expect(await bobs.json()).toEqual({ users: [] });

    for (const method of ['DELETE', 'DELETE'] as const) {
      expect((await block(ann, bob, method)).status).toBe(204);
    }
    const after = (await (await api.request('/api/blocks', { token: ann.token })).json()) as {
      users: { handle: string }[];
    };
    expect(after.users.map((user) => user.handle)).toEqual([cat.user.handle]);
  });

  it('allows unsending but not editing while blocked', async () => {
    const [ann, bob] = [await api.signedInUser('ann'), await api.signedInUser('bob')];
    const sent = await sendThrough(api, bob.token, { handle: ann.user.handle, message: 'rude' });
    expect((await block(ann, bob)).status).toBe(204);
    const path = `/api/messages/${sent.message_group_uuid}/${sent.message.uuid}`;
    const edit = await api.request(path, {
      method: 'PATCH',
      token: bob.token,
      json: { message: 'ruder' },
    });
    expect(await errorOf(edit)).toEqual(blockedAnswer);
    expect((await api.request(path, { method: 'DELETE', token: bob.token })).status).toBe(204);
  });

  it('answers an unknown handle with 404, myself with 422, no token with 401, and writes nothing', async () => {
    const ann = await api.signedInUser('ann');
    const before = await itemKeys();
    const unknown = await api.request('/api/users/@nobody_here_at_all/block', {
      method: 'POST',
      token: ann.token,
    });
    expect(await errorOf(unknown)).toMatchObject({ status: 404, code: 'user_not_found' });
    const unknownDelete = await api.request('/api/users/@nobody_here_at_all/block', {
      method: 'DELETE',
      token: ann.token,
    });
    expect(await errorOf(unknownDelete)).toMatchObject({ status: 404, code: 'user_not_found' });
    expect(await errorOf(await block(ann, ann))).toEqual({
      status: 422,
      code: 'cannot_block_self',
      message: 'You cannot block yourself.',
    });
    const anonymous = await api.request(blockPath(ann), { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect((await api.request('/api/blocks')).status).toBe(401);
    expect(await itemKeys()).toEqual(before);
  });
});
