import { StaleGroupRowsError } from './errors.js';
import type { ConversationItem, MessageGroupItem, MessageItem } from './items.js';
import { partitionId } from './keys.js';
import { findGroupRowsQuery, moveGroupRowsRequest } from './requests/message-groups.js';
import { getConversationRequest } from './requests/messages.js';
import type { TablePort } from './table-port.js';

export type AdvanceOutcome =
  | { result: 'applied'; movedRows: number; attempts: number }
  | { result: 'skipped'; reason: 'already_current' };

export interface AdvanceOptions {
  /** How many times a stale read of the GSI is re-read before giving up. */
  maxAttempts?: number;
  /** Waits between attempts; the GSI usually catches up within milliseconds. */
  backoffMs?: (attempt: number) => number;
}

/**
 * Pattern E for one message: both group rows of its conversation move to the message's sort
 * key with its text as preview, in one atomic step. Idempotent and monotonic: a duplicate,
 * late or reordered message changes nothing once a newer one has been applied.
 */
export const advanceMessageGroups = async (
  table: TablePort,
  message: MessageItem,
  options: AdvanceOptions = {},
): Promise<AdvanceOutcome> => {
  const maxAttempts = options.maxAttempts ?? 6;
  const backoff = options.backoffMs ?? ((attempt) => 5 * 2 ** attempt);
  const groupUuid = partitionId(message.pk, 'MSG#');
  let participants: readonly string[] | undefined;

  for (let attempt = 1; ; attempt++) {
    const { items: rows } = await table.query<MessageGroupItem>(
      findGroupRowsQuery(table.tableName, groupUuid),
    );
    try {
      participants ??= await participantsOf(table, groupUuid);
      assertOneRowPerParticipant(rows, participants);
      const request = moveGroupRowsRequest(table.tableName, rows, message);
      if (!request) return { result: 'skipped', reason: 'already_current' };
      await table.write(request);
      return { result: 'applied', movedRows: request.items.length / 2, attempts: attempt };
    } catch (error) {
      if (!(error instanceof StaleGroupRowsError) || attempt >= maxAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoff(attempt)));
    }
  }
};

const participantsOf = async (table: TablePort, groupUuid: string): Promise<readonly string[]> => {
  const conversation = await table.get<ConversationItem>(
    getConversationRequest(table.tableName, groupUuid),
  );
  if (!conversation) throw new StaleGroupRowsError(`no conversation ${groupUuid}`);
  return conversation.participant_uuids;
};

/**
 * The GSI is eventually consistent: right after pattern C, or while another consumer moves a
 * row, it can show a row missing or twice (old key and new). Acting on that could lose or
 * duplicate a row, so such a read counts as stale and is read again.
 */
const assertOneRowPerParticipant = (
  rows: MessageGroupItem[],
  participants: readonly string[],
): void => {
  const owners = rows.map((row) => partitionId(row.pk, 'GRP#'));
  const complete =
    owners.length === participants.length &&
    participants.every((p) => owners.filter((owner) => owner === p).length === 1);
  if (!complete)
    throw new StaleGroupRowsError(`${rows.length} row(s) for ${participants.length} participants`);
};
