import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { sortKeyOfMessageUuid } from '../../src/messaging/message-uuid.js';
import { Messaging } from '../../src/messaging/messaging.js';
import { handleItem, userItem } from '../../src/messaging/requests/users.js';
import { deterministicUuid } from '../../src/seed/deterministic-uuid.js';
import { connectDynamo } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { scanAll } from '../../src/store/scan-all.js';
import { dropTable } from '../../src/store/schema.js';
import { runDdb } from '../support/cli.js';

/** A table name of the test's own, dropped (if it exists by then) when the test ends. */
const ownTable = () => {
  const table = `cli-${randomUUID()}`;
  onTestFinished(async () => {
    const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
    try {
      await dropTable(connection.client, table);
    } finally {
      connection.client.destroy();
    }
  });
  const against = (...args: string[]) =>
    runDdb(['--endpoint', inject('dynamoEndpoint'), '--table', table, ...args]);
  return { table, against };
};

// Each test starts the CLI three to five times, a Node process each, and may seed 120 messages.
describe('ddb CLI', { timeout: 90_000 }, () => {
  it('loads the schema twice without error', async () => {
    const { table, against } = ownTable();
    expect((await against('schema-load')).stdout).toContain(`${table}: created`);
    expect((await against('schema-load')).stdout).toContain(`${table}: exists already`);
    expect((await against('list-tables')).stdout.split('\n')).toContain(table);
  });

  it('seeds the demo data once, however often it runs; each message uuid names its sort key', async () => {
    const { table, against } = ownTable();
    const first = await against('seed');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('users: 45 created');
    expect(first.stdout).toMatch(/conversations: 5 created \(1\d\d messages\)/);
    const second = await against('seed');
    expect(second.stdout).toContain(
      'users: 0 created, 45 already there; conversations: 0 created (0 messages), 5 already there\n',
    );
    const scan = await against('scan', '--limit', '1000');
    // 45 users (profile, handle) with 135 people items, 5 conversations (pair, conversation,
    // two rows) of 120 messages.
    expect(scan.stdout).toMatch(/^365 item\(s\)/m);

    // UUIDv7 at the message's time, as the product's own: a read mark finds it with a GetItem.
    const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
    onTestFinished(() => connection.client.destroy());
    const messages = (await scanAll(connection.doc, { TableName: table })).filter(
      (item) => item.item_type === 'message',
    );
    expect(messages.length).toBeGreaterThan(100);
    for (const m of messages) expect(sortKeyOfMessageUuid(String(m.message_uuid))).toBe(m.sk);
  });

  it("scans blocks: the block items with the blocked handle, and the pair's blocked_by as a set", async () => {
    const { table, against } = ownTable();
    expect(await against('schema-load')).toMatchObject({ code: 0, stderr: '' });
    const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
    onTestFinished(() => connection.client.destroy());
    const messaging = new Messaging({
      table: new DynamoTable(connection.doc, { tableName: table }),
    });
    const user = (handle: string) => messaging.createUser({ handle, displayName: handle });
    const [ana, ben, cy] = [await user('ana_b'), await user('ben_b'), await user('cy_b')];
    await messaging.block(ana, ben.handle);
    await messaging.block(ben, ana.handle);
    await messaging.block(cy, ana.handle);

    const scan = await against('scan', '--limit', '100');
    expect(scan).toMatchObject({ code: 0, stderr: '' });
    const lines = scan.stdout.split('\n');
    const line = (pk: string, sk: string) => lines.find((l) => l.includes(pk) && l.includes(sk));
    const header = lines.find((l) => l.includes('item_type'));
    expect(header).toContain('blocked_handle');
    expect(header).toContain('blocked_by');
    expect(line(`BLOCK#${ana.uuid}`, ben.uuid)).toMatch(/'block'.*'ben_b'/);
    expect(line(`BLOCK#${cy.uuid}`, ana.uuid)).toMatch(/'block'.*'ana_b'/);
    // One uuid fits a cell; two are cut to their first 8 characters. Never {}, as JSON has it.
    const [low, high] = [ana.uuid, cy.uuid].sort();
    expect(line(`PAIR#${low}#${high}`, 'PAIR')).toContain(`'{${cy.uuid}}'`);
    const both = [ana.uuid, ben.uuid].sort();
    expect(line(`PAIR#${both[0]}#${both[1]}`, 'PAIR')).toContain(
      `'{${both.map((u) => `${u.slice(0, 8)}…`).join(', ')}}'`,
    );
    expect(scan.stdout).not.toContain("'{}'");
    // 3 users, 3 items each (profile, handle, one people item per handle and name word "ana", "b").
    expect(scan.stdout).toMatch(/^20 item\(s\)$/m);
  });

  it('runs patterns B and A and prints their consumed capacity', async () => {
    const { against } = ownTable();
    expect(await against('seed')).toMatchObject({ code: 0, stderr: '' });
    const list = await against('patterns', 'list-conversations', 'Mara_Quinn');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('teo_vance');
    expect(list.stdout).toContain('ines_okafor');
    expect(list.stdout).toMatch(/ConsumedCapacity: 0\.5 RCU, 0 WCU in 1 request\(s\) \(Query\)/);
    const maraTeo = deterministicUuid('conversation:mara-teo');
    const page = await against('patterns', 'get-conversation', maraTeo, '--limit', '5');
    expect(page.stdout).toContain('brunch');
    expect(page.stdout).toContain('More: --before');
    expect(page.stdout).toContain('ConsumedCapacity');
  });

  it('finds people as the API does, and prints the Queries and their capacity', async () => {
    const { against } = ownTable();
    expect(await against('seed')).toMatchObject({ code: 0, stderr: '' });
    const ines = await against('patterns', 'find-users', 'INÈS');
    expect(ines).toMatchObject({ code: 0, stderr: '' });
    expect(ines.stdout).toContain('pk = "PEOPLE#i" AND begins_with(sk, "H#ines")');
    expect(ines.stdout).toContain('pk = "PEOPLE#i" AND begins_with(sk, "N#ines")');
    expect(ines.stdout).toMatch(/'ines_garcia'[^\n]*'Inés García'/);
    expect(ines.stdout.indexOf("'ines_garcia'")).toBeLessThan(ines.stdout.indexOf("'ines_okafor'"));
    expect(ines.stdout).toMatch(/ConsumedCapacity: 1 RCU, 0 WCU in 2 request\(s\) \(Query\)/);
    const asInes = await against('patterns', 'find-users', 'ines', '--as', 'ines_okafor');
    expect(asInes.stdout).toContain("'ines_garcia'");
    expect(asInes.stdout).not.toContain("'ines_okafor'");
    const greek = await against('patterns', 'find-users', 'ελ', '--limit', '1');
    expect(greek.stdout).toContain('Ελένη Παπαδοπούλου');
    expect(greek.stdout).not.toContain('begins_with(sk, "H#');
    const nothing = await against('patterns', 'find-users', '@');
    expect(nothing.stdout).toContain('no Query sent');
    expect(await against('patterns', 'find-users', 'x', '--limit', '21')).toMatchObject({
      code: 1,
      stderr: 'ddb: limit must be a whole number from 1 to 20.\n',
    });
  });

  it('backfills the people items of users created before people search, once', async () => {
    const { table, against } = ownTable();
    expect(await against('schema-load')).toMatchObject({ code: 0, stderr: '' });
    const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
    onTestFinished(() => connection.client.destroy());
    // Users as they were written before people search: a profile and a handle, nothing else.
    const writeAsBefore = async (user: { uuid: string; handle: string; displayName: string }) => {
      for (const item of [userItem(user, '2025-12-01T00:00:00.000Z'), handleItem(user)])
        await connection.doc.send(new PutCommand({ TableName: table, Item: item }));
    };
    // Mara as the seed wrote her before people search.
    await writeAsBefore({
      uuid: deterministicUuid('user:mara'),
      handle: 'mara_quinn',
      displayName: 'Mara Quinn',
    });
    await writeAsBefore({ uuid: randomUUID(), handle: 'bob_before', displayName: 'Bob Before' });
    expect((await against('patterns', 'find-users', 'mara')).stdout).toContain('(no items)');

    // The seed completes them (one Scan of the table), then the backfill finds nothing to do.
    expect((await against('seed')).stdout).toContain(
      'users: 44 created, 1 already there; conversations: 5 created (120 messages), 0 already there; ' +
        'people search: 6 item(s) added for users created before it\n',
    );
    expect((await against('backfill-people')).stdout).toContain(
      'people search: 0 item(s) written, 138 already there, for 46 user(s)\n',
    );
    await writeAsBefore({ uuid: randomUUID(), handle: 'cy_before', displayName: 'Cy Before' });
    const backfill = await against('backfill-people');
    expect(backfill.stdout).toContain(
      'people search: 3 item(s) written, 138 already there, for 47 user(s)\n',
    );
    expect(backfill.stdout).toMatch(
      /ConsumedCapacity: [\d.]+ RCU, 3 WCU in 4 request\(s\) \(Scan, PutItem\)/,
    );
    expect((await against('seed')).stdout).not.toContain('people search');
    expect((await against('patterns', 'find-users', 'before')).stdout).toMatch(
      /'bob_before'[\s\S]*'cy_before'/,
    );
    expect((await against('patterns', 'find-users', 'quinn')).stdout).toContain("'mara_quinn'");
  });

  it('explains what went wrong in one line, with a non-zero exit', async () => {
    const { table, against } = ownTable();
    expect(await against('schema-load')).toMatchObject({ code: 0, stderr: '' });
    const drop = await against('drop');
    expect(drop.code).toBe(1);
    expect(drop.stderr).toContain('pass --yes');
    expect((await against('list-tables')).stdout.split('\n')).toContain(table);
    const unknown = await against('patterns', 'list-conversations', 'nobody_here');
    expect(unknown).toMatchObject({ code: 1, stderr: 'ddb: No user has that handle.\n' });
    expect((await against('drop', '--yes')).stdout).toContain(`${table}: dropped`);
  });

  it('says how to install Java when it is missing', async () => {
    const result = await runDdb(['list-tables'], {
      JAVA: '/nonexistent/java',
      DATA_DIR: join('/tmp', randomUUID()),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('apt-get install -y openjdk-17-jre-headless');
  });
});
