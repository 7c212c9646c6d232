import { DEFAULT_EDIT_WINDOW_SECONDS } from '../contract/limits.js';
import {
  EditWindowClosedError,
  MessageNotFoundError,
  StaleMessageError,
  WriteConflictError,
} from './errors.js';
import { toMessage } from './item-models.js';
import type { MessageItem } from './items.js';
import { findMessage } from './message-lookup.js';
import type { Message, User } from './model.js';
import { editMessageRequest, unsendMessageRequest } from './requests/message-changes.js';
import { type RetryOptions, retryOn } from './retry.js';
import type { TablePort } from './table-port.js';

/**
 * A message changed by another edit or unsend between its read and the write is read again at
 * once (the read is strongly consistent: there is no lag to wait out), up to 4 times in all;
 * then 503 write_conflict.
 */
const WHILE_MESSAGE_IS_STALE: RetryOptions = {
  attempts: 4,
  giveUp: (error) => new WriteConflictError({ cause: error }),
};

/**
 * Edits and unsends by a message's author. Each is a conditional UpdateItem of the message
 * (a transaction with its idempotency claim when it has one: the claim holds the text too);
 * the group rows' previews follow through the stream (MODIFY records). The caller has checked
 * that the user takes part in the conversation.
 */
export class MessageChanges {
  constructor(
    private readonly table: TablePort,
    private readonly clock: () => Date,
    readonly editWindowSeconds: number = DEFAULT_EDIT_WINDOW_SECONDS,
  ) {}

  async edit(author: User, groupUuid: string, messageUuid: string, text: string): Promise<Message> {
    return this.#change(author, groupUuid, messageUuid, async (item) => {
      // An unsent message has nothing left to edit.
      if (item.deleted) throw new MessageNotFoundError();
      const age = this.clock().getTime() - Date.parse(item.created_at);
      if (age > this.editWindowSeconds * 1000)
        throw new EditWindowClosedError(this.editWindowSeconds);
      const editedAt = this.clock().toISOString();
      await this.table.write(editMessageRequest(this.table.tableName, item, text, editedAt));
      return { ...item, message: text, edited_at: editedAt, revision: (item.revision ?? 0) + 1 };
    });
  }

  /** Any time; unsending an unsent message changes nothing. */
  async unsend(author: User, groupUuid: string, messageUuid: string): Promise<void> {
    await this.#change(author, groupUuid, messageUuid, async (item) => {
      if (item.deleted) return item;
      await this.table.write(unsendMessageRequest(this.table.tableName, item));
      return item;
    });
  }

  /** Reads the message, lets `apply` change it, and reads again if it changed meanwhile. */
  async #change(
    author: User,
    groupUuid: string,
    messageUuid: string,
    apply: (item: MessageItem) => Promise<MessageItem>,
  ): Promise<Message> {
    return retryOn(
      StaleMessageError,
      async () => {
        const item = await findMessage(this.table, groupUuid, messageUuid);
        // Someone else's message is answered as no message at all: nothing about it leaks.
        if (!item || item.user_uuid !== author.uuid) throw new MessageNotFoundError();
        return toMessage(await apply(item));
      },
      WHILE_MESSAGE_IS_STALE,
    );
  }
}
