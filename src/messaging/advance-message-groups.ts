import { BoundedCache } from './bounded-cache.js';
import { PreviewNotShownError, StaleGroupRowsError } from './errors.js';
import type { ConversationItem, MessageGroupItem, MessageItem } from './items.js';
import { groupOfMessageKey, ownerOfGroupKey } from './keys.js';
import {
  advancedRow,
  countFrom,
  earlierKey,
  laterKey,
  planRowAdvance,
  type RowAdvance,
  rowChanged,
} from './read-state.js';
import {
  advanceGroupRowsRequest,
  findGroupRowsQuery,
  followPreviewRequest,
} from './requests/message-groups.js';
import { getConversationRequest } from './requests/messages.js';
import { messagesBetweenQuery } from './requests/read-state.js';
import { retryOn } from './retry.js';
import { queryAll, type TablePort } from './table-port.js';

export type AdvanceOutcome =
  | { result: 'applied'; rows: MessageGroupItem[]; attempts: number }
  | { result: 'skipped'; reason: 'already_current'; rows: MessageGroupItem[] };

export interface AdvanceOptions {
  /** How many times a stale read of the GSI is re-read before giving up. */
  maxAttempts?: number;
  /** Waits between attempts; the GSI usually catches up within milliseconds. */
  backoffMs?: (attempt: number) => number;
}

/**
 * Pattern E: both group rows of a message's conversation move to the message's sort key with
 * its text as preview, in one atomic step. Idempotent and monotonic: a duplicate, late or
 * reordered message changes nothing once a newer one has been applied.
 *
 * One instance lives as long as its consumer and remembers what it learnt: participants
 * (immutable) and where it last put each conversation's rows. With that, a busy conversation
 * costs one transaction per batch and no GSI query; if another writer moved the rows since,
 * the transaction's conditions fail and the rows are read again from the GSI.
 */
export class MessageGroupAdvancer {
  readonly #table: TablePort;
  readonly #maxAttempts: number;
  readonly #backoff: (attempt: number) => number;
  readonly #participants = new BoundedCache<readonly string[]>();
  readonly #rows = new BoundedCache<MessageGroupItem[]>();

  constructor(table: TablePort, options: AdvanceOptions = {}) {
    this.#table = table;
    this.#maxAttempts = options.maxAttempts ?? 6;
    this.#backoff = options.backoffMs ?? ((attempt) => 5 * 2 ** attempt);
  }

  /**
   * Applies a batch's messages of one conversation: the rows move to the newest, and each
   * row's read state follows (see read-state.ts).
   */
  async advance(messages: readonly MessageItem[]): Promise<AdvanceOutcome> {
    const first = messages[0];
    if (!first) throw new Error('advance needs at least one message');
    const groupUuid = groupOfMessageKey(first.pk);
    return retryOn(
      StaleGroupRowsError,
      (attempt) => this.#advanceOnce(groupUuid, messages, attempt),
      { attempts: this.#maxAttempts, backoffMs: this.#backoff },
    );
  }

  /** One attempt of `advance`; a stale read of the GSI throws StaleGroupRowsError. */
  async #advanceOnce(
    groupUuid: string,
    messages: readonly MessageItem[],
    attempt: number,
  ): Promise<AdvanceOutcome> {
    try {
      const rows = this.#rows.get(groupUuid) ?? (await this.#readRows(groupUuid));
      const plans = rows.map((row) => planRowAdvance(row, messages));
      const { counted, current } = await this.#readMessages(groupUuid, plans);
      const changes = plans
        .map((plan, i) => ({
          before: plan.row,
          after: advancedRow(plan, counted[i] ?? 0, current.get(plan.moveTo?.sk ?? '')),
        }))
        .filter(({ before, after }) => rowChanged(before, after));
      const request = advanceGroupRowsRequest(this.#table.tableName, changes);
      if (!request) return { result: 'skipped', reason: 'already_current', rows };
      await this.#table.write(request);
      const after = new Map(changes.map((c) => [c.before.pk, c.after]));
      this.#rows.set(
        groupUuid,
        rows.map((row) => after.get(row.pk) ?? row),
      );
      return { result: 'applied', rows: [...after.values()], attempts: attempt };
    } catch (error) {
      // Whatever failed, the remembered rows may be wrong: the next attempt reads the GSI.
      this.#rows.delete(groupUuid);
      throw error;
    }
  }

