import { describe, expect, it } from 'vitest';
import { createUser, sendMessage, tokenFor } from './support/api.js';
import { conversationRows, messageWithText, signInAs } from './support/app.js';
import { newPerson } from './support/browser.js';
import { rowNamedUnread, unreadCount } from './support/read-state.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();

describe('live delivery when the realtime connection is lost, or absent', () => {
  it('after the server is killed and restarted: says so, reconnects by itself, and catches up on what it missed', {
    timeout: 120_000,
  }, async () => {
    const { context, page } = await newPerson(world.browser, world.server.url);
    // Until `blocked` ends, the page's reconnects fail: it can only learn of the message sent
    // meanwhile by refetching after it is back.
    let blocked = false;
    let refused = 0;
    let opened = 0;
    await page.routeWebSocket(/\/realtime/, (socket) => {
      if (blocked) {
        refused += 1;
        return socket.close({ code: 1011 });
      }
      opened += 1;
      socket.connectToServer();
    });
    await signInAs(page, 'mara_quinn');
    await conversationRows(page).filter({ hasText: 'Teo Vance' }).click();
    await messageWithText(page, '🥞🥞🥞').waitFor();
    await expect.poll(() => opened).toBe(1);

    blocked = true;
    await world.server.crashAndRestart();
    await page.getByText('Reconnecting…').waitFor();
    await expect.poll(() => refused, { timeout: 30_000 }).toBeGreaterThan(0);
    const missed = 'Sent while you were away';
    await sendMessage(world.server, await tokenFor(world.server, 'teo_vance'), {
      handle: 'mara_quinn',
      message: missed,
    });
    blocked = false;

    await messageWithText(page, missed).waitFor({ timeout: 45_000 });
    await conversationRows(page).first().filter({ hasText: missed }).waitFor();
    await page.getByText('Reconnecting…').waitFor({ state: 'detached' });
    expect(opened).toBe(2);

    // Live again: the next message arrives pushed, with no reload.
    const live = 'And this one live';
    await sendMessage(world.server, await tokenFor(world.server, 'teo_vance'), {
      handle: 'mara_quinn',
      message: live,
    });
    await messageWithText(page, live).waitFor({ timeout: 10_000 });
    await context.close();
  });

  it('where the deployment has no realtime WebSocket, shows new messages and unread conversations by polling, with no banner', {
    timeout: 90_000,
  }, async () => {
    const { context, page } = await newPerson(world.browser, world.server.url);
    let sockets = 0;
    await page.routeWebSocket(/\/realtime/, (socket) => {
      sockets += 1;
      socket.connectToServer();
    });
    await page.route('**/api/config', (route) =>
      route.fulfill({ status: 200, json: { realtime_url: null, edit_window_s: 900 } }),
    );
    await signInAs(page, 'mara_quinn');
    await conversationRows(page).filter({ hasText: 'Teo Vance' }).click();
    await messageWithText(page, '🥞🥞🥞').waitFor();

    const polled = 'Polled, not pushed';
    await sendMessage(world.server, await tokenFor(world.server, 'teo_vance'), {
      handle: 'mara_quinn',
      message: polled,
    });
    // The app polls every 10 s.
    await messageWithText(page, polled).waitFor({ timeout: 25_000 });
    await conversationRows(page).first().filter({ hasText: polled }).waitFor();

    // A message in another conversation: its row comes with the next poll, marked unread;
    // the open conversation's row is not.
    const stranger = await createUser(world.server, 'stranger');
    await sendMessage(world.server, await tokenFor(world.server, stranger.handle), {
      handle: 'mara_quinn',
      message: 'Hello from a stranger',
    });
    await rowNamedUnread(page, stranger.display_name, 1).waitFor({ timeout: 25_000 });
    // The open conversation's message was on screen in this focused tab: read.
    await expect.poll(() => unreadCount(page, 'Teo Vance')).toBe(0);
    expect(await page.getByText('Reconnecting…').count()).toBe(0);
    expect(sockets).toBe(0);
    await context.close();
  });
});
