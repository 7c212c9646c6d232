import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { LocalIssuer } from '../../src/api/auth/local-issuer.js';
import { BlockedError } from '../../src/messaging/errors.js';
import { blockKey, pairKey } from '../../src/messaging/keys.js';
import { Messaging } from '../../src/messaging/messaging.js';
import type { User } from '../../src/messaging/model.js';
import type { DynamoConnection } from '../../src/store/clients.js';
import { DynamoTable } from '../../src/store/dynamo-table.js';
import { listenLocalApi } from './bench-api.js';
import { type CostRow, costRow } from './cost-rows.js';
import { type LatencySummary, summarize } from './latency.js';
import { addMeters, emptyMeter, type Meter, MeteringTable, meterDelta } from './metering-table.js';
import { type ItemSizeRow, sizeOf, TEXT_99 } from './read-state-costs.js';

/** A send with the block check cached against read, p50 and p99 (what the check costs). */
export interface CheckComparison {
  /** A send to a conversation whose block check is cached: what D cost before blocking existed. */
  cached: LatencySummary;
  /** The same send reading the pair item every time (the cache cold: a chat's every send, at worst). */
  read: LatencySummary;
  /** read / cached, p50 and p99. */
  ratioP50: number;
  ratioP99: number;
}

/** In-process sends, and (`http`) the same comparison through the API. */
export interface BlockCheckLatency extends CheckComparison {
  sends: number;
  slices: number;
  /**
   * Through the API (POST /api/messages over loopback HTTP, the sender's token and profile
   * cached as in steady state), where the send's fixed costs (HTTP, auth, validation) dilute
   * the check's round trip as they do for a user.
   */
  http: CheckComparison;
}

/**
 * `slices` alternating rounds of `sendsPerSlice` sequential sends each way (on a shared VM
 * the machine drifts within seconds: alternating and pooling gives both sides the same one).
 */
const alternateSlices = async (
  slices: number,
  sendsPerSlice: number,
  send: Record<'read' | 'cached', () => Promise<unknown>>,
): Promise<CheckComparison> => {
  const timings = { read: [] as number[], cached: [] as number[] };
  const seconds = { read: 0, cached: 0 };
  for (let i = 0; i < slices; i++) {
    const order: ('read' | 'cached')[] = i % 2 ? ['read', 'cached'] : ['cached', 'read'];
    for (const kind of order) {
      const started = performance.now();
      for (let n = 0; n < sendsPerSlice; n++) {
        const sendStarted = performance.now();
        await send[kind]();
        timings[kind].push(performance.now() - sendStarted);
      }
      seconds[kind] += (performance.now() - started) / 1000;
    }
  }
  const read = summarize(timings.read, seconds.read);
  const cached = summarize(timings.cached, seconds.cached);
  return { cached, read, ratioP50: read.p50 / cached.p50, ratioP99: read.p99 / cached.p99 };
};

export interface BlockCosts {
  cost: CostRow[];
  itemSizes: ItemSizeRow[];
  latency: BlockCheckLatency;
}

/**
 * Blocking's costs, through the core on a metering table that reads item sizes: block and
 * unblock, the list, and pattern D with the block check read (cache cold) and cached; a send
 * refused by a block. Then the block check's latency: sends to one conversation in-process,
 * `slices` alternating rounds of a Messaging that reads the pair item on every send and one
 * that has it cached, pooled (on a shared VM the machine drifts within seconds).
 */
