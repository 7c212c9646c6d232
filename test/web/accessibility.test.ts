import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AVATAR_HUES, avatarHue } from '../../web/src/components/avatar-style.js';
import {
  createUser,
  editMessage,
  markRead,
  sendMessage,
  type TestUser,
  tokenFor,
  uniqueHandle,
  unsendMessage,
} from './support/api.js';
import { messageWithText, reloadWithStoredToken, signInAs } from './support/app.js';
import { expectNoAxeViolationsInBothSchemes as expectAccessible } from './support/axe.js';
import { newPerson } from './support/browser.js';
import { rowNamedUnread, rowWith, waitUntilLive } from './support/read-state.js';
import { withProductAndBrowser } from './support/world.js';

// Every page and state of the web app (web/src/app/router.tsx), checked by axe-core with all
// the rules of WCAG 2.0/2.1 A and AA and axe's best practices, in the light and the dark scheme.
// The routes: /signin, /messages, /messages/:message_group_uuid, /messages/new/:handle,
// /inspect, and `*`, which sends any other address to /messages (there is no 404 page).

const world = withProductAndBrowser();

const PHONE = { width: 375, height: 812 };
const OPTIONS = 'Message options';

/**
 * Ada's conversation with Bea, as it is when she opens it: Bea's message with a link, Ada's
 * messages, one of them edited, one unsent, the newest seen by Bea; and Cal's unread message
 * in her list, so that the list shows an unread row beside the open one.
 */
const adasConversation = async () => {
  const [ada, bea, cal] = await Promise.all([
    createUser(world.server, 'ada'),
    createUser(world.server, 'bea'),
    createUser(world.server, 'cal'),
  ]);
  const [adaToken, beaToken, calToken] = await Promise.all([
    tokenFor(world.server, ada.handle),
    tokenFor(world.server, bea.handle),
    tokenFor(world.server, cal.handle),
  ]);
  const first = await sendMessage(world.server, beaToken, {
    handle: ada.handle,
    message: 'The plan is at https://example.com/plan, have a look',
  });
  const group = first.message_group_uuid;
  const send = (message: string) =>
    sendMessage(world.server, adaToken, { message_group_uuid: group, message });
  const edited = await send('See you at 8');
  await editMessage(world.server, adaToken, group, edited.message.uuid, 'See you at 9');
  const unsent = await send('The door code is 4711');
  await unsendMessage(world.server, adaToken, group, unsent.message.uuid);
  const newest = await send('Bring the chalk bag');
  await markRead(world.server, beaToken, group, newest.message.uuid);
  await sendMessage(world.server, calToken, {
    handle: ada.handle,
    message: 'Are you coming tonight?',
  });
  return { ada, bea, cal, group };
};

/** Opens Ada's conversation with Bea and waits for everything in it to be drawn. */
const openAdasConversation = async (page: Page, ada: TestUser, bea: TestUser, cal: TestUser) => {
  await signInAs(page, ada.handle);
  await rowNamedUnread(page, cal.display_name, 1).waitFor();
  await rowWith(page, bea.display_name).click();
  await messageWithText(page, 'Bring the chalk bag').getByTestId('seen').waitFor();
  await messageWithText(page, 'See you at 9').getByText('edited').waitFor();
  await page.getByTestId('message').filter({ hasText: 'Message unsent' }).waitFor();
  await waitUntilLive(page);
};

