import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  conversationRows,
  listedHandles,
  messageWithText,
  screenshot,
  signInAs,
} from './support/app.js';
import { newPerson } from './support/browser.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();

const PHONE = { width: 375, height: 812 };

/** Nothing wider than the screen: no sideways scrolling. */
const fitsTheWidth = (page: Page) =>
  page.evaluate(() => {
    const root = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }
    ).document.documentElement;
    return root.scrollWidth;
  });

/**
 * In the page, but not shown: isVisible() alone is false for an element that is not there at
 * all, so a renamed heading would pass for a hidden one.
 */
const expectInThePageButHidden = async (locator: Locator) => {
  expect(await locator.count()).toBe(1);
  expect(await locator.isHidden()).toBe(true);
};

describe('on a 375 px wide screen', () => {
  it('shows the list and a conversation as separate screens, with a way back', async () => {
    const { context, page } = await newPerson(world.browser, world.server.url, { viewport: PHONE });
    await page.goto('/signin');
    await page.getByRole('button', { name: /@mara_quinn/ }).waitFor();
    expect(await fitsTheWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'narrow-sign-in');

    await signInAs(page, 'mara_quinn');
    await conversationRows(page).first().waitFor();
    await expectInThePageButHidden(
      page.getByRole('heading', {
        name: 'Your messages',
        exact: true,
        level: 2,
        includeHidden: true,
      }),
    );
    const listed = await listedHandles(page);
    expect(listed).toContain('teo_vance');
    expect(await fitsTheWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'narrow-list');

    await conversationRows(page).filter({ hasText: 'Teo Vance' }).click();
    await messageWithText(page, '🥞🥞🥞').waitFor();
    const listHeading = page.getByRole('heading', { name: 'Messages', level: 1 });
    await expectInThePageButHidden(
      page.getByRole('heading', { name: 'Messages', exact: true, level: 1, includeHidden: true }),
    );
    expect(await fitsTheWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'narrow-conversation');

    await page.getByRole('link', { name: 'Back to conversations' }).click();
    await page.waitForURL('**/messages');
    await listHeading.waitFor();
    await expect.poll(() => listedHandles(page)).toEqual(listed);
    await context.close();
  });
});