export const measureBlockCosts = async (
  connection: DynamoConnection,
  tableName: string,
  options: { times?: number; slices?: number; sendsPerSlice?: number } = {},
): Promise<BlockCosts> => {
  const { times = 20, slices = 10, sendsPerSlice = 100 } = options;
  const http = await measureBlockCheckOverHttp(connection, tableName, { slices, sendsPerSlice });
  const plainTable = new DynamoTable(connection.doc, { tableName });
  const plain = new Messaging({ table: plainTable });
  const metering = new MeteringTable(connection, tableName, { readSizes: true });
  const cold = new Messaging({ table: metering, blockCacheMs: 0 });
  const cached = new Messaging({ table: metering, blockCacheMs: Number.POSITIVE_INFINITY });
  const meter = metering.meter;
  const tag = randomUUID().slice(0, 8);
  let users = 0;
  const newUser = () =>
    plain.createUser({ handle: `bl_${tag}_${users++}`, displayName: `Block Bench ${users}` });
  const conversation = async (): Promise<[User, User, string]> => {
    const [a, b] = [await newUser(), await newUser()];
    const sent = await plain.sendMessage({ sender: a, to: { handle: b.handle }, message: TEXT_99 });
    return [a, b, sent.message.messageGroupUuid];
  };
  const cost: CostRow[] = [];
  const repeat = async (name: string, step: () => Promise<() => Promise<unknown>>) => {
    let total: Meter = emptyMeter();
    for (let i = 0; i < times; i++) {
      const measured = await step();
      total = addMeters(total, await meterDelta(meter, measured));
    }
    cost.push(costRow(name, total, times));
  };

  const [a, b, group] = await conversation();
  for (const messaging of [cold, cached]) await messaging.participants(group); // steady state
  await cached.blocked(a.uuid, group); // its one read: cached from here on
  const sendTo = (messaging: Messaging) => () =>
    messaging.sendMessage({
      sender: a,
      to: { messageGroupUuid: group },
      message: TEXT_99,
      clientMessageId: randomUUID(),
    });
  await repeat('D send to a conversation, block check cached (as before blocking)', async () =>
    sendTo(cached),
  );
  await repeat('D send to a conversation, block check read (cache cold)', async () => sendTo(cold));
  await repeat(
    'D send to a handle (the pair read carries the block)',
    async () => () => cold.sendMessage({ sender: a, to: { handle: b.handle }, message: TEXT_99 }),
  );
  await repeat('block a user (they have a conversation)', async () => {
    const [x, y] = await conversation();
    return () => cold.block(x, y.handle);
  });
  await repeat('block a user (never talked: the pair item is created)', async () => {
    const [x, y] = [await newUser(), await newUser()];
    return () => cold.block(x, y.handle);
  });
  await repeat('unblock a user', async () => {
    const [x, y] = await conversation();
    await plain.block(x, y.handle);
    return () => cold.unblock(x, y.handle);
  });
  await repeat('a send refused by a block (to a conversation, cache cold)', async () => {
    const [x, y, blockedGroup] = await conversation();
    await plain.block(y, x.handle);
    await cold.participants(blockedGroup);
    return () =>
      cold
        .sendMessage({ sender: x, to: { messageGroupUuid: blockedGroup }, message: TEXT_99 })
        .then(
          () => {
            throw new Error('a blocked send was accepted');
          },
          (error: unknown) => {
            if (!(error instanceof BlockedError)) throw error;
          },
        );
  });
  const lister = await newUser();
  for (let i = 0; i < 3; i++) await plain.block(lister, (await newUser()).handle);
  await repeat('GET /api/blocks (3 blocked users)', async () => () => cold.listBlocks(lister.uuid));

  // Sizes: a block item, and a pair item without, with one and with two marks.
  const sizeAt = async (key: { pk: string; sk: string }): Promise<number> => {
    const { Item } = await connection.doc.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    if (!Item) throw new Error(`no item at ${key.pk}`);
    return sizeOf(Item);
  };
  const [p, q] = await conversation();
  const pair = pairKey(p.uuid, q.uuid);
  const unmarked = await sizeAt(pair);
  await plain.block(p, q.handle);
  const blockSize = await sizeAt(blockKey(p.uuid, q.uuid));
  const oneMark = await sizeAt(pair);
  await plain.block(q, p.handle);
  const twoMarks = await sizeAt(pair);
  const itemSizes: ItemSizeRow[] = [
    { item: 'block', min: blockSize, max: blockSize },
    { item: 'pair, no block', min: unmarked, max: unmarked },
    { item: 'pair, blocked by one / by both', min: oneMark, max: twoMarks },
  ];

  // Latency: the same sends, unmetered, the check read on every send or cached.
  const readEvery = new Messaging({ table: plainTable, blockCacheMs: 0 });
  const trusting = new Messaging({ table: plainTable, blockCacheMs: Number.POSITIVE_INFINITY });
  for (const messaging of [readEvery, trusting]) {
    await messaging.participants(group);
    await messaging.blocked(a.uuid, group);
  }
  const inProcess = await alternateSlices(slices, sendsPerSlice, {
    read: sendTo(readEvery),
    cached: sendTo(trusting),
  });
  return {
    cost,
    itemSizes,
    latency: { sends: sendsPerSlice * slices, slices, http, ...inProcess },
  };
};

/**
 * D through the API with the block check read on every send (a conversation whose last send
 * was over a second ago: most of a real chat's) against the check never read (what D cost
 * before blocking): two API servers on one table, `slices` alternating rounds of sequential
 * sends over loopback, to conversations picked in turn.
 */
const measureBlockCheckOverHttp = async (
  connection: DynamoConnection,
  tableName: string,
  options: { slices: number; sendsPerSlice: number; conversations?: number },
): Promise<CheckComparison> => {
  const { slices, sendsPerSlice, conversations = 20 } = options;
  const table = new DynamoTable(connection.doc, { tableName });
  const issuer = await LocalIssuer.fromJwk(await LocalIssuer.generateJwk());
  const apiOf = async (blockCacheMs: number) => {
    const messaging = new Messaging({ table, blockCacheMs });
    return { messaging, ...(await listenLocalApi(connection, tableName, messaging, issuer)) };
  };
  const apis = { read: await apiOf(0), cached: await apiOf(Number.POSITIVE_INFINITY) };
  try {
    const tag = randomUUID().slice(0, 8);
    const chats: { sender: User; token: string; group: string }[] = [];
    for (let i = 0; i < conversations; i++) {
      const [a, b] = await Promise.all(
        ['a', 'b'].map((side) =>
          apis.read.messaging.createUser({
            handle: `bh_${tag}_${side}${i}`,
            displayName: `Block Http ${side}${i}`,
          }),
        ),
      );
      if (!a || !b) throw new Error('no users');
      const sent = await apis.read.messaging.sendMessage({
        sender: a,
        to: { handle: b.handle },
        message: TEXT_99,
      });
      chats.push({ sender: a, token: await issuer.issue(a), group: sent.message.messageGroupUuid });
    }
    let next = 0;
    const send = (base: string) => {
      const chat = chats[next++ % chats.length] as (typeof chats)[number];
      return fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${chat.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          message_group_uuid: chat.group,
          message: TEXT_99,
          client_message_id: randomUUID(),
        }),
      }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 201 && response.status !== 200)
          throw new Error(`a benchmark send answered ${response.status}`);
      });
    };
    // Steady state on both: tokens, profiles and participants cached; on one, the checks too.
    for (const api of Object.values(apis))
      for (let i = 0; i < chats.length * 2; i++) await send(api.base);
    return await alternateSlices(slices, sendsPerSlice, {
      read: () => send(apis.read.base),
      cached: () => send(apis.cached.base),
    });
  } finally {
    await Promise.all(Object.values(apis).map((api) => api.app.close()));
  }
};
