import type { ItemType } from '../messaging/items.js';
import { type ItemKey, pairKey, parseMessageSortKey } from '../messaging/keys.js';
import type { Violation } from './violations.js';

export interface InvariantReport {
  items: number;
  users: number;
  conversations: number;
  messages: number;
  groupRows: number;
  violations: Violation[];
}

interface GroupRow {
  key: ItemKey;
  owner: string;
  preview: unknown;
  counterpart: unknown;
}

/** What the checker keeps of one conversation: its messages fold into their newest and senders. */
interface GroupState {
  conversation?: { key: ItemKey; participants: string[] };
  newest?: { key: ItemKey; text: unknown };
  messages: number;
  senders: Map<string, { count: number; key: ItemKey }>;
  rows: GroupRow[];
}

const KNOWN_TYPES = new Set<string>([
  'user',
  'handle',
  'pair',
  'conversation',
  'message',
  'message_group',
  'client_message',
  'connection',
] satisfies ItemType[]);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const keyOf = (item: Record<string, unknown>): ItemKey => ({
  pk: text(item.pk),
  sk: text(item.sk),
});
const afterPrefix = (pk: string, prefix: string): string =>
  pk.startsWith(prefix) ? pk.slice(prefix.length) : '';

/**
 * The state the design promises, checked over every item of a table (DESIGN.md's invariants;
 * docs/data-model.md section 5): one group row per participant, at the newest message, with its
 * text and the other participant; messages only from participants, under well-formed keys; one
 * conversation per pair; handles and users that name each other.
 *
 * Items are fed in any order, page by page, so a whole table can be checked in one Scan: a
 * conversation's messages fold into their newest and their senders, so memory grows with
 * users and conversations, not with messages.
 */
export class InvariantChecker {
  #items = 0;
  readonly #groups = new Map<string, GroupState>();
  readonly #users = new Map<string, { key: ItemKey; handle: unknown }>();
  readonly #handles = new Map<string, { key: ItemKey; userUuid: unknown }>();
  readonly #pairs = new Map<string, { key: ItemKey; groupUuid: unknown }>();
  readonly #early: Violation[] = [];

