import { createHash } from 'node:crypto';
import type { ItemType } from '../messaging/items.js';
import {
  blockerOfBlockKey,
  blockKey,
  blockPartition,
  conversationKey,
  groupOfMessageKey,
  handleKey,
  type ItemKey,
  isBlockKey,
  isGroupRowKey,
  isMessageKey,
  isPairKey,
  messageGroupPartition,
  messagePartition,
  ownerOfGroupKey,
  type PeopleTokenKind,
  pairKey,
  parseMessageSortKey,
  parsePeopleTokenKey,
  peoplePartitionShape,
  peopleSortKeyPrefix,
  peopleTokenKey,
  userKey,
  usersOfPairKey,
} from '../messaging/keys.js';
import { storedReadPosition } from '../messaging/read-state.js';
import { peopleItems } from '../messaging/requests/people.js';
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
  /** `preview_revision` as stored (absent: undefined, which means 0). */
  previewRevision: unknown;
  counterpart: unknown;
  read: RowReadState;
}

/**
 * A group row's read state as stored, and what the messages of its conversation say it should
 * be: each message folds into the counters of every row of its conversation, so nothing of
 * the messages is kept. A message that came before the row is known to it only through the
 * conversation's per-sender summary (how many, oldest, newest): when that summary cannot say
 * on which side of the row's read position its messages fall, the row needs those messages
 * again (`startRecount`).
 */
interface RowReadState {
  /** `last_read_sk`, `unread_count` and `last_message_user_uuid` as stored (absent: undefined). */
  lastRead: unknown;
  unread: unknown;
  lastMessageUser: unknown;
  /** What counts as unread: (from, to], from = the read position (a row without one: its sk). */
  from: string;
  to: string;
  /** Per sender other than the owner, their messages in (from, to] folded so far. */
  inRange: Map<string, number>;
  /** A message whose sk is the read position was folded (or is certain from the summary). */
  positionFound: boolean;
  /** The summary left the count, or whether the read position is a message, open. */
  countOpen: boolean;
  positionOpen: boolean;
  /** Counting again from every message of the conversation (`startRecount`). */
  recounting: boolean;
}

/** A sender's messages in one conversation: how many, and the oldest and newest sort keys. */
interface SenderSummary {
  count: number;
  key: ItemKey;
  oldest: string;
  newest: string;
}

/**
 * Pairs of (message sk, text) folded in any order: how many, and the sum of their hashes
 * modulo 2^64. Two folds of the same pairs are equal whatever order they came in.
 */
interface TextFold {
  count: number;
  sum: bigint;
}

/**
 * The second look at a conversation's claims (`startRecount`): a message sent with a
 * client_message_id and the claim naming it, whichever comes first, wait here for the other.
 */
interface ClaimJoin {
  messages: Map<string, { key: ItemKey; text: unknown }>;
  claims: Map<string, { key: ItemKey; text: unknown }[]>;
}

/**
 * What the checker keeps of one conversation: its messages fold into their newest, a summary
 * per sender, and the read-state counters of its rows; the texts of the claims naming it and
 * of its messages sent with a client_message_id fold into one number each.
 */
interface GroupState {
  conversation?: { key: ItemKey; participants: string[] };
  newest?: { key: ItemKey; text: unknown; sender: string; revision: unknown };
  messages: number;
  senders: Map<string, SenderSummary>;
  rows: GroupRow[];
  claimTexts: TextFold;
  claimedTexts: TextFold;
  claimJoin?: ClaimJoin;
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
  'block',
  'people_token',
] satisfies ItemType[]);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const keyOf = (item: Record<string, unknown>): ItemKey => ({
  pk: text(item.pk),
  sk: text(item.sk),
});
// The checker reads whatever is stored: a key of the wrong kind reads as no id (reported
// where it matters), never as a throw that would stop the check.
const groupOf = (pk: string): string => (isMessageKey(pk) ? groupOfMessageKey(pk) : '');
const ownerOf = (pk: string): string => (isGroupRowKey(pk) ? ownerOfGroupKey(pk) : '');
const blockerOf = (pk: string): string => (isBlockKey(pk) ? blockerOfBlockKey(pk) : '');
const usersOf = (pk: string): string[] => (isPairKey(pk) ? usersOfPairKey(pk) : []);

