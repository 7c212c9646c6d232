import { ConnectionRegistry } from '../../../src/realtime/connection-registry.js';
import type { TestTable } from '../../support/test-table.js';
import { newUser } from '../../support/test-table.js';

/** The connection of Bob's that the Management API stand-in answers 410 (gone). */
export const GONE_CONNECTION = 'bob-gone=';

/**
 * Alice (one connection) and Bob (two, one of them gone) on `t`, and Alice's first message to
 * Bob: what a stream batch's push goes to. Connection ids carry characters a URL must encode.
 */
export const pushScene = async (t: TestTable) => {
  const messaging = t.messaging();
  const [alice, bob] = [await newUser(messaging, 'alice'), await newUser(messaging, 'bob')];
  const registry = new ConnectionRegistry(t.table);
  await registry.register(alice.uuid, 'alice+1');
  await registry.register(bob.uuid, 'bob/1');
  await registry.register(bob.uuid, GONE_CONNECTION);
  const { message } = await messaging.sendMessage({
    sender: alice,
    to: { handle: bob.handle },
    message: 'Hi Bob',
  });
  return { messaging, registry, alice, bob, message };
};
