import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CostEntry } from '../../src/costs/cost-schemas.js';
import { createUser, sendMessage, tokenFor } from './support/api.js';
import { screenshot } from './support/app.js';
import { expectNoAxeViolationsInBothSchemes as expectAccessible } from './support/axe.js';
import { newPerson } from './support/browser.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();

const PHONE = { width: 375, height: 812 };

/** Two new people and their tokens, made before the page watches (so not in its totals). */
const twoPeople = async () => {
  const [ada, bea] = await Promise.all([
    createUser(world.server, 'ada'),
    createUser(world.server, 'bea'),
  ]);
  return { ada, bea, adaToken: await tokenFor(world.server, ada.handle) };
};

/** The inspector's Costs tab, once its feed records (watching is what turns recording on). */
const openCosts = async (page: Page) => {
  await page.goto('/inspect');
  await page.getByRole('tab', { name: /^Costs/ }).click();
  await page.getByRole('heading', { name: 'What each action costs' }).waitFor();
  await page.getByTestId('costs-status').filter({ hasText: 'recording' }).waitFor();
};

const entries = (page: Page, source: string) =>
  page.locator(`[data-testid="cost-entry"][data-source="${source}"]`);

describe("the inspector's Costs view", () => {
  it('shows each action as it happens in plain words, the totals since the page opened and a projection', {
    timeout: 60_000,
  }, async () => {
    const { bea, adaToken } = await twoPeople();
    const { context, page } = await newPerson(world.browser, world.server.url);
    await openCosts(page);
    await page
      .getByTestId('cost-projection')
      .getByText(/Do something in the app/)
      .waitFor();

    const { message_group_uuid } = await sendMessage(world.server, adaToken, {
      handle: bea.handle,
      message: 'What does this cost?',
    });
    await sendMessage(world.server, adaToken, { message_group_uuid, message: 'And this?' });

    // The first send: pattern C's transaction; the second: one PutItem.
    await expect.poll(() => entries(page, 'POST /api/messages').count()).toBe(2);
    const sends = await entries(page, 'POST /api/messages')
      .locator('.cost-entry__sentence')
      .allTextContents();
    expect(sends[0]).toMatch(/^Sent a message: (\d+(\.\d+)? RCU \+ )?1 WCU$/);
    expect(sends[1]).toMatch(/^Sent a message: (\d+(\.\d+)? RCU \+ )?12 WCU \+ 2 GSI WCU$/);
    // The stream batch it causes: pattern E moves both group rows, the push reads connections.
    const moved = entries(page, 'stream batch').filter({ hasText: 'Pattern E moved 2 group rows' });
    await moved.first().waitFor();
    expect(await moved.first().locator('.cost-entry__sentence').textContent()).toMatch(
      /^Pattern E moved 2 group rows: \d+(\.\d+)? RCU \+ 8 WCU \+ 4 GSI WCU$/,
    );

    // What the page shows is what the ledger holds.
    const { entries: ledger } = (await (
      await fetch(`${world.server.url}/api/inspect/costs?limit=20`)
    ).json()) as { entries: CostEntry[] };
    const batch = ledger.find((e) => e.source === 'stream batch' && e.gsi_wcu === 4);
    expect(batch?.requests.map((r) => r.operation)).toContain('TransactWriteItems');
    expect(await moved.first().getAttribute('data-source')).toBe('stream batch');
    // Its source in words and its price in plain decimals: "stream batch, 1 record · $0.0000081".
    expect(await moved.first().locator('.cost-entry__source').textContent()).toMatch(
      /^stream batch, (1 record|([02-9]|\d\d+) records) · \$0\.\d+$/,
    );

    // Its requests, as a table.
    const first = entries(page, 'POST /api/messages').last();
    await first.getByText(/^\d+ DynamoDB requests?$/).click();
    const table = first.getByRole('table', { name: /^DynamoDB requests of: Sent a message/ });
    await table.getByRole('rowheader', { name: /TransactWriteItems/ }).waitFor();

    // Totals and the projection at this mix.
    const totals = page.getByTestId('cost-totals');
    await expect
      .poll(async () => Number(await totals.locator('dd').first().textContent()))
      .toBeGreaterThanOrEqual(3);
    await page
      .getByTestId('cost-projection')
      .getByText(/^At this mix, 1 million such actions cost \$\d+\.\d\d on on-demand\.$/)
      .waitFor();
    await page.getByRole('tab', { name: /^Costs · \d+ actions$/ }).waitFor();
    // A screen reader hears the newest action, politely.
    const live = page.locator('.costs [aria-live="polite"]');
    await expect.poll(() => live.textContent()).toMatch(/: .*(RCU|WCU)/);
    await screenshot(page, 'inspector-costs-wide');
    await context.close();
  });

  it('is readable on a 375 px screen, and accessible there in both schemes', {
    timeout: 90_000,
  }, async () => {
    const { bea, adaToken } = await twoPeople();
    const { context, page } = await newPerson(world.browser, world.server.url, {
      viewport: PHONE,
    });
    await openCosts(page);
    await sendMessage(world.server, adaToken, { handle: bea.handle, message: 'From a phone' });
    const send = entries(page, 'POST /api/messages').first();
    await send.waitFor();
    await send.getByText(/^\d+ DynamoDB requests?$/).click();
    await send.getByRole('table').waitFor();
    // Nothing sticks out: no horizontal scrolling of the page or of the view.
    const root = await page.evaluate(() => {
      const { documentElement } = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }
      ).document;
      return documentElement.scrollWidth;
    });
    const view = await page.getByTestId('costs-view').evaluate((element) => ({
      overflow: element.scrollWidth - element.clientWidth,
      right: element.getBoundingClientRect().right,
    }));
    const overflow = { page: root, view: view.overflow, right: view.right };
    expect(overflow.page).toBeLessThanOrEqual(PHONE.width);
    expect(overflow.view).toBeLessThanOrEqual(0);
    expect(overflow.right).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'inspector-costs-375');
    await expectAccessible(page, 'inspector, costs at 375 px');
    await context.close();
  });
});
