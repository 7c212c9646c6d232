import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, sendMessage, tokenFor } from './support/api.js';
import {
  composer,
  computedColour,
  conversationRows,
  messageWithText,
  sendButton,
  signInAs,
} from './support/app.js';
import { newPerson } from './support/browser.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();
let context: BrowserContext;
let page: Page;

// Each test writes in a conversation of its own, in a tab of its own: what one test sent, left
// in the composer or switched off (the network) is never the next test's starting point.
beforeEach(async () => {
  const { server, browser } = world;
  const me = await createUser(server, 'writer');
  const friend = await createUser(server, 'reader');
  const { message_group_uuid } = await sendMessage(server, await tokenFor(server, friend.handle), {
    handle: me.handle,
    message: 'Write me something',
  });
  ({ context, page } = await newPerson(browser, server.url));
  await signInAs(page, me.handle);
  await page.goto(`/messages/${message_group_uuid}`);
  await messageWithText(page, 'Write me something').waitFor();
});
afterEach(() => context.close());

const counter = () => page.getByTestId('composer-counter');
const mine = (text: string) => messageWithText(page, text).and(page.locator('.message--mine'));

describe('the composer', () => {
  it('refuses more than 1024 characters: send disabled, counter red', async () => {
    expect(await sendButton(page).isDisabled()).toBe(true); // blank

    await composer(page).fill('a'.repeat(1024));
    expect(await sendButton(page).isEnabled()).toBe(true);
    expect(await counter().textContent()).toContain('1024/1024');

    await composer(page).fill('a'.repeat(1025));
    expect(await sendButton(page).isDisabled()).toBe(true);
    expect(await counter().textContent()).toContain('1025/1024');
    expect(await counter().getAttribute('data-over')).toBe('true');
    expect(await computedColour(counter())).toBe('rgb(192, 38, 45)'); // --danger
    expect(await composer(page).getAttribute('aria-invalid')).toBe('true');

    // Enter does not send it either.
    await composer(page).press('Enter');
    expect(await page.getByTestId('message').count()).toBe(1);
  });

  it('counts code points, so 1024 emoji are allowed', async () => {
    await composer(page).fill('🎉'.repeat(1024));
    expect(await counter().textContent()).toContain('1024/1024');
    expect(await sendButton(page).isEnabled()).toBe(true);
    await composer(page).fill('');
    expect(await counter().count()).toBe(0);
  });

  it('lays out each text in its own direction: Arabic right to left, in the composer and the bubble', async () => {
    const isRtl = (locator: Locator) => locator.evaluate((el) => el.matches(':dir(rtl)'));
    const arabic = 'مرحبا، كيف حالك؟';
    await composer(page).fill(arabic);
    expect(await isRtl(composer(page))).toBe(true);
    await composer(page).press('Enter');
    const bubbleText = (text: string) => mine(text).getByText(text, { exact: true });
    await bubbleText(arabic).waitFor();
    expect(await isRtl(bubbleText(arabic))).toBe(true);
    expect(await isRtl(conversationRows(page).first().getByText(arabic))).toBe(true);

    await composer(page).fill('Back to English');
    expect(await isRtl(composer(page))).toBe(false);
    await composer(page).press('Enter');
    await bubbleText('Back to English').waitFor();
    expect(await isRtl(bubbleText('Back to English'))).toBe(false);
  });

  it('sends with Enter and starts a new line with Shift+Enter', async () => {
    await composer(page).click();
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    expect(await composer(page).inputValue()).toBe('line one\nline two');
    await page.keyboard.press('Enter');
    await mine('line one\nline two').and(page.locator('[data-status="sent"]')).waitFor();
    expect(await composer(page).inputValue()).toBe('');
  });

  it('marks a message that could not be sent, and retries it', async () => {
    await context.setOffline(true);
    await composer(page).fill('sent while offline');
    await composer(page).press('Enter');
    await mine('sent while offline').and(page.locator('[data-status="failed"]')).waitFor();
    await page.getByText(/^Failed to send/).waitFor();

    await context.setOffline(false);
    await page.getByRole('button', { name: 'Retry' }).click();
    await mine('sent while offline').and(page.locator('[data-status="sent"]')).waitFor();
    expect(await mine('sent while offline').count()).toBe(1);
  });

  it('shows a message once when its answer was lost and the retry finds it delivered', async () => {
    // The server gets the message, the answer never reaches the page.
    let answered = false;
    await page.route('**/api/messages', async (route) => {
      if (answered || route.request().method() !== 'POST') return route.continue();
      answered = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await composer(page).fill('delivered, answer lost');
    await composer(page).press('Enter');
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    // Its push event arrives meanwhile (the list shows it); the failed copy stands in for it.
    await conversationRows(page).first().filter({ hasText: 'delivered, answer lost' }).waitFor();
    expect(await mine('delivered, answer lost').count()).toBe(1);

    // The retry carries the same client_message_id: the server answers with the original.
    await page.getByRole('button', { name: 'Retry' }).click();
    await mine('delivered, answer lost').and(page.locator('[data-status="sent"]')).waitFor();
    expect(await mine('delivered, answer lost').count()).toBe(1);
    await page.unroute('**/api/messages');

    await page.reload();
    await messageWithText(page, 'delivered, answer lost').waitFor();
    expect(await messageWithText(page, 'delivered, answer lost').count()).toBe(1);
  });
});
