import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { MessageItem } from '../../src/messaging/items.js';
import { messageItem } from '../../src/messaging/message-items.js';
import { newMessageUuid } from '../../src/messaging/message-uuid.js';
import type { User } from '../../src/messaging/model.js';
import {
  editMessageRequest,
  unsendMessageRequest,
} from '../../src/messaging/requests/message-changes.js';
import { getMessageRequest } from '../../src/messaging/requests/messages.js';
import type { WriteRequest } from '../../src/messaging/table-port.js';
import { putAll } from './dataset.js';
import type { HttpRequestSpec } from './http-load.js';
import type { Pattern, PatternContext } from './latency-patterns.js';

/**
 * Conversations of their own for edits and unsends: the changed messages stay out of A's and
 * D's conversations (A lists the newest 20, and its cost run reads them) and out of mark
 * read's (whose readers stand at their conversation's newest message).
 */
const CONVERSATIONS = 32;
/**
 * Messages a run at one concurrency may change through the API: twice the most D's sends
 * reached in a run here (about 1,500 at 32 clients over 4 s). Past them the API's requests
 * would repeat (interleaved-run.ts: `exhausted`), and an unsend repeated writes nothing.
 */
const API_MESSAGES = 8_000;
/** Messages the bare requests may change in one run (about 600 at most here; they go 4 × shorter). */
const BARE_MESSAGES = 3_000;
const TEXT = 'benchmark message';
const EDITED = 'benchmark message (edited)';

interface Target {
  group: string;
  author: User;
  message: MessageItem;
}

/** What the edit and unsend patterns need of the benchmark's setup. */
/** What the change patterns use of the latency patterns' context. */
export type MessageChangeContext = Pick<
  PatternContext,
  'doc' | 'tableName' | 'table' | 'messaging' | 'token' | 'pairs'
>;

/**
 * Fresh messages for one change pattern: an unsend can happen once per message, and an edit
 * only within EDIT_WINDOW_S (900 s by default) of the send, so each concurrency gets messages
 * of its own, written just before its run (outside the timed slices), one per request: the
 * API's in the order of its prepared requests, the bare requests' from a pool of their own.
 */
class FreshMessages {
  #conversations: { group: string; author: User }[] = [];
  #api: Target[] = [];
  #bare: Target[] = [];
  #bareNext = 0;

  constructor(private readonly context: MessageChangeContext) {}

  /**
   * Before each concurrency: the conversations once (started by their author through the
   * core, as a first message would be), the API's caches for them (participants, the block
   * check) as in steady state, and new messages. Seeded by BatchWriteItem, as the dataset is:
   * a message item like any sent one (no client_message_id, so a change is one UpdateItem).
   */
  async prepare(): Promise<void> {
    const { doc, tableName, messaging, pairs } = this.context;
    if (this.#conversations.length === 0) {
      for (let i = 0; i < CONVERSATIONS; i++) {
        const [author, other] = pairs.next();
        const { message } = await messaging.sendMessage({
          sender: author,
          to: { handle: other.handle },
          message: TEXT,
        });
        this.#conversations.push({ group: message.messageGroupUuid, author });
      }
    }
    for (const { group, author } of this.#conversations) {
      await messaging.participants(group);
      await messaging.blocked(author.uuid, group);
    }
    const total = API_MESSAGES + BARE_MESSAGES;
    // Sent in the last few seconds (well inside the edit window), 1 ms apart, oldest first.
    const since = Date.now() - total;
    const targets = Array.from({ length: total }, (_, i): Target => {
      const { group, author } = this.#conversations[i % CONVERSATIONS] as Target;
      const createdAt = new Date(since + i);
      const message = messageItem({
        messageGroupUuid: group,
        messageUuid: newMessageUuid(createdAt),
        sender: author,
        text: TEXT,
        createdAt,
      });
      return { group, author, message };
    });
    await putAll(
      doc,
      tableName,
      targets.map((target) => target.message),
    );
    this.#api = targets.slice(0, API_MESSAGES);
    this.#bare = targets.slice(API_MESSAGES);
    this.#bareNext = 0;
  }

  /** The message of the API's n-th prepared request. */
  api(n: number): Target {
    return this.#api[n % this.#api.length] as Target;
  }

  nextBare(): Target {
    const target = this.#bare[this.#bareNext++];
    if (!target)
      throw new Error(`the bare requests used all ${BARE_MESSAGES} fresh messages; raise it`);
    return target;
  }
}

/**
 * One change as a latency pattern: through the API, by the message's author, against its
 * bare requests as MessageChanges sends them: the strongly consistent GetItem of the message
 * (its v7 uuid names its sort key), then `write`, conditional on the revision read (here an
 * UpdateItem: no client_message_id claim to change with it).
 */
const changePattern = (
  context: MessageChangeContext,
  change: {
    name: string;
    method: 'PATCH' | 'DELETE';
    body?: unknown;
    write: (item: MessageItem) => WriteRequest;
  },
): Pattern => {
  const { doc, tableName, table, token } = context;
  const messages = new FreshMessages(context);
  return {
    name: change.name,
    prepared: API_MESSAGES,
    beforeLevel: () => messages.prepare(),
    http: (_level, n): HttpRequestSpec => {
      const t = messages.api(n);
      return {
        method: change.method,
        path: `/api/messages/${t.group}/${t.message.message_uuid}`,
        token: token(t.author),
        ...(change.body === undefined ? {} : { body: change.body }),
      };
    },
    bare: async () => {
      const t = messages.nextBare();
      const { Item } = await doc.send(
        new GetCommand(getMessageRequest(tableName, t.group, t.message.sk)),
      );
      if (!Item) throw new Error(`no message ${t.message.message_uuid}`);
      await table.write(change.write(Item as MessageItem));
    },
  };
};

/** PATCH /api/messages/{group}/{message} with {"message": ...}: the new text, within the window. */
export const editPattern = (context: MessageChangeContext): Pattern =>
  changePattern(context, {
    name: 'edit a message',
    method: 'PATCH',
    body: { message: EDITED },
    write: (item) => editMessageRequest(context.tableName, item, EDITED, new Date().toISOString()),
  });

/** DELETE /api/messages/{group}/{message}: a tombstone stays. */
export const unsendPattern = (context: MessageChangeContext): Pattern =>
  changePattern(context, {
    name: 'unsend a message',
    method: 'DELETE',
    write: (item) => unsendMessageRequest(context.tableName, item),
  });