/** What a people item's key should be, in words, for an item of `handle`. */
const peopleKeyShape = (handle: string): string =>
  `pk ${peoplePartitionShape('first character of the word')}, sk ${peopleSortKeyPrefix('H', handle)} or ${peopleTokenKey('N', '<word>', handle).sk}`;

/**
 * A pair's `blocked_by` as a list of uuids: a string set reads as a JS Set through the
 * document client, as an array once serialised to JSON (the inspector). Anything else
 * (a string, a set of numbers): undefined.
 */
const marksOf = (value: unknown): string[] | undefined => {
  const values = value instanceof Set ? [...value] : Array.isArray(value) ? value : undefined;
  return values?.every((v): v is string => typeof v === 'string') ? values : undefined;
};

/** A people-search item as the checker keeps it: its parsed key and its copy of the profile. */
interface PeopleState {
  key: ItemKey;
  kind: PeopleTokenKind;
  handle: string;
  userUuid: unknown;
  copy: { handle: unknown; displayName: unknown };
}

const peopleId = (key: ItemKey): string => `${key.pk}\n${key.sk}`;

/** A block item as the checker keeps it: the two uuids of its key. */
interface BlockState {
  key: ItemKey;
  blocker: string;
  blocked: string;
}

/**
 * The state the design promises, checked over every item of a table (DESIGN.md's invariants;
 * docs/data-model.md section 5): one group row per participant, at the newest message, with its
 * text (at its revision) and the other participant; messages only from participants, under
 * well-formed keys; one conversation per pair; handles and users that name each other; each
 * block item of two users with its blocker in their pair's `blocked_by`, and nothing else there.
 *
 * People search (issue 17): each user has exactly the people items `peopleItems` makes of
 * their profile (the handle, and each word of the display name), each naming them and copying
 * their handle and display name, under a key that parses (`parsePeopleTokenKey`: the partition
 * is the word's first character). A user created before people search, who has none until the
 * backfill runs (`ddb backfill-people`; `npm start` and the seed run it on a local table), is
 * reported as missing_people_item on purpose: search cannot find them, and the backfill is
 * the fix. People items are kept in memory: at most 1 + MAX_NAME_WORDS per user, so memory
 * still grows with users, not with messages.
 *
 * Edits and unsends (docs/data-model.md section 10): an unsent message holds no text and no
 * `edited_at`; a client_message_id claim holds the same text as its message, when both are
 * there (a claim without its message is a send that stopped after its claim).
 *
 * Read state (docs/data-model.md): a row's `unread_count` is the number of the other
 * participant's messages after its read position `last_read_sk` ('' before the first message,
 * absent: read up to the row's own sk) up to the row's sk; that position is '' or a message of
 * the conversation; `last_message_user_uuid` names the newest message's sender; a user's
 * `unread_conversations` is the number of their rows with unread messages.
 *
 * Items are fed in any order, page by page, so a whole table can be checked in one Scan: a
 * conversation's messages fold into their newest, a summary per sender (count, oldest and
 * newest sort key) and the unread counters of the rows already seen, so memory grows with
 * users, conversations and group rows, not with messages. Exact counts need every message
 * compared with the row's read position; a message seen before its row is known to the row
 * only through the summary, which settles the common cases (all of a sender's messages read,
 * or all unread) but not a read position in the middle of them. Then the conversation's
 * messages are fed once more (`startRecount`, `addAgain`): a second look at those
 * conversations only, never a list of messages kept in memory.
 *
 * Claims live under their own keys (`CLIENTMSG#<sender>#<id>`), anywhere in a Scan. Each one
 * folds (message sk, text) into its conversation's claim fold, and each message sent with a
 * client_message_id the same into another; when every claim has its message with the same
 * text, the two are equal. When they differ (a text differs, or a claim lacks its message,
 * which is allowed), the conversation's messages and their claims are fed once more and
 * joined by sk, message and claim waiting for each other (`auditTable` feeds each page of
 * messages with their claims, so few wait).
 */
