import type { BrowserContext, Locator, Page } from 'playwright-core';
import { conversationRows } from './app.js';

/** The list row of my conversation with `displayName`. */
export const rowWith = (page: Page, displayName: string): Locator =>
  conversationRows(page).filter({ hasText: displayName });

/** The unread count the row shows (its `data-unread`); NaN while the row is not there. */
export const unreadCount = async (page: Page, displayName: string): Promise<number> => {
  const row = rowWith(page, displayName);
  if ((await row.count()) !== 1) return Number.NaN;
  return Number(await row.getAttribute('data-unread'));
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The row as a screen reader names it, when that name says `count` unread ("3 unread"):
 * the row link, found by role and accessible name.
 */
export const rowNamedUnread = (page: Page, displayName: string, count: number): Locator =>
  page.getByRole('link', {
    name: new RegExp(`^${escapeRegExp(displayName)}.*\\b${count} unread$`),
  });

export const title = (page: Page): Promise<string> => page.title();

/** "(2) Messages · Cruddur Messaging", or without the count when it is 0. */
export const messagesTitle = (screen: string, unread: number): string =>
  `${unread > 0 ? `(${unread}) ` : ''}${screen} · Cruddur Messaging`;

/** Requests of `page` that mark a conversation read, as they are sent. */
export const watchReadMarks = (page: Page): { readonly count: number; bodies: unknown[] } => {
  const bodies: unknown[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && /\/api\/message_groups\/[^/]+\/read$/.test(request.url()))
      bodies.push(request.postDataJSON());
  });
  return {
    bodies,
    get count() {
      return bodies.length;
    },
  };
};

/** `document.hasFocus()` in the page (the tests' tsconfig has no DOM types). */
export const hasFocus = (page: Page): Promise<boolean> =>
  page.evaluate(() =>
    (globalThis as unknown as { document: { hasFocus(): boolean } }).document.hasFocus(),
  );

/**
 * Makes `background` a tab without the keyboard focus, as when the person looks at another
 * tab: Playwright normally tells every page it is focused (focus emulation); with that off for
 * `background`, bringing `front` to the front takes the focus away from it for real (a `blur`
 * event, `document.hasFocus()` false). A document navigation of `background` may turn the
 * emulation back on: call this after navigating. Throws when the page still has the focus.
 */
export const moveFocusAway = async (
  context: BrowserContext,
  background: Page,
  front: Page,
): Promise<void> => {
  const session = await context.newCDPSession(background);
  await session.send('Emulation.setFocusEmulationEnabled', { enabled: false });
  await background.bringToFront();
  await front.bringToFront();
  if (await hasFocus(background)) throw new Error('the background tab still has the focus');
};

/** Gives `page` the focus back, as when the person switches to that tab. */
export const bringBack = async (page: Page): Promise<void> => {
  await page.bringToFront();
  if (!(await hasFocus(page))) throw new Error('the tab did not get the focus back');
};

/** Whether the element is wholly inside the conversation's scrolling timeline, as drawn. */
export const isInTimelineView = (locator: Locator): Promise<boolean> =>
  locator.evaluate((element) => {
    interface Box {
      top: number;
      bottom: number;
    }
    interface Node {
      getBoundingClientRect(): Box;
      closest(selector: string): Node | null;
    }
    const node = element as unknown as Node;
    const timeline = node.closest('[data-testid="timeline"]');
    if (!timeline) return false;
    const box = node.getBoundingClientRect();
    const view = timeline.getBoundingClientRect();
    return box.top >= view.top && box.bottom <= view.bottom;
  });

/**
 * Waits until the page's realtime connection is open (the app's `data-realtime`): from then
 * on, frames reach it. The local gateway, like API Gateway, registers a connection before the
 * upgrade completes, so a message sent after this is pushed to the page.
 */
export const waitUntilLive = (page: Page): Promise<void> =>
  page.locator('[data-realtime="open"]').waitFor({ state: 'attached' });
