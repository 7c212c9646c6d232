import { describe, expect, it } from 'vitest';
import { sendMessage, tokenFor } from './support/api.js';
import { conversationRows, messageWithText, signInAs } from './support/app.js';
import { newPerson } from './support/browser.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();

describe('after the push connection drops', () => {
  it('says so, reconnects by itself, and catches up on what it missed', {
    timeout: 120_000,
  }, async () => {
    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, 'mara_quinn');
    await conversationRows(page).filter({ hasText: 'Teo Vance' }).click();
    await messageWithText(page, '🥞🥞🥞').waitFor();

    // Keep the page from reconnecting until the message below was sent: it can only learn
    // of it by refetching after the reconnect.
    let refused = 0;
    await page.route('**/api/events?**', (route) => {
      refused += 1;
      return route.abort();
    });
    await world.server.restart();
    await page.getByText('Reconnecting…').waitFor();
    await expect.poll(() => refused, { timeout: 30_000 }).toBeGreaterThan(0);
    const missed = 'Sent while you were away';
    await sendMessage(world.server, await tokenFor(world.server, 'teo_vance'), {
      handle: 'mara_quinn',
      message: missed,
    });
    await page.unroute('**/api/events?**');

    await messageWithText(page, missed).waitFor({ timeout: 45_000 });
    await conversationRows(page).first().filter({ hasText: missed }).waitFor();
    await page.getByText('Reconnecting…').waitFor({ state: 'detached' });
    await context.close();
  });
});
