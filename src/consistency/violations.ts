import {
  blockPartition,
  type ItemKey,
  peoplePartitionShape,
  peopleSortKeyPrefix,
  peopleTokenKey,
} from '../messaging/keys.js';

/**
 * Every way a table can break the design's invariants, as `ddb check` reports them. The
 * codes are stable (scripts match on them); the descriptions say what should be there.
 */
export const VIOLATION_KINDS = {
  missing_group_row: 'a participant has no group row for a conversation',
  duplicate_group_row: 'a participant has more than one group row for a conversation',
  non_participant_row: 'a group row in the list of someone who is not a participant',
  row_behind: "a group row's sort key is older than its conversation's newest message",
  row_ahead: "a group row's sort key is newer than every message of its conversation",
  wrong_preview: "a group row's preview is not the text of the newest message",
  stale_preview_revision:
    "a group row previews its newest message at an older revision (preview_revision) than the message's",
  preview_revision_ahead:
    "a group row's preview_revision is newer than its newest message's revision: later edits would never reach it",
  wrong_counterpart: 'a group row does not name the other participant',
  wrong_last_message_user:
    "a group row's last_mine (last_message_user_uuid on rows of round 2) does not name the newest message's sender",
  wrong_unread_count:
    "a group row's unread_count is not the number of the other participant's messages after its read position",
  invalid_read_position:
    "a group row's read position (last_read, or last_read_sk) is neither '' nor a message of its conversation",
  wrong_unread_conversations:
    "a user's unread_conversations is not the number of their group rows with unread messages",
  orphan_group_row: 'a group row of a conversation that does not exist',
  orphan_message: 'messages in a conversation that does not exist',
  message_from_non_participant: 'a message sent by someone who is not a participant',
  invalid_message_key: "a message's sort key is not <created_at>#<message_uuid>",
  unsent_with_text: 'an unsent message (deleted) that still holds text or edited_at',
  claim_text_differs:
    "a client_message_id claim whose copy of the text is not its message's (both there)",
  conversation_without_messages: 'a conversation that holds no message',
  unknown_participant: 'a conversation names a user who does not exist',
  duplicate_conversation: 'two conversations between the same two users',
  missing_pair: 'a conversation that its pair item does not point at',
  orphan_pair: 'a pair item that points at no conversation of its two users',
  block_without_mark: "a block item whose pair item's blocked_by does not hold the blocker",
  mark_without_block:
    "a uuid in a pair item's blocked_by without its block item, or not one of the pair's two users",
  invalid_block_key: `a block item whose blocker_uuid or blocked_uuid is not its key's (${blockPartition('<blocker>')} / <blocked>), or a block of oneself`,
  block_of_unknown_user: 'a block item whose blocker or blocked user does not exist',
  missing_handle: 'a user whose handle item is missing or names someone else',
  orphan_handle: 'a handle item of no user, or of a user with another handle',
  missing_people_item:
    'a user without a people-search item it should have (its handle, or a word of its display name); users created before people search have none until backfilled',
  orphan_people_item:
    "a people-search item of no user, or filed under a handle (in its key) that is not its user's",
  stale_people_item:
    'a people-search item of a user under a word that is not one of theirs (a word their display name does not have, folded)',
  people_copy_differs:
    "a people-search item whose copy of the profile (handle, display_name) is not the profile's",
  invalid_people_key: `a people-search item whose key is not ${peoplePartitionShape("the word's first character")} / ${peopleSortKeyPrefix('H', '<handle>')} or ${peopleTokenKey('N', '<word>', '<handle>').sk}`,
  connection_without_ttl: 'a connection item without a numeric expires_at: it would never expire',
  unknown_item: 'an item of no known item_type',
} as const;

export type ViolationKind = keyof typeof VIOLATION_KINDS;

export interface Violation {
  kind: ViolationKind;
  /** The items at fault; for a missing item, the key it should have. */
  keys: ItemKey[];
  expected: string;
  found: string;
}

export const formatViolation = (v: Violation): string =>
  `${v.kind}: ${v.keys.map((k) => `${k.pk} / ${k.sk}`).join(', ')}: expected ${v.expected}; found ${v.found}`;
