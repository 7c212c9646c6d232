import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, sendMessage, type TestUser, tokenFor } from './support/api.js';
import { conversationRows, focused, messageWithText, signInAs } from './support/app.js';
import { newPerson } from './support/browser.js';
import { waitUntilLive } from './support/read-state.js';
import { withProductAndBrowser } from './support/world.js';

/** What the page's document is seen as here (the tests are not compiled with the DOM types). */
interface PageElement {
  getAttribute(name: string): string | null;
}
type PageGlobals = { document: { activeElement: PageElement | null } };

const world = withProductAndBrowser();

const OPTIONS = 'Message options';

/**
 * Ada wrote `text` to Bea (and Bea `reply`, if given); both have the conversation open, live.
 * `beforeSignIn` prepares Ada's page first.
 */
const openConversation = async (
  text: string,
  reply?: string,
  beforeSignIn?: (page: Page) => Promise<void>,
): Promise<{ ada: TestUser; bea: TestUser; adaPage: Page; beaPage: Page }> => {
  const [ada, bea] = [await createUser(world.server, 'ada'), await createUser(world.server, 'bea')];
  const sent = await sendMessage(world.server, await tokenFor(world.server, ada.handle), {
    handle: bea.handle,
    message: text,
  });
  if (reply !== undefined) {
    await sendMessage(world.server, await tokenFor(world.server, bea.handle), {
      message_group_uuid: sent.message_group_uuid,
      message: reply,
    });
  }
  const adaPage = (await newPerson(world.browser, world.server.url)).page;
  const beaPage = (await newPerson(world.browser, world.server.url)).page;
  await beforeSignIn?.(adaPage);
  await signInAs(adaPage, ada.handle);
  await signInAs(beaPage, bea.handle);
  await conversationRows(adaPage).filter({ hasText: bea.display_name }).click();
  await conversationRows(beaPage).filter({ hasText: ada.display_name }).click();
  await messageWithText(adaPage, text).waitFor();
  await messageWithText(beaPage, text).waitFor();
  await waitUntilLive(adaPage);
  await waitUntilLive(beaPage);
  return { ada, bea, adaPage, beaPage };
};

