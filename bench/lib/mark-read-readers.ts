import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { MessageGroupItem, MessageItem } from '../../src/messaging/items.js';
import { messageGroupPartition, userKey } from '../../src/messaging/keys.js';
import { withReadState } from '../../src/messaging/read-state.js';
import { findGroupRowsQuery } from '../../src/messaging/requests/message-groups.js';
import {
  messagesBetweenQuery,
  unreadConversationsItems,
  updateReadStateItem,
} from '../../src/messaging/requests/read-state.js';
import type { BenchConversation } from './dataset.js';

/**
 * Mark read, as the web app sends it when a conversation's newest message is seen: the
 * recipient of the newest message (1 unread) marks it read. The bare requests are the ones
 * ReadMarks sends: the GSI Query for the row, the strongly consistent Query from the message
 * to the row's sk (proof that the message is there, and what stays unread), and the write
 * (here a transaction: the row and the profile's count, as unread goes to 0).
 */
export const bareMarkRead = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  c: BenchConversation,
): Promise<void> => {
  const { Items = [] } = await doc.send(
    new QueryCommand(findGroupRowsQuery(tableName, c.groupUuid)),
  );
  const row = Items.find((r) => r.pk === messageGroupPartition(c.reader.uuid)) as
    | MessageGroupItem
    | undefined;
  if (!row) throw new Error(`no row of ${c.reader.handle}`);
  // String order, not Math.max: sort keys compare as strings.
  const to = [c.newestSk, row.sk].sort().at(-1) ?? row.sk;
  const { Items: messages = [] } = await doc.send(
    new QueryCommand(messagesBetweenQuery(tableName, c.groupUuid, c.newestSk, to)),
  );
  const unread = (messages as MessageItem[]).filter(
    (m) => m.user_uuid === row.user_uuid && m.sk > c.newestSk,
  ).length;
  const after = withReadState(row, c.newestSk, unread);
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [
        updateReadStateItem(tableName, row, after),
        ...unreadConversationsItems(tableName, row, after),
      ],
    }),
  );
};

/**
 * The readers mark read's latency runs use, and putting them back: a reader marks its
 * conversation read once, so each one marked is reset to 1 unread before it is used again.
 * Even conversations' readers go to the API, odd ones' to the bare requests and the floor.
 */
export class MarkReadReaders {
  readonly api: BenchConversation[];
  readonly #bare: BenchConversation[];
  #bareNext = 0;
  /** Bare readers marked since they were last put back. */
  #bareUsed: BenchConversation[] = [];
  /** API readers are used in order: those from `#apiResetFrom` to `#apiIssued` are marked. */
  #apiResetFrom = 0;
  #apiIssued = 0;
  /** Readers marked, and how many of them were found marked and put back (the report's line). */
  readonly resets = { readers: 0, reset: 0 };

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    conversations: readonly BenchConversation[],
  ) {
    this.api = conversations.filter((_, i) => i % 2 === 0);
    this.#bare = conversations.filter((_, i) => i % 2 === 1);
  }

  /** The API's reader of the n-th prepared request. */
  apiReader(n: number): BenchConversation {
    return this.api[n % this.api.length] as BenchConversation;
  }

  /** The next bare reader (bare requests and the floor share them). */
  nextBare(): BenchConversation {
    const c = this.#bare[this.#bareNext++ % this.#bare.length] as BenchConversation;
    this.#bareUsed.push(c);
    return c;
  }

  /** Before each concurrency: every reader back, and the API's prepared requests from the start. */
  async beforeLevel(): Promise<void> {
    await this.resetPending();
    this.#apiResetFrom = 0;
    this.#apiIssued = 0;
  }

  /**
   * After each slice, `issued` API requests so far: readers are put back once a third of
   * either pool has been marked, so that a slice never reaches one that is marked already.
   */
  async betweenSlices(issued: number): Promise<void> {
    this.#apiIssued = issued;
    if (
      this.#apiIssued - this.#apiResetFrom > this.api.length / 3 ||
      this.#bareUsed.length > this.#bare.length / 3
    )
      await this.resetPending();
  }

  /** Puts back every reader marked since the last reset, API and bare. */
  async resetPending(): Promise<void> {
    const api = Array.from({ length: this.#apiIssued - this.#apiResetFrom }, (_, k) =>
      this.apiReader(this.#apiResetFrom + k),
    );
    const unique = [...new Set([...api, ...this.#bareUsed.splice(0)])];
    const done = await pMap(unique, (c) => this.#reset(c), { concurrency: 8 });
    this.resets.readers += unique.length;
    this.resets.reset += done.filter(Boolean).length;
    this.#apiResetFrom = this.#apiIssued;
  }

  /**
   * Puts a marked reader back as loaded (1 unread, the profile's count back up), so that the
   * next mark of it does the same work; a reader not marked (its condition fails) is left.
   * Tried again on a conflict with a mark still in flight, or a timeout.
   */
  async #reset(c: BenchConversation): Promise<boolean> {
    // Marked to the newest, its own sk: compact, no position, 0 unread.
    const marked = {
      pk: messageGroupPartition(c.reader.uuid),
      sk: c.newestSk,
      unread_count: 0,
    } as MessageGroupItem;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              updateReadStateItem(
                this.tableName,
                marked,
                withReadState(marked, c.readerLastReadSk, 1),
              ),
              {
                Update: {
                  TableName: this.tableName,
                  Key: userKey(c.reader.uuid),
                  UpdateExpression: 'ADD unread_conversations :one',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] })
          .CancellationReasons;
        const again =
          reasons?.some((r) => r.Code === 'TransactionConflict') ||
          (error as { name?: string }).name === 'TimeoutError';
        if (!again || attempt >= 10) return false;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      }
    }
  }
}