export class InvariantChecker {
  #items = 0;
  readonly #groups = new Map<string, GroupState>();
  readonly #users = new Map<
    string,
    { key: ItemKey; handle: unknown; displayName: unknown; unreadConversations: unknown }
  >();
  /** Per owner, their group rows (of any conversation) whose unread_count is above 0. */
  readonly #rowsWithUnread = new Map<string, number>();
  readonly #handles = new Map<string, { key: ItemKey; userUuid: unknown }>();
  readonly #pairs = new Map<string, { key: ItemKey; groupUuid: unknown; blockedBy: unknown }>();
  /** By `<blocker> <blocked>`, the uuids of its key. */
  readonly #blocks = new Map<string, BlockState>();
  /** People items whose key parses, by `peopleId` of their key. */
  readonly #people = new Map<string, PeopleState>();
  readonly #early: Violation[] = [];

  add(item: Record<string, unknown>): void {
    this.#items++;
    const key = keyOf(item);
    switch (item.item_type) {
      case 'user':
        this.#users.set(text(item.user_uuid), {
          key,
          handle: item.handle,
          displayName: item.display_name,
          unreadConversations: item.unread_conversations,
        });
        return;
      case 'handle':
        this.#handles.set(text(item.handle), { key, userUuid: item.user_uuid });
        return;
      case 'pair':
        this.#pairs.set(key.pk, { key, groupUuid: item.group_uuid, blockedBy: item.blocked_by });
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
        this.#addGroupRow(item, key);
        return;
      case 'client_message':
        // A claim without its message was never acknowledged (a send stopped after the
        // claim, and its retry would finish it): it is compared only with a message.
        fold(this.#group(text(item.group_uuid)).claimTexts, text(item.message_sk), item.message);
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
      case 'block':
        this.#addBlock(item, key);
        return;
      case 'people_token':
        this.#addPeopleItem(item, key);
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

  /**
   * Starts the second look: the conversations with a row whose count or read position the
   * first look left open, and those whose claims did not add up to their messages. Feed every
   * message of these conversations (any order, any pages; other items are ignored) to
   * `addAgain`, with the claims of those for which `needsClaims` says so, then call `report`.
   */
  startRecount(): string[] {
    const groups: string[] = [];
    for (const [groupUuid, group] of this.#groups) {
      let recount = false;
      if (!group.claimJoin && claimsOpen(group)) {
        group.claimJoin = { messages: new Map(), claims: new Map() };
        recount = true;
      }
      // Read state is checked only in conversations that exist and hold messages.
      if (group.conversation && group.newest)
        for (const { read } of group.rows) {
          if (read.recounting || !needsRecount(read)) continue;
          read.inRange.clear();
          read.positionFound = false;
          read.recounting = true;
          recount = true;
        }
      if (recount) groups.push(groupUuid);
    }
    return groups;
  }

  /**
   * Whether the second look at this conversation compares claims: its messages must then be
   * fed whole (their text and client_message_id), with the claims they name (or every claim
   * whose group_uuid is this conversation).
   */
  needsClaims(groupUuid: string): boolean {
    return this.#groups.get(groupUuid)?.claimJoin !== undefined;
  }

  /** A message of a conversation `startRecount` named, or a claim of one, fed again. */
  addAgain(item: Record<string, unknown>): void {
    const key = keyOf(item);
    if (item.item_type === 'client_message') {
      const join = this.#groups.get(text(item.group_uuid))?.claimJoin;
      if (join) this.#joinClaim(join, key, text(item.message_sk), item.message);
      return;
    }
    if (item.item_type !== 'message') return;
    const group = this.#groups.get(groupOf(key.pk));
    if (!group) return;
    const sender = text(item.user_uuid);
    for (const row of group.rows) if (row.read.recounting) foldMessage(row, key.sk, sender);
    if (group.claimJoin && item.client_message_id !== undefined)
      this.#joinMessage(group.claimJoin, key, item.message);
  }

  #joinMessage(join: ClaimJoin, key: ItemKey, messageText: unknown): void {
    const claims = join.claims.get(key.sk);
    if (!claims) {
      join.messages.set(key.sk, { key, text: messageText });
      return;
    }
    join.claims.delete(key.sk);
    for (const claim of claims) this.#compareClaim(claim, { key, text: messageText });
  }

