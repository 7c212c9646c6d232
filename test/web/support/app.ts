import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

/** Signs in on the sign-in page by picking the user, and waits for the conversation list. */
export const signInAs = async (page: Page, handle: string): Promise<void> => {
  await page.goto('/signin');
  await page.getByRole('button', { name: new RegExp(`@${handle}\\b`) }).click();
  await page.waitForURL('**/messages');
  await page.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();
};

/** The rows of the conversation list, top to bottom. */
export const conversationRows = (page: Page): Locator => page.getByTestId('conversation-row');

/** The handles of the list's rows, in order. */
export const listedHandles = (page: Page): Promise<string[]> =>
  conversationRows(page).evaluateAll((rows) =>
    rows.map((row) => row.getAttribute('data-handle') ?? ''),
  );

export const composer = (page: Page): Locator => page.getByRole('textbox', { name: /^Message / });

export const sendButton = (page: Page): Locator => page.getByRole('button', { name: 'Send' });

/** A message bubble in the open conversation, by its exact text. */
export const messageWithText = (page: Page, text: string): Locator =>
  page.getByTestId('message').filter({ has: page.getByText(text, { exact: true }) });

/** The focused element as seen from the page (the tests are not compiled with the DOM types). */
interface FocusedElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}

/** The role of the focused element (its tag name if it has none), and its accessible name. */
export const focused = (page: Page): Promise<{ role: string | null; name: string | null }> =>
  page.evaluate(() => {
    const element = (
      globalThis as unknown as { document: { activeElement: FocusedElement | null } }
    ).document.activeElement;
    return {
      role: element?.getAttribute('role') ?? element?.tagName.toLowerCase() ?? null,
      name: element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? null,
    };
  });

/** The CSS colour an element is drawn in, e.g. "rgb(192, 38, 45)". */
export const computedColour = (locator: Locator): Promise<string> =>
  locator.evaluate((element) => {
    const view = globalThis as unknown as { getComputedStyle(node: unknown): { color: string } };
    return view.getComputedStyle(element).color;
  });

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
};

interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * Reloads the tab with its stored session's token swapped (web/src/lib/session-storage.ts).
 * The swap happens in the new page before the app's scripts run: swapped under the running
 * app, it could be written over by the app itself (right after sign-in, its /api/me check
 * stores the session it holds in memory, old token included).
 */
export const reloadWithStoredToken = async (page: Page, token: string): Promise<void> => {
  const once = `test.token-swapped.${randomUUID()}`;
  await page.addInitScript(
    ({ replacement, once }) => {
      const storage = (globalThis as unknown as { sessionStorage: Storage }).sessionStorage;
      // Later loads of the page keep whatever the app stored by then.
      if (storage.getItem(once)) return;
      storage.setItem(once, 'yes');
      const key = 'cruddur-messaging.session';
      const session = JSON.parse(storage.getItem(key) ?? '{}') as Record<string, unknown>;
      storage.setItem(key, JSON.stringify({ ...session, token: replacement }));
    },
    { replacement: token, once },
  );
  await page.reload();
};
