import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/product-server.js';
import { createUser, sendMessage, type TestUser, tokenFor, uniqueHandle } from './support/api.js';
import { messageWithText, screenshot, signInAs } from './support/app.js';
import { expectNoAxeViolationsInBothSchemes as expectAccessible } from './support/axe.js';
import { newPerson } from './support/browser.js';
import { rowWith } from './support/read-state.js';
import { withProductAndBrowser } from './support/world.js';

// Issue 17, the web part: the "To" field of "New message" is a WAI-ARIA 1.2 combobox over
// GET /api/users?q= (web/src/features/conversations/PeopleCombobox.tsx). The server's demo
// people are there too, so each test finds people of its own: by a handle prefix no one else
// has, or by a name among others, located by what the list shows.

const world = withProductAndBrowser();

const PHONE = { width: 375, height: 812 };

/** A user with a display name of the test's choosing (accents, other scripts). */
const createPerson = async (
  server: RunningServer,
  handle: string,
  displayName: string,
): Promise<TestUser> => {
  const response = await fetch(`${server.url}/api/dev/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ handle, display_name: displayName }),
  });
  if (response.status !== 201) throw new Error(`create @${handle}: ${response.status}`);
  return (await response.json()) as TestUser;
};

/** A handle prefix that only this test's people have, and their handles under it. */
const namesake = (name: string) => {
  const prefix = uniqueHandle(name).slice(0, 26);
  return { prefix, handle: (suffix: string) => `${prefix}_${suffix}` };
};

/** The field, the popup and its options, in the open "New message" form. */
const peoplePicker = (page: Page) => {
  const field = page.getByRole('combobox', { name: 'To' });
  const listbox = page.getByRole('listbox', { name: 'People' });
  return {
    field,
    listbox,
    options: listbox.getByRole('option'),
    /** The option of one person: their name and handle, as the list shows them. */
    option: (user: TestUser) =>
      listbox.getByRole('option', { name: `${user.display_name} @${user.handle}`, exact: true }),
    announced: () => page.getByTestId('announcer').textContent(),
  };
};

const openNewMessage = async (page: Page) => {
  await page.getByRole('button', { name: 'New message' }).click();
  const picker = peoplePicker(page);
  await expect.poll(() => hasFocus(picker.field)).toBe(true);
  return picker;
};

/** Whether the element has the keyboard focus (the tests are not compiled with DOM types). */
const hasFocus = (locator: Locator): Promise<boolean> =>
  locator.evaluate(
    (element) =>
      (element as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument
        .activeElement === element,
  );

/** The id of the option the field points at (aria-activedescendant), or null. */
const activeOptionId = (field: Locator): Promise<string | null> =>
  field.getAttribute('aria-activedescendant');

const idOf = async (option: Locator): Promise<string> => {
  const id = await option.getAttribute('id');
  if (!id) throw new Error('an option without an id');
  return id;
};

/** Waits until the search for what is in the field is answered and the list shows `count`. */
const waitForResults = async (picker: ReturnType<typeof peoplePicker>, count: number) => {
  const words = count === 1 ? '1 person found' : `${count} people found`;
  await expect.poll(picker.announced).toBe(words);
  await expect.poll(() => picker.options.count()).toBe(count);
  await expect.poll(() => picker.field.getAttribute('aria-expanded')).toBe('true');
};

// A browser test on a loaded 2-core machine: seconds per step, more with axe.
describe('find people: the "To" field suggests people as you type (WAI-ARIA combobox)', {
  timeout: 60_000,
}, () => {
  it('a name typed without its accent finds the person; ArrowDown and Enter pick her and open a new conversation', async () => {
    const [vera, ines] = await Promise.all([
      createUser(world.server, 'vera'),
      createPerson(world.server, uniqueHandle('duval'), 'Inès Duval'),
    ]);
    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, vera.handle);
    const picker = await openNewMessage(page);
    expect(await picker.field.getAttribute('aria-autocomplete')).toBe('list');
    expect(await picker.field.getAttribute('aria-expanded')).toBe('false');
    const listboxId = await picker.field.getAttribute('aria-controls');
    expect(listboxId).toBeTruthy();

    await picker.field.pressSequentially('ines');
    await picker.option(ines).waitFor();
    // Everyone found is one option: avatar, name and handle. Others may be called Inès too.
    const count = await picker.options.count();
    await waitForResults(picker, count);
    expect(await picker.listbox.getAttribute('id')).toBe(listboxId);
    await expect.poll(() => picker.option(ines).locator('.avatar').textContent()).toBe('ID');
    expect(await picker.option(ines).textContent()).toContain(`@${ines.handle}`);
    expect(await activeOptionId(picker.field)).toBeNull();

    // Down to her, by keyboard only: the focus never leaves the field.
    const ids = await picker.options.evaluateAll((options) => options.map((option) => option.id));
    const herId = await idOf(picker.option(ines));
    for (let step = 0; step <= ids.indexOf(herId); step += 1) {
      await picker.field.press('ArrowDown');
    }
    await expect.poll(() => activeOptionId(picker.field)).toBe(herId);
    expect(await picker.option(ines).getAttribute('aria-selected')).toBe('true');
    expect(await hasFocus(picker.field)).toBe(true);

    await picker.field.press('Enter');
    await page.waitForURL(`**/messages/new/${ines.handle}`);
    await page.getByRole('heading', { name: 'Inès Duval', level: 2 }).waitFor();
    await page.getByText('No messages yet. Say hello to Inès Duval!').waitFor();
    await context.close();
  });

  it('one search per pause in typing; a search for older text is aborted and its answer never shown', async () => {
    const { prefix, handle } = namesake('late');
    const me = await createUser(world.server, 'vera');
    const [ana, bo] = await Promise.all([
      createPerson(world.server, handle('ana'), 'Ana Sousa'),
      createPerson(world.server, handle('bo'), 'Bo Lindqvist'),
    ]);
    const { context, page } = await newPerson(world.browser, world.server.url);
    const searched: string[] = [];
    const aborted: string[] = [];
    const queryOf = (url: string) => new URL(url).searchParams.get('q') ?? '';
    page.on('request', (request) => {
      if (request.url().includes('/api/users?')) searched.push(queryOf(request.url()));
    });
    page.on('requestfailed', (request) => {
      if (request.url().includes('/api/users?')) {
        aborted.push(`${queryOf(request.url())}: ${request.failure()?.errorText}`);
      }
    });
    await signInAs(page, me.handle);
    const picker = await openNewMessage(page);

    // Typed key by key without a pause: one request, for the whole text.
    await picker.field.pressSequentially(ana.handle);
    await waitForResults(picker, 1);
    await picker.option(ana).waitFor();
    expect(searched.length).toBeLessThan(ana.handle.length / 2);
    expect(searched.at(-1)).toBe(ana.handle);

    // The answer for "…_a" is held back until the one for "…_b" is shown: it never is.
    let answerLate: () => void = () => {};
    const late = new Promise<void>((resolve) => {
      answerLate = resolve;
    });
    const lateQuery = `${prefix}_a`;
    const lateAnswered = new Promise<void>((resolve) => {
      void page.route('**/api/users?*', async (route) => {
        if (queryOf(route.request().url()) !== lateQuery) return route.continue();
        await late;
        const body = JSON.stringify({
          users: [{ uuid: 'late-0000', handle: `${prefix}_late`, display_name: 'Late Answer' }],
        });
        await route.fulfill({ contentType: 'application/json', body }).catch(() => undefined);
        resolve();
      });
    });
    await picker.field.fill(lateQuery);
    await expect.poll(() => searched.at(-1)).toBe(lateQuery);
    await picker.field.fill(`${prefix}_b`);
    await waitForResults(picker, 1);
    await picker.option(bo).waitFor();
    await expect.poll(() => aborted).toEqual([`${lateQuery}: net::ERR_ABORTED`]);
    answerLate();
    await lateAnswered;
    expect(await picker.options.count()).toBe(1);
    expect(await picker.option(bo).count()).toBe(1);
    expect(await picker.listbox.getByText('Late Answer').count()).toBe(0);
    await context.close();
  });

  it('the arrows move aria-activedescendant and wrap; Home and End go back to the text; Escape closes the list, then the form', async () => {
    const { prefix, handle } = namesake('arrows');
    const me = await createUser(world.server, 'vera');
    const [ana, boris, chen] = await Promise.all([
      createPerson(world.server, handle('a'), 'Ana Lúcia Ferreira'),
      createPerson(world.server, handle('b'), 'Борис Орлов'),
      createPerson(world.server, handle('c'), '陳美玲'),
    ]);
    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, me.handle);
    const picker = await openNewMessage(page);
    await picker.field.fill(prefix);
    await waitForResults(picker, 3);
    // Handle matches in handle order.
    const a = await idOf(picker.option(ana));
    const b = await idOf(picker.option(boris));
    const c = await idOf(picker.option(chen));
    expect(await picker.options.evaluateAll((options) => options.map((o) => o.id))).toEqual([
      a,
      b,
      c,
    ]);

    const highlighted = async () => ({
      active: await activeOptionId(picker.field),
      selected: await picker.listbox
        .locator('[role="option"][aria-selected="true"]')
        .evaluateAll((options) => options.map((option) => option.id)),
    });
    const expectHighlight = async (id: string | null) => {
      await expect.poll(highlighted).toEqual({ active: id, selected: id ? [id] : [] });
    };
    await expectHighlight(null);
    for (const [key, id] of [
      ['ArrowDown', a],
      ['ArrowDown', b],
      ['ArrowDown', c],
      ['ArrowDown', a], // past the last: back to the first
      ['ArrowUp', c], // before the first: the last
      ['ArrowUp', b],
    ] as const) {
      await picker.field.press(key);
      await expectHighlight(id);
    }

    // Home and End move the caret in the text, with no option highlighted; the list stays.
    const caret = () =>
      picker.field.evaluate(
        (input) => (input as unknown as { selectionStart: number | null }).selectionStart,
      );
    await picker.field.press('Home');
    await expectHighlight(null);
    expect(await caret()).toBe(0);
    await picker.field.press('End');
    expect(await caret()).toBe(prefix.length);
    expect(await picker.field.getAttribute('aria-expanded')).toBe('true');
    await picker.field.press('ArrowUp');
    await expectHighlight(c);

    // Escape closes the list only: the text, the form and the focus stay.
    await picker.field.press('Escape');
    await expect.poll(() => picker.field.getAttribute('aria-expanded')).toBe('false');
    await picker.listbox.waitFor({ state: 'hidden' });
    expect(await activeOptionId(picker.field)).toBeNull();
    expect(await picker.field.inputValue()).toBe(prefix);
    expect(await hasFocus(picker.field)).toBe(true);

    // ArrowDown opens it again on the first; a second Escape after closing it closes the form.
    await picker.field.press('ArrowDown');
    await expectHighlight(a);
    await picker.field.press('Escape');
    await picker.listbox.waitFor({ state: 'hidden' });
    await picker.field.press('Escape');
    await picker.field.waitFor({ state: 'detached' });
    await expect.poll(() => hasFocus(page.getByRole('button', { name: 'New message' }))).toBe(true);
    expect(page.url()).toMatch(/\/messages$/);
    await context.close();
  });

  it('picking someone I already have a conversation with opens that conversation (by a click, as by a tap)', async () => {
    const { prefix, handle } = namesake('known');
    const [vera, bea] = await Promise.all([
      createUser(world.server, 'vera'),
      createPerson(world.server, handle('bea'), 'Béatrice Dupont'),
    ]);
    const { message_group_uuid } = await sendMessage(
      world.server,
      await tokenFor(world.server, bea.handle),
      { handle: vera.handle, message: 'Coffee at ten?' },
    );
    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, vera.handle);
    await rowWith(page, bea.display_name).waitFor();
    const picker = await openNewMessage(page);
    await picker.field.fill(prefix);
    await waitForResults(picker, 1);
    await picker.option(bea).click();
    await page.waitForURL(`**/messages/${message_group_uuid}`);
    await messageWithText(page, 'Coffee at ten?').waitFor();
    await picker.field.waitFor({ state: 'detached' });

    // The same by keyboard, from the conversation's own page.
    const again = await openNewMessage(page);
    await again.field.fill(bea.handle);
    await waitForResults(again, 1);
    await again.field.press('ArrowDown');
    await again.field.press('Enter');
    await again.field.waitFor({ state: 'detached' });
    expect(page.url()).toMatch(new RegExp(`/messages/${message_group_uuid}$`));
    await messageWithText(page, 'Coffee at ten?').waitFor();
    await context.close();
  });

  it('picking someone whose conversation is further down than the list has loaded opens that conversation, with its history', async () => {
    const { prefix, handle } = namesake('older');
    const [vera, bea] = await Promise.all([
      createUser(world.server, 'vera'),
      createPerson(world.server, handle('bea'), 'Béatrice Lemaire'),
    ]);
    const { message_group_uuid } = await sendMessage(
      world.server,
      await tokenFor(world.server, bea.handle),
      { handle: vera.handle, message: 'Long time no see' },
    );
    // A first page of newer conversations (the list loads 20), so Béatrice's is not loaded.
    const others = await Promise.all(
      Array.from({ length: 21 }, (_, i) => createUser(world.server, `newer${i}`)),
    );
    for (const other of others)
      await sendMessage(world.server, await tokenFor(world.server, other.handle), {
        handle: vera.handle,
        message: 'hello',
      });
    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, vera.handle);
    await rowWith(page, others.at(-1)?.display_name ?? '').waitFor();
    expect(await rowWith(page, bea.display_name).count()).toBe(0);

    const picker = await openNewMessage(page);
    await picker.field.fill(prefix);
    await waitForResults(picker, 1);
    await picker.field.press('ArrowDown');
    await picker.field.press('Enter');
    await page.waitForURL(`**/messages/${message_group_uuid}`);
    await messageWithText(page, 'Long time no see').waitFor();

    // Her whole handle and Enter: the one lookup names the conversation, so it opens at once
    // (no new-conversation screen looking her up a second time).
    await page.goto(`${world.server.url}/messages`);
    await rowWith(page, others.at(-1)?.display_name ?? '').waitFor();
    const lookups: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/short')) lookups.push(request.url());
    });
    const byHandle = await openNewMessage(page);
    await byHandle.field.fill(`@${bea.handle}`);
    await byHandle.field.press('Enter');
    await page.waitForURL(`**/messages/${message_group_uuid}`);
    await messageWithText(page, 'Long time no see').waitFor();
    expect(lookups).toHaveLength(1);
    await context.close();
  });

  it('a whole handle and Enter, without picking, still works; "No user @…" and "That is you" as before', async () => {
    const [vera, wes] = await Promise.all([
      createUser(world.server, 'vera'),
      createUser(world.server, 'wes'),
    ]);
    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, vera.handle);
    const picker = await openNewMessage(page);

    // Myself: never suggested, and refused.
    await picker.field.fill(vera.handle);
    await expect.poll(picker.announced).toBe('No one found');
    await page.getByTestId('people-status').waitFor();
    await picker.field.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'That is you. Pick someone else.' }).waitFor();
    await expect.poll(() => page.getByTestId('people-status').count()).toBe(0);

    const nobody = uniqueHandle('nobody');
    await picker.field.fill(`@${nobody}`);
    await expect.poll(picker.announced).toBe('No one found');
    await picker.field.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: `No user @${nobody}` })
      .waitFor();
    expect(await picker.field.getAttribute('aria-invalid')).toBe('true');

    // Suggested, but not picked: Enter takes the text as typed.
    await picker.field.fill(`@${wes.handle.toUpperCase()}`);
    await waitForResults(picker, 1);
    expect(await activeOptionId(picker.field)).toBeNull();
    await picker.field.press('Enter');
    await page.waitForURL(`**/messages/new/${wes.handle}`);
    await page.getByText(`No messages yet. Say hello to ${wes.display_name}!`).waitFor();
    await context.close();
  });

  it('axe-core finds nothing on the open list with a person highlighted, nor on "No one found": light and dark, wide and 375 px', async () => {
    const { prefix, handle } = namesake('axe');
    const me = await createUser(world.server, 'vera');
    const people = await Promise.all([
      createPerson(world.server, handle('ines'), 'Inès Duval'),
      createPerson(world.server, handle('yuki'), '山田 由紀'),
      createPerson(world.server, handle('zofia'), 'Zofia Wiśniewska-Kowalczyk Szczepańska'),
    ]);
    for (const viewport of [undefined, PHONE]) {
      const label = viewport ? '375 px' : 'wide';
      const { context, page } = await newPerson(world.browser, world.server.url, { viewport });
      await signInAs(page, me.handle);
      const picker = await openNewMessage(page);
      await picker.field.fill(prefix);
      await waitForResults(picker, people.length);
      await picker.field.press('ArrowDown');
      await picker.field.press('ArrowDown');
      await expect.poll(() => activeOptionId(picker.field)).toBe(await idOf(picker.options.nth(1)));
      await screenshot(page, `find-people-${viewport ? 'narrow' : 'wide'}`);
      await expectAccessible(page, `new message, people suggested, ${label}`);
      if (viewport) {
        // Readable on a phone: the list is inside the screen, and no name spills out of it.
        const box = await picker.listbox.boundingBox();
        expect(box).not.toBeNull();
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= PHONE.width).toBe(true);
        const scrollWidth = await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
              .document.documentElement.scrollWidth,
        );
        expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
      }

      await picker.field.fill(uniqueHandle('nobody'));
      await expect.poll(picker.announced).toBe('No one found');
      await page.getByTestId('people-status').waitFor();
      await expectAccessible(page, `new message, no one found, ${label}`);
      await context.close();
    }
  });
});
