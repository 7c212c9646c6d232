import { awsWriteUnits, itemSize, type TouchedSizes } from '../costs/cost-model.js';
import type { MessageGroupItem, MessageItem } from '../messaging/items.js';
import { clientMessageKey } from '../messaging/keys.js';
import { conversationItem, messageGroupItem, messageItem } from '../messaging/message-items.js';
import type { User } from '../messaging/model.js';
import { withReadState } from '../messaging/read-state.js';
import { advanceGroupRowsRequest } from '../messaging/requests/message-groups.js';
import { appendMessageRequest, claimClientMessageRequest } from '../messaging/requests/messages.js';
import { unreadConversationsItems, updateReadStateItem } from '../messaging/requests/read-state.js';
import type { TransactItem } from '../messaging/table-port.js';
import {
  connectionItem,
  deleteConnectionRequest,
  putConnectionRequest,
} from '../realtime/connection-requests.js';
import { writeUnitsByPartition } from './partition-units.js';
import { readUnits } from './read-units.js';

/** Read and write units of one occurrence of an access pattern. */
export interface PatternUnits {
  read: number;
  write: number;
}

export interface UnitCosts {
  /** Pattern D with a client_message_id (the web app's send): claim, message; participants read. */
  send: PatternUnits;
  /** Pattern E for a message alone in its batch, the recipient having unread messages already. */
  advance: PatternUnits;
  /** What pattern E adds when the recipient's row crosses from none unread to some. */
  advanceCrossing: PatternUnits;
  /** Mark read of the newest message (unread → 0): the row and the profile's count. */
  markRead: PatternUnits;
  /** Pattern A, a page of 20 messages, with the GSI Query for "Seen". */
  listMessages: PatternUnits;
  /** Pattern B, a page of 20 conversations. */
  listGroups: PatternUnits;
  /** The push's connection Query of one participant. */
  listConnections: PatternUnits;
  /** `$connect` and `$disconnect` together. */
  connection: PatternUnits;
  /** Write units pattern E's moves take from the recipient's `GRP#` partition, per message. */
  advanceOnOwnerPartition: number;
  /** Write units a read mark takes from the reader's `GRP#` partition. */
  markOnOwnerPartition: number;
  /** Bytes stored per message: the message item, both group rows moved (no growth), the claim. */
  messageBytes: number;
}

/** Representative data: the sizes docs/data-model.md measured (99-character texts). */
const TEXT = 'x'.repeat(99);
const user = (n: number): User => ({
  uuid: `3f6c2a1e-8b4d-4c7a-9e21-5d0b7f3a9c1${n}`,
  handle: `user_handle_${n}`,
  displayName: `Display Name ${n}`,
});
const GROUP = 'c4a8e6f2-5b1d-4f9a-8c3e-2d7b6a1f0e94';
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 2, 9, 0, seconds));
const message = (sender: User, seconds: number): MessageItem =>
  messageItem({
    messageGroupUuid: GROUP,
    messageUuid: `01a21723-0b4b-7c1d-a5f3-1c0e8d2b6a${String(seconds).padStart(2, '0')}`,
    sender,
    text: TEXT,
    createdAt: at(seconds),
  });

const size = (item: object): number => itemSize(item as Record<string, unknown>);

/** What the cost model needs to know of items a write updates or deletes: their real sizes. */
const sizesOf = (items: readonly MessageGroupItem[]): TouchedSizes => {
  const find = (key: Record<string, unknown>) =>
    size(items.find((i) => i.pk === key.pk && i.sk === key.sk) ?? {});
  return { before: find, after: find };
};

const units = (items: TransactItem[], sizes?: TouchedSizes): number => awsWriteUnits(items, sizes);

/**
 * Unit costs of each pattern, by the cost model applied to the requests the core builds for
 * representative items: a change of a request builder or of an item changes the model.
 */
export const unitCosts = (): UnitCosts => {
  const table = 'scale-model';
  const [alice, bob] = [user(1), user(2)];
  const earlier = message(alice, 1);
  const latest = message(alice, 2);
  const withId = { ...latest, client_message_id: 'web-5f1c2e' };

  // Bob's row has one unread of Alice's already; Alice's row shows her own message.
  const bobRow: MessageGroupItem = withReadState(messageGroupItem(bob, alice, earlier), '', 1);
  const aliceRow: MessageGroupItem = messageGroupItem(alice, bob, earlier);
  const bobAt = (readTo: string, unread: number) =>
    withReadState(messageGroupItem(bob, alice, latest), readTo, unread);
  const aliceAt = withReadState(messageGroupItem(alice, bob, latest), latest.sk, 0);
  const steady = advanceGroupRowsRequest(table, [
    { before: bobRow, after: bobAt('', 2) },
    { before: aliceRow, after: aliceAt },
  ]);
  const readBobRow = withReadState(bobRow, earlier.sk, 0);
  const crossing = advanceGroupRowsRequest(table, [
    { before: readBobRow, after: bobAt(earlier.sk, 1) },
    { before: aliceRow, after: aliceAt },
  ]);
  if (!steady || !crossing) throw new Error('pattern E wrote nothing for a new message');
  const rows = [bobRow, aliceRow, readBobRow];
  const steadyUnits = units(steady.items, sizesOf(rows));

  const unreadRow = bobAt(earlier.sk, 1);
  const mark = [
    updateReadStateItem(table, unreadRow, withReadState(unreadRow, unreadRow.sk, 0)),
    ...unreadConversationsItems(table, unreadRow, withReadState(unreadRow, unreadRow.sk, 0)),
  ];
  const markSizes = sizesOf([unreadRow]);

  const connection = connectionItem(bob.uuid, 'L0SM9cOFvHcCIhw=', at(0));
  const conversation = conversationItem(alice, bob, GROUP, earlier.created_at);
  const ownerShare = (items: TransactItem[], sizes: TouchedSizes) =>
    writeUnitsByPartition(items, sizes).get(bobRow.pk) ?? 0;

  return {
    send: {
      read: readUnits(size(conversation), true),
      write:
        units(claimClientMessageRequest(table, withId, 'web-5f1c2e').items) +
        units(appendMessageRequest(table, withId).items),
    },
    advance: { read: readUnits(size(latest), true), write: steadyUnits },
    advanceCrossing: {
      // After a read mark the remembered row is stale: a GSI Query of the two rows first.
      read: readUnits(size(bobRow) + size(aliceRow), false),
      write: units(crossing.items, sizesOf(rows)) - steadyUnits,
    },
    markRead: {
      read: readUnits(size(bobRow) + size(aliceRow), false) + readUnits(size(latest), true),
      write: units(mark, markSizes),
    },
    listMessages: {
      read: readUnits(21 * size(latest), false) + readUnits(2 * size(bobRow), false),
      write: 0,
    },
    listGroups: { read: readUnits(21 * size(bobRow), false), write: 0 },
    // The Query projects connection_id only, but is charged on the items it reads.
    listConnections: { read: readUnits(2 * size(connection), false), write: 0 },
    connection: {
      read: 0,
      write:
        units(putConnectionRequest(table, connection).items) +
        units(deleteConnectionRequest(table, bob.uuid, connection.connection_id).items),
    },
    advanceOnOwnerPartition: ownerShare(steady.items, sizesOf(rows)),
    markOnOwnerPartition: ownerShare(mark, markSizes),
    // The claim, sized as a copy of the message under a claim key with an empty sender and
    // id: the 11-byte pk this estimate has always used (a real one adds about 45 bytes).
    messageBytes: size(withId) + size({ ...withId, ...clientMessageKey('', '') }),
  };
};
