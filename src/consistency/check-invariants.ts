import type { ConversationItem, MessageGroupItem, MessageItem } from '../messaging/items.js';
import { partitionId } from '../messaging/keys.js';

export interface InvariantReport {
  conversations: number;
  messages: number;
  groupRows: number;
  violations: string[];
}

/**
 * The state pattern E must converge to, checked over a whole table's items: each conversation
 * has exactly one group row per participant; each row sits at the newest message's sort key
 * with that message's text as preview; no other group rows exist.
 */
export const checkInvariants = (items: Record<string, unknown>[]): InvariantReport => {
  const conversations = items.filter(
    (i) => i.item_type === 'conversation',
  ) as unknown as ConversationItem[];
  const messages = items.filter((i) => i.item_type === 'message') as unknown as MessageItem[];
  const rows = items.filter(
    (i) => i.item_type === 'message_group',
  ) as unknown as MessageGroupItem[];
  const violations: string[] = [];

  const newest = new Map<string, MessageItem>();
  for (const message of messages) {
    const group = partitionId(message.pk, 'MSG#');
    const current = newest.get(group);
    if (!current || message.sk > current.sk) newest.set(group, message);
  }

  const known = new Set(conversations.map((c) => c.group_uuid));
  for (const row of rows) {
    if (!known.has(row.message_group_uuid))
      violations.push(`${row.pk}/${row.sk}: row of no conversation`);
  }
  for (const conversation of conversations) {
    const group = conversation.group_uuid;
    const last = newest.get(group);
    for (const owner of conversation.participant_uuids) {
      const own = rows.filter((r) => r.message_group_uuid === group && r.pk === `GRP#${owner}`);
      if (own.length !== 1) {
        violations.push(`${group}: ${own.length} rows for participant ${owner}`);
        continue;
      }
      const [row] = own as [MessageGroupItem];
      if (!last) violations.push(`${group}: conversation without messages`);
      else if (row.sk !== last.sk)
        violations.push(`${group}: row of ${owner} at ${row.sk}, newest message ${last.sk}`);
      else if (row.message !== last.message)
        violations.push(`${group}: preview of ${owner} is not the newest message`);
    }
    const strangers = rows.filter(
      (r) =>
        r.message_group_uuid === group &&
        !conversation.participant_uuids.includes(partitionId(r.pk, 'GRP#')),
    );
    for (const row of strangers) violations.push(`${group}: row of non-participant ${row.pk}`);
  }
  return {
    conversations: conversations.length,
    messages: messages.length,
    groupRows: rows.length,
    violations,
  };
};
