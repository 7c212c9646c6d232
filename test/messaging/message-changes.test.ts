import { beforeEach, describe, expect, it } from 'vitest';
import type { Messaging } from '../../src/messaging/messaging.js';
import type { Message, User } from '../../src/messaging/model.js';
import { interposedTable } from '../support/interposed-table.js';
import { expectConverged } from '../support/stream.js';
import { streamSteps } from '../support/stream-steps.js';
import { createTestTable, newUser, type TestTable } from '../support/test-table.js';

let t: TestTable;
let messaging: Messaging;
let steps: ReturnType<typeof streamSteps>;
beforeEach(async () => {
  t = await createTestTable();
  messaging = t.messaging();
  steps = streamSteps(t);
});

const applyStream = () => steps.applyStream();

const send = async (sender: User, to: User | string, text: string, clientMessageId?: string) =>
  (
    await messaging.sendMessage({
      sender,
      to: typeof to === 'string' ? { messageGroupUuid: to } : { handle: to.handle },
      message: text,
      clientMessageId,
    })
  ).message;

const previews = async (users: User[], groupUuid: string) =>
  Promise.all(
    users.map(async (u) => {
      const row = (await messaging.listMessageGroups(u.uuid)).items.find(
        (g) => g.messageGroupUuid === groupUuid,
      );
      return [row?.message, row?.messageDeleted];
    }),
  );

/** Every attribute value of every item of the table, as text. */
const tableText = async (): Promise<string> => {
  const { items } = await t.table.scan<Record<string, unknown>>({
    TableName: t.tableName,
    ConsistentRead: true,
  });
  return JSON.stringify(items);
};

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('edits and unsends', () => {
  it('edits the newest message: the message, its claim and both previews follow, an older record never wins', async () => {
    const [ana, ben] = [await newUser(messaging, 'ana'), await newUser(messaging, 'ben')];
    const g = (await send(ana, ben, 'hello')).messageGroupUuid;
    const m = await send(ana, g, 'teh typo', 'typo-1');
    await applyStream();
    const first = await messaging.editMessage(ana, g, m.uuid, ' the typo ');
    expect(first).toMatchObject({ uuid: m.uuid, message: 'the typo', deleted: false });
    expect(first.editedAt).toMatch(/Z$/);
    const firstEdit = await steps.freshRecords();
    await messaging.editMessage(ana, g, m.uuid, 'the final text');
    await applyStream();
    expect(await previews([ana, ben], g)).toEqual([
      ['the final text', false],
      ['the final text', false],
    ]);
    // The first edit's record again, late: the preview keeps the later revision.
    await steps.handler({ Records: firstEdit });
    expect(await previews([ana, ben], g)).toEqual([
      ['the final text', false],
      ['the final text', false],
    ]);
    expect(steps.outcomes.filter((o) => o.kind === 'updated').length).toBeGreaterThanOrEqual(2);
    await expectConverged(t);
    const text = await tableText();
    expect(text).not.toContain('teh typo');
    expect(text).not.toContain('the typo"');
    // A retry of the first send answers the message as it is now.
    expect(await send(ana, g, 'teh typo', 'typo-1')).toMatchObject({
      uuid: m.uuid,
      message: 'the final text',
    });
  });

  it('unsends: a tombstone stays, its text is nowhere in the table, previews show it unsent', async () => {
    const [ana, ben] = [await newUser(messaging, 'ana'), await newUser(messaging, 'ben')];
    const g = (await send(ana, ben, 'hello')).messageGroupUuid;
    const secret = 'sent to the wrong person 7f3a';
    const m = await send(ana, g, secret, 'oops-1');
    await messaging.editMessage(ana, g, m.uuid, `${secret}, edited`);
    await applyStream();
    await messaging.unsendMessage(ana, g, m.uuid);
    await messaging.unsendMessage(ana, g, m.uuid); // again: nothing changes
    await applyStream();

    const page = await messaging.listMessages(ben.uuid, g);
    expect(page.items.at(-1)).toMatchObject({
      uuid: m.uuid,
      message: '',
      deleted: true,
      editedAt: null,
    });
    expect(await previews([ana, ben], g)).toEqual([
      ['', true],
      ['', true],
    ]);
    expect(await tableText()).not.toContain(secret);
    await expectConverged(t);
    // A retry of the send still answers as that message, now unsent.
    expect(await send(ana, g, secret, 'oops-1')).toMatchObject({ uuid: m.uuid, deleted: true });
    expect(await codeOf(messaging.editMessage(ana, g, m.uuid, 'back'))).toBe('message_not_found');
  });

  it('an edit unsent before pattern E ran never reaches a preview', async () => {
    const [ana, ben] = [await newUser(messaging, 'ana'), await newUser(messaging, 'ben')];
    const g = (await send(ana, ben, 'hello')).messageGroupUuid;
    await applyStream();
    const m = await send(ana, g, 'gone before anyone saw it');
    await messaging.unsendMessage(ana, g, m.uuid);
    // INSERT and MODIFY in one batch, and then the INSERT alone again (a redelivery).
    const records = await applyStream();
    await steps.handler({ Records: records.filter((r) => r.eventName === 'INSERT') });
    expect(await previews([ana, ben], g)).toEqual([
      ['', true],
      ['', true],
    ]);
  });

  it('lets only the author change a message, within the window for edits; all else is the same 404', async () => {
    const [ana, ben] = [await newUser(messaging, 'ana'), await newUser(messaging, 'ben')];
    const eve = await newUser(messaging, 'eve');
    const m: Message = await send(ana, ben, 'mine');
    const g = m.messageGroupUuid;
    for (const [who, attempt] of [
      ['ben edits', () => messaging.editMessage(ben, g, m.uuid, 'x')],
      ['ben unsends', () => messaging.unsendMessage(ben, g, m.uuid)],
      ['eve edits', () => messaging.editMessage(eve, g, m.uuid, 'x')],
      ['eve unsends', () => messaging.unsendMessage(eve, g, m.uuid)],
      [
        'no such message',
        () => messaging.editMessage(ana, g, '0190a000-0000-7000-8000-000000000000', 'x'),
      ],
      ['a malformed uuid', () => messaging.unsendMessage(ana, g, 'nope')],
    ] as const)
      expect([who, await codeOf(attempt())]).toEqual([who, 'message_not_found']);
    expect(await codeOf(messaging.editMessage(ana, g, m.uuid, '  '))).toBe('message_blank');

    const later = t.messaging({ clock: () => new Date(Date.now() + 901_000) });
    expect(await codeOf(later.editMessage(ana, g, m.uuid, 'too late'))).toBe('edit_window_closed');
    await later.unsendMessage(ana, g, m.uuid);
    expect((await messaging.listMessages(ana.uuid, g)).items[0]).toMatchObject({
      message: '',
      deleted: true,
    });
  });
});

