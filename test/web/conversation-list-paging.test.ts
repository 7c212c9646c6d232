import { describe, expect, it } from 'vitest';
import { createUser, sendMessage, tokenFor } from './support/api.js';
import { conversationRows, listedHandles, signInAs } from './support/app.js';
import { newPerson } from './support/browser.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();
/** More than one page of the list (CONVERSATION_PAGE_SIZE is 20). */
const PEOPLE = 25;

describe('a conversation list longer than a page', () => {
  it('loads the rest on scrolling down: newest first, each conversation once', {
    timeout: 60_000,
  }, async () => {
    const { server, browser } = world;
    const hub = await createUser(server, 'hub');
    const senders: string[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const sender = await createUser(server, `pal${i}`);
      await sendMessage(server, await tokenFor(server, sender.handle), {
        handle: hub.handle,
        message: `hello from ${i}`,
      });
      senders.push(sender.handle);
    }

    const { page } = await newPerson(browser, server.url);
    await signInAs(page, hub.handle);
    await conversationRows(page).first().waitFor();
    await expect
      .poll(
        async () => {
          await conversationRows(page).last().scrollIntoViewIfNeeded();
          return conversationRows(page).count();
        },
        { timeout: 30_000 },
      )
      .toBe(PEOPLE);
    expect(await listedHandles(page)).toEqual([...senders].reverse());
  });
});
