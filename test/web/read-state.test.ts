import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, sendMessage, tokenFor } from './support/api.js';
import { composer, messageWithText, screenshot, signInAs } from './support/app.js';
import { newPerson } from './support/browser.js';
import {
  bringBack,
  hasFocus,
  isInTimelineView,
  messagesTitle,
  moveFocusAway,
  rowNamedUnread,
  rowWith,
  title,
  unreadCount,
  waitUntilLive,
  watchReadMarks,
} from './support/read-state.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();

const fontWeight = (locator: Locator): Promise<string> =>
  locator.evaluate((element) => {
    const view = globalThis as unknown as {
      getComputedStyle(node: unknown): { fontWeight: string };
    };
    return view.getComputedStyle(element).fontWeight;
  });

describe('read state in the web app', () => {
  it('shows a message from the other person as "1 unread", bold, counted in the title; opening the conversation clears it', {
    timeout: 90_000,
  }, async () => {
    const [vera, sol, tom] = [
      await createUser(world.server, 'vera'),
      await createUser(world.server, 'sol'),
      await createUser(world.server, 'tom'),
    ];
    // Sol wrote before Vera signed in: the list's first page says so.
    await sendMessage(world.server, await tokenFor(world.server, sol.handle), {
      handle: vera.handle,
      message: 'Are you coming tonight?',
    });
    const { context, page } = await newPerson(world.browser, world.server.url);
    const marks = watchReadMarks(page);
    await signInAs(page, vera.handle);
    await rowNamedUnread(page, sol.display_name, 1).waitFor();
    await expect.poll(() => title(page)).toBe(messagesTitle('Messages', 1));
    const solRow = rowWith(page, sol.display_name);
    expect(await fontWeight(solRow.locator('.conversation-row__preview'))).toBe('700');
    expect(await solRow.getByTestId('unread-badge').textContent()).toBe('1, 1 unread');
    await waitUntilLive(page);

    // Tom writes while she looks at the list: his row arrives unread, live.
    const tomToken = await tokenFor(world.server, tom.handle);
    const tomsFirst = await sendMessage(world.server, tomToken, {
      handle: vera.handle,
      message: 'Hi Vera, Tom here',
    });
    await rowNamedUnread(page, tom.display_name, 1).waitFor();
    await expect.poll(() => title(page)).toBe(messagesTitle('Messages', 2));
    await screenshot(page, 'read-state-unread-rows');
    expect(marks.count).toBe(0); // the list alone reads nothing

    // Opening Tom's conversation reads it; Sol's stays unread.
    await rowWith(page, tom.display_name).click();
    await messageWithText(page, 'Hi Vera, Tom here').waitFor();
    await expect.poll(() => unreadCount(page, tom.display_name)).toBe(0);
    await expect.poll(() => title(page)).toBe(messagesTitle(tom.display_name, 1));
    expect(await rowWith(page, tom.display_name).getByTestId('unread-badge').count()).toBe(0);
    expect(
      await fontWeight(rowWith(page, tom.display_name).locator('.conversation-row__preview')),
    ).not.toBe('700');
    expect(await unreadCount(page, sol.display_name)).toBe(1);
    expect(marks.bodies).toEqual([{ message_uuid: tomsFirst.message.uuid }]);

    // Another message while the conversation is on screen in this focused tab: read at once.
    const tomsSecond = await sendMessage(world.server, tomToken, {
      message_group_uuid: tomsFirst.message_group_uuid,
      message: 'Still there?',
    });
    await messageWithText(page, 'Still there?').waitFor();
    await expect
      .poll(() => marks.bodies)
      .toEqual([
        { message_uuid: tomsFirst.message.uuid },
        { message_uuid: tomsSecond.message.uuid },
      ]);
    await expect.poll(() => unreadCount(page, tom.display_name)).toBe(0);

    // The server agrees after a reload: Tom's read, Sol's not.
    await page.reload();
    await messageWithText(page, 'Still there?').waitFor();
    await waitUntilLive(page);
    await rowNamedUnread(page, sol.display_name, 1).waitFor();
    expect(await unreadCount(page, tom.display_name)).toBe(0);
    await expect.poll(() => title(page)).toBe(messagesTitle(tom.display_name, 1));

    await rowWith(page, sol.display_name).click();
    await messageWithText(page, 'Are you coming tonight?').waitFor();
    await expect.poll(() => unreadCount(page, sol.display_name)).toBe(0);
    await expect.poll(() => title(page)).toBe(messagesTitle(sol.display_name, 0));
    await context.close();
  });

  it('keeps the unread badge the same in two tabs of one person, live and after a reload; reading in one tab clears it in the other', {
    timeout: 90_000,
  }, async () => {
    const [vera, sol] = [
      await createUser(world.server, 'vera'),
      await createUser(world.server, 'sol'),
    ];
    const solToken = await tokenFor(world.server, sol.handle);
    const { context, page: tab1 } = await newPerson(world.browser, world.server.url);
    const tab2 = await context.newPage();
    await signInAs(tab1, vera.handle);
    await signInAs(tab2, vera.handle);
    const tabs = [tab1, tab2];
    for (const tab of tabs) await waitUntilLive(tab);

    const { message_group_uuid } = await sendMessage(world.server, solToken, {
      handle: vera.handle,
      message: 'First from Sol',
    });
    await sendMessage(world.server, solToken, { message_group_uuid, message: 'Second from Sol' });
    for (const tab of tabs) {
      await rowNamedUnread(tab, sol.display_name, 2).waitFor();
      await expect.poll(() => title(tab)).toBe(messagesTitle('Messages', 1));
    }
    await tab2.reload();
    await rowNamedUnread(tab2, sol.display_name, 2).waitFor();
    await expect.poll(() => title(tab2)).toBe(messagesTitle('Messages', 1));
    await waitUntilLive(tab2);

    // Read in the first tab: the second one learns it live.
    await rowWith(tab1, sol.display_name).click();
    await messageWithText(tab1, 'Second from Sol').waitFor();
    await expect.poll(() => unreadCount(tab1, sol.display_name)).toBe(0);
    await expect.poll(() => unreadCount(tab2, sol.display_name)).toBe(0);
    await expect.poll(() => title(tab2)).toBe(messagesTitle('Messages', 0));
    expect(await rowWith(tab2, sol.display_name).getByTestId('unread-badge').count()).toBe(0);
    await tab2.reload();
    await rowWith(tab2, sol.display_name).waitFor();
    expect(await unreadCount(tab2, sol.display_name)).toBe(0);
    expect(await title(tab2)).toBe(messagesTitle('Messages', 0));
    await waitUntilLive(tab2);

    // Back to the list in the first tab; a new message counts only what came after the read.
    await tab1
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Messages' })
      .click();
    await tab1.waitForURL('**/messages');
    await sendMessage(world.server, solToken, { message_group_uuid, message: 'Third from Sol' });
    for (const tab of tabs) {
      await rowNamedUnread(tab, sol.display_name, 1).waitFor();
      await expect.poll(() => title(tab)).toBe(messagesTitle('Messages', 1));
    }
    await tab1.reload();
    await rowNamedUnread(tab1, sol.display_name, 1).waitFor();
    expect(await unreadCount(tab2, sol.display_name)).toBe(1);
    await context.close();
  });

  it('clears the badge in my other tab from the `read` frame alone, without a row frame', {
    timeout: 90_000,
  }, async () => {
    const [vera, sol] = [
      await createUser(world.server, 'vera'),
      await createUser(world.server, 'sol'),
    ];
    await sendMessage(world.server, await tokenFor(world.server, sol.handle), {
      handle: vera.handle,
      message: 'Are you up?',
    });
    const { context, page: tab1 } = await newPerson(world.browser, world.server.url);
    const tab2 = await context.newPage();
    // The second tab gets every frame but the rows (`message_group`): what clears its badge
    // can only be the `read` frame of the first tab's mark.
    const reads: string[] = [];
    await tab2.routeWebSocket(/\/realtime/, (page) => {
      const server = page.connectToServer();
      server.onMessage((message) => {
        const text = String(message);
        if (text.includes('"type":"message_group"')) return;
        if (text.includes('"type":"read"')) reads.push(text);
        page.send(message);
      });
    });
    for (const tab of [tab1, tab2]) {
      await signInAs(tab, vera.handle);
      await waitUntilLive(tab);
      await rowNamedUnread(tab, sol.display_name, 1).waitFor();
    }

    await rowWith(tab1, sol.display_name).click();
    await messageWithText(tab1, 'Are you up?').waitFor();
    await expect.poll(() => unreadCount(tab2, sol.display_name)).toBe(0);
    await expect.poll(() => title(tab2)).toBe(messagesTitle('Messages', 0));
    expect(reads).toHaveLength(1);
    await context.close();
  });

  it('shows "Seen" under my newest message the other person has read, live and after a reload', {
    timeout: 90_000,
  }, async () => {
    const [ada, sol] = [
      await createUser(world.server, 'ada'),
      await createUser(world.server, 'sol'),
    ];
    const first = 'Did you get the tickets?';
    const { message_group_uuid } = await sendMessage(
      world.server,
      await tokenFor(world.server, ada.handle),
      { handle: sol.handle, message: first },
    );
    const adaPerson = await newPerson(world.browser, world.server.url);
    const solPerson = await newPerson(world.browser, world.server.url);
    const adaPage = adaPerson.page;
    const solPage = solPerson.page;
    await signInAs(adaPage, ada.handle);
    await waitUntilLive(adaPage);
    await rowWith(adaPage, sol.display_name).click();
    await messageWithText(adaPage, first).waitFor();
    // Sol has read nothing yet.
    expect(await adaPage.getByTestId('seen').count()).toBe(0);

    await signInAs(solPage, sol.handle);
    await rowNamedUnread(solPage, ada.display_name, 1).waitFor();
    await waitUntilLive(solPage);
    await rowWith(solPage, ada.display_name).click();
    await messageWithText(solPage, first).waitFor();

    // Ada sees it live, under her message, said in full to a screen reader.
    const seenFirst = messageWithText(adaPage, first).getByTestId('seen');
    await seenFirst.waitFor();
    expect(await seenFirst.textContent()).toBe(`Seen by ${sol.display_name}`);
    expect(await seenFirst.isVisible()).toBe(true);
    expect(await adaPage.getByText(`Seen by ${sol.display_name}`).count()).toBe(1);

    // Her next message: Sol has the conversation on screen, so "Seen" moves to it, once.
    const second = 'Row 12, seats 3 and 4';
    await composer(adaPage).fill(second);
    await composer(adaPage).press('Enter');
    await messageWithText(adaPage, second).getByTestId('seen').waitFor();
    expect(await adaPage.getByTestId('seen').count()).toBe(1);
    await screenshot(adaPage, 'read-state-seen');

    // After a reload the page's other_last_read_message_uuid says the same.
    await adaPage.reload();
    await messageWithText(adaPage, second).getByTestId('seen').waitFor();
    expect(await adaPage.getByTestId('seen').count()).toBe(1);
    await waitUntilLive(adaPage);

    // Sol replies; Ada has it on screen: "Seen by Ada" under his reply, on his side.
    const reply = 'Perfect, see you there';
    await composer(solPage).fill(reply);
    await composer(solPage).press('Enter');
    await messageWithText(solPage, reply).getByText(`Seen by ${ada.display_name}`).waitFor();
    expect(await solPage.getByTestId('seen').count()).toBe(1);
    // Ada's "Seen" stays under her own newest message that Sol read.
    expect(await messageWithText(adaPage, second).getByTestId('seen').count()).toBe(1);

    // Sol leaves the conversation: Ada's next message is not seen...
    await solPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Messages' })
      .click();
    await solPage.waitForURL('**/messages');
    const third = 'Bring an umbrella';
    await composer(adaPage).fill(third);
    await composer(adaPage).press('Enter');
    await messageWithText(adaPage, third).and(adaPage.locator('[data-status="sent"]')).waitFor();
    await rowNamedUnread(solPage, ada.display_name, 1).waitFor();
    expect(await messageWithText(adaPage, third).getByTestId('seen').count()).toBe(0);
    expect(await messageWithText(adaPage, second).getByTestId('seen').count()).toBe(1);
    // ...until he answers from another device: writing reads everything before it.
    await sendMessage(world.server, await tokenFor(world.server, sol.handle), {
      message_group_uuid,
      message: 'Will do',
    });
    await messageWithText(adaPage, third).getByTestId('seen').waitFor();
    expect(await adaPage.getByTestId('seen').count()).toBe(1);
    await adaPage.reload();
    await messageWithText(adaPage, third).getByTestId('seen').waitFor();
    expect(await adaPage.getByTestId('seen').count()).toBe(1);
    await adaPerson.context.close();
    await solPerson.context.close();
  });

  it('does not mark a conversation read in a tab without the focus, and marks it when the tab gets the focus back', {
    timeout: 90_000,
  }, async () => {
    const [vera, sol] = [
      await createUser(world.server, 'vera'),
      await createUser(world.server, 'sol'),
    ];
    const solToken = await tokenFor(world.server, sol.handle);
    // Vera started the conversation: nothing in it is unread for her.
    const { message_group_uuid } = await sendMessage(
      world.server,
      await tokenFor(world.server, vera.handle),
      { handle: sol.handle, message: 'Call me when you land' },
    );
    const { context, page: background } = await newPerson(world.browser, world.server.url);
    const front = await context.newPage();
    const marks = watchReadMarks(background);
    await signInAs(background, vera.handle);
    await signInAs(front, vera.handle);
    await background.goto(`/messages/${message_group_uuid}`);
    await messageWithText(background, 'Call me when you land').waitFor();
    await waitUntilLive(background);
    await waitUntilLive(front);
    await moveFocusAway(context, background, front);

    // Sol answers: the message shows in the background tab, in view at the bottom.
    await sendMessage(world.server, solToken, { message_group_uuid, message: 'Landed!' });
    await messageWithText(background, 'Landed!').waitFor();
    expect(await isInTimelineView(messageWithText(background, 'Landed!'))).toBe(true);
    await rowNamedUnread(front, sol.display_name, 1).waitFor();
    // A second one: the server counts 2, so nothing read the first one meanwhile.
    const taxi = await sendMessage(world.server, solToken, {
      message_group_uuid,
      message: 'Taking a taxi',
    });
    await messageWithText(background, 'Taking a taxi').waitFor();
    expect(await isInTimelineView(messageWithText(background, 'Taking a taxi'))).toBe(true);
    await rowNamedUnread(front, sol.display_name, 2).waitFor();
    await rowNamedUnread(background, sol.display_name, 2).waitFor();
    await expect.poll(() => title(background)).toBe(messagesTitle(sol.display_name, 1));
    expect(await hasFocus(background)).toBe(false);
    expect(marks.count).toBe(0);

    // Back to that tab: what is on screen is read, in both tabs.
    await bringBack(background);
    await expect.poll(() => marks.bodies).toEqual([{ message_uuid: taxi.message.uuid }]);
    await expect.poll(() => unreadCount(background, sol.display_name)).toBe(0);
    await expect.poll(() => unreadCount(front, sol.display_name)).toBe(0);
    await expect.poll(() => title(front)).toBe(messagesTitle('Messages', 0));
    await context.close();
  });
});
