import { randomUUID } from 'node:crypto';
import { Messaging } from '../../src/messaging/messaging.js';
import type { DynamoConnection } from '../../src/store/clients.js';
import { type CostRow, costRow } from './cost-rows.js';
import type { BenchConversation, Dataset } from './dataset.js';
import type { FreshPairs } from './fresh-pairs.js';
import { MeteringTable } from './metering-table.js';
import { pick } from './pick.js';

/**
 * The latency patterns' cost per operation, measured through the core with a metering table,
 * 20 times each, after one run not counted that warms the participants cache: steady state,
 * as in the latency runs.
 */
export const measureCoreCosts = async (options: {
  connection: DynamoConnection;
  tableName: string;
  dataset: Dataset;
  /** The conversation the A and D runs read and write. */
  sample: BenchConversation;
  pairs: FreshPairs;
}): Promise<CostRow[]> => {
  const { connection, tableName, dataset, sample, pairs } = options;
  const metering = new MeteringTable(connection, tableName, { readSizes: true });
  const metered = new Messaging({ table: metering });
  const costOf = async (name: string, run: () => Promise<unknown>, times = 20) => {
    await run();
    metering.reset();
    for (let i = 0; i < times; i++) await run();
    return costRow(name, metering.meter, times);
  };
  return [
    await costOf('user lookup', () => metered.getUserByHandle(pick(dataset.users).handle)),
    await costOf('A list messages (20)', () =>
      metered.listMessages(sample.a.uuid, sample.groupUuid, { limit: 20 }),
    ),
    await costOf('B list conversations (20)', () =>
      metered.listMessageGroups(pick(dataset.users).uuid, { limit: 20 }),
    ),
    await costOf('B list conversations (20), rows as before read state', () =>
      metered.listMessageGroups(pick(dataset.legacyTwins).uuid, { limit: 20 }),
    ),
    await costOf('D send to a conversation', () =>
      metered.sendMessage({
        sender: sample.a,
        to: { messageGroupUuid: sample.groupUuid },
        message: 'benchmark message',
        clientMessageId: randomUUID(),
      }),
    ),
    await costOf('C start a conversation', () => {
      const [a, b] = pairs.next();
      return metered.sendMessage({ sender: a, to: { handle: b.handle }, message: 'hello there' });
    }),
  ];
};
