import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newYearDialogue } from '../../src/seed/dialogue.js';
import {
  composer,
  conversationRows,
  messageWithText,
  reloadWithStoredToken,
  signInAs,
} from './support/app.js';
import { newPerson } from './support/browser.js';
import { withProductAndBrowser } from './support/world.js';

// The seeded New Year's Eve conversation between these two (src/seed/demo-data.ts).
const MARA = 'mara_quinn';
const TEO = 'Teo Vance';
const firstLine = newYearDialogue[0]?.[1] ?? '';
const lastLine = newYearDialogue[newYearDialogue.length - 1]?.[1] ?? '';

const world = withProductAndBrowser();
let context: BrowserContext;
let page: Page;

// A tab of its own per test, signed in as Mara on the conversation list: no test starts where
// another one left off (a scrolled conversation, a draft, a refused token, signed out).
beforeEach(async () => {
  ({ context, page } = await newPerson(world.browser, world.server.url));
  await signInAs(page, MARA);
});
afterEach(() => context.close());

const timeline = () => page.getByTestId('timeline');
const messages = () => page.getByTestId('message');

/** Where a message is, relative to the top of the visible part of the timeline. */
const offsetInView = (uuid: string) =>
  timeline().evaluate((element, wanted) => {
    const node = element.querySelector(`[data-message-uuid="${wanted}"]`);
    if (!node) throw new Error(`message ${wanted} is not on the page`);
    return node.getBoundingClientRect().top - element.getBoundingClientRect().top;
  }, uuid);

const openConversationWithTeo = async () => {
  await conversationRows(page).filter({ hasText: TEO }).click();
  await messageWithText(page, lastLine).waitFor();
};

/** Scrolls up until the very first message of the conversation has been loaded. */
const scrollToTheBeginning = () =>
  expect
    .poll(
      async () => {
        await timeline().evaluate((element) => {
          element.scrollTop = 0;
        });
        return messageWithText(page, firstLine).count();
      },
      { timeout: 30_000 },
    )
    .toBe(1);

describe('a long conversation', () => {
  it('opens at the newest message, and loads older ones on scrolling up without jumping', {
    timeout: 60_000,
  }, async () => {
    await openConversationWithTeo();
    const firstPage = await messages().count();
    expect(firstPage).toBeLessThan(newYearDialogue.length);
    // At the bottom: the newest message is in view.
    const atBottom = await timeline().evaluate(
      (element) => element.scrollHeight - element.scrollTop - element.clientHeight < 2,
    );
    expect(atBottom).toBe(true);

    // Scroll to the top: the message there must stay exactly where it is when older ones arrive.
    const top = await timeline().evaluate((element) => {
      element.scrollTop = 0;
      return element.querySelector('[data-message-uuid]')?.getAttribute('data-message-uuid') ?? '';
    });
    const before = await offsetInView(top);
    await expect.poll(() => messages().count()).toBeGreaterThan(firstPage);
    expect(Math.abs((await offsetInView(top)) - before)).toBeLessThan(2);

    await scrollToTheBeginning();
    await page.getByText(`This is the beginning of your conversation with ${TEO}.`).waitFor();
    expect(await messages().count()).toBe(newYearDialogue.length);
    // In order, oldest first.
    const texts = await messages().locator('.message__text').allTextContents();
    expect(texts).toEqual(newYearDialogue.map(([, text]) => text));
  });

  it('shows days and times in the viewer’s time zone', { timeout: 60_000 }, async () => {
    await openConversationWithTeo();
    await scrollToTheBeginning();
    // The conversation crosses midnight of 31 December in UTC; in Berlin (UTC+1) it starts
    // at 00:10 on 1 January, so there is no 31 December separator.
    const days = await page.locator('.day-separator').allTextContents();
    expect(days).toEqual(['Thursday, 1 January 2026']);
    const firstTime = await messageWithText(page, firstLine).locator('time').textContent();
    expect(firstTime).toBe('00:10');
  });

  it('keeps everything after a reload: the session, the conversation and a draft', async () => {
    await openConversationWithTeo();
    const url = page.url();
    await composer(page).fill('half-written thought');
    await page.reload();
    expect(page.url()).toBe(url);
    await messageWithText(page, lastLine).waitFor();
    await conversationRows(page).filter({ hasText: TEO }).waitFor();
    expect(await page.getByTestId('signed-in-user').textContent()).toBe('Mara Quinn');
    expect(await composer(page).inputValue()).toBe('half-written thought');
  });

  it('paints a reloaded conversation with its messages, never a loading state first', async () => {
    await openConversationWithTeo();
    // Every element the page ever holds, from before its first script: a loading state that
    // a later render replaced would still be seen here.
    await page.addInitScript(() => {
      const scope = globalThis as unknown as {
        document: { querySelector(selector: string): unknown };
        MutationObserver: new (
          callback: () => void,
        ) => { observe(target: unknown, options: object): void };
        loadingShown?: boolean;
      };
      scope.loadingShown = false;
      new scope.MutationObserver(() => {
        if (scope.document.querySelector('.spinner')) scope.loadingShown = true;
      }).observe(scope.document, { childList: true, subtree: true });
    });
    await page.reload();
    await messageWithText(page, lastLine).waitFor();
    expect(await page.evaluate(() => (globalThis as { loadingShown?: boolean }).loadingShown)).toBe(
      false,
    );
  });

  it('shows the loading state when a reloaded conversation’s first page is slow to come', async () => {
    await openConversationWithTeo();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/messages/*', async (route) => {
      await held;
      await route.continue();
    });
    await page.reload();
    // The first render waits for the first page only so long (web/src/main.tsx).
    await page.getByRole('status').filter({ hasText: 'Loading messages' }).waitFor();
    expect(await messages().count()).toBe(0);
    release();
    await messageWithText(page, lastLine).waitFor();
  });

  it('switches conversations at once, without showing the previous one’s messages', async () => {
    await openConversationWithTeo();
    await conversationRows(page).filter({ hasText: 'Inès Okafor' }).click();
    await page.getByRole('heading', { name: 'Inès Okafor', level: 2 }).waitFor();
    expect(await messageWithText(page, lastLine).count()).toBe(0);
    await messageWithText(page, 'See you 👋').waitFor();
    await conversationRows(page).filter({ hasText: TEO }).click();
    await messageWithText(page, lastLine).waitFor();
    expect(await messageWithText(page, 'See you 👋').count()).toBe(0);
  });

  it('sends unknown addresses to the conversation list', async () => {
    await page.goto('/no/such/page');
    await page.waitForURL('**/messages');
    await conversationRows(page).first().waitFor();
  });

  it('signs out to the sign-in page when the server refuses the token', async () => {
    await reloadWithStoredToken(page, 'expired.or.forged');
    await page.waitForURL('**/signin');
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
  });

  it('signs out with the button, for good', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    await page.goto('/messages');
    await page.waitForURL('**/signin');
    await page.getByRole('button', { name: /@mara_quinn/ }).waitFor();
  });
});
