import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import { passesStreamFilters } from '../../src/stream/filter.js';
import { readStream } from '../support/stream.js';
import { uniqueHandle, withTestTable } from '../support/test-table.js';
import { bundleOf, dynamoDbLocalEnv, invokeBundle } from './support/bundles.js';
import { type Synthesized, synthesize } from './support/synthesize.js';

const t = withTestTable();
let s: Synthesized;
beforeAll(() => {
  s = synthesize({ bundle: true });
});
afterAll(() => s.cleanup());

describe('the stream function as deployed (the esbuild bundle in the cloud assembly)', () => {
  it('is the real pattern E handler: applied to real stream records, the group rows move', async () => {
    const messaging = t.messaging();
    const [alice, bob] = [
      await messaging.createUser({ handle: uniqueHandle('alice'), displayName: 'Alice' }),
      await messaging.createUser({ handle: uniqueHandle('bob'), displayName: 'Bob' }),
    ];
    const { message: first } = await messaging.sendMessage({
      sender: alice,
      to: { handle: bob.handle },
      message: 'Hi Bob',
    });
    // Pattern D: the group rows stay at the first message until pattern E runs.
    await messaging.sendMessage({
      sender: bob,
      to: { messageGroupUuid: first.messageGroupUuid },
      message: 'Hi Alice, Friday works',
    });
    expect(checkInvariants(await t.scanAll()).violations).not.toEqual([]);

    const event: DynamoDBStreamEvent = { Records: await readStream(t.connection, t.tableName) };
    const responses = await invokeBundle(bundleOf(s, /^Pattern E/), [event], {
      ...dynamoDbLocalEnv(inject('dynamoEndpoint')),
      DDB_TABLE: t.tableName,
    });

    expect(responses).toEqual([{ batchItemFailures: [] }]);
    const report = checkInvariants(await t.scanAll());
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({ conversations: 1, messages: 2, groupRows: 2 });
  });

  it("follows an edit and passes a read mark: MODIFY records, as the mapping's filters pass them, through the deployed handler", async () => {
    const messaging = t.messaging();
    const [ana, ben] = [
      await messaging.createUser({ handle: uniqueHandle('ana'), displayName: 'Ana' }),
      await messaging.createUser({ handle: uniqueHandle('ben'), displayName: 'Ben' }),
    ];
    const { message } = await messaging.sendMessage({
      sender: ana,
      to: { handle: ben.handle },
      message: 'see you at 5',
    });
    await messaging.editMessage(ana, message.messageGroupUuid, message.uuid, 'see you at 6');
    expect(await messaging.markRead(ben.uuid, message.messageGroupUuid, message.uuid)).toEqual({
      unreadCount: 0,
    });
    const records = (await readStream(t.connection, t.tableName)).filter(passesStreamFilters);
    const mine = records.filter((r) =>
      [message.messageGroupUuid, ana.uuid, ben.uuid].some((id) =>
        r.dynamodb?.Keys?.pk?.S?.endsWith(id),
      ),
    );
    expect(mine.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY']);

    const responses = await invokeBundle(bundleOf(s, /^Pattern E/), [{ Records: mine }], {
      ...dynamoDbLocalEnv(inject('dynamoEndpoint')),
      DDB_TABLE: t.tableName,
    });
    expect(responses).toEqual([{ batchItemFailures: [] }]);
    for (const user of [ana, ben]) {
      const [row] = (await messaging.listMessageGroups(user.uuid)).items;
      expect(row).toMatchObject({ message: 'see you at 6', unreadCount: 0 });
    }
    expect(checkInvariants(await t.scanAll()).violations).toEqual([]);
  });
});
