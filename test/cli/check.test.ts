import { randomUUID } from 'node:crypto';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { VIOLATION_KINDS } from '../../src/consistency/violations.js';
import { deterministicUuid } from '../../src/seed/deterministic-uuid.js';
import { connectDynamo } from '../../src/store/clients.js';
import { scanAll } from '../../src/store/scan-all.js';
import { dropTable } from '../../src/store/schema.js';
import { runDdb } from '../support/cli.js';

/** A table seeded by `ddb seed`, as a user would make one, dropped when the test ends. */
const seededTable = async () => {
  const table = `check-${randomUUID()}`;
  const ddb = (...args: string[]) =>
    runDdb(['--endpoint', inject('dynamoEndpoint'), '--table', table, ...args]);
  const connection = connectDynamo({ endpoint: inject('dynamoEndpoint') });
  onTestFinished(async () => {
    await dropTable(connection.client, table);
    connection.client.destroy();
  });
  expect((await ddb('seed')).code).toBe(0);
  return { table, ddb, doc: connection.doc };
};

describe('ddb check', () => {
  it('passes the seeded table: exit 0, its counts and the capacity of the Scan (and of any second look)', async () => {
    const { ddb } = await seededTable();
    const run = await ddb('check');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The demo data (src/seed/demo-data.ts): 45 users, 5 of them in 5 conversations; each user
    // with their people items.
    expect(run.stdout).toMatch(
      /^\d{3} item\(s\): 45 user\(s\), 5 conversation\(s\), 1\d\d message\(s\), 10 group row\(s\)$/m,
    );
    expect(run.stdout).toContain('Consistent: no violations.');
    // One Scan; read state may need a second look at some conversations (one Query each).
    const capacity =
      /^ConsumedCapacity: [1-9][\d.]* RCU, 0 WCU in (\d+) request\(s\) \(Scan(, Query)?\)$/m.exec(
        run.stdout,
      );
    expect(capacity).not.toBeNull();
    expect(Number(capacity?.[1])).toBeLessThanOrEqual(1 + 5);
  });

  it('prints read-state violations: a wrong unread count and a wrong unread_conversations', async () => {
    const { table, ddb, doc } = await seededTable();
    const maraTeo = deterministicUuid('conversation:mara-teo');
    const mara = deterministicUuid('user:mara');
    const row = (await scanAll(doc, { TableName: table, ConsistentRead: true })).find(
      (item) => item.pk === `GRP#${mara}` && item.message_group_uuid === maraTeo,
    );
    expect(row).toBeDefined();
    const set = (key: Record<string, unknown>, attribute: string, value: number) =>
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: `SET ${attribute} = :v`,
          ExpressionAttributeValues: { ':v': value },
        }),
      );
    await set({ pk: row?.pk, sk: row?.sk }, 'unread_count', 77);
    await set({ pk: `USER#${mara}`, sk: 'PROFILE' }, 'unread_conversations', 99);
    const run = await ddb('check');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `^wrong_unread_count: GRP#${mara} / ${String(row?.sk)}: expected unread_count \\d+ .*; found unread_count 77$`,
        'm',
      ),
    );
    expect(run.stdout).toMatch(
      new RegExp(
        `^wrong_unread_conversations: USER#${mara} / PROFILE: expected unread_conversations \\d+ .*; found unread_conversations 99$`,
        'm',
      ),
    );
    expect(run.stdout).toContain(`wrong_unread_count ×1: ${VIOLATION_KINDS.wrong_unread_count}`);
    expect(run.stdout).toContain(
      `wrong_unread_conversations ×1: ${VIOLATION_KINDS.wrong_unread_conversations}`,
    );
  });

  it('prints each violation with its keys and exits 1', async () => {
    const { table, ddb, doc } = await seededTable();
    const maraTeo = deterministicUuid('conversation:mara-teo');
    const mara = deterministicUuid('user:mara');
    await doc.send(
      new DeleteCommand({ TableName: table, Key: { pk: `CONV#${maraTeo}`, sk: 'CONV' } }),
    );
    const run = await ddb('check');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `^orphan_group_row: GRP#${mara} / \\S+: expected conversation CONV#${maraTeo}; found none$`,
        'm',
      ),
    );
    expect(run.stdout).toMatch(/^orphan_message: MSG#/m);
    expect(run.stdout).toMatch(/^orphan_pair: PAIR#/m);
    expect(run.stdout).toContain('4 violation(s):');
  });

  it('reports as JSON for scripts, with the same exit status', async () => {
    const { table, ddb, doc } = await seededTable();
    await doc.send(
      new DeleteCommand({ TableName: table, Key: { pk: 'HANDLE#sol_park', sk: 'HANDLE' } }),
    );
    const run = await ddb('check', '--json', '--segments', '3');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      violations: { kind: string; keys: { pk: string }[] }[];
      capacity: { requests: number };
    };
    expect(report.violations).toEqual([
      expect.objectContaining({
        kind: 'missing_handle',
        keys: [{ pk: `USER#${deterministicUuid('user:sol')}`, sk: 'PROFILE' }],
      }),
    ]);
    // Three Scan segments, and a Query for any conversation read state needs again.
    expect(report.capacity.requests).toBeGreaterThanOrEqual(3);
    expect(report.capacity.requests).toBeLessThanOrEqual(3 + 5);
  });

  it('reports a user from before people search as missing_people_item, until backfill-people writes their items', async () => {
    const { table, ddb, doc } = await seededTable();
    const mara = deterministicUuid('user:mara');
    const people = (await scanAll(doc, { TableName: table, ConsistentRead: true })).filter(
      (item) => item.item_type === 'people_token' && item.user_uuid === mara,
    );
    expect(people.length).toBeGreaterThan(1);
    for (const { pk, sk } of people)
      await doc.send(new DeleteCommand({ TableName: table, Key: { pk, sk } }));
    const run = await ddb('check');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `^missing_people_item: (PEOPLE#\\S+ / [HN]#\\S+(, )?){${people.length}}: expected people items of ${mara}: .*; found none of them .*$`,
        'm',
      ),
    );
    expect(run.stdout).toContain(`missing_people_item ×1: ${VIOLATION_KINDS.missing_people_item}`);
    expect((await ddb('backfill-people')).code).toBe(0);
    const again = await ddb('check');
    expect(again.stdout).toContain('Consistent: no violations.');
    expect(again.code).toBe(0);
  });

  it('refuses a bad --segments before reading anything', async () => {
    const run = await runDdb(['--endpoint', inject('dynamoEndpoint'), 'check', '--segments', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('ddb: --segments must be a whole number from 1 to 1000.');
  });
});