  /**
   * One strongly consistent Query for all rows: for each plan, the other participant's
   * messages in its range; and the message each row moves to as it is now (an edit or an
   * unsend since its stream record was written must not be undone by the preview).
   */
  async #readMessages(groupUuid: string, plans: readonly RowAdvance[]) {
    const bounds = plans.flatMap((p) => [
      ...(p.countFrom < p.countTo ? [p.countFrom, p.countTo] : []),
      ...(p.moveTo ? [p.moveTo.sk] : []),
    ]);
    const current = new Map<string, MessageItem>();
    if (bounds.length === 0) return { counted: plans.map(() => 0), current };
    const messages = await queryAll<MessageItem>(
      this.#table,
      messagesBetweenQuery(
        this.#table.tableName,
        groupUuid,
        bounds.reduce(earlierKey),
        bounds.reduce(laterKey),
      ),
    );
    for (const plan of plans) {
      const found = plan.moveTo && messages.find((m) => m.sk === plan.moveTo?.sk);
      if (found) current.set(found.sk, found);
    }
    return {
      counted: plans.map((p) => countFrom(messages, p.row.user_uuid, p.countFrom, p.countTo)),
      current,
    };
  }

  /**
   * An edit or unsend of a message (its MODIFY record): each row still previewing it takes
   * the new text, unless it already shows a later revision. A row that moved on to a newer
   * message is left alone: its key no longer holds this message's sk. Returns how many rows
   * changed.
   */
  async followChange(message: MessageItem): Promise<number> {
    const groupUuid = groupOfMessageKey(message.pk);
    let changed = 0;
    for (const owner of await this.#participantsOf(groupUuid)) {
      try {
        await this.#table.write(followPreviewRequest(this.#table.tableName, owner, message));
        changed++;
      } catch (error) {
        if (!(error instanceof PreviewNotShownError)) throw error;
      }
    }
    // The cached rows may hold the old preview: read them again next time.
    if (changed > 0) this.#rows.delete(groupUuid);
    return changed;
  }

  async #readRows(groupUuid: string): Promise<MessageGroupItem[]> {
    const [{ items: rows }, participants] = await Promise.all([
      this.#table.query<MessageGroupItem>(findGroupRowsQuery(this.#table.tableName, groupUuid)),
      this.#participantsOf(groupUuid),
    ]);
    assertOneRowPerParticipant(rows, participants);
    return rows;
  }

  async #participantsOf(groupUuid: string): Promise<readonly string[]> {
    const cached = this.#participants.get(groupUuid);
    if (cached) return cached;
    const conversation = await this.#table.get<ConversationItem>(
      getConversationRequest(this.#table.tableName, groupUuid),
    );
    if (!conversation) throw new StaleGroupRowsError(`no conversation ${groupUuid}`);
    this.#participants.set(groupUuid, conversation.participant_uuids);
    return conversation.participant_uuids;
  }
}

/**
 * The GSI is eventually consistent: right after pattern C, or while another consumer moves a
 * row, it can show a row missing or twice (old key and new). Acting on that could lose or
 * duplicate a row, so such a read counts as stale and is read again.
 */
const assertOneRowPerParticipant = (
  rows: MessageGroupItem[],
  participants: readonly string[],
): void => {
  const owners = rows.map((row) => ownerOfGroupKey(row.pk));
  const complete =
    owners.length === participants.length &&
    participants.every((p) => owners.filter((owner) => owner === p).length === 1);
  if (!complete)
    throw new StaleGroupRowsError(`${rows.length} row(s) for ${participants.length} participants`);
};