  #joinClaim(join: ClaimJoin, key: ItemKey, messageSk: string, claimText: unknown): void {
    const message = join.messages.get(messageSk);
    if (!message) {
      join.claims.set(messageSk, [...(join.claims.get(messageSk) ?? []), { key, text: claimText }]);
      return;
    }
    join.messages.delete(messageSk);
    this.#compareClaim({ key, text: claimText }, message);
  }

  /**
   * A claim and its message, both there. A claim without `message` was written before claims
   * held the text: it holds none to differ. The texts are not printed: one may be unsent.
   */
  #compareClaim(
    claim: { key: ItemKey; text: unknown },
    message: { key: ItemKey; text: unknown },
  ): void {
    if (claim.text === undefined || claim.text === message.text) return;
    this.#early.push({
      kind: 'claim_text_differs',
      keys: [claim.key, message.key],
      expected: `the text of ${message.key.pk} / ${message.key.sk}: ${describeText(message.text)}`,
      found: describeText(claim.text),
    });
  }

  report(): InvariantReport {
    const violations = [...this.#early];
    const conversationsByPair = new Map<string, ItemKey[]>();
    let conversations = 0;
    let messages = 0;
    let groupRows = 0;
    for (const [groupUuid, group] of this.#groups) {
      if (!group.claimJoin && claimsOpen(group))
        throw new Error(
          'InvariantChecker: some conversations need their messages and claims fed again (startRecount, addAgain) before report',
        );
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
    violations.push(
      ...this.#checkPairs(),
      ...this.#checkBlocks(),
      ...this.#checkMarks(),
      ...this.#checkHandles(),
      ...this.#checkPeople(),
      ...this.#checkUnreadConversations(),
    );
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
      group = {
        messages: 0,
        senders: new Map(),
        rows: [],
        claimTexts: { count: 0, sum: 0n },
        claimedTexts: { count: 0, sum: 0n },
      };
      this.#groups.set(groupUuid, group);
    }
    return group;
  }

  #addGroupRow(item: Record<string, unknown>, key: ItemKey): void {
    const owner = ownerOf(key.pk);
    const group = this.#group(text(item.message_group_uuid));
    const position =
      typeof item.last_read === 'string'
        ? storedReadPosition({ last_read: item.last_read })
        : (item.last_read ?? item.last_read_sk);
    const from = typeof position === 'string' ? position : key.sk;
    const read: RowReadState = {
      lastRead: position,
      unread: item.unread_count,
      lastMessageUser: lastMessageUserOfRow(item, owner),
      from,
      to: key.sk,
      inRange: new Map(),
      positionFound: false,
      countOpen: false,
      positionOpen: false,
      recounting: false,
    };
    const checksPosition = typeof position === 'string' && position !== '';
    // The messages already seen are known only by their summary per sender.
    for (const [sender, summary] of group.senders) {
      if (sender !== owner) {
        if (summary.newest <= from || summary.oldest > key.sk) {
          // None of them is unread.
        } else if (summary.oldest > from && summary.newest <= key.sk)
          read.inRange.set(sender, summary.count);
        else read.countOpen = true;
      }
      if (!checksPosition) continue;
      if (summary.oldest === from || summary.newest === from) read.positionFound = true;
      else if (summary.oldest < from && from < summary.newest) read.positionOpen = true;
    }
    group.rows.push({
      key,
      owner,
      // An unsent message's row says so: '' alone would pass for an empty text.
      preview: previewOf(item.message, item.message_deleted),
      previewRevision: item.preview_revision,
      counterpart: item.user_uuid,
      read,
    });
    if (typeof item.unread_count === 'number' && item.unread_count > 0)
      this.#rowsWithUnread.set(owner, (this.#rowsWithUnread.get(owner) ?? 0) + 1);
  }

  #addMessage(item: Record<string, unknown>, key: ItemKey): void {
    const group = this.#group(groupOf(key.pk));
    group.messages++;
    const sender = text(item.user_uuid);
    if (!group.newest || key.sk > group.newest.key.sk)
      group.newest = {
        key,
        text: previewOf(item.message, item.deleted),
        sender,
        revision: item.revision,
      };
    if (item.client_message_id !== undefined) fold(group.claimedTexts, key.sk, item.message);
    if (item.deleted === true) {
      // Unsent: the text and the edit history go; only the tombstone stays.
      const left = [
        ...(item.message !== undefined && item.message !== ''
          ? [`message ${describeText(item.message)}`]
          : []),
        ...(item.edited_at !== undefined ? [`edited_at ${JSON.stringify(item.edited_at)}`] : []),
      ];
      if (left.length > 0)
        this.#early.push({
          kind: 'unsent_with_text',
          keys: [key],
          expected: "message '' and no edited_at (deleted: true)",
          found: left.join(', '),
        });
    }
    for (const row of group.rows) foldMessage(row, key.sk, sender);
    const seen = group.senders.get(sender);
    if (seen) {
      seen.count++;
      if (key.sk < seen.oldest) seen.oldest = key.sk;
      if (key.sk > seen.newest) seen.newest = key.sk;
    } else group.senders.set(sender, { count: 1, key, oldest: key.sk, newest: key.sk });
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
        expected: `messages under ${messagePartition(groupUuid)}`,
        found: 'none',
      });
    for (const owner of participants) {
      if (!this.#users.has(owner))
        violations.push({
          kind: 'unknown_participant',
          keys: [conversation.key],
          expected: `a user item ${userKey(owner).pk}`,
          found: 'none',
        });
      const own = group.rows.filter((row) => row.owner === owner);
      const other = participants.find((p) => p !== owner) ?? owner;
      const [row] = own;
      if (!row) {
        violations.push({
          kind: 'missing_group_row',
          keys: [{ pk: messageGroupPartition(owner), sk: newest?.key.sk ?? '' }],
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
        if (newest) violations.push(...checkReadState(row, newest, other));
      }
    }
    for (const row of group.rows.filter((r) => !participants.includes(r.owner)))
      violations.push({
        kind: 'non_participant_row',
        keys: [row.key],
        expected: `rows only in ${participants.map(messageGroupPartition).join(' and ')}`,
        found: `a row in ${messageGroupPartition(row.owner)}`,
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

  /**
   * A block item: the blocker's uuid after BLOCK# in its pk, the blocked user's as its sk,
   * both repeated in its attributes. It is kept by its key, which is what an unblock and
   * the pair's mark name.
   */
  #addBlock(item: Record<string, unknown>, key: ItemKey): void {
    const blocker = blockerOf(key.pk);
    const blocked = key.sk;
    if (
      blocker === '' ||
      blocker === blocked ||
      item.blocker_uuid !== blocker ||
      item.blocked_uuid !== blocked
    )
      this.#early.push({
        kind: 'invalid_block_key',
        keys: [key],
        expected:
          typeof item.blocker_uuid === 'string' && typeof item.blocked_uuid === 'string'
            ? `pk ${blockPartition(item.blocker_uuid)}, sk ${item.blocked_uuid}, two different users`
            : `blocker_uuid and blocked_uuid, the uuids of pk ${blockPartition('<blocker>')} and sk <blocked>`,
        found: `blocker_uuid ${JSON.stringify(item.blocker_uuid ?? null)}, blocked_uuid ${JSON.stringify(item.blocked_uuid ?? null)}`,
      });
    this.#blocks.set(`${blocker} ${blocked}`, { key, blocker, blocked });
  }

  /** A people item: kept by its key if that parses (checked against its user in report). */
  #addPeopleItem(item: Record<string, unknown>, key: ItemKey): void {
    const parsed = parsePeopleTokenKey(key);
    if (!parsed) {
      this.#early.push({
        kind: 'invalid_people_key',
        keys: [key],
        expected:
          typeof item.handle === 'string'
            ? peopleKeyShape(item.handle)
            : peopleKeyShape('<handle>'),
        found: `pk ${key.pk}, sk ${key.sk}`,
      });
      return;
    }
    this.#people.set(peopleId(key), {
      key,
      kind: parsed.kind,
      handle: parsed.handle,
      userUuid: item.user_uuid,
      copy: { handle: item.handle, displayName: item.display_name },
    });
  }

  #checkPairs(): Violation[] {
    const violations: Violation[] = [];
    const pointedAt = new Set<string>();
    for (const pair of this.#pairs.values()) {
      // No conversation (yet): a pair made by a block of two users who never talked, kept
      // after the block was lifted. Pattern C fills it in; a conversation it lacks is
      // reported below as missing_pair.
      if (pair.groupUuid === undefined) continue;
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
        found: !pair
          ? 'none'
          : pair.groupUuid === undefined
            ? 'one without group_uuid'
            : `one pointing at ${JSON.stringify(pair.groupUuid)}`,
      });
    }
    return violations;
  }

  /** Each block marks its pair (one transaction writes both), and names two users. */
  #checkBlocks(): Violation[] {
    const violations: Violation[] = [];
    for (const { key, blocker, blocked } of this.#blocks.values()) {
      const missing = [blocker, blocked].filter((uuid) => !this.#users.has(uuid));
      if (missing.length > 0)
        violations.push({
          kind: 'block_of_unknown_user',
          keys: [key],
          expected: missing.map((uuid) => `a user item ${userKey(uuid).pk}`).join(' and '),
          found: 'none',
        });
      const pair = this.#pairs.get(pairKey(blocker, blocked).pk);
      const marks = marksOf(pair?.blockedBy);
      if (marks?.includes(blocker)) continue;
      violations.push({
        kind: 'block_without_mark',
        keys: [key],
        expected: `${pairKey(blocker, blocked).pk} with ${blocker} in blocked_by`,
        found: !pair
          ? 'no pair item'
          : pair.blockedBy === undefined
            ? 'no blocked_by'
            : `blocked_by ${describeMarks(pair.blockedBy)}`,
      });
    }
    return violations;
  }

  /** Each uuid in a pair's blocked_by is one of its two users, with a block of the other. */
  #checkMarks(): Violation[] {
    const violations: Violation[] = [];
    for (const pair of this.#pairs.values()) {
      if (pair.blockedBy === undefined) continue;
      const users = usersOf(pair.key.pk);
      const marks = marksOf(pair.blockedBy);
      if (!marks) {
        violations.push({
          kind: 'mark_without_block',
          keys: [pair.key],
          expected: "blocked_by, a string set of the pair's users who block the other",
          found: `blocked_by ${describeMarks(pair.blockedBy)}`,
        });
        continue;
      }
      for (const uuid of marks) {
        const other = users.find((u) => u !== uuid) ?? uuid;
        if (users.length !== 2 || !users.includes(uuid))
          violations.push({
            kind: 'mark_without_block',
            keys: [pair.key],
            expected: `blocked_by holding only ${users.join(' or ')}`,
            found: `${uuid}, not one of the pair's users`,
          });
        else if (!this.#blocks.has(`${uuid} ${other}`)) {
          const block = blockKey(uuid, other);
          violations.push({
            kind: 'mark_without_block',
            keys: [pair.key],
            expected: `for ${uuid} in blocked_by, a block item ${block.pk} / ${block.sk}`,
            found: 'none',
          });
        }
      }
    }
    return violations;
  }

  /**
   * Each user's people items against those `peopleItems` makes of their profile: none
   * missing (one there naming someone else does not count), none of a word not theirs, each
   * copying the profile; and each people item of a user whose handle its key holds.
   */
  #checkPeople(): Violation[] {
    const violations: Violation[] = [];
    const expectedBy = new Map<string, Set<string>>();
    const expectedOf = (userUuid: string): Set<string> | undefined => {
      let expected = expectedBy.get(userUuid);
      if (expected) return expected;
      const user = this.#users.get(userUuid);
      if (typeof user?.handle !== 'string' || typeof user.displayName !== 'string') return;
      const profile = { uuid: userUuid, handle: user.handle, displayName: user.displayName };
      expected = new Set(peopleItems(profile).map(peopleId));
      expectedBy.set(userUuid, expected);
      return expected;
    };
    for (const [userUuid, user] of this.#users) {
      const expected = expectedOf(userUuid);
      if (!expected) continue;
      const missing = [...expected].filter((id) => this.#people.get(id)?.userUuid !== userUuid);
      if (missing.length > 0)
        violations.push({
          kind: 'missing_people_item',
          keys: missing.map((id) => {
            const [pk = '', sk = ''] = id.split('\n');
            return { pk, sk };
          }),
          expected: `people items of ${userUuid}: the handle ${text(user.handle)} and the words of ${JSON.stringify(user.displayName)} (${expected.size})`,
          // The backfill (people-backfill.ts) writes exactly the missing ones, whatever the cause.
          found:
            missing.length === expected.size
              ? 'none of them (a user created before people search? the backfill writes them)'
              : `${missing.length} of them missing (or naming another user)`,
        });
    }
    for (const [id, item] of this.#people) {
      const userUuid = text(item.userUuid);
      const user = this.#users.get(userUuid);
      if (user?.handle !== item.handle) {
        violations.push({
          kind: 'orphan_people_item',
          keys: [item.key],
          expected: `user ${userUuid || JSON.stringify(item.userUuid ?? null)} with handle ${item.handle}`,
          found: user ? `handle ${text(user.handle)}` : 'no such user',
        });
        continue;
      }
      if (!expectedOf(userUuid)?.has(id)) {
        violations.push({
          kind: 'stale_people_item',
          keys: [item.key],
          expected:
            item.kind === 'H'
              ? `the handle item ${peopleSortKeyPrefix('H', item.handle)}`
              : `a word of ${JSON.stringify(user.displayName)}, folded (search-text.ts nameWords)`,
          found: `sk ${item.key.sk}`,
        });
        continue;
      }
      if (item.copy.handle !== user.handle || item.copy.displayName !== user.displayName)
        violations.push({
          kind: 'people_copy_differs',
          keys: [item.key],
          expected: `handle ${JSON.stringify(user.handle)}, display_name ${JSON.stringify(user.displayName)} (the profile's)`,
          found: `handle ${JSON.stringify(item.copy.handle ?? null)}, display_name ${JSON.stringify(item.copy.displayName ?? null)}`,
        });
    }
    return violations;
  }

  /** Each user's count of conversations with unread messages, against their rows. */
  #checkUnreadConversations(): Violation[] {
    const violations: Violation[] = [];
    for (const [userUuid, user] of this.#users) {
      const expected = this.#rowsWithUnread.get(userUuid) ?? 0;
      const found = user.unreadConversations ?? 0;
      if (found !== expected)
        violations.push({
          kind: 'wrong_unread_conversations',
          keys: [user.key],
          expected: `unread_conversations ${expected} (rows in ${messageGroupPartition(userUuid)} with unread_count > 0)`,
          found: `unread_conversations ${JSON.stringify(found)}`,
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
          expected: `${handleKey(text(user.handle)).pk} naming ${userUuid}`,
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
  else if (newest) {
    if (JSON.stringify(row.preview) !== JSON.stringify(newest.text))
      violations.push({
        kind: 'wrong_preview',
        keys: [row.key],
        expected: JSON.stringify(newest.text),
        found: JSON.stringify(row.preview),
      });
    // Absent: 0 on both. A preview at an older revision (even with the same text, e.g. edited
    // back) lets a late record of a revision in between overwrite it; one at a newer revision
    // refuses the message's next edits.
    const current = newest.revision ?? 0;
    const shown = row.previewRevision ?? 0;
    if (typeof current === 'number' && (typeof shown !== 'number' || shown !== current))
      violations.push({
        kind:
          typeof shown === 'number' && shown > current
            ? 'preview_revision_ahead'
            : 'stale_preview_revision',
        keys: [row.key],
        expected: `preview_revision ${current} (the newest message's revision${current === 0 ? ': never changed, absent' : ''})`,
        found: `preview_revision ${JSON.stringify(row.previewRevision ?? null)}`,
      });
    const lastUser = row.read.lastMessageUser;
    // Absent on rows written before read state.
    if (lastUser !== undefined && lastUser !== newest.sender)
      violations.push({
        kind: 'wrong_last_message_user',
        keys: [row.key],
        expected: `the newest message's sender, ${newest.sender} (last_mine, or last_message_user_uuid on rows of round 2)`,
        found: JSON.stringify(lastUser),
      });
  }
  if (row.counterpart !== otherParticipant)
    violations.push({
      kind: 'wrong_counterpart',
      keys: [row.key],
      expected: `user_uuid ${otherParticipant}`,
      found: `user_uuid ${text(row.counterpart)}`,
    });
  return violations;
};

/** Whether the first look left this row's count or read position open. */
const needsRecount = (read: RowReadState): boolean =>
  read.countOpen || (read.positionOpen && !read.positionFound);

/** One message into one row's read-state counters. */
const foldMessage = (row: GroupRow, sk: string, sender: string): void => {
  const { read } = row;
  if (sender !== row.owner && sk > read.from && sk <= read.to)
    read.inRange.set(sender, (read.inRange.get(sender) ?? 0) + 1);
  if (sk === read.from) read.positionFound = true;
};

/**
 * A participant's only row against its conversation's messages: the count of the other's
 * messages after the read position, and the read position itself. Checked for any row sk (a
 * row behind is reported as such, and its count is still what pattern E left it at).
 */
const checkReadState = (
  row: GroupRow,
  newest: NonNullable<GroupState['newest']>,
  otherParticipant: string,
): Violation[] => {
  const violations: Violation[] = [];
  const { read } = row;
  if (!read.recounting && needsRecount(read))
    throw new Error(
      'InvariantChecker: some conversations need their messages fed again (startRecount, addAgain) before report',
    );
  const lastRead = read.lastRead;
  if (lastRead !== undefined && lastRead !== '') {
    // A message's sk is never after the newest message's: checked anyway, to say so.
    const isMessage =
      typeof lastRead === 'string' && read.positionFound && lastRead <= newest.key.sk;
    if (!isMessage)
      violations.push({
        kind: 'invalid_read_position',
        keys: [row.key],
        expected: `a read position (last_read, last_read_sk) of '' or a message of the conversation, at most ${newest.key.sk}`,
        found:
          typeof lastRead !== 'string'
            ? `read position ${JSON.stringify(lastRead)}`
            : lastRead > newest.key.sk
              ? `read position ${lastRead}, after the newest message`
              : `read position ${lastRead}, no such message`,
      });
  }
  const expected = read.inRange.get(otherParticipant) ?? 0;
  const found = read.unread ?? 0;
  if (found !== expected)
    violations.push({
      kind: 'wrong_unread_count',
      keys: [row.key],
      expected: `unread_count ${expected} (messages of ${otherParticipant} after ${read.from === '' ? 'the start' : read.from}${read.lastRead === undefined ? ' (no position stored: read up to the row)' : ''}, up to ${read.to})`,
      found: `unread_count ${JSON.stringify(found)}`,
    });
  return violations;
};

const orphans = (groupUuid: string, group: GroupState): Violation[] => {
  const violations: Violation[] = group.rows.map((row) => ({
    kind: 'orphan_group_row',
    keys: [row.key],
    expected: `conversation ${conversationKey(groupUuid).pk}`,
    found: 'none',
  }));
  const first = [...group.senders.values()][0];
  if (first)
    violations.push({
      kind: 'orphan_message',
      keys: [first.key],
      expected: `conversation ${conversationKey(groupUuid).pk}`,
      found: `none, and ${group.messages} message(s) under ${messagePartition(groupUuid)}`,
    });
  return violations;
};

const describeMarks = (value: unknown): string =>
  JSON.stringify(value instanceof Set ? [...value] : (value ?? null));

/** (message sk, text) into a fold; a text that is not there folds as null. */
const fold = (into: TextFold, sk: string, value: unknown): void => {
  const hash = createHash('sha256')
    .update(JSON.stringify([sk, value ?? null]))
    .digest()
    .readBigUInt64BE(0);
  into.count++;
  into.sum = BigInt.asUintN(64, into.sum + hash);
};

/** The claims of a conversation do not add up to its messages sent with an id. */
const claimsOpen = (group: GroupState): boolean =>
  group.claimedTexts.count > 0 &&
  (group.claimTexts.count !== group.claimedTexts.count ||
    group.claimTexts.sum !== group.claimedTexts.sum);

/** A text as a report may show it: its length, never its words (it may be one unsent). */
const describeText = (value: unknown): string =>
  typeof value !== 'string'
    ? JSON.stringify(value ?? null)
    : value === ''
      ? "''"
      : `a text of ${[...value].length} character(s)`;

/** What a preview must show: the text, or that the message was unsent. */
const previewOf = (text: unknown, deleted: unknown): unknown =>
  deleted === true ? { unsent: true, text } : text;

/**
 * Who a row says wrote its last message: `last_mine` (compact rows: the owner, else the other
 * participant), `last_message_user_uuid` (rows of round 2), undefined on rows older than read
 * state, which say nothing.
 */
const lastMessageUserOfRow = (item: Record<string, unknown>, owner: string): unknown => {
  if (item.last_message_user_uuid !== undefined) return item.last_message_user_uuid;
  if (item.last_mine !== undefined) return item.last_mine === true ? owner : item.last_mine;
  return item.unread_count === undefined ? undefined : item.user_uuid;
};