/** Waits until the element labelled `name` has the focus (it moves after a render). */
const focusReaches = async (page: Page, name: string): Promise<void> => {
  await page.waitForFunction(
    (label) =>
      (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-label') ===
      label,
    name,
  );
};

/** Tabs from the message list to the first menu button in it, by keyboard alone. */
const tabToMenuButton = async (page: Page): Promise<void> => {
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toEqual({ role: 'button', name: OPTIONS });
};

describe('editing and unsending a message in the web app', () => {
  it('edits by keyboard alone: the menu, Edit, Enter saves; both see the text and "edited" live; Escape cancels', {
    timeout: 120_000,
  }, async () => {
    const before = 'See you at 8';
    const after = 'See you at 9';
    const { adaPage, beaPage } = await openConversation(before);
    const patches: string[] = [];
    adaPage.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request.postData() ?? '');
    });
    const button = messageWithText(adaPage, before).getByRole('button', { name: OPTIONS });

    // The menu button pattern: Enter opens on the first item, arrows move, Escape closes.
    await tabToMenuButton(adaPage);
    expect(await button.getAttribute('aria-haspopup')).toBe('menu');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await adaPage.keyboard.press('Enter');
    const menu = adaPage.getByRole('menu', { name: OPTIONS });
    await menu.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Edit', 'Unsend']);
    expect(await focused(adaPage)).toEqual({ role: 'menuitem', name: 'Edit' });
    await adaPage.keyboard.press('ArrowDown');
    expect(await focused(adaPage)).toEqual({ role: 'menuitem', name: 'Unsend' });
    await adaPage.keyboard.press('ArrowDown');
    expect(await focused(adaPage)).toEqual({ role: 'menuitem', name: 'Edit' });
    await adaPage.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await focused(adaPage)).toEqual({ role: 'button', name: OPTIONS });

    // Escape in the edit box cancels: nothing sent, the text as it was, focus on the button.
    await adaPage.keyboard.press('ArrowDown');
    expect(await focused(adaPage)).toEqual({ role: 'menuitem', name: 'Edit' });
    await adaPage.keyboard.press('Enter');
    const box = adaPage.getByRole('textbox', { name: 'Edit message' });
    await box.waitFor();
    expect(await box.inputValue()).toBe(before);
    expect(await focused(adaPage)).toMatchObject({ name: 'Edit message' });
    await adaPage.keyboard.type(' or so');
    await adaPage.keyboard.press('Escape');
    await box.waitFor({ state: 'detached' });
    await focusReaches(adaPage, OPTIONS);
    expect(await messageWithText(adaPage, before).count()).toBe(1);
    expect(patches).toEqual([]);

    // A blank edit is refused (422) and said so; the box stays open with the error.
    await adaPage.keyboard.press('Enter');
    expect(await focused(adaPage)).toEqual({ role: 'menuitem', name: 'Edit' });
    await adaPage.keyboard.press('Enter');
    await box.waitFor();
    await adaPage.keyboard.press('ControlOrMeta+a');
    await adaPage.keyboard.press('Backspace');
    await adaPage.keyboard.type('   ');
    await adaPage.keyboard.press('Enter');
    await adaPage.getByRole('alert').filter({ hasText: 'Could not save the edit' }).waitFor();
    expect(patches).toHaveLength(1);
    expect(await box.getAttribute('aria-invalid')).toBe('true');

    // The edit itself: select the text, type the new one, Enter.
    await adaPage.keyboard.press('ControlOrMeta+a');
    await adaPage.keyboard.type(after);
    await adaPage.keyboard.press('Enter');
    await box.waitFor({ state: 'detached' });
    for (const page of [adaPage, beaPage]) {
      const edited = messageWithText(page, after);
      await edited.waitFor();
      const marker = edited.getByText('edited', { exact: false });
      expect(await marker.first().getAttribute('title')).toMatch(/^Edited /);
      expect(await messageWithText(page, before).count()).toBe(0);
    }
    expect(JSON.parse(patches[1] ?? '{}')).toEqual({ message: after });
    // Focus is back on the message's menu button.
    await focusReaches(adaPage, OPTIONS);
    expect(await focused(adaPage)).toEqual({ role: 'button', name: OPTIONS });
  });

  it('says so when the edit window has closed (403 edit_window_closed)', {
    timeout: 90_000,
  }, async () => {
    const text = 'Ready at noon';
    const { adaPage } = await openConversation(text);
    // The server's clock decides; the answer it gives after 15 minutes, without waiting them.
    await adaPage.route('**/api/messages/*/*', (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 403,
            contentType: 'application/json',
            body: JSON.stringify({
              error: { code: 'edit_window_closed', message: 'The edit window has closed.' },
            }),
          })
        : route.continue(),
    );
    await messageWithText(adaPage, text).getByRole('button', { name: OPTIONS }).click();
    await adaPage.getByRole('menuitem', { name: 'Edit' }).click();
    const box = adaPage.getByRole('textbox', { name: 'Edit message' });
    await box.fill('Ready at one');
    await box.press('Enter');
    const alert = adaPage.getByRole('alert').filter({ hasText: 'can no longer be edited' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('15 minutes');
    // Still editable text in the box, not saved: Escape leaves the message as it was.
    expect(await box.inputValue()).toBe('Ready at one');
    await box.press('Escape');
    await box.waitFor({ state: 'detached' });
    expect(await messageWithText(adaPage, text).count()).toBe(1);
    expect(await messageWithText(adaPage, 'Ready at one').count()).toBe(0);
  });

  it("offers Edit only within the server's edit window (GET /api/config), not one of its own", {
    timeout: 90_000,
  }, async () => {
    const text = 'No second thoughts';
    // A server whose EDIT_WINDOW_S is 0: no message can be edited, however new.
    const { adaPage } = await openConversation(text, undefined, async (page) => {
      await page.route('**/api/config', async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, json: { ...(await response.json()), edit_window_s: 0 } });
      });
    });
    await messageWithText(adaPage, text).getByRole('button', { name: OPTIONS }).click();
    await adaPage.getByRole('menuitem', { name: 'Unsend' }).waitFor();
    expect(await adaPage.getByRole('menuitem', { name: 'Edit' }).count()).toBe(0);
  });

  it('unsends after a confirmation: a tombstone for both, the text gone, the preview says so', {
    timeout: 120_000,
  }, async () => {
    const secret = 'The door code is 4711';
    const { ada, bea, adaPage, beaPage } = await openConversation(secret);
    const deletes: string[] = [];
    adaPage.on('request', (request) => {
      if (request.method() === 'DELETE') deletes.push(request.url());
    });
    const button = messageWithText(adaPage, secret).getByRole('button', { name: OPTIONS });

    // Escape in the dialog: nothing happens, the focus returns to the menu button.
    await tabToMenuButton(adaPage);
    await adaPage.keyboard.press('Enter');
    await adaPage.keyboard.press('ArrowDown');
    expect(await focused(adaPage)).toEqual({ role: 'menuitem', name: 'Unsend' });
    await adaPage.keyboard.press('Enter');
    const dialog = adaPage.getByRole('dialog', { name: 'Unsend this message?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('It will be removed for both of you.');
    expect(await focused(adaPage)).toEqual({ role: 'button', name: 'Cancel' });
    await adaPage.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(adaPage)).toEqual({ role: 'button', name: OPTIONS });
    expect(await messageWithText(adaPage, secret).count()).toBe(1);
    expect(deletes).toEqual([]);

    await button.click();
    await adaPage.getByRole('menuitem', { name: 'Unsend' }).click();
    await dialog.getByRole('button', { name: 'Unsend' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(deletes).toHaveLength(1);

    for (const page of [adaPage, beaPage]) {
      const tombstone = page.getByTestId('message').filter({ hasText: 'Message unsent' });
      await tombstone.waitFor();
      expect(await tombstone.getAttribute('data-deleted')).toBe('true');
      const style = await tombstone.getByText('Message unsent').evaluate(
        (element) =>
          (
            globalThis as unknown as {
              getComputedStyle(node: unknown): { fontStyle: string };
            }
          ).getComputedStyle(element).fontStyle,
      );
      expect(style).toBe('italic');
      // Nobody can do anything more with it.
      expect(await tombstone.getByRole('button', { name: OPTIONS }).count()).toBe(0);
    }
    // The other person's list shows the marker, not an empty preview.
    await conversationRows(beaPage)
      .filter({ hasText: ada.display_name })
      .filter({ hasText: 'Message unsent' })
      .waitFor();
    await conversationRows(adaPage)
      .filter({ hasText: bea.display_name })
      .filter({ hasText: 'Message unsent' })
      .waitFor();
    for (const page of [adaPage, beaPage]) {
      expect(await page.locator('body').textContent()).not.toContain(secret);
      expect(await page.content()).not.toContain(secret);
    }

    // After a reload the list and the conversation say the same (from the server this time).
    await beaPage.reload();
    await beaPage.getByTestId('message').filter({ hasText: 'Message unsent' }).waitFor();
    await conversationRows(beaPage).filter({ hasText: 'Message unsent' }).waitFor();
    expect(await beaPage.content()).not.toContain(secret);
  });

  it('offers the menu on my own messages only', { timeout: 90_000 }, async () => {
    const mine = 'Lunch tomorrow?';
    const theirs = 'Sure, where?';
    const { adaPage, beaPage } = await openConversation(mine, theirs);
    await messageWithText(adaPage, theirs).waitFor();
    await messageWithText(beaPage, theirs).waitFor();

    expect(
      await messageWithText(adaPage, mine).getByRole('button', { name: OPTIONS }).count(),
    ).toBe(1);
    expect(
      await messageWithText(adaPage, theirs).getByRole('button', { name: OPTIONS }).count(),
    ).toBe(0);
    expect(
      await messageWithText(beaPage, mine).getByRole('button', { name: OPTIONS }).count(),
    ).toBe(0);
    expect(
      await messageWithText(beaPage, theirs).getByRole('button', { name: OPTIONS }).count(),
    ).toBe(1);
    expect(await adaPage.getByRole('button', { name: OPTIONS }).count()).toBe(1);
    expect(await beaPage.getByRole('button', { name: OPTIONS }).count()).toBe(1);
  });
});
