import type { MessageGroupItem, MessageItem, UserItem } from '../../src/messaging/items.js';
import { messagePartition } from '../../src/messaging/keys.js';
import { readPositionOf } from '../../src/messaging/read-state.js';

/**
 * Read state checked from first principles over a whole table (a consistent Scan): each
 * group row's `unread_count` equals the other participant's messages after its read position
 * (`last_read` or `last_read_sk`, or its own sk when it stores none) up to its sk, and each
 * profile's `unread_conversations` equals its rows with something unread. The benchmark runs
 * it after pattern E's load phases, concurrent read marks included.
 */
export const readStateViolations = (items: Record<string, unknown>[]): string[] => {
  const messages = new Map<string, Pick<MessageItem, 'sk' | 'user_uuid'>[]>();
  const rows: MessageGroupItem[] = [];
  const profiles: UserItem[] = [];
  for (const item of items) {
    if (item.item_type === 'message') {
      const m = item as unknown as MessageItem;
      const list = messages.get(m.pk) ?? [];
      list.push(m);
      messages.set(m.pk, list);
    } else if (item.item_type === 'message_group') rows.push(item as unknown as MessageGroupItem);
    else if (item.item_type === 'user') profiles.push(item as unknown as UserItem);
  }
  const violations: string[] = [];
  const withUnread = new Map<string, number>();
  for (const row of rows) {
    const from = readPositionOf(row);
    const expected = (messages.get(messagePartition(row.message_group_uuid)) ?? []).filter(
      (m) => m.user_uuid === row.user_uuid && m.sk > from && m.sk <= row.sk,
    ).length;
    const stored = row.unread_count ?? 0;
    if (stored !== expected)
      violations.push(`unread_count: ${row.pk} / ${row.sk}: expected ${expected}, found ${stored}`);
    if (stored > 0) withUnread.set(row.pk.slice(4), (withUnread.get(row.pk.slice(4)) ?? 0) + 1);
  }
  for (const profile of profiles) {
    const expected = withUnread.get(profile.user_uuid) ?? 0;
    const stored = profile.unread_conversations ?? 0;
    if (stored !== expected)
      violations.push(`unread_conversations: ${profile.pk}: expected ${expected}, found ${stored}`);
  }
  return violations;
};
