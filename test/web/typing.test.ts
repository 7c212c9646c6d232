import { describe, expect, it } from 'vitest';
import { createUser, sendMessage, tokenFor } from './support/api.js';
import { composer, conversationRows, signInAs } from './support/app.js';
import { newPerson } from './support/browser.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();

describe('the typing indicator', () => {
  it('shows the other person typing, politely announced, and clears 5 s after they stop', {
    timeout: 90_000,
  }, async () => {
    const [ada, bea] = [
      await createUser(world.server, 'ada'),
      await createUser(world.server, 'bea'),
    ];
    await sendMessage(world.server, await tokenFor(world.server, ada.handle), {
      handle: bea.handle,
      message: 'Are you there?',
    });
    const adaPage = (await newPerson(world.browser, world.server.url)).page;
    const beaPage = (await newPerson(world.browser, world.server.url)).page;
    await signInAs(adaPage, ada.handle);
    await signInAs(beaPage, bea.handle);
    await conversationRows(adaPage).filter({ hasText: bea.display_name }).click();
    await conversationRows(beaPage).filter({ hasText: ada.display_name }).click();
    let typingFrames = 0;
    beaPage.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        if (String(payload).includes('"typing"')) typingFrames += 1;
      }),
    );
    // Bea's page opened its socket before the listener above: reload to watch a fresh one.
    await beaPage.reload();
    await composer(beaPage).waitFor();

    const indicator = adaPage.getByRole('status').filter({ hasText: 'is typing' });
    await composer(beaPage).pressSequentially('Yes, just a moment', { delay: 20 });
    await indicator.waitFor();
    expect(await indicator.textContent()).toBe(`${bea.display_name} is typing…`);
    expect(await indicator.getAttribute('aria-live')).toBe('polite');
    // Eighteen keystrokes within a second: one typing frame, not one per key.
    expect(typingFrames).toBe(1);
    // Nobody tells Bea that she is typing.
    expect(await beaPage.getByText('is typing').count()).toBe(0);

    const stopped = Date.now();
    await indicator.waitFor({ state: 'detached', timeout: 15_000 });
    expect(Date.now() - stopped).toBeGreaterThan(3_000);
  });
});