  add(item: Record<string, unknown>): void {
    this.#items++;
    const key = keyOf(item);
    switch (item.item_type) {
      case 'user':
        this.#users.set(text(item.user_uuid), { key, handle: item.handle });
        return;
      case 'handle':
        this.#handles.set(text(item.handle), { key, userUuid: item.user_uuid });
        return;
      case 'pair':
        this.#pairs.set(key.pk, { key, groupUuid: item.group_uuid });
        return;
      case 'conversation': {
        const participants = Array.isArray(item.participant_uuids)
          ? item.participant_uuids.map(text)
          : [];
        this.#group(text(item.group_uuid)).conversation = { key, participants };
        return;
      }
      case 'message':
        this.#addMessage(item, key);
        return;
      case 'message_group':
        this.#group(text(item.message_group_uuid)).rows.push({
          key,
          owner: afterPrefix(key.pk, 'GRP#'),
          preview: item.message,
          counterpart: item.user_uuid,
        });
        return;
      case 'client_message':
        // A claim without its message was never acknowledged (a send stopped after the
        // claim, and its retry would finish it): nothing to check.
        return;
      case 'connection':
        // Forgotten connections (a `$disconnect` that never came) are removed by TTL alone.
        if (typeof item.expires_at !== 'number')
          this.#early.push({
            kind: 'connection_without_ttl',
            keys: [key],
            expected: 'expires_at, epoch seconds',
            found: JSON.stringify(item.expires_at ?? null),
          });
        return;
      default:
        this.#early.push({
          kind: 'unknown_item',
          keys: [key],
          expected: `item_type one of ${[...KNOWN_TYPES].join(', ')}`,
          found: JSON.stringify(item.item_type ?? null),
        });
    }
  }

  addAll(items: Iterable<Record<string, unknown>>): this {
    for (const item of items) this.add(item);
    return this;
  }

  report(): InvariantReport {
    const violations = [...this.#early];
    const conversationsByPair = new Map<string, ItemKey[]>();
    let conversations = 0;
    let messages = 0;
    let groupRows = 0;
    for (const [groupUuid, group] of this.#groups) {
      messages += group.messages;
      groupRows += group.rows.length;
      if (!group.conversation) {
        violations.push(...orphans(groupUuid, group));
        continue;
      }
      conversations++;
      violations.push(...this.#checkConversation(groupUuid, group, group.conversation));
      const [a = '', b = ''] = group.conversation.participants;
      const pair = pairKey(a, b).pk;
      conversationsByPair.set(pair, [
        ...(conversationsByPair.get(pair) ?? []),
        group.conversation.key,
      ]);
    }
    for (const [pair, keys] of conversationsByPair) {
      if (keys.length > 1)
        violations.push({
          kind: 'duplicate_conversation',
          keys,
          expected: `one conversation for ${pair}`,
          found: `${keys.length}`,
        });
    }
    violations.push(...this.#checkPairs(), ...this.#checkHandles());
    return {
      items: this.#items,
      users: this.#users.size,
      conversations,
      messages,
      groupRows,
      violations,
    };
  }

  #group(groupUuid: string): GroupState {
    let group = this.#groups.get(groupUuid);
    if (!group) {
      group = { messages: 0, senders: new Map(), rows: [] };
      this.#groups.set(groupUuid, group);
    }
    return group;
  }

  #addMessage(item: Record<string, unknown>, key: ItemKey): void {
    const group = this.#group(afterPrefix(key.pk, 'MSG#'));
    group.messages++;
    if (!group.newest || key.sk > group.newest.key.sk) group.newest = { key, text: item.message };
    const sender = text(item.user_uuid);
    const seen = group.senders.get(sender);
    if (seen) seen.count++;
    else group.senders.set(sender, { count: 1, key });
    const parsed = parseMessageSortKey(key.sk);
    if (parsed?.createdAt !== item.created_at || parsed?.messageUuid !== item.message_uuid)
      this.#early.push({
        kind: 'invalid_message_key',
        keys: [key],
        expected: `sk ${text(item.created_at)}#${text(item.message_uuid)}`,
        found: `sk ${key.sk}`,
      });
  }

  #checkConversation(
    groupUuid: string,
    group: GroupState,
    conversation: { key: ItemKey; participants: string[] },
  ): Violation[] {
    const violations: Violation[] = [];
    const { participants } = conversation;
    const newest = group.newest;
    if (!newest)
      violations.push({
        kind: 'conversation_without_messages',
        keys: [conversation.key],
        expected: `messages under MSG#${groupUuid}`,
        found: 'none',
      });
    for (const owner of participants) {
      if (!this.#users.has(owner))
        violations.push({
          kind: 'unknown_participant',
          keys: [conversation.key],
          expected: `a user item USER#${owner}`,
          found: 'none',
        });
      const own = group.rows.filter((row) => row.owner === owner);
      const other = participants.find((p) => p !== owner) ?? owner;
      const [row] = own;
      if (!row) {
        violations.push({
          kind: 'missing_group_row',
          keys: [{ pk: `GRP#${owner}`, sk: newest?.key.sk ?? '' }],
          expected: `a row of conversation ${groupUuid}`,
          found: 'none',
        });
      } else if (own.length > 1) {
        violations.push({
          kind: 'duplicate_group_row',
          keys: own.map((r) => r.key),
          expected: `one row of conversation ${groupUuid}`,
          found: `${own.length} rows`,
        });
      } else {
        violations.push(...checkRow(row, newest, other));
      }
    }
    for (const row of group.rows.filter((r) => !participants.includes(r.owner)))
      violations.push({
        kind: 'non_participant_row',
        keys: [row.key],
        expected: `rows only in GRP#${participants.join(' and GRP#')}`,
        found: `a row in GRP#${row.owner}`,
      });
    for (const [sender, { count, key }] of group.senders) {
      if (!participants.includes(sender))
        violations.push({
          kind: 'message_from_non_participant',
          keys: [key],
          expected: `senders ${participants.join(', ')}`,
          found: `${count} message(s) from ${sender}`,
        });
    }
    return violations;
  }

  #checkPairs(): Violation[] {
    const violations: Violation[] = [];
    const pointedAt = new Set<string>();
    for (const pair of this.#pairs.values()) {
      const groupUuid = text(pair.groupUuid);
      const participants = this.#groups.get(groupUuid)?.conversation?.participants;
      const [a = '', b = ''] = participants ?? [];
      if (participants && pairKey(a, b).pk === pair.key.pk) pointedAt.add(groupUuid);
      else
        violations.push({
          kind: 'orphan_pair',
          keys: [pair.key],
          expected: `conversation ${groupUuid} of the pair's two users`,
          found: participants ? `participants ${participants.join(', ')}` : 'no conversation',
        });
    }
    for (const [groupUuid, group] of this.#groups) {
      if (!group.conversation || pointedAt.has(groupUuid)) continue;
      const [a = '', b = ''] = group.conversation.participants;
      const key = pairKey(a, b);
      const pair = this.#pairs.get(key.pk);
      violations.push({
        kind: 'missing_pair',
        keys: [key],
        expected: `a pair item pointing at ${groupUuid}`,
        found: pair ? `one pointing at ${text(pair.groupUuid)}` : 'none',
      });
    }
    return violations;
  }

  #checkHandles(): Violation[] {
    const violations: Violation[] = [];
    for (const [userUuid, user] of this.#users) {
      const handle = this.#handles.get(text(user.handle));
      if (handle?.userUuid !== userUuid)
        violations.push({
          kind: 'missing_handle',
          keys: [user.key],
          expected: `HANDLE#${text(user.handle)} naming ${userUuid}`,
          found: handle ? `it names ${text(handle.userUuid)}` : 'none',
        });
    }
    for (const [handle, item] of this.#handles) {
      const user = this.#users.get(text(item.userUuid));
      if (user?.handle !== handle)
        violations.push({
          kind: 'orphan_handle',
          keys: [item.key],
          expected: `user ${text(item.userUuid)} with handle ${handle}`,
          found: user ? `handle ${text(user.handle)}` : 'no such user',
        });
    }
    return violations;
  }
}

