import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, sendMessage, tokenFor, uniqueHandle } from './support/api.js';
import {
  composer,
  conversationRows,
  listedHandles,
  messageWithText,
  screenshot,
  signInAs,
} from './support/app.js';
import { newPerson } from './support/browser.js';
import { rowNamedUnread } from './support/read-state.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();

/** Set once, gone after a full page load: proves that nothing reloaded the page. */
const markPage = (page: Page) =>
  page.evaluate(() => {
    (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
  });
const wasNotReloaded = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded === true);

const announcement = (page: Page) => page.getByTestId('announcer').textContent();

describe('two people messaging each other', () => {
  it('starts a conversation by handle; the other side sees it and replies, all live', {
    timeout: 60_000,
  }, async () => {
    const ada = await newPerson(world.browser, world.server.url);
    const bea = await newPerson(world.browser, world.server.url);
    const adaHandle = uniqueHandle('ada');
    const beaUser = await createUser(world.server, 'bea');

    // Ada creates herself on the sign-in page.
    await ada.page.goto('/signin');
    await ada.page.getByLabel('Handle').fill(adaHandle);
    await ada.page.getByLabel('Display name').fill('Ada Lovelace');
    await ada.page.getByRole('button', { name: 'Create and sign in' }).click();
    await ada.page.waitForURL('**/messages');
    await expect
      .poll(() => ada.page.getByTestId('signed-in-user').textContent())
      .toBe('Ada Lovelace');

    await signInAs(bea.page, beaUser.handle);
    await markPage(ada.page);
    await markPage(bea.page);

    // A handle that does not exist is named as such.
    await ada.page.getByRole('button', { name: 'New message' }).click();
    await ada.page.getByLabel('To').fill('@nobody_here_at_all');
    await ada.page.getByRole('button', { name: 'Next' }).click();
    await ada.page.getByText('No user @nobody_here_at_all').waitFor();

    await ada.page.getByLabel('To').fill(`@${beaUser.handle}`);
    await ada.page.getByRole('button', { name: 'Next' }).click();
    await ada.page.waitForURL(`**/messages/new/${beaUser.handle}`);
    await ada.page.getByRole('heading', { name: beaUser.display_name, level: 2 }).waitFor();
    await ada.page.getByText(`No messages yet. Say hello to ${beaUser.display_name}!`).waitFor();
    await screenshot(ada.page, 'new-conversation');

    const hello = 'Hi Bea! Lunch tomorrow?';
    await composer(ada.page).fill(hello);
    await composer(ada.page).press('Enter');
    await ada.page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await messageWithText(ada.page, hello).and(ada.page.locator('[data-status="sent"]')).waitFor();
    expect(await composer(ada.page).inputValue()).toBe('');

    // Bea: the new conversation arrives at the top of her list, without a reload.
    await conversationRows(bea.page).first().filter({ hasText: hello }).waitFor();
    expect(await listedHandles(bea.page)).toEqual([adaHandle]);
    await expect.poll(() => announcement(bea.page)).toContain('New message from Ada Lovelace');
    await rowNamedUnread(bea.page, 'Ada Lovelace', 1).waitFor();

    await conversationRows(bea.page).first().click();
    await messageWithText(bea.page, hello).waitFor();
    expect(await messageWithText(bea.page, hello).getAttribute('class')).toContain(
      'message--theirs',
    );
    const reply = 'Yes! 12:30 at the usual place?';
    await composer(bea.page).fill(reply);
    await composer(bea.page).press('Enter');
    await messageWithText(bea.page, reply).and(bea.page.locator('[data-status="sent"]')).waitFor();

    // Ada sees the reply arrive in the open conversation, on the other side.
    await messageWithText(ada.page, reply).waitFor();
    expect(await messageWithText(ada.page, reply).getAttribute('class')).toContain(
      'message--theirs',
    );
    expect(await messageWithText(ada.page, hello).getAttribute('class')).toContain('message--mine');
    await expect
      .poll(() => announcement(ada.page))
      .toContain(`New message from ${beaUser.display_name}`);
    await conversationRows(ada.page).first().filter({ hasText: reply }).waitFor();
    await screenshot(ada.page, 'conversation');

    expect(await wasNotReloaded(ada.page)).toBe(true);
    expect(await wasNotReloaded(bea.page)).toBe(true);
    await ada.context.close();
    await bea.context.close();
  });

  it('keeps the list in the order of the latest message across three conversations', {
    timeout: 60_000,
  }, async () => {
    const viewer = await createUser(world.server, 'viola');
    const [first, second, third] = await Promise.all([
      createUser(world.server, 'fred'),
      createUser(world.server, 'gus'),
      createUser(world.server, 'hana'),
    ]);
    if (!first || !second || !third) throw new Error('users not created');
    const tokens = new Map(
      await Promise.all(
        [first, second, third].map(
          async (user) => [user.handle, await tokenFor(world.server, user.handle)] as const,
        ),
      ),
    );
    const from = (user: { handle: string }, message: string) =>
      sendMessage(world.server, tokens.get(user.handle) ?? '', { handle: viewer.handle, message });

    await from(first, 'one from Fred');
    await from(second, 'one from Gus');
    await from(third, 'one from Hana');

    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, viewer.handle);
    await expect
      .poll(() => listedHandles(page))
      .toEqual([third.handle, second.handle, first.handle]);
    await screenshot(page, 'list');

    // Each new message moves its conversation to the top, live.
    await from(first, 'Fred again');
    await expect
      .poll(() => listedHandles(page))
      .toEqual([first.handle, third.handle, second.handle]);
    await conversationRows(page).first().filter({ hasText: 'Fred again' }).waitFor();

    await from(second, 'Gus again');
    await expect
      .poll(() => listedHandles(page))
      .toEqual([second.handle, first.handle, third.handle]);

    // My own message, sent from this page, moves that conversation too.
    await conversationRows(page).filter({ hasText: third.display_name }).click();
    await messageWithText(page, 'one from Hana').waitFor();
    await composer(page).fill('Hana, you are back on top');
    await composer(page).press('Enter');
    await expect
      .poll(() => listedHandles(page))
      .toEqual([third.handle, second.handle, first.handle]);
    expect(await conversationRows(page).count()).toBe(3);
    await context.close();
  });
});
