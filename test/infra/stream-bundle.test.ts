import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
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
});
