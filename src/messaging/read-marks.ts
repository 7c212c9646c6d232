import { MessageNotFoundError, StaleGroupRowsError, WriteConflictError } from './errors.js';
import type { MessageGroupItem, MessageItem, UserItem } from './items.js';
import { parseMessageSortKey, userKey } from './keys.js';
import { sortKeyOf } from './message-lookup.js';
import { laterKey, ownerOf, readPositionOf, unreadCountOf } from './read-state.js';
import { findGroupRowsQuery } from './requests/message-groups.js';
import { getMessageRequest } from './requests/messages.js';
import {
  messagesBetweenQuery,
  staleRows,
  unreadConversationsItems,
  updateReadStateItem,
} from './requests/read-state.js';
import { queryAll, type TablePort } from './table-port.js';

/** The GSI can lag a move by pattern E: up to 8 reads over about 1.3 s. */
const MAX_ATTEMPTS = 8;

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
    const found = await sortKeyOf(this.table, groupUuid, messageUuid);
    if (!found) throw new MessageNotFoundError();
    const sk: string = found;
    for (let attempt = 1; ; attempt++) {
      const row = await this.#rowOf(groupUuid, userUuid);
      if (sk <= readPositionOf(row)) {
        // Nothing to move; but a uuid names a key without a read: is it a message here?
        const message = await this.table.get(
          getMessageRequest(this.table.tableName, groupUuid, sk),
        );
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
      const after: MessageGroupItem = { ...row, last_read_sk: sk, unread_count: unread };
      try {
        await this.table.write({
          items: [
            updateReadStateItem(this.table.tableName, row, after),
            ...unreadConversationsItems(this.table.tableName, row, after),
          ],
          explain: staleRows,
        });
        return unread;
      } catch (error) {
        // Pattern E moved the row, or another device marked it: read it again.
        if (!(error instanceof StaleGroupRowsError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw new WriteConflictError({ cause: error });
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt));
      }
    }
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
    const user = await this.table.get<UserItem>({
      TableName: this.table.tableName,
      Key: userKey(userUuid),
      ProjectionExpression: 'unread_conversations',
    });
    return user?.unread_conversations ?? 0;
  }

  #rows(groupUuid: string): Promise<MessageGroupItem[]> {
    return queryAll<MessageGroupItem>(
      this.table,
      findGroupRowsQuery(this.table.tableName, groupUuid),
    );
  }

  /** The user's own row; the GSI may lag a move by pattern E for a moment. */
  async #rowOf(groupUuid: string, userUuid: string): Promise<MessageGroupItem> {
    for (let attempt = 1; ; attempt++) {
      const rows = (await this.#rows(groupUuid)).filter((row) => ownerOf(row) === userUuid);
      if (rows.length === 1 && rows[0]) return rows[0];
      if (attempt >= MAX_ATTEMPTS) throw new WriteConflictError();
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt));
    }
  }
}
