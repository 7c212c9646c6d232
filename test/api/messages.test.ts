import { describe, expect, it } from 'vitest';
import { errorOf, withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const api = withApi(t);

const send = (token: string, body: unknown) =>
  api.request('/api/messages', { method: 'POST', token, json: body });

describe('POST /api/messages and the conversation routes', () => {
  it('starts a conversation by handle (201), returning the new message, then appends to it', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const first = await send(a.token, { handle: b.user.handle.toUpperCase(), message: ' hello ' });
    expect(first.status).toBe(201);
    const created = (await first.json()) as {
      message_group_uuid: string;
      message: Record<string, string>;
    };
    expect(created.message).toMatchObject({
      user_uuid: a.user.uuid,
      handle: a.user.handle,
      message: 'hello',
    });
    expect(created.message.uuid).not.toBe(a.user.uuid);
    expect(created.message.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const reply = await send(b.token, {
      message_group_uuid: created.message_group_uuid,
      message: 'hi back',
    });
    expect(reply.status).toBe(201);
    const again = await send(a.token, { handle: b.user.handle, message: 'third' });
    expect(((await again.json()) as { message_group_uuid: string }).message_group_uuid).toBe(
      created.message_group_uuid,
    );

    const page = await api.request(`/api/messages/${created.message_group_uuid}`, {
      token: b.token,
    });
    expect(page.status).toBe(200);
    const body = (await page.json()) as {
      messages: { message: string }[];
      next_cursor: string | null;
    };
    expect(body.messages.map((m) => m.message)).toEqual(['hello', 'hi back', 'third']);
    expect(body.next_cursor).toBeNull();

    const groups = await api.request('/api/message_groups', { token: a.token });
    const list = (await groups.json()) as {
      message_groups: Record<string, string>[];
      next_cursor: null;
    };
    expect(list.message_groups[0]).toMatchObject({
      uuid: created.message_group_uuid,
      handle: b.user.handle,
      display_name: b.user.displayName,
    });
    expect(Object.keys(list.message_groups[0] ?? {}).sort()).toEqual([
      'created_at',
      'display_name',
      'handle',
      'last_message_user_uuid',
      'message',
      'message_deleted',
      'unread_count',
      'uuid',
    ]);
    // a wrote last ('third' after b's reply): a has nothing unread.
    expect(list.message_groups[0]).toMatchObject({
      unread_count: 0,
      last_message_user_uuid: a.user.uuid,
    });
  });

  it('answers a retry with the same client_message_id with 200 and the same body', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const body = { handle: b.user.handle, message: 'once only', client_message_id: 'tab-1_msg-1' };
    const first = await send(a.token, body);
    const retry = await send(a.token, body);
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(await retry.json()).toEqual(await first.json());
  });

  it('accepts 1024 characters, rejects 1025, and counts an emoji as one', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    expect((await send(a.token, { handle: b.user.handle, message: 'x'.repeat(1024) })).status).toBe(
      201,
    );
    expect(
      (await send(a.token, { handle: b.user.handle, message: '🎉'.repeat(1024) })).status,
    ).toBe(201);
    expect(
      await errorOf(await send(a.token, { handle: b.user.handle, message: 'x'.repeat(1025) })),
    ).toMatchObject({
      status: 422,
      code: 'message_too_long',
    });
    expect(
      await errorOf(await send(a.token, { handle: b.user.handle, message: '🎉'.repeat(1025) })),
    ).toMatchObject({
      status: 422,
      code: 'message_too_long',
    });
  });

  it.each([
    ['blank', { message: '   ' }, 422, 'message_blank'],
    ['holding half of a surrogate pair', { message: 'a\ud800b' }, 422, 'invalid_text'],
    ['to oneself', { message: 'hi', self: true }, 422, 'cannot_message_self'],
    ['to an unknown handle', { message: 'hi', handle: 'nobody_here' }, 404, 'user_not_found'],
    ['to a malformed handle', { message: 'hi', handle: '../../etc' }, 404, 'user_not_found'],
    [
      'with a bad client_message_id',
      { message: 'hi', client_message_id: 'no spaces' },
      400,
      'invalid_request',
    ],
  ])('rejects a message %s and writes nothing', async (_name, input, status, code) => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const { self, ...rest } = input as Record<string, unknown>;
    const before = (await t.scanAll()).length;
    const response = await send(a.token, { handle: self ? a.user.handle : b.user.handle, ...rest });
    expect(await errorOf(response)).toMatchObject({ status, code });
    expect((await t.scanAll()).length).toBe(before);
  });

  it.each([
    [
      'both targets',
      {
        message: 'hi',
        handle: 'someone',
        message_group_uuid: '00000000-0000-4000-8000-000000000000',
      },
    ],
    ['no target', { message: 'hi' }],
    ['a number as message', { message: 42, handle: 'someone' }],
    ['null as message', { message: null, handle: 'someone' }],
    ['an array as body', ['hi']],
    ['an unknown field', { message: 'hi', handle: 'someone', admin: true }],
  ])('answers 400 invalid_request for %s', async (_name, body) => {
    const a = await api.signedInUser('a');
    expect(await errorOf(await send(a.token, body))).toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
  });

  it('tells what is wrong in the kind of send the client meant, not in the other kind', async () => {
    const a = await api.signedInUser('a');
    const conversation = {
      message: 'hi',
      message_group_uuid: '00000000-0000-4000-8000-000000000000',
    };
    expect(await errorOf(await send(a.token, { ...conversation, admin: true }))).toMatchObject({
      status: 400,
      message: 'body must NOT have additional properties (admin).',
    });
    const badId = await send(a.token, { ...conversation, client_message_id: 'no spaces' });
    expect((await errorOf(badId)).message).toMatch(/^body\.client_message_id must match pattern/);
    const toHandle = await send(a.token, { message: 'hi', handle: 'someone', admin: true });
    expect(await errorOf(toHandle)).toMatchObject({
      message: 'body must NOT have additional properties (admin).',
    });
  });

  it('answers 400 to malformed JSON, 415 to a text body and 413 to a body over 16 KiB', async () => {
    const a = await api.signedInUser('a');
    const malformed = await api.request('/api/messages', {
      method: 'POST',
      token: a.token,
      headers: { 'content-type': 'application/json' },
      body: '{"message": "hi", ',
    });
    expect(await errorOf(malformed)).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'The body is not valid JSON.',
    });
    const text = await api.request('/api/messages', {
      method: 'POST',
      token: a.token,
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(await errorOf(text)).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    const huge = await send(a.token, { handle: 'someone', message: 'x'.repeat(17 * 1024) });
    expect(await errorOf(huge)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('gives a third user 404 on another pair’s conversation, reading or posting, as for no conversation', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const c = await api.signedInUser('c');
    const started = (await (
      await send(a.token, { handle: b.user.handle, message: 'private' })
    ).json()) as {
      message_group_uuid: string;
    };
    const g = started.message_group_uuid;
    const read = await errorOf(await api.request(`/api/messages/${g}`, { token: c.token }));
    const post = await errorOf(
      await send(c.token, { message_group_uuid: g, message: 'let me in' }),
    );
    const missing = await errorOf(
      await api.request('/api/messages/00000000-0000-4000-8000-000000000000', { token: c.token }),
    );
    const malformed = await errorOf(
      await api.request('/api/messages/not-a-uuid', { token: c.token }),
    );
    for (const answer of [read, post, missing, malformed]) {
      expect(answer).toEqual({
        status: 404,
        code: 'message_group_not_found',
        message: 'No such conversation.',
      });
    }
    const list = (await (await api.request('/api/message_groups', { token: c.token })).json()) as {
      message_groups: unknown[];
    };
    expect(list.message_groups).toEqual([]);
  });

  it('pages with opaque cursors and rejects tampered, foreign and malformed ones', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const first = (await (
      await send(a.token, { handle: b.user.handle, message: 'm0' })
    ).json()) as { message_group_uuid: string };
    const g = first.message_group_uuid;
    for (let i = 1; i < 5; i++) await send(a.token, { message_group_uuid: g, message: `m${i}` });
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const response = await api.request(`/api/messages/${g}${query}`, { token: a.token });
      const body = (await response.json()) as {
        messages: { message: string }[];
        next_cursor: string | null;
      };
      pages.push(body.messages.map((m) => m.message));
      cursor = body.next_cursor;
    } while (cursor);
    expect(pages).toEqual([['m3', 'm4'], ['m1', 'm2'], ['m0']]);

    const page = (await (
      await api.request(`/api/messages/${g}?limit=2`, { token: a.token })
    ).json()) as { next_cursor: string };
    // Change a whole character of the signature: the last one also carries padding bits, so
    // changing it alone may decode to the very same bytes.
    const [payload, signature = ''] = page.next_cursor.split('.');
    const tampered = `${payload}.${signature.slice(0, 5)}${signature[5] === 'A' ? 'B' : 'A'}${signature.slice(6)}`;
    const foreign = page.next_cursor;
    for (const [token, path] of [
      [a.token, `/api/messages/${g}?cursor=${encodeURIComponent(tampered)}`],
      [b.token, `/api/messages/${g}?cursor=${encodeURIComponent(foreign)}`],
      [a.token, `/api/message_groups?cursor=${encodeURIComponent(foreign)}`],
      [a.token, '/api/message_groups?cursor=bm90LWEtY3Vyc29y'],
    ] as const) {
      expect(await errorOf(await api.request(path, { token }))).toMatchObject({
        status: 400,
        code: 'invalid_cursor',
      });
    }
  });

  it.each(['0', '101', 'abc', '1.5', '-1'])('answers 400 to limit=%s', async (limit) => {
    const a = await api.signedInUser('a');
    const response = await api.request(`/api/message_groups?limit=${limit}`, { token: a.token });
    expect(response.status).toBe(400);
  });

  it('names the conversation I already have with a user I look up, for both of us, and none with myself', async () => {
    const [a, b, c] = [
      await api.signedInUser('a'),
      await api.signedInUser('b'),
      await api.signedInUser('c'),
    ];
    const sent = await send(a.token, { handle: b.user.handle, message: 'hi' });
    expect(sent.status).toBe(201);
    const { message_group_uuid: group } = (await sent.json()) as { message_group_uuid: string };
    const lookup = async (token: string, handle: string) =>
      (
        (await (await api.request(`/api/users/@${handle}/short`, { token })).json()) as {
          message_group_uuid: string | null;
        }
      ).message_group_uuid;
    expect(await lookup(a.token, b.user.handle)).toBe(group);
    expect(await lookup(b.token, a.user.handle)).toBe(group);
    expect(await lookup(a.token, c.user.handle)).toBeNull();
    expect(await lookup(c.token, a.user.handle)).toBeNull();
    expect(await lookup(a.token, a.user.handle)).toBeNull();
  });

  it('looks users up by handle, case-insensitively, and says who I am', async () => {
    const a = await api.signedInUser('a');
    const b = await api.signedInUser('b');
    const found = await api.request(`/api/users/@${b.user.handle.toUpperCase()}/short`, {
      token: a.token,
    });
    expect(await found.json()).toEqual({
      uuid: b.user.uuid,
      handle: b.user.handle,
      display_name: b.user.displayName,
      message_group_uuid: null,
    });
    expect(
      await errorOf(await api.request('/api/users/@nobody_here/short', { token: a.token })),
    ).toMatchObject({
      status: 404,
      code: 'user_not_found',
    });
    expect(await (await api.request('/api/me', { token: a.token })).json()).toEqual({
      uuid: a.user.uuid,
      handle: a.user.handle,
      display_name: a.user.displayName,
      unread_conversations: 0,
    });
  });
});
