import { describe, expect, it } from 'vitest';
import type { Page, User } from '../../src/messaging/model.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';

const t = withTestTable();

/** A clock that moves one second per reading, from `start`. */
const steppingClock = (start: string) => {
  let at = Date.parse(start);
  return () => {
    at += 1000;
    return new Date(at);
  };
};

const readAll = async <T>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
): Promise<T[][]> => {
  const pages: T[][] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetchPage(cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
};

/** Created on the real clock, so that the tests' stepping clocks count messages only. */
const twoUsers = async (): Promise<[User, User]> => {
  const messaging = t.messaging();
  return [
    await messaging.createUser({ handle: uniqueHandle('p'), displayName: 'P' }),
    await messaging.createUser({ handle: uniqueHandle('q'), displayName: 'Q' }),
  ];
};

describe('pagination', () => {
  it('pages through 250 messages: each exactly once, newest page first, oldest-first inside', async () => {
    const messaging = t.messaging({ clock: steppingClock('2026-02-01T00:00:00.000Z') });
    const [a, b] = await twoUsers();
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'm0',
    });
    for (let i = 1; i < 250; i++) {
      await messaging.sendMessage({
        sender: i % 2 ? b : a,
        to: { messageGroupUuid: message.messageGroupUuid },
        message: `m${i}`,
      });
    }
    const pages = await readAll((cursor) =>
      messaging.listMessages(a.uuid, message.messageGroupUuid, { limit: 40, cursor }),
    );
    expect(pages.map((p) => p.length)).toEqual([40, 40, 40, 40, 40, 40, 10]);
    expect(pages[0]?.map((m) => m.message)).toEqual(
      Array.from({ length: 40 }, (_, i) => `m${210 + i}`),
    );
    const chronological = pages.reverse().flat();
    expect(chronological.map((m) => m.message)).toEqual(
      Array.from({ length: 250 }, (_, i) => `m${i}`),
    );
  });

  it('pages through 45 conversations newest first, each exactly once', async () => {
    const messaging = t.messaging({ clock: steppingClock('2026-03-01T00:00:00.000Z') });
    const me = await messaging.createUser({ handle: uniqueHandle('me'), displayName: 'Me' });
    const others = [];
    for (let i = 0; i < 45; i++) {
      const other = await messaging.createUser({
        handle: uniqueHandle(`o${i}`),
        displayName: `Other ${i}`,
      });
      await messaging.sendMessage({ sender: me, to: { handle: other.handle }, message: `to ${i}` });
      others.push(other);
    }
    const pages = await readAll((cursor) =>
      messaging.listMessageGroups(me.uuid, { limit: 10, cursor }),
    );
    expect(pages.map((p) => p.length)).toEqual([10, 10, 10, 10, 5]);
    expect(pages.flat().map((g) => g.handle)).toEqual(others.reverse().map((o) => o.handle));
  });

  it('returns a null cursor when a page ends exactly at the start of history', async () => {
    const messaging = t.messaging({ clock: steppingClock('2026-04-01T00:00:00.000Z') });
    const [a, b] = await twoUsers();
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'one',
    });
    await messaging.sendMessage({ sender: a, to: { handle: b.handle }, message: 'two' });
    const page = await messaging.listMessages(a.uuid, message.messageGroupUuid, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeNull();
  });

  it('shows both sides of a conversation spanning 31 December to 1 January', async () => {
    const messaging = t.messaging({ clock: steppingClock('2025-12-31T23:59:58.000Z') });
    const [a, b] = await twoUsers();
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'old year',
    });
    const next = await messaging.sendMessage({
      sender: b,
      to: { handle: a.handle },
      message: 'new year',
    });
    expect(message.createdAt).toBe('2025-12-31T23:59:59.000Z');
    expect(next.message.createdAt).toBe('2026-01-01T00:00:00.000Z');
    const page = await messaging.listMessages(b.uuid, message.messageGroupUuid);
    expect(page.items.map((m) => m.message)).toEqual(['old year', 'new year']);
    const groups = await messaging.listMessageGroups(a.uuid);
    expect(groups.items.map((g) => g.messageGroupUuid)).toEqual([message.messageGroupUuid]);
  });

  it('rejects a cursor from another listing and an invalid limit', async () => {
    const messaging = t.messaging({ clock: steppingClock('2026-06-01T00:00:00.000Z') });
    const [a, b] = await twoUsers();
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'x',
    });
    await messaging.sendMessage({ sender: a, to: { handle: b.handle }, message: 'y' });
    const page = await messaging.listMessages(a.uuid, message.messageGroupUuid, { limit: 1 });
    expect(page.nextCursor).not.toBeNull();
    await expect(
      messaging.listMessages(b.uuid, message.messageGroupUuid, {
        limit: 1,
        cursor: page.nextCursor,
      }),
    ).rejects.toMatchObject({ code: 'invalid_cursor' });
    await expect(
      messaging.listMessageGroups(a.uuid, { cursor: page.nextCursor }),
    ).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
    await expect(messaging.listMessageGroups(a.uuid, { limit: 101 })).rejects.toMatchObject({
      code: 'invalid_limit',
    });
  });
});
