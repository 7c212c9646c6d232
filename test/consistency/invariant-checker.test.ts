import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { auditTable } from '../../src/consistency/audit-table.js';
import {
  VIOLATION_KINDS,
  type Violation,
  type ViolationKind,
} from '../../src/consistency/violations.js';
import {
  conversationKey,
  handleKey,
  type ItemKey,
  messagePartition,
  messageSortKey,
  pairKey,
  userKey,
} from '../../src/messaging/keys.js';
import type { Message, User } from '../../src/messaging/model.js';
import { ConnectionRegistry } from '../../src/realtime/connection-registry.js';
import { connectionItem } from '../../src/realtime/connection-requests.js';
import { createTestTable, type TestTable, uniqueHandle } from '../support/test-table.js';

/**
 * A consistent table, made by the product itself: three users and two conversations, each
 * started by pattern C (which writes both group rows at its first message).
 */
const consistentTable = async () => {
  const t = await createTestTable();
  const messaging = t.messaging();
  const user = (name: string) =>
    messaging.createUser({ handle: uniqueHandle(name), displayName: name });
  const [ana, ben, cy] = [await user('ana'), await user('ben'), await user('cy')];
  const send = async (sender: User, to: User, text: string) =>
    (await messaging.sendMessage({ sender, to: { handle: to.handle }, message: text })).message;
  const anaBen = await send(ana, ben, 'hello Ben');
  await send(cy, ana, 'hi Ana');
  return { t, messaging, ana, ben, cy, anaBen };
};
type Scene = Awaited<ReturnType<typeof consistentTable>>;

const put = (t: TestTable, item: Record<string, unknown>) =>
  t.connection.doc.send(new PutCommand({ TableName: t.tableName, Item: item }));
const remove = (t: TestTable, key: ItemKey) =>
  t.connection.doc.send(new DeleteCommand({ TableName: t.tableName, Key: key }));
const read = async (t: TestTable, key: ItemKey): Promise<Record<string, unknown>> => {
  const { Item } = await t.connection.doc.send(
    new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }),
  );
  if (!Item) throw new Error(`no item ${key.pk} / ${key.sk}`);
  return Item;
};
const set = (t: TestTable, key: ItemKey, attribute: string, value: unknown) =>
  t.connection.doc.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key,
      UpdateExpression: 'SET #a = :v',
      ExpressionAttributeNames: { '#a': attribute },
      ExpressionAttributeValues: { ':v': value },
    }),
  );

const rowKey = (owner: User, message: Message): ItemKey => ({
  pk: `GRP#${owner.uuid}`,
  sk: message.sk,
});
const messageKey = (message: Message): ItemKey => ({
  pk: messagePartition(message.messageGroupUuid),
  sk: message.sk,
});
/** A well-formed message sort key older than anything the scene wrote. */
const olderKey = () => messageSortKey(new Date('2020-01-01T00:00:00.000Z'), randomUUID());

interface Corruption {
  kind: ViolationKind;
  /** What is done to the consistent table. */
  does: string;
  corrupt(scene: Scene): Promise<void>;
  /** Every violation the checker must then report, as kind and keys, and nothing else. */
  expected(scene: Scene): Pick<Violation, 'kind' | 'keys'>[];
}

