import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { Messaging } from '../../src/messaging/messaging.js';
import { userItem } from '../../src/messaging/requests/users.js';
import { connectDynamo } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { dropTable } from '../../src/store/schema.js';
import { runDdb } from '../support/cli.js';

/** A table of the test's own with the schema loaded, dropped when the test ends. */
const ownTable = async () => {
  const table = `scan-${randomUUID()}`;
  const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
  onTestFinished(async () => {
    try {
      await dropTable(connection.client, table);
    } finally {
      connection.client.destroy();
    }
  });
  const ddb = (...args: string[]) =>
    runDdb(['--endpoint', inject('dynamoEndpoint'), '--table', table, ...args]);
  expect(await ddb('schema-load')).toMatchObject({ code: 0, stderr: '' });
  const messaging = new Messaging({ table: new DynamoTable(connection.doc, { tableName: table }) });
  return { ddb, messaging, doc: connection.doc, table };
};

describe('ddb scan', { timeout: 60_000 }, () => {
  it('shows people-search items with the name they copy (their word and handle are the keys)', async () => {
    const { ddb, messaging } = await ownTable();
    await messaging.createUser({ handle: 'ines_okafor', displayName: 'Inès Okafor' });
    const scan = await ddb('scan');
    expect(scan).toMatchObject({ code: 0, stderr: '' });
    const lines = scan.stdout.split('\n');
    const line = (pk: string, sk: string) =>
      lines.find((l) => l.includes(`'${pk}'`) && l.includes(`'${sk}'`));
    expect(lines.find((l) => l.includes('item_type'))).toContain('display_name');
    expect(line('PEOPLE#i', 'H#ines_okafor')).toMatch(/'people_token'.*'Inès Okafor'/);
    expect(line('PEOPLE#i', 'N#ines#ines_okafor')).toMatch(/'people_token'.*'Inès Okafor'/);
    expect(line('PEOPLE#o', 'N#okafor#ines_okafor')).toMatch(/'people_token'.*'Inès Okafor'/);
    // The profile, its handle and three people items.
    expect(scan.stdout).toMatch(/^5 item\(s\)$/m);
  });

  it('adds no display_name column to a page without people items (a profile alone has one)', async () => {
    const { ddb, doc, table } = await ownTable();
    const user = { uuid: randomUUID(), handle: 'ana_before', displayName: 'Ana Before' };
    await doc.send(
      new PutCommand({ TableName: table, Item: userItem(user, '2025-12-01T00:00:00.000Z') }),
    );
    const scan = await ddb('scan');
    expect(scan).toMatchObject({ code: 0, stderr: '' });
    expect(scan.stdout).toContain(`'USER#${user.uuid}'`);
    expect(scan.stdout).not.toContain('display_name');
  });
});
