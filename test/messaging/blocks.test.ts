import pMap from 'p-map';
import { describe, expect, it } from 'vitest';
import { Blocks } from '../../src/messaging/blocks.js';
import { BlockedError } from '../../src/messaging/errors.js';
import { pairKey } from '../../src/messaging/keys.js';
import { Messaging } from '../../src/messaging/messaging.js';
import { interposedTable } from '../support/interposed-table.js';
import { newUser, withTestTable } from '../support/test-table.js';

const t = withTestTable();

describe('Blocks across processes (each Messaging is one process)', () => {
  it('applies a block made elsewhere to sends by conversation within the cache time, and to sends by handle at once', async () => {
    const here = t.messaging({ blockCacheMs: 300 });
    const elsewhere = t.messaging();
    const [ann, bob] = [await newUser(here, 'ann'), await newUser(here, 'bob')];
    const { message } = await here.sendMessage({
      sender: bob,
      to: { handle: ann.handle },
      message: 'hi',
    });
    const group = message.messageGroupUuid;
    expect(await here.blocked(bob.uuid, group)).toBe(false); // read, and trusted for 300 ms

    await elsewhere.block(ann, bob.handle);
    // By handle, the send reads the pair item strongly consistent: refused at once.
    await expect(
      here.sendMessage({ sender: bob, to: { handle: ann.handle }, message: 'by handle' }),
    ).rejects.toBeInstanceOf(BlockedError);
    // By conversation, within the cache time at most.
    await expect.poll(() => here.blocked(bob.uuid, group), { timeout: 5_000 }).toBe(true);
    await expect(
      here.sendMessage({ sender: bob, to: { messageGroupUuid: group }, message: 'by group' }),
    ).rejects.toBeInstanceOf(BlockedError);

    await elsewhere.unblock(ann, bob.handle);
    await expect.poll(() => here.blocked(bob.uuid, group), { timeout: 5_000 }).toBe(false);
  });

  it("keeps its own block: a send's read begun before it does not overwrite the cache after it", async () => {
    let held = false;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A send's eventually consistent read of the pair, answered before the block and held
    // until after it (a slow response).
    const table = interposedTable(t.table, {
      get: async (input) => {
        const answer = await t.table.get(input);
        if (!held && input.ProjectionExpression === 'blocked_by' && !input.ConsistentRead) {
          held = true;
          await gate;
        }
        return answer as never;
      },
    });
    const messaging = new Messaging({ table, blockCacheMs: 60_000 });
    const [ann, bob] = [await newUser(messaging, 'ann'), await newUser(messaging, 'bob')];
    const { message } = await messaging.sendMessage({
      sender: bob,
      to: { handle: ann.handle },
      message: 'hi',
    });
    const group = message.messageGroupUuid;
    const before = messaging.blocked(bob.uuid, group);
    await expect.poll(() => held).toBe(true);
    await messaging.block(ann, bob.handle);
    release();
    expect(await before).toBe(false); // begun before the block: its own answer
    expect(await messaging.blocked(bob.uuid, group)).toBe(true);
  });

  it("holds a pair for its staleness guard only while reading it: many pairs blocked and unblocked leave nothing held, and a read held across them still yields to its own pair's block", async () => {
    const messaging = t.messaging();
    const [ann, bob] = [await newUser(messaging, 'ann'), await newUser(messaging, 'bob')];
    const people = [
      ann,
      bob,
      ...(await Promise.all(Array.from({ length: 10 }, () => newUser(messaging, 'other')))),
    ];
    let held = false;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Ann and Bob's eventually consistent read, answered before her block and held until after.
    const table = interposedTable(t.table, {
      get: async (input) => {
        const answer = await t.table.get(input);
        if (!held && !input.ConsistentRead && input.Key?.pk === pairKey(ann.uuid, bob.uuid).pk) {
          held = true;
          await gate;
        }
        return answer as never;
      },
    });
    const blocks = new Blocks({ table, clock: () => new Date(), cacheMs: 60_000 });
    expect(blocks.pairsBeingRead).toBe(0);

    const before = blocks.isBlocked(bob.uuid, ann.uuid);
    await expect.poll(() => held).toBe(true);
    expect(blocks.pairsBeingRead).toBe(1);
    await blocks.block(ann, bob);

    // Meanwhile every other pair of the twelve is blocked and unblocked (65 pairs, 4 at a time).
    const others = people
      .flatMap((a, i) => people.slice(i + 1).map((b) => [a, b] as const))
      .filter(([a, b]) => !(a === ann && b === bob));
    expect(others).toHaveLength(65);
    await pMap(
      others,
      async ([a, b]) => {
        await blocks.block(a, b);
        expect(await blocks.isBlocked(b.uuid, a.uuid)).toBe(true);
        await blocks.unblock(a, b);
        expect(await blocks.isBlocked(a.uuid, b.uuid)).toBe(false);
      },
      { concurrency: 4 },
    );
    expect(blocks.pairsBeingRead).toBe(1); // only Ann and Bob's held read

    release();
    expect(await before).toBe(false); // begun before the block: its own answer
    expect(await blocks.isBlocked(ann.uuid, bob.uuid)).toBe(true); // not overwritten by it
    expect(blocks.pairsBeingRead).toBe(0);
  });

  it('never lets a conversation start across a block: pattern C racing a block between strangers', async () => {
    const messaging = t.messaging();
    for (let round = 0; round < 10; round++) {
      const [ann, bob] = [await newUser(messaging, 'ann'), await newUser(messaging, 'bob')];
      const [sent, blocked] = await Promise.allSettled([
        messaging.sendMessage({ sender: bob, to: { handle: ann.handle }, message: 'hi' }),
        messaging.block(ann, bob.handle),
      ]);
      expect(blocked.status).toBe('fulfilled');
      const items = await t.scanAll();
      const conversations = items.filter(
        (item) =>
          item.item_type === 'conversation' &&
          (item.participant_uuids as string[]).includes(ann.uuid),
      );
      if (sent.status === 'fulfilled') {
        // The send came first: its conversation exists, and the block stands after it.
        expect(conversations).toHaveLength(1);
      } else {
        expect(sent.reason).toBeInstanceOf(BlockedError);
        expect(conversations).toEqual([]);
      }
      await expect(
        messaging.sendMessage({ sender: bob, to: { handle: ann.handle }, message: 'again' }),
      ).rejects.toBeInstanceOf(BlockedError);
    }
  });
});