const corruptions: Corruption[] = [
  {
    kind: 'missing_group_row',
    does: "deletes Ben's row",
    corrupt: ({ t, ben, anaBen }) => remove(t, rowKey(ben, anaBen)).then(() => undefined),
    expected: ({ ben, anaBen }) => [{ kind: 'missing_group_row', keys: [rowKey(ben, anaBen)] }],
  },
  {
    kind: 'duplicate_group_row',
    does: "copies Ana's row to another sort key",
    corrupt: async ({ t, ana, anaBen }) => {
      await put(t, { ...(await read(t, rowKey(ana, anaBen))), sk: olderKey() });
    },
    expected: ({ ana, anaBen }) => [
      {
        kind: 'duplicate_group_row',
        keys: [{ pk: `GRP#${ana.uuid}`, sk: expect.stringMatching(/^2020-/) }, rowKey(ana, anaBen)],
      },
    ],
  },
  {
    kind: 'non_participant_row',
    does: "copies Ana's row into Cy's list",
    corrupt: async ({ t, ana, cy, anaBen }) => {
      await put(t, { ...(await read(t, rowKey(ana, anaBen))), pk: `GRP#${cy.uuid}` });
    },
    expected: ({ cy, anaBen }) => [{ kind: 'non_participant_row', keys: [rowKey(cy, anaBen)] }],
  },
  {
    kind: 'row_behind',
    does: 'sends a reply that pattern E never applies',
    corrupt: async ({ messaging, ben, anaBen }) => {
      await messaging.sendMessage({
        sender: ben,
        to: { messageGroupUuid: anaBen.messageGroupUuid },
        message: 'reply',
      });
    },
    expected: ({ ana, ben, anaBen }) => [
      { kind: 'row_behind', keys: [rowKey(ana, anaBen)] },
      { kind: 'row_behind', keys: [rowKey(ben, anaBen)] },
    ],
  },
  {
    kind: 'row_ahead',
    does: "moves Ana's row past the newest message",
    corrupt: async ({ t, ana, anaBen }) => {
      const row = await read(t, rowKey(ana, anaBen));
      await remove(t, rowKey(ana, anaBen));
      await put(t, {
        ...row,
        sk: messageSortKey(new Date('2099-01-01T00:00:00.000Z'), randomUUID()),
      });
    },
    expected: ({ ana }) => [
      { kind: 'row_ahead', keys: [{ pk: `GRP#${ana.uuid}`, sk: expect.stringMatching(/^2099-/) }] },
    ],
  },
  {
    kind: 'wrong_preview',
    does: "changes the preview on Ana's row",
    corrupt: ({ t, ana, anaBen }) =>
      set(t, rowKey(ana, anaBen), 'message', 'not what was said').then(() => undefined),
    expected: ({ ana, anaBen }) => [{ kind: 'wrong_preview', keys: [rowKey(ana, anaBen)] }],
  },
  {
    kind: 'wrong_counterpart',
    does: "names Cy instead of Ben on Ana's row",
    corrupt: ({ t, ana, cy, anaBen }) =>
      set(t, rowKey(ana, anaBen), 'user_uuid', cy.uuid).then(() => undefined),
    expected: ({ ana, anaBen }) => [{ kind: 'wrong_counterpart', keys: [rowKey(ana, anaBen)] }],
  },
  {
    kind: 'orphan_group_row',
    does: "adds a row to Ana's list for a conversation that does not exist",
    corrupt: async ({ t, ana, anaBen }) => {
      const row = await read(t, rowKey(ana, anaBen));
      await put(t, { ...row, sk: olderKey(), message_group_uuid: randomUUID() });
    },
    expected: ({ ana }) => [
      { kind: 'orphan_group_row', keys: [{ pk: `GRP#${ana.uuid}`, sk: expect.any(String) }] },
    ],
  },
  {
    kind: 'orphan_message',
    does: 'adds a message to a conversation that does not exist',
    corrupt: async ({ t, anaBen }) => {
      await put(t, { ...(await read(t, messageKey(anaBen))), pk: messagePartition(randomUUID()) });
    },
    expected: ({ anaBen }) => [
      {
        kind: 'orphan_message',
        keys: [{ pk: expect.not.stringContaining(anaBen.messageGroupUuid), sk: anaBen.sk }],
      },
    ],
  },
  {
    kind: 'message_from_non_participant',
    does: "adds an older message by Cy to Ana and Ben's conversation",
    corrupt: async ({ t, cy, anaBen }) => {
      const sk = olderKey();
      const [createdAt, messageUuid] = sk.split('#');
      await put(t, {
        ...(await read(t, messageKey(anaBen))),
        sk,
        created_at: createdAt,
        message_uuid: messageUuid,
        user_uuid: cy.uuid,
      });
    },
    expected: ({ anaBen }) => [
      {
        kind: 'message_from_non_participant',
        keys: [
          { pk: messagePartition(anaBen.messageGroupUuid), sk: expect.stringMatching(/^2020-/) },
        ],
      },
    ],
  },
  {
    kind: 'invalid_message_key',
    does: 'adds an older message whose sort key is not its created_at#message_uuid',
    corrupt: async ({ t, anaBen }) => {
      await put(t, { ...(await read(t, messageKey(anaBen))), sk: olderKey() });
    },
    expected: ({ anaBen }) => [
      {
        kind: 'invalid_message_key',
        keys: [
          { pk: messagePartition(anaBen.messageGroupUuid), sk: expect.stringMatching(/^2020-/) },
        ],
      },
    ],
  },
  {
    kind: 'conversation_without_messages',
    does: "deletes the only message of Ana and Ben's conversation",
    corrupt: ({ t, anaBen }) => remove(t, messageKey(anaBen)).then(() => undefined),
    expected: ({ anaBen }) => [
      { kind: 'conversation_without_messages', keys: [conversationKey(anaBen.messageGroupUuid)] },
    ],
  },
  {
    kind: 'unknown_participant',
    does: "deletes Ben's user item (his handle item then names no user)",
    corrupt: ({ t, ben }) => remove(t, userKey(ben.uuid)).then(() => undefined),
    expected: ({ ben, anaBen }) => [
      { kind: 'unknown_participant', keys: [conversationKey(anaBen.messageGroupUuid)] },
      { kind: 'orphan_handle', keys: [handleKey(ben.handle)] },
    ],
  },
  {
    kind: 'duplicate_conversation',
    does: 'adds a second conversation between Ana and Ben',
    corrupt: async ({ t, anaBen }) => {
      const conversation = await read(t, conversationKey(anaBen.messageGroupUuid));
      const second = randomUUID();
      await put(t, { ...conversation, ...conversationKey(second), group_uuid: second });
    },
    expected: ({ ana, ben, anaBen }) => [
      {
        kind: 'duplicate_conversation',
        keys: expect.arrayContaining([conversationKey(anaBen.messageGroupUuid)]),
      },
      { kind: 'conversation_without_messages', keys: [expect.anything()] },
      { kind: 'missing_group_row', keys: [{ pk: `GRP#${ana.uuid}`, sk: '' }] },
      { kind: 'missing_group_row', keys: [{ pk: `GRP#${ben.uuid}`, sk: '' }] },
      { kind: 'missing_pair', keys: [pairKey(ana.uuid, ben.uuid)] },
    ],
  },
  {
    kind: 'missing_pair',
    does: "deletes Ana and Ben's pair item",
    corrupt: ({ t, ana, ben }) => remove(t, pairKey(ana.uuid, ben.uuid)).then(() => undefined),
    expected: ({ ana, ben }) => [{ kind: 'missing_pair', keys: [pairKey(ana.uuid, ben.uuid)] }],
  },
  {
    kind: 'orphan_pair',
    does: "adds a pair of Ben and Cy pointing at Ana and Ben's conversation",
    corrupt: async ({ t, ana, ben, cy }) => {
      await put(t, {
        ...(await read(t, pairKey(ana.uuid, ben.uuid))),
        ...pairKey(ben.uuid, cy.uuid),
      });
    },
    expected: ({ ben, cy }) => [{ kind: 'orphan_pair', keys: [pairKey(ben.uuid, cy.uuid)] }],
  },
  {
    kind: 'missing_handle',
    does: "deletes Cy's handle item",
    corrupt: ({ t, cy }) => remove(t, handleKey(cy.handle)).then(() => undefined),
    expected: ({ cy }) => [{ kind: 'missing_handle', keys: [userKey(cy.uuid)] }],
  },
  {
    kind: 'orphan_handle',
    does: 'adds a handle item for a user who does not exist',
    corrupt: async ({ t, cy }) => {
      const handle = await read(t, handleKey(cy.handle));
      await put(t, { ...handle, ...handleKey('ghost'), handle: 'ghost', user_uuid: randomUUID() });
    },
    expected: () => [{ kind: 'orphan_handle', keys: [handleKey('ghost')] }],
  },
  {
    kind: 'connection_without_ttl',
    does: 'adds a connection item whose expires_at is a string',
    corrupt: ({ t, ana }) =>
      put(t, {
        ...connectionItem(ana.uuid, 'conn-1=', new Date()),
        expires_at: 'tomorrow',
      }).then(() => undefined),
    expected: ({ ana }) => [
      { kind: 'connection_without_ttl', keys: [{ pk: `CONN#${ana.uuid}`, sk: 'conn-1=' }] },
    ],
  },
  {
    kind: 'unknown_item',
    does: 'adds an item of no known type',
    corrupt: ({ t }) =>
      put(t, { pk: 'JUNK#1', sk: 'JUNK', item_type: 'junk' }).then(() => undefined),
    expected: () => [{ kind: 'unknown_item', keys: [{ pk: 'JUNK#1', sk: 'JUNK' }] }],
  },
];