const checkRow = (
  row: GroupRow,
  newest: GroupState['newest'],
  otherParticipant: string,
): Violation[] => {
  const violations: Violation[] = [];
  if (newest && row.key.sk !== newest.key.sk)
    violations.push({
      kind: row.key.sk < newest.key.sk ? 'row_behind' : 'row_ahead',
      keys: [row.key],
      expected: `sk ${newest.key.sk} (the newest message)`,
      found: `sk ${row.key.sk}`,
    });
  else if (newest && row.preview !== newest.text)
    violations.push({
      kind: 'wrong_preview',
      keys: [row.key],
      expected: JSON.stringify(newest.text),
      found: JSON.stringify(row.preview),
    });
  if (row.counterpart !== otherParticipant)
    violations.push({
      kind: 'wrong_counterpart',
      keys: [row.key],
      expected: `user_uuid ${otherParticipant}`,
      found: `user_uuid ${text(row.counterpart)}`,
    });
  return violations;
};

const orphans = (groupUuid: string, group: GroupState): Violation[] => {
  const violations: Violation[] = group.rows.map((row) => ({
    kind: 'orphan_group_row',
    keys: [row.key],
    expected: `conversation CONV#${groupUuid}`,
    found: 'none',
  }));
  const first = [...group.senders.values()][0];
  if (first)
    violations.push({
      kind: 'orphan_message',
      keys: [first.key],
      expected: `conversation CONV#${groupUuid}`,
      found: `none, and ${group.messages} message(s) under MSG#${groupUuid}`,
    });
  return violations;
};
