/**
 * What each kind of item is for, by the prefix of its partition key (src/messaging/keys.ts,
 * docs/data-model.md). The order is the order of the sections on the page: the two item
 * types of the original design first.
 */
export interface EntityInfo {
  prefix: string;
  title: string;
  purpose: string;
}

export const ENTITIES: readonly EntityInfo[] = [
  {
    prefix: 'GRP',
    title: 'Message groups',
    purpose:
      'One row per participant of each conversation, naming the OTHER participant. My list is pattern B: Query pk = GRP#<me>, newest sk first. The sk is the sort key of the last message; pattern E moves it.',
  },
  {
    prefix: 'MSG',
    title: 'Messages',
    purpose:
      'One partition per conversation. Pattern A: Query pk = MSG#<conversation>, newest first. sk = <UTC time>#<message uuid>: chronological as a string, and unique even within one millisecond.',
  },
  {
    prefix: 'USER',
    title: 'Users',
    purpose: 'The profile, by uuid: GetItem pk = USER#<uuid>, sk = PROFILE.',
  },
  {
    prefix: 'HANDLE',
    title: 'Handles',
    purpose:
      'Makes each handle unique (created with a condition) and carries a copy of the profile, so a lookup by handle is one GetItem.',
  },
  {
    prefix: 'PEOPLE',
    title: 'People search',
    purpose:
      "One item per search word of a user, folded (lower case, no accents): sk = H#<handle>, or N#<word>#<handle> for each word of the name, with a copy of the profile; pk = the word's first character. Find people: Query pk = PEOPLE#<first character typed>, begins_with(sk, 'H#<typed>' or 'N#<typed>'). Written in the user's transaction.",
  },
  {
    prefix: 'PAIR',
    title: 'Pairs',
    purpose:
      'One conversation per pair of users: both uuids in sorted order, so both sides name the same item even when they start at the same moment. blocked_by (a string set) holds whoever of the two blocks the other: every send by handle reads it. A pair without group_uuid was made by a block before the two ever talked.',
  },
  {
    prefix: 'CONV',
    title: 'Conversations',
    purpose:
      'Who may read and post: participant_uuids, checked with a strongly consistent read or a condition.',
  },
  {
    prefix: 'CLIENTMSG',
    title: 'Client message ids',
    purpose:
      "Remembers a sender's client_message_id, so a retried send returns the original message instead of a second one.",
  },
  {
    prefix: 'CONN',
    title: 'Realtime connections',
    purpose:
      "A user's open WebSocket connections (API Gateway's connection ids), listed by one Query when a message is pushed; expires_at (TTL) removes those whose $disconnect never came.",
  },
  {
    prefix: 'BLOCK',
    title: 'Blocks',
    purpose:
      "Whom a user blocks: one Query pk = BLOCK#<blocker> lists them; sk = the blocked user's uuid, with a copy of their handle and name. Written in one transaction with the blocker's uuid in the pair's blocked_by, and removed with it.",
  },
];

/** The attribute that puts an item into the GSI; only message-group rows have it. */
export const GSI_HASH_ATTRIBUTE = 'message_group_uuid';
export const GSI_NAME = 'message-group-sk-index';

/** "GRP#3f6c…" → "GRP"; an item without `#` in its pk is its own kind. */
export const prefixOf = (pk: string): string => pk.split('#', 1)[0] ?? pk;
