import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/consistency/check-invariants.js';
import type { User } from '../../src/messaging/model.js';
import { startConsumer } from '../support/consumer.js';
import { pollUntil } from '../support/processes.js';
import { expectConverged } from '../support/stream.js';
import { newUser as newUserOf, withTestTable } from '../support/test-table.js';

const t = withTestTable();
const messaging = t.messaging();
const newUser = (name: string): Promise<User> => newUserOf(messaging, name);

describe('a poisoned record', () => {
  it('goes to the dead-letter file after bounded retries, and the rest of the batch is applied', async () => {
    const [a, b] = [await newUser('a'), await newUser('b')];
    const { message } = await messaging.sendMessage({
      sender: a,
      to: { handle: b.handle },
      message: 'before poison',
    });
    // A message item no consumer can apply: its conversation does not exist.
    const ghost = '00000000-0000-4000-8000-0000000000ff';
    await t.connection.doc.send(
      new PutCommand({
        TableName: t.tableName,
        Item: {
          pk: `MSG#${ghost}`,
          sk: `2026-01-01T00:00:00.000Z#${ghost}`,
          item_type: 'message',
          message: 'poison',
          created_at: '2026-01-01T00:00:00.000Z',
        },
      }),
    );
    await messaging.sendMessage({
      sender: b,
      to: { messageGroupUuid: message.messageGroupUuid },
      message: 'after poison',
    });

    const consumer = await startConsumer(t, { maxRetries: 2 });
    await pollUntil(() => consumer.deadLetters.read().length > 0, 10_000);
    const [letter] = consumer.deadLetters.read();
    expect(letter).toMatchObject({ attempts: 3, reason: 'retries exhausted' });
    expect(letter?.records.map((r) => r.dynamodb?.NewImage?.message?.S)).toEqual(['poison']);

    // The checker sees the poison for what it is; an operator removes it after reading the letter.
    const poison = { pk: `MSG#${ghost}`, sk: `2026-01-01T00:00:00.000Z#${ghost}` };
    const { violations } = checkInvariants(await t.scanAll());
    expect(violations.filter((v) => v.keys.some((k) => k.pk === poison.pk))).toEqual([
      expect.objectContaining({ kind: 'invalid_message_key', keys: [poison] }),
      expect.objectContaining({ kind: 'orphan_message', keys: [poison] }),
    ]);
    await t.connection.doc.send(new DeleteCommand({ TableName: t.tableName, Key: poison }));
    await expectConverged(t);
    expect((await messaging.listMessageGroups(a.uuid)).items[0]?.message).toBe('after poison');
    // Retries came from the lowest failed record on, as Lambda does: 1 try + 2 retries.
    const poisonDeliveries = consumer.events.filter((e) =>
      e.Records.some((r) => r.dynamodb?.NewImage?.message?.S === 'poison'),
    );
    expect(poisonDeliveries).toHaveLength(3);
    expect(
      poisonDeliveries
        .slice(1)
        .every((e) => e.Records[0]?.dynamodb?.NewImage?.message?.S === 'poison'),
    ).toBe(true);

    // Once dead-lettered, the record is behind the checkpoint: a restart does not retry it.
    await consumer.source.stop();
    const again = await startConsumer(t, { dir: consumer.dir, maxRetries: 2 });
    await messaging.sendMessage({
      sender: a,
      to: { messageGroupUuid: message.messageGroupUuid },
      message: 'later',
    });
    await expectConverged(t);
    await pollUntil(
      async () => (await messaging.listMessageGroups(b.uuid)).items[0]?.message === 'later',
    );
    expect(again.deadLetters.read()).toHaveLength(1);
  });
});
