import { MessageNotFoundError, StaleGroupRowsError, WriteConflictError } from './errors.js';
import type { MessageGroupItem, MessageItem, UserItem } from './items.js';
import { parseMessageSortKey } from './keys.js';
import { sortKeyOf } from './message-lookup.js';
import { laterKey, ownerOf, readPositionOf, unreadCountOf, withReadState } from './read-state.js';
import { findGroupRowsQuery } from './requests/message-groups.js';
import { getMessageRequest } from './requests/messages.js';
import {
  messagesBetweenQuery,
  staleRows,
  unreadConversationsItems,
  unreadConversationsRequest,
  updateReadStateItem,
} from './requests/read-state.js';
import { type RetryOptions, retryOn } from './retry.js';
import { queryAll, type TablePort } from './table-port.js';

/**
 * Group rows read stale (the GSI can lag a move by pattern E; pattern E or another device can
 * move a row between its read and the mark's write) are read again: up to 8 reads over about
 * 1.3 s (waits of 10, 20, … 640 ms), then 503 write_conflict.
 */
const WHILE_ROWS_ARE_STALE: RetryOptions = {
  attempts: 8,
  backoffMs: (attempt) => 5 * 2 ** attempt,
  giveUp: (error) => new WriteConflictError({ cause: error }),
};

/**
 * Read marks: where each participant has read to, moved by `POST .../read`, and what the
 * other participant has read (for "Seen"). The caller has checked that the user takes part
 * in the conversation.
 */
export class ReadMarks {
  constructor(private readonly table: TablePort) {}

  /**
   * Marks `groupUuid` read up to and including `messageUuid` for `userUuid`; the unread count
   * after it. Monotonic: an older message changes nothing. Costs a GSI Query (the row's key
   * moves with every message), a strongly consistent Query that both proves the message is
   * in this conversation and counts what stays unread, and one UpdateItem (a transaction
   * with the profile's count when no conversation-wide unread remains).
   */
  async mark(userUuid: string, groupUuid: string, messageUuid: string): Promise<number> {
    const sk = await sortKeyOf(this.table, groupUuid, messageUuid);
    if (!sk) throw new MessageNotFoundError();
    return retryOn(
      StaleGroupRowsError,
      () => this.#markOnce(userUuid, groupUuid, sk),
      WHILE_ROWS_ARE_STALE,
    );
  }

  /**
   * One attempt of `mark` at the message whose sort key is `sk`. A failed condition (pattern E
   * moved the row, or another device marked it) throws StaleGroupRowsError: read it again.
   */
  async #markOnce(userUuid: string, groupUuid: string, sk: string): Promise<number> {
    const row = await this.#rowOf(groupUuid, userUuid);
    if (sk <= readPositionOf(row)) {
      // Nothing to move; but a uuid names a key without a read: is it a message here?
      const message = await this.table.get(getMessageRequest(this.table.tableName, groupUuid, sk));
      if (!message) throw new MessageNotFoundError();
      return unreadCountOf(row);
    }
    const to = laterKey(sk, row.sk);
    const messages = await queryAll<Pick<MessageItem, 'sk' | 'user_uuid'>>(
      this.table,
      messagesBetweenQuery(this.table.tableName, groupUuid, sk, to),
    );
    if (messages[0]?.sk !== sk) throw new MessageNotFoundError();
    const unread = messages.filter((m) => m.user_uuid === row.user_uuid && m.sk > sk).length;
    const after = withReadState(row, sk, unread);
    await this.table.write({
      items: [
        updateReadStateItem(this.table.tableName, row, after),
        ...unreadConversationsItems(this.table.tableName, row, after),
      ],
      explain: staleRows,
    });
    return unread;
  }

  /** The newest message the other participant has read, or null. */
  async otherLastRead(groupUuid: string, viewerUuid: string): Promise<string | null> {
    const rows = await this.#rows(groupUuid);
    const other = rows.find((row) => ownerOf(row) !== viewerUuid);
    if (!other) return null;
    return parseMessageSortKey(readPositionOf(other))?.messageUuid ?? null;
  }

  /** How many of the user's conversations have unread messages. */
  async unreadConversations(userUuid: string): Promise<number> {
    const user = await this.table.get<Pick<UserItem, 'unread_conversations'>>(
      unreadConversationsRequest(this.table.tableName, userUuid),
    );
    return user?.unread_conversations ?? 0;
  }

  #rows(groupUuid: string): Promise<MessageGroupItem[]> {
    return queryAll<MessageGroupItem>(
      this.table,
      findGroupRowsQuery(this.table.tableName, groupUuid),
    );
  }

  /** The user's own row; the GSI may lag a move by pattern E for a moment. */
  #rowOf(groupUuid: string, userUuid: string): Promise<MessageGroupItem> {
    return retryOn(
      StaleGroupRowsError,
      async () => {
        const rows = (await this.#rows(groupUuid)).filter((row) => ownerOf(row) === userUuid);
        if (rows.length === 1 && rows[0]) return rows[0];
        throw new StaleGroupRowsError(`${rows.length} row(s) of the reader`);
      },
      WHILE_ROWS_ARE_STALE,
    );
  }
}
