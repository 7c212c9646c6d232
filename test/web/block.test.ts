import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, sendMessage, type TestUser, tokenFor } from './support/api.js';
import {
  composer,
  conversationRows,
  focused,
  messageWithText,
  screenshot,
  sendButton,
  signInAs,
} from './support/app.js';
import { expectNoAxeViolationsInBothSchemes } from './support/axe.js';
import { newPerson } from './support/browser.js';
import { waitUntilLive } from './support/read-state.js';
import { withProductAndBrowser } from './support/world.js';

/** What the page's document is seen as here (the tests are not compiled with the DOM types). */
interface PageElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
interface PageDocument {
  activeElement: PageElement | null;
  getElementById(id: string): PageElement | null;
  documentElement: { scrollWidth: number; clientWidth: number };
}
type PageGlobals = { document: PageDocument };

const world = withProductAndBrowser();

const OPTIONS = 'Conversation options';
const PHONE = { width: 375, height: 812 };
const REFUSED =
  'Failed to send: You cannot send messages in this conversation: one of you blocks the other.';

interface Scene {
  ann: TestUser;
  bob: TestUser;
  groupUuid: string;
  annPage: Page;
  bobPage: Page;
}

/** Bob wrote to Ann; both have the conversation open, live (at `viewport`, wide by default). */
const openConversation = async (viewport?: { width: number; height: number }): Promise<Scene> => {
  const [ann, bob] = [await createUser(world.server, 'ann'), await createUser(world.server, 'bob')];
  const { message_group_uuid: groupUuid } = await sendMessage(
    world.server,
    await tokenFor(world.server, bob.handle),
    { handle: ann.handle, message: 'Hi Ann' },
  );
  const annPage = (await newPerson(world.browser, world.server.url, { viewport })).page;
  const bobPage = (await newPerson(world.browser, world.server.url, { viewport })).page;
  await signInAs(annPage, ann.handle);
  await signInAs(bobPage, bob.handle);
  await conversationRows(annPage).filter({ hasText: bob.display_name }).click();
  await conversationRows(bobPage).filter({ hasText: ann.display_name }).click();
  for (const page of [annPage, bobPage]) {
    await messageWithText(page, 'Hi Ann').waitFor();
    await waitUntilLive(page);
  }
  return { ann, bob, groupUuid, annPage, bobPage };
};

/** The texts of the conversation as the server holds it, read as `handle`. */
const storedTexts = async (groupUuid: string, handle: string): Promise<string[]> => {
  const response = await fetch(`${world.server.url}/api/messages/${groupUuid}`, {
    headers: { authorization: `Bearer ${await tokenFor(world.server, handle)}` },
  });
  expect(response.status).toBe(200);
  const page = (await response.json()) as { messages: { message: string }[] };
  return page.messages.map((message) => message.message);
};

/** The requests of `page` that block or unblock someone, as "POST @bob" / "DELETE @bob". */
const watchBlockRequests = (page: Page): string[] => {
  const seen: string[] = [];
  page.on('request', (request) => {
    const match = /\/api\/users\/(@[^/]+)\/block$/.exec(new URL(request.url()).pathname);
    if (match) seen.push(`${request.method()} ${decodeURIComponent(match[1] ?? '')}`);
  });
  return seen;
};

/** Waits until the focused element is `role` named `name` (the focus moves after a render). */
const focusReaches = (page: Page, role: string, name: string): Promise<unknown> =>
  page.waitForFunction(
    ({ role, name }) => {
      const element = (globalThis as unknown as PageGlobals).document.activeElement;
      const elementRole = element?.getAttribute('role') ?? element?.tagName.toLowerCase();
      const elementName = element?.getAttribute('aria-label') ?? element?.textContent?.trim();
      return elementRole === role && elementName === name;
    },
    { role, name },
  );

const isFocused = (locator: Locator): Promise<boolean> =>
  locator.evaluate(
    (element) => element === (globalThis as unknown as PageGlobals).document.activeElement,
  );

/** The text of the elements an element's aria-describedby names: its accessible description. */
const descriptionOf = (locator: Locator): Promise<string> =>
  locator.evaluate((element) => {
    const { document } = globalThis as unknown as PageGlobals;
    const ids = (element as unknown as PageElement).getAttribute('aria-describedby') ?? '';
    return ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' ');
  });

const banner = (page: Page): Locator => page.getByTestId('block-banner');

/** Nothing can be sent: the box is announced unavailable, takes no text, says why; no Send. */
const expectComposerRefused = async (page: Page, reason: string): Promise<void> => {
  const box = composer(page);
  expect(await box.getAttribute('aria-disabled')).toBe('true');
  expect(await box.isEditable()).toBe(false);
  expect(await descriptionOf(box)).toBe(reason);
  expect(await sendButton(page).isDisabled()).toBe(true);
};

