import { describe, expect, it } from 'vitest';
import { createUser, sendMessage, tokenFor } from './support/api.js';
import { conversationRows, messageWithText, signInAs } from './support/app.js';
import { newPerson } from './support/browser.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();

describe('live delivery without a push connection', () => {
  it('after the connection drops: says so, reconnects by itself, and catches up on what it missed', {
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

  it('where the server has no push, shows new messages and unread conversations by polling instead, with no banner', {
    timeout: 60_000,
  }, async () => {
    const { context, page } = await newPerson(world.browser, world.server.url);
    // What a deployment without push (AWS) answers; 2 s so that the test need not wait 10.
    let streams = 0;
    await page.route('**/api/events?**', (route) => {
      streams += 1;
      return route.fulfill({
        status: 200,
        contentType: 'text/event-stream',
        body: 'event: unavailable\ndata: {"poll_ms":2000}\n\n',
      });
    });
    await signInAs(page, 'mara_quinn');
    await conversationRows(page).filter({ hasText: 'Teo Vance' }).click();
    await messageWithText(page, '🥞🥞🥞').waitFor();

    const polled = 'Polled, not pushed';
    await sendMessage(world.server, await tokenFor(world.server, 'teo_vance'), {
      handle: 'mara_quinn',
      message: polled,
    });
    await messageWithText(page, polled).waitFor({ timeout: 15_000 });
    await conversationRows(page).first().filter({ hasText: polled }).waitFor();

    // A message in another conversation: its row comes with the next poll, marked unread;
    // the open conversation's row is not.
    const stranger = await createUser(world.server, 'stranger');
    await sendMessage(world.server, await tokenFor(world.server, stranger.handle), {
      handle: 'mara_quinn',
      message: 'Hello from a stranger',
    });
    const newRow = conversationRows(page).filter({ hasText: 'Hello from a stranger' });
    await newRow.getByText('(unread)').waitFor({ state: 'attached', timeout: 15_000 });
    const openRow = conversationRows(page).filter({ hasText: polled });
    expect(await openRow.getByText('(unread)').count()).toBe(0);
    expect(await page.getByText('Reconnecting…').count()).toBe(0);
    expect(streams).toBe(1);
    await context.close();
  });
});
