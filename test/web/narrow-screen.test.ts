import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { conversationRows, messageWithText, screenshot, signInAs } from './support/app.js';
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

describe('on a 375 px wide screen', () => {
  it('shows the list and a conversation as separate screens, with a way back', async () => {
    const { context, page } = await newPerson(world.browser, world.server.url, { viewport: PHONE });
    await page.goto('/signin');
    await page.getByRole('button', { name: /@mara_quinn/ }).waitFor();
    expect(await fitsTheWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'narrow-sign-in');

    await signInAs(page, 'mara_quinn');
    await conversationRows(page).first().waitFor();
    expect(await page.getByRole('heading', { name: 'Your messages' }).isVisible()).toBe(false);
    expect(await fitsTheWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'narrow-list');

    await conversationRows(page).filter({ hasText: 'Teo Vance' }).click();
    await messageWithText(page, '🥞🥞🥞').waitFor();
    const listHeading = page.getByRole('heading', { name: 'Messages', level: 1 });
    expect(await listHeading.isVisible()).toBe(false);
    expect(await fitsTheWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'narrow-conversation');

    await page.getByRole('link', { name: 'Back to conversations' }).click();
    await page.waitForURL('**/messages');
    await listHeading.waitFor();
    expect(await conversationRows(page).count()).toBeGreaterThan(0);
    await context.close();
  });
});