const expectComposerUsable = async (page: Page): Promise<void> => {
  const box = composer(page);
  expect(await box.getAttribute('aria-disabled')).toBeNull();
  expect(await box.isEditable()).toBe(true);
  expect(await descriptionOf(box)).toBe('');
};

/** No horizontal scrolling: nothing sticks out of a narrow screen. */
const expectNoHorizontalOverflow = async (page: Page): Promise<void> => {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const root = (globalThis as unknown as PageGlobals).document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
};

/** Screenshots of the page in the light and then the dark colour scheme. */
const screenshotBothSchemes = async (page: Page, name: string): Promise<void> => {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await screenshot(page, `${name}-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
};

describe('blocking in the web app', () => {
  it('Ann blocks Bob from the header by keyboard; his send is refused and shown not sent; after she unblocks, his messages arrive live', {
    timeout: 180_000,
  }, async () => {
    const { ann, bob, groupUuid, annPage, bobPage } = await openConversation();
    const requests = watchBlockRequests(annPage);
    const you = `You blocked @${bob.handle}. You can't message each other.`;
    await expectComposerUsable(annPage);
    expect(await banner(annPage).count()).toBe(0);

    // The header's menu button, by keyboard: just before the messages in the tab order.
    await annPage.getByTestId('timeline').focus();
    await annPage.keyboard.press('Shift+Tab');
    expect(await focused(annPage)).toEqual({ role: 'button', name: OPTIONS });
    const options = annPage.getByRole('button', { name: OPTIONS });
    expect(await options.getAttribute('aria-haspopup')).toBe('menu');

    // Block, then Escape in the confirmation: nothing happens, the focus comes back.
    await annPage.keyboard.press('Enter');
    const menu = annPage.getByRole('menu', { name: OPTIONS });
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([`Block @${bob.handle}`]);
    expect(await focused(annPage)).toEqual({ role: 'menuitem', name: `Block @${bob.handle}` });
    await annPage.keyboard.press('Enter');
    const dialog = annPage.getByRole('dialog', { name: `Block @${bob.handle}?` });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Neither of you will be able to send messages');
    expect(await focused(annPage)).toEqual({ role: 'button', name: 'Cancel' });
    await annPage.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(annPage)).toEqual({ role: 'button', name: OPTIONS });
    expect(requests).toEqual([]);
    expect(await banner(annPage).count()).toBe(0);

    // Again, and Tab to Block (a modal <dialog>: the rest of the page is inert).
    await annPage.keyboard.press('Enter');
    await menu.waitFor();
    await annPage.keyboard.press('Enter');
    await dialog.waitFor();
    await annPage.keyboard.press('Tab');
    expect(await focused(annPage)).toEqual({ role: 'button', name: 'Block' });
    await annPage.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(requests).toEqual([`POST @${bob.handle}`]);
    await focusReaches(annPage, 'button', OPTIONS);

    // The banner, the composer unavailable with the banner's sentence as its description.
    await banner(annPage).getByText(you).waitFor();
    expect(await banner(annPage).getByRole('button', { name: 'Unblock' }).count()).toBe(1);
    await expectComposerRefused(annPage, you);
    expect(await annPage.getByTestId('announcer').textContent()).toBe(you);
    // The menu now offers Unblock.
    await options.click();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([`Unblock @${bob.handle}`]);
    await annPage.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await screenshotBothSchemes(annPage, 'block-you-blocked-wide');
    await expectNoAxeViolationsInBothSchemes(annPage, 'Ann blocks Bob (wide)');

    // Bob, unaware, sends: refused, shown as not sent (with Retry), and the reason above.
    const refused = 'Are you there?';
    await composer(bobPage).fill(refused);
    await composer(bobPage).press('Enter');
    const failed = messageWithText(bobPage, refused);
    await failed.and(bobPage.locator('[data-status="failed"]')).waitFor();
    expect(await failed.getByRole('alert').textContent()).toContain(REFUSED);
    expect(await failed.getByRole('button', { name: 'Retry' }).count()).toBe(1);
    const cannot = "You can't send messages in this conversation.";
    await banner(bobPage).getByText(cannot).waitFor();
    // Nothing in it says who blocks whom, and nothing to unblock.
    expect(await banner(bobPage).textContent()).toBe(cannot);
    expect(await banner(bobPage).getByRole('button').count()).toBe(0);
    await expectComposerRefused(bobPage, cannot);
    await screenshotBothSchemes(bobPage, 'block-refused-wide');
    await expectNoAxeViolationsInBothSchemes(bobPage, "Bob's send refused (wide)");

    // Nothing reached the conversation: the server holds Bob's first message alone.
    expect(await storedTexts(groupUuid, ann.handle)).toEqual(['Hi Ann']);
    expect(await messageWithText(annPage, refused).count()).toBe(0);

    // Ann unblocks from the banner, by keyboard: the composer is hers again, focused.
    await banner(annPage).getByRole('button', { name: 'Unblock' }).focus();
    await annPage.keyboard.press('Enter');
    await banner(annPage).waitFor({ state: 'detached' });
    expect(requests).toEqual([`POST @${bob.handle}`, `DELETE @${bob.handle}`]);
    await expectComposerUsable(annPage);
    await expect.poll(() => isFocused(composer(annPage))).toBe(true);
    expect(await annPage.getByTestId('announcer').textContent()).toBe(
      `You unblocked @${bob.handle}.`,
    );

    // Bob retries: it goes through, his composer is usable again, Ann gets it live.
    await failed.getByRole('button', { name: 'Retry' }).click();
    await messageWithText(bobPage, refused).and(bobPage.locator('[data-status="sent"]')).waitFor();
    await banner(bobPage).waitFor({ state: 'detached' });
    await expectComposerUsable(bobPage);
    await messageWithText(annPage, refused).waitFor();

    // And a new message, typed: live at Ann's too.
    const again = 'Glad we sorted that out';
    await composer(bobPage).fill(again);
    await composer(bobPage).press('Enter');
    await messageWithText(annPage, again).waitFor();
    expect(await storedTexts(groupUuid, ann.handle)).toEqual(['Hi Ann', refused, again]);
  });

  it('at 375 px: blocking and the refusal fit the screen; when both block, unblocking from the menu still leaves sending refused', {
    timeout: 180_000,
  }, async () => {
    const { ann, bob, annPage, bobPage } = await openConversation(PHONE);
    const requests = watchBlockRequests(annPage);
    const you = `You blocked @${bob.handle}. You can't message each other.`;
    const cannot = "You can't send messages in this conversation.";

    // Ann, by touch: the header's menu, Block, the confirmation (shown at 375 px).
    const options = annPage.getByRole('button', { name: OPTIONS });
    await options.click();
    await annPage.getByRole('menuitem', { name: `Block @${bob.handle}` }).click();
    const dialog = annPage.getByRole('dialog', { name: `Block @${bob.handle}?` });
    await dialog.waitFor();
    await screenshotBothSchemes(annPage, 'block-dialog-375');
    await dialog.getByRole('button', { name: 'Block' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await banner(annPage).getByText(you).waitFor();
    await expectComposerRefused(annPage, you);
    await expectNoHorizontalOverflow(annPage);
    await screenshotBothSchemes(annPage, 'block-you-blocked-375');
    await expectNoAxeViolationsInBothSchemes(annPage, 'Ann blocks Bob (375 px)');

    // Bob's send is refused.
    const refused = 'Hello?';
    await composer(bobPage).fill(refused);
    await sendButton(bobPage).click();
    await messageWithText(bobPage, refused)
      .and(bobPage.locator('[data-status="failed"]'))
      .waitFor();
    await banner(bobPage).getByText(cannot).waitFor();
    await expectComposerRefused(bobPage, cannot);
    await expectNoHorizontalOverflow(bobPage);
    await screenshotBothSchemes(bobPage, 'block-refused-375');
    await expectNoAxeViolationsInBothSchemes(bobPage, "Bob's send refused (375 px)");

    // Bob blocks Ann too. Ann unblocks from the menu: the focus stays on its button, her
    // banner goes, but her send is refused (Bob's block stands) and says only that.
    const bobsBlock = await fetch(`${world.server.url}/api/users/@${ann.handle}/block`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor(world.server, bob.handle)}` },
    });
    expect(bobsBlock.status).toBe(204);
    await options.click();
    await annPage.getByRole('menuitem', { name: `Unblock @${bob.handle}` }).click();
    await banner(annPage).waitFor({ state: 'detached' });
    await focusReaches(annPage, 'button', OPTIONS);
    expect(requests).toEqual([`POST @${bob.handle}`, `DELETE @${bob.handle}`]);
    await expectComposerUsable(annPage);
    const mine = 'Sorry, Bob';
    await composer(annPage).fill(mine);
    await composer(annPage).press('Enter');
    await messageWithText(annPage, mine).and(annPage.locator('[data-status="failed"]')).waitFor();
    expect(await messageWithText(annPage, mine).getByRole('alert').textContent()).toContain(
      REFUSED,
    );
    await banner(annPage).getByText(cannot).waitFor();
    expect(await banner(annPage).getByRole('button').count()).toBe(0);
    await expectComposerRefused(annPage, cannot);
    // The menu offers Block again: Ann's own block is lifted.
    await options.click();
    await annPage.getByRole('menuitem', { name: `Block @${bob.handle}` }).waitFor();
  });
});
