import { describe, expect, it, onTestFinished } from 'vitest';
import { demoConversations, demoUsers } from '../../src/seed/demo-data.js';
import { sendMessage, tokenFor } from './support/api.js';
import { computedColour, screenshot, signInAs } from './support/app.js';
import { newPerson } from './support/browser.js';
import { withProductAndBrowser } from './support/world.js';

const world = withProductAndBrowser();

// The demo data (src/seed/demo-data.ts): its users, and conversations between some of them.
const CONVERSATIONS = demoConversations.length;

describe('the table inspector', () => {
  it('shows the table by partition, its GSI, and stream records as they happen', {
    timeout: 60_000,
  }, async () => {
    const { context, page } = await newPerson(world.browser, world.server.url);
    await page.goto('/inspect');

    for (const prefix of ['GRP', 'MSG', 'USER', 'HANDLE', 'PAIR', 'CONV']) {
      await page.getByRole('heading', { name: new RegExp(`^${prefix}#`) }).waitFor();
    }
    const partitions = (prefix: string) =>
      page.locator(`[data-testid="partition"][data-pk^="${prefix}#"]`);
    expect(await partitions('MSG').count()).toBe(CONVERSATIONS);
    expect(await partitions('USER').count()).toBe(demoUsers.length);
    // The key schema is spelled out, and every partition names its pk.
    await page.getByText('partition key (HASH, string)').waitFor();
    expect(await partitions('GRP').first().locator('.partition__pk').textContent()).toMatch(
      /^GRP#[0-9a-f-]{36}$/,
    );

    await page.getByRole('tab', { name: /^GSI/ }).click();
    expect(await page.getByTestId('index-partition').count()).toBe(CONVERSATIONS);
    for (const partition of await page.getByTestId('index-partition').all()) {
      expect(await partition.locator('tbody tr').count()).toBe(2); // sparse: the two group rows
    }

    // A message written elsewhere: its stream records arrive, the table and GSI follow.
    const text = 'Inspector, are you watching?';
    await sendMessage(world.server, await tokenFor(world.server, 'mara_quinn'), {
      handle: 'teo_vance',
      message: text,
    });
    const applied = page
      .locator('[data-testid="stream-record"][data-outcome="applied"]')
      .filter({ hasText: 'MSG#' })
      .first();
    await applied.waitFor();
    expect(await computedColour(applied.locator('.outcome-badge'))).toBe('rgb(29, 122, 62)');
    // Pattern E moved both group rows of the conversation to the new message.
    await expect
      .poll(() =>
        page.getByTestId('index-partition').filter({ hasText: text }).locator('tbody tr').count(),
      )
      .toBe(2);

    await page.getByRole('tab', { name: /^Table/ }).click();
    await page.getByRole('searchbox', { name: 'Filter items' }).fill(text);
    await partitions('MSG').getByText(text).waitFor();
    await page.getByRole('searchbox', { name: 'Filter items' }).fill('');
    await screenshot(page, 'inspector');
    await context.close();
  });

  it("shows each open realtime connection as an item of its user's CONN# partition, gone when the tab closes", {
    timeout: 60_000,
  }, async () => {
    const { context, page } = await newPerson(world.browser, world.server.url);
    await page.goto('/inspect');
    await page
      .getByRole('heading', { name: /^USER#/ })
      .first()
      .waitFor();
    const connectionPartitions = page.locator('[data-testid="partition"][data-pk^="CONN#"]');
    const before = await connectionPartitions.count();

    // Signing in opens the app's WebSocket: $connect writes the connection item.
    const person = await newPerson(world.browser, world.server.url);
    await signInAs(person.page, 'teo_vance');
    const { uuid } = (await (
      await fetch(`${world.server.url}/api/me`, {
        headers: { authorization: `Bearer ${await tokenFor(world.server, 'teo_vance')}` },
      })
    ).json()) as { uuid: string };
    const partition = page.locator(`[data-testid="partition"][data-pk="CONN#${uuid}"]`);
    await partition.waitFor();
    await page.getByText('Realtime connections').first().waitFor();
    expect(await partition.locator('tbody tr').count()).toBe(1);
    await partition.getByText('expires_at').first().waitFor();

    // Closing the tab sends $disconnect, which deletes it.
    await person.context.close();
    await partition.waitFor({ state: 'detached' });
    expect(await connectionPartitions.count()).toBe(before);
    await context.close();
  });

  it("shows a block in its blocker's BLOCK# partition, and the pair's blocked_by as a list of uuids", {
    timeout: 60_000,
  }, async () => {
    // Two demo users who never talked (the other tests count the demo users, and send as
    // Mara to Teo): Inès blocks Lena, and lifts it when the test ends.
    const person = async (handle: string) => {
      const token = await tokenFor(world.server, handle);
      const me = await fetch(`${world.server.url}/api/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { handle, token, uuid: ((await me.json()) as { uuid: string }).uuid };
    };
    const [blocker, blocked] = [await person('ines_okafor'), await person('lena_fischer')];
    const block = (method: 'POST' | 'DELETE') =>
      fetch(`${world.server.url}/api/users/@${blocked.handle}/block`, {
        method,
        headers: { authorization: `Bearer ${blocker.token}` },
      });
    onTestFinished(async () => {
      expect((await block('DELETE')).status).toBe(204);
    });
    expect((await block('POST')).status).toBe(204);
    const [low, high] = [blocker.uuid, blocked.uuid].sort();
    const pairPk = `PAIR#${low}#${high}`;

    // The API: the string set as an array, not the {} JSON.stringify makes of a JS Set.
    const { items } = (await (await fetch(`${world.server.url}/api/inspect/items`)).json()) as {
      items: Record<string, unknown>[];
    };
    expect(items.find((item) => item.pk === pairPk)).toEqual({
      pk: pairPk,
      sk: 'PAIR',
      item_type: 'pair',
      blocked_by: [blocker.uuid],
    });
    expect(items.find((item) => item.pk === `BLOCK#${blocker.uuid}`)).toMatchObject({
      sk: blocked.uuid,
      item_type: 'block',
      blocked_handle: blocked.handle,
    });

    const { context, page } = await newPerson(world.browser, world.server.url);
    await page.goto('/inspect');
    await page.getByRole('heading', { name: /^BLOCK#.*Blocks/ }).waitFor();
    const blocks = page.locator(`[data-testid="partition"][data-pk="BLOCK#${blocker.uuid}"]`);
    await blocks.getByText(`whom @${blocker.handle} blocks`).waitFor();
    expect(await blocks.locator('tbody tr').count()).toBe(1);
    await blocks.getByText(blocked.handle, { exact: true }).waitFor();
    await blocks.locator('.item-type', { hasText: 'block' }).waitFor();

    // They never talked: a pair of the block alone, saying who blocks whom.
    const pair = page.locator(`[data-testid="partition"][data-pk="${pairPk}"]`);
    await pair.getByText(`@${blocker.handle} blocks @${blocked.handle}`).waitFor();
    await pair.getByText(JSON.stringify([blocker.uuid])).waitFor();
    await context.close();
  });
});