const byKindAndKey = (a: Pick<Violation, 'kind' | 'keys'>, b: Pick<Violation, 'kind' | 'keys'>) =>
  `${a.kind} ${a.keys[0]?.pk}`.localeCompare(`${b.kind} ${b.keys[0]?.pk}`);

const audit = (t: TestTable) => auditTable(t.connection.doc, { tableName: t.tableName });

describe('the invariant checker over a whole table (ddb check)', () => {
  it('finds nothing wrong in a table the product wrote', async () => {
    const { t, ana } = await consistentTable();
    await new ConnectionRegistry(t.table).register(ana.uuid, 'conn-1=');
    const report = await audit(t);
    expect(report).toEqual({
      items: 3 * 2 + 2 * (1 + 1 + 2 + 1) + 1,
      users: 3,
      conversations: 2,
      messages: 2,
      groupRows: 4,
      violations: [],
    });
  });

  it('has a corruption below for every kind of violation it claims to find', () => {
    expect(corruptions.map((c) => c.kind).sort()).toEqual(Object.keys(VIOLATION_KINDS).sort());
  });

  it.each(corruptions)('finds $kind when a test $does', async (corruption) => {
    const scene = await consistentTable();
    await corruption.corrupt(scene);
    const { violations } = await audit(scene.t);
    const found = violations
      .map(({ kind, keys }) => ({ kind, keys: [...keys].sort((a, b) => a.sk.localeCompare(b.sk)) }))
      .sort(byKindAndKey);
    expect(found).toEqual(corruption.expected(scene).sort(byKindAndKey));
    for (const violation of violations) {
      expect(violation.expected).not.toBe('');
      expect(violation.found).not.toBe('');
    }
  });

  it('reads every page of every parallel segment and reports its progress', async () => {
    const { t } = await consistentTable();
    const progress: number[] = [];
    let scans = 0;
    const report = await auditTable(t.connection.doc, {
      tableName: t.tableName,
      segments: 4,
      onProgress: (itemsRead) => progress.push(itemsRead),
      onCapacity: (record) => {
        expect(record).toMatchObject({ operation: 'Scan', writeCapacityUnits: 0 });
        scans++;
      },
    });
    expect(scans).toBe(4);
    expect(progress).toHaveLength(4);
    expect(progress.at(-1)).toBe(report.items);
    expect(report.violations).toEqual([]);
  });
});