describe('edits racing other changes of the message', () => {
  /**
   * The table, except that each of the first `races` writes lets `race` change the message
   * first (a change from another tab, between the edit's read and its write).
   */
  const racing = (races: number, race: (n: number) => Promise<unknown>) => {
    let writes = 0;
    const table = interposedTable(t.table, {
      write: async (request) => {
        writes++;
        if (writes <= races) await race(writes);
        await t.table.write(request);
      },
    });
    return { table, writes: () => writes };
  };

  it('reads the message again after losing a race, and edits on top of the winner', async () => {
    const [ana, ben] = [await newUser(messaging, 'ana'), await newUser(messaging, 'ben')];
    const m = await send(ana, ben, 'first');
    const g = m.messageGroupUuid;
    const { table, writes } = racing(2, (n) => messaging.editMessage(ana, g, m.uuid, `other ${n}`));
    const edited = await t.messaging({ table }).editMessage(ana, g, m.uuid, 'mine');
    // Two lost races (each write refused: the revision moved), then a third read and write.
    expect(writes()).toBe(3);
    expect((await messaging.listMessages(ana.uuid, g)).items[0]).toMatchObject({
      message: 'mine',
      editedAt: edited.editedAt,
    });
  });

  it('gives up after 4 lost races with write_conflict (503), not the internal stale_message', async () => {
    const [ana, ben] = [await newUser(messaging, 'ana'), await newUser(messaging, 'ben')];
    const m = await send(ana, ben, 'first');
    const g = m.messageGroupUuid;
    const { table, writes } = racing(4, (n) => messaging.editMessage(ana, g, m.uuid, `other ${n}`));
    expect(await codeOf(t.messaging({ table }).unsendMessage(ana, g, m.uuid))).toBe(
      'write_conflict',
    );
    expect(writes()).toBe(4);
    expect((await messaging.listMessages(ana.uuid, g)).items[0]).toMatchObject({
      message: 'other 4',
    });
  });
});