// A page state costs a second or two of axe a scheme; on a loaded 2-core machine, several.
describe('accessibility (axe-core: WCAG 2.1 A/AA and best practices, every impact, light and dark)', {
  timeout: 60_000,
}, () => {
  it('the sign-in page: the users with every avatar colour, a refused handle, a session that ended', async () => {
    // One user for each of the avatar colours, so that each is checked behind its initials.
    const byHue = new Map<number, string>();
    while (byHue.size < AVATAR_HUES.length) {
      const handle = uniqueHandle('hue');
      if (!byHue.has(avatarHue(handle))) byHue.set(avatarHue(handle), handle);
    }
    await Promise.all([...byHue.values()].map((handle) => createUser(world.server, 'hue', handle)));
    const { context, page } = await newPerson(world.browser, world.server.url);
    await page.goto('/signin');
    for (const handle of byHue.values()) {
      await page.getByRole('button', { name: new RegExp(`@${handle}\\b`) }).waitFor();
    }
    await expectAccessible(page, 'sign-in');

    // The form's error beside its field.
    await page.getByLabel('Handle').fill('not a handle');
    await page.getByLabel('Display name').fill('Nobody');
    await page.getByRole('button', { name: 'Create and sign in' }).click();
    await page.locator('.field__error').waitFor();
    await expectAccessible(page, 'sign-in, a refused handle');

    // Signed out by the server: the notice above the users.
    const ada = await createUser(world.server, 'ada');
    await signInAs(page, ada.handle);
    await reloadWithStoredToken(page, 'expired.or.forged');
    await page.waitForURL('**/signin');
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    await page.getByRole('button', { name: new RegExp(`@${ada.handle}\\b`) }).waitFor();
    await expectAccessible(page, 'sign-in, the session ended');
    await context.close();
  });

  it('the sign-in page of a server that signs in with Cognito (its hosted pages)', async () => {
    const { context, page } = await newPerson(world.browser, world.server.url);
    // What such a server answers: no dev users, a hosted sign-in.
    await page.route('**/api/dev/users', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'not_found', message: 'Not found.' } }),
      }),
    );
    await page.route('**/api/auth/config', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
          mode: 'cognito',
          hosted_sign_in: { domain: 'https://auth.example.com', client_id: 'web' },
        }),
      }),
    );
    await page.goto('/signin');
    await page.getByRole('button', { name: 'Sign in with your account' }).waitFor();
    await expectAccessible(page, 'sign-in with Cognito');
    await context.close();
  });

  it('the conversation list: unread rows (bold, with a badge), a read one, the empty pane beside', async () => {
    const [vera, sol, tom, uma] = await Promise.all([
      createUser(world.server, 'vera'),
      createUser(world.server, 'sol'),
      createUser(world.server, 'tom'),
      createUser(world.server, 'uma'),
    ]);
    const solToken = await tokenFor(world.server, sol.handle);
    const { message_group_uuid } = await sendMessage(world.server, solToken, {
      handle: vera.handle,
      message: 'Are you coming tonight?',
    });
    await sendMessage(world.server, solToken, { message_group_uuid, message: 'Bring snacks' });
    await sendMessage(world.server, await tokenFor(world.server, tom.handle), {
      handle: vera.handle,
      message: 'Hi Vera, Tom here',
    });
    await sendMessage(world.server, await tokenFor(world.server, vera.handle), {
      handle: uma.handle,
      message: 'Lunch on Friday?',
    });
    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, vera.handle);
    await rowNamedUnread(page, sol.display_name, 2).waitFor();
    await rowNamedUnread(page, tom.display_name, 1).waitFor();
    await rowWith(page, uma.display_name).waitFor();
    await page.getByRole('heading', { name: 'Your messages' }).waitFor();
    await waitUntilLive(page);
    await expectAccessible(page, 'conversation list');
    await context.close();
  });

  it('an open conversation: both sides, a link, "Seen", edited and unsent messages; the message menu; the unsend confirmation', async () => {
    const { ada, bea, cal } = await adasConversation();
    const { context, page } = await newPerson(world.browser, world.server.url);
    await openAdasConversation(page, ada, bea, cal);
    await expectAccessible(page, 'conversation');

    const newest = messageWithText(page, 'Bring the chalk bag');
    await newest.getByRole('button', { name: OPTIONS }).click();
    const menu = page.getByRole('menu', { name: OPTIONS });
    await menu.getByRole('menuitem', { name: 'Edit' }).waitFor();
    await expectAccessible(page, 'conversation, the message menu open');

    await menu.getByRole('menuitem', { name: 'Unsend' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unsend this message?' });
    await dialog.getByRole('button', { name: 'Cancel' }).waitFor();
    await expectAccessible(page, 'conversation, the unsend confirmation open');
    await context.close();
  });

  it('an open conversation: the edit box, a refused edit, a message on its way, then failed to send (Retry, Discard)', async () => {
    const { ada, bea, cal } = await adasConversation();
    const { context, page } = await newPerson(world.browser, world.server.url);
    await openAdasConversation(page, ada, bea, cal);
    const newest = messageWithText(page, 'Bring the chalk bag');
    await newest.getByRole('button', { name: OPTIONS }).click();
    await page.getByRole('menuitem', { name: 'Edit' }).click();
    const box = page.getByRole('textbox', { name: 'Edit message' });
    await box.waitFor();
    await expectAccessible(page, 'conversation, the edit box open');

    await box.fill('   ');
    await box.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Could not save the edit' }).waitFor();
    await expectAccessible(page, 'conversation, an edit refused');
    await box.press('Escape');
    await box.waitFor({ state: 'detached' });

    // The send hangs until the test lets it fail: "sending" stays on screen meanwhile.
    let fail = () => {};
    const failing = new Promise<void>((resolve) => {
      fail = resolve;
    });
    await page.route('**/api/messages', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await failing;
      await route.abort('connectionfailed');
    });
    const composer = page.getByRole('textbox', { name: `Message ${bea.display_name}` });
    await composer.fill('This one will not go');
    await composer.press('Enter');
    const message = messageWithText(page, 'This one will not go');
    await message.and(page.locator('[data-status="sending"]')).waitFor();
    await expectAccessible(page, 'conversation, a message being sent');

    fail();
    await message.getByRole('alert').waitFor();
    await expectAccessible(page, 'conversation, a message failed to send');
    await context.close();
  });

  it('the new-message form in the list, a handle nobody has, and the new conversation screen', async () => {
    const [vera, wes] = await Promise.all([
      createUser(world.server, 'vera'),
      createUser(world.server, 'wes'),
    ]);
    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, vera.handle);
    await page.getByText('No conversations yet.').waitFor();
    await page.getByRole('button', { name: 'New message' }).click();
    const to = page.getByRole('combobox', { name: 'To' });
    await to.waitFor();
    await expectAccessible(page, 'new message form');

    const nobody = uniqueHandle('nobody');
    await to.fill(nobody);
    await to.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: `No user @${nobody}` })
      .waitFor();
    await expectAccessible(page, 'new message form, no such user');

    await to.fill(wes.handle);
    await to.press('Enter');
    await page.waitForURL(`**/messages/new/${wes.handle}`);
    await page.getByText(`No messages yet. Say hello to ${wes.display_name}!`).waitFor();
    await expectAccessible(page, 'new conversation');
    await context.close();
  });

  it('the addresses that lead nowhere: an unknown conversation, an unknown handle, any other path', async () => {
    const vera = await createUser(world.server, 'vera');
    const { context, page } = await newPerson(world.browser, world.server.url);
    await signInAs(page, vera.handle);

    await page.goto(`/messages/${randomUUID()}`);
    await page.getByText('This conversation does not exist, or you are not part of it.').waitFor();
    await expectAccessible(page, 'unknown conversation');

    const nobody = uniqueHandle('nobody');
    await page.goto(`/messages/new/${nobody}`);
    await page.getByText(`No user @${nobody}`).waitFor();
    await expectAccessible(page, 'new conversation with an unknown handle');

    // No 404 page: any other address goes to the list.
    await page.goto('/no/such/page');
    await page.waitForURL('**/messages');
    await page.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();
    await page.getByText('No conversations yet.').waitFor();
    await expectAccessible(page, 'an unknown address (sent to the list)');
    await context.close();
  });

  // axe takes 20-50 s a scheme over the whole table on a loaded 2-core machine (every item of
  // every test's users, thousands of cells): the inspector is checked filtered to one user's
  // items, which still shows every kind of item, the stream feed and rows that just changed.
  // Signed out: the header's other form (signed in, it is the one of every other page).
  it("the inspector: one user's items with her realtime connection, rows just changed, stream records, the GSI", async () => {
    const [ada, bea] = await Promise.all([
      createUser(world.server, 'ada'),
      createUser(world.server, 'bea'),
    ]);
    const adaToken = await tokenFor(world.server, ada.handle);
    const { message_group_uuid } = await sendMessage(world.server, adaToken, {
      handle: bea.handle,
      message: 'Message 1',
    });
    // More than a partition shows at first: "Show 1 earlier item".
    for (const n of [2, 3, 4, 5, 6]) {
      await sendMessage(world.server, adaToken, { message_group_uuid, message: `Message ${n}` });
    }
    // Ada signed in in another tab: her connection is the item of her CONN# partition.
    const adasTab = await newPerson(world.browser, world.server.url);
    await signInAs(adasTab.page, ada.handle);
    await waitUntilLive(adasTab.page);

    const { context, page } = await newPerson(world.browser, world.server.url);
    await page.goto('/inspect');
    await page.getByRole('searchbox', { name: 'Filter items' }).fill(ada.uuid);
    await page.locator(`[data-testid="partition"][data-pk="USER#${ada.uuid}"]`).waitFor();
    await page.locator(`[data-testid="partition"][data-pk="CONN#${ada.uuid}"]`).waitFor();
    await page.getByRole('heading', { name: /Realtime connections/ }).waitFor();
    // Sent while the page watches: its records arrive, its rows light up.
    await sendMessage(world.server, adaToken, {
      message_group_uuid,
      message: 'Inspector, are you watching?',
    });
    await page
      .locator('[data-testid="stream-record"][data-outcome="applied"]')
      .filter({ hasText: `MSG#${message_group_uuid}` })
      .first()
      .waitFor();
    await page.locator('tr.is-fresh').first().waitFor();
    await page.getByRole('button', { name: /^Show \d+ earlier items?$/ }).waitFor();
    await expectAccessible(page, 'inspector, table');

    await page.getByRole('tab', { name: /^GSI/ }).click();
    await page.getByTestId('index-partition').first().waitFor();
    await expectAccessible(page, 'inspector, GSI');
    await context.close();
    await adasTab.context.close();
  });

  it("the inspector's Costs view: a send as it happens, its requests' table open, the totals and the projection", async () => {
    const [ada, bea] = await Promise.all([
      createUser(world.server, 'ada'),
      createUser(world.server, 'bea'),
    ]);
    const adaToken = await tokenFor(world.server, ada.handle);
    const { context, page } = await newPerson(world.browser, world.server.url);
    await page.goto('/inspect');
    await page.getByRole('tab', { name: /^Costs/ }).click();
    await page.getByTestId('costs-status').filter({ hasText: 'recording' }).waitFor();
    await sendMessage(world.server, adaToken, { handle: bea.handle, message: 'What did it cost?' });
    const send = page.locator('[data-testid="cost-entry"][data-source="POST /api/messages"]');
    await send
      .first()
      .getByText(/^\d+ DynamoDB requests?$/)
      .click();
    await send.first().getByRole('table').waitFor();
    await page
      .getByTestId('cost-projection')
      .getByText(/^At this mix/)
      .waitFor();
    await expectAccessible(page, 'inspector, costs');
    await context.close();
  });

  it('on a 375 px screen: the list, and a conversation with its menu open', async () => {
    const { ada, bea, cal } = await adasConversation();
    const { context, page } = await newPerson(world.browser, world.server.url, {
      viewport: PHONE,
    });
    await signInAs(page, ada.handle);
    await rowNamedUnread(page, cal.display_name, 1).waitFor();
    await rowWith(page, bea.display_name).waitFor();
    await expectAccessible(page, 'narrow list');

    await rowWith(page, bea.display_name).click();
    await messageWithText(page, 'Bring the chalk bag').getByTestId('seen').waitFor();
    await page.getByRole('link', { name: 'Back to conversations' }).waitFor();
    await expectAccessible(page, 'narrow conversation');

    await messageWithText(page, 'Bring the chalk bag')
      .getByRole('button', { name: OPTIONS })
      .click();
    await page.getByRole('menuitem', { name: 'Unsend' }).waitFor();
    await expectAccessible(page, 'narrow conversation, the message menu open');
    expect(page.viewportSize()).toEqual(PHONE);
    await context.close();
  });
});
