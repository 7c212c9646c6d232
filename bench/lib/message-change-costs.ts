import { randomUUID } from 'node:crypto';
import type { MessageItem } from '../../src/messaging/items.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { Message } from '../../src/messaging/model.js';
import {
  editMessageRequest,
  unsendMessageRequest,
} from '../../src/messaging/requests/message-changes.js';
import { getMessageRequest } from '../../src/messaging/requests/messages.js';
import type { DynamoConnection } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { type CostRow, costRow } from './cost-rows.js';
import { type LatencySummary, summarize } from './latency.js';
import { addMeters, emptyMeter, type Meter, MeteringTable, meterDelta } from './metering-table.js';
import { TEXT_99 } from './read-state-costs.js';

export interface ChangeLatency {
  change: 'edit' | 'unsend';
  /** Through the core (participants and blocks cached, as in a running server). */
  core: LatencySummary;
  /** Its bare requests: GetItem CR of the message, the conditional UpdateItem. */
  bare: LatencySummary;
  ratioP50: number;
}

export interface MessageChangeCosts {
  cost: CostRow[];
  latency: ChangeLatency[];
}

/**
 * Edits and unsends: their capacity through the core on a metering table that reads item
 * sizes (a message without and with a client_message_id, whose claim holds the text too), and
 * their latency in-process against their bare requests, in `slices` alternating rounds.
 */
export const measureMessageChanges = async (
  connection: DynamoConnection,
  tableName: string,
  options: { times?: number; slices?: number; perSlice?: number } = {},
): Promise<MessageChangeCosts> => {
  const { times = 20, slices = 10, perSlice = 50 } = options;
  const table = new DynamoTable(connection.doc, { tableName });
  const plain = new Messaging({ table });
  const metering = new MeteringTable(connection, tableName, { readSizes: true });
  const metered = new Messaging({ table: metering });
  const tag = randomUUID().slice(0, 8);
  const [a, b] = [
    await plain.createUser({ handle: `mc_${tag}_a`, displayName: 'Change Bench A' }),
    await plain.createUser({ handle: `mc_${tag}_b`, displayName: 'Change Bench B' }),
  ];
  const group = (await plain.sendMessage({ sender: a, to: { handle: b.handle }, message: TEXT_99 }))
    .message.messageGroupUuid;
  const send = async (withClientId: boolean): Promise<Message> =>
    (
      await plain.sendMessage({
        sender: a,
        to: { messageGroupUuid: group },
        message: TEXT_99,
        ...(withClientId ? { clientMessageId: randomUUID() } : {}),
      })
    ).message;
  for (const messaging of [metered, plain]) {
    await messaging.participants(group);
    await messaging.blocked(a.uuid, group);
  }

  const cost: CostRow[] = [];
  const repeat = async (name: string, step: () => Promise<() => Promise<unknown>>) => {
    let total: Meter = emptyMeter();
    for (let i = 0; i < times; i++) {
      const measured = await step();
      total = addMeters(total, await meterDelta(metering.meter, measured));
    }
    cost.push(costRow(name, total, times));
  };
  for (const withClientId of [false, true]) {
    const suffix = withClientId ? ', with its client_message_id claim' : '';
    await repeat(`edit a message${suffix}`, async () => {
      const m = await send(withClientId);
      return () => metered.editMessage(a, group, m.uuid, `${TEXT_99.slice(0, 90)} (edited)`);
    });
    await repeat(`unsend a message${suffix}`, async () => {
      const m = await send(withClientId);
      return () => metered.unsendMessage(a, group, m.uuid);
    });
  }

  const latency: ChangeLatency[] = [];
  for (const change of ['edit', 'unsend'] as const) {
    const targets = { core: [] as Message[], bare: [] as Message[] };
    for (let i = 0; i < slices * perSlice; i++) {
      targets.core.push(await send(false));
      targets.bare.push(await send(false));
    }
    const timings = { core: [] as number[], bare: [] as number[] };
    const seconds = { core: 0, bare: 0 };
    const run = async (kind: 'core' | 'bare', message: Message) => {
      if (kind === 'core') {
        if (change === 'edit') await plain.editMessage(a, group, message.uuid, 'edited');
        else await plain.unsendMessage(a, group, message.uuid);
        return;
      }
      const item = await table.get<MessageItem>(getMessageRequest(tableName, group, message.sk));
      if (!item) throw new Error(`no message ${message.uuid}`);
      await table.write(
        change === 'edit'
          ? editMessageRequest(tableName, item, 'edited', new Date().toISOString())
          : unsendMessageRequest(tableName, item),
      );
    };
    for (let s = 0; s < slices; s++) {
      const order: ('core' | 'bare')[] = s % 2 ? ['bare', 'core'] : ['core', 'bare'];
      for (const kind of order) {
        const started = performance.now();
        for (const message of targets[kind].slice(s * perSlice, (s + 1) * perSlice)) {
          const one = performance.now();
          await run(kind, message);
          timings[kind].push(performance.now() - one);
        }
        seconds[kind] += (performance.now() - started) / 1000;
      }
    }
    const core = summarize(timings.core, seconds.core);
    const bare = summarize(timings.bare, seconds.bare);
    latency.push({ change, core, bare, ratioP50: core.p50 / bare.p50 });
  }
  return { cost, latency };
};
