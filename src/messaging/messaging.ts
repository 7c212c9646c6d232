import { randomUUID } from 'node:crypto';
import { Blocks } from './blocks.js';
import { BoundedCache } from './bounded-cache.js';
import { type CursorCodec, createCursorCodec } from './cursor.js';
import {
  CannotMessageSelfError,
  ConversationExistsError,
  DuplicateClientMessageError,
  HandleTakenError,
  InvalidUuidError,
  ItemExistsError,
  MessageGroupNotFoundError,
  MessageNotFoundError,
  UserExistsError,
  UserNotFoundError,
  WriteConflictError,
} from './errors.js';
import { toMessage, toMessageGroup } from './item-models.js';
import type {
  ClientMessageItem,
  ConversationItem,
  HandleItem,
  MessageGroupItem,
  MessageItem,
  PairItem,
  UserItem,
} from './items.js';
import { MessageChanges } from './message-changes.js';
import { claimedMessageItem, messageItem, type NewMessage } from './message-items.js';
import { newMessageUuid } from './message-uuid.js';
import type { Message, MessageGroup, MessagesPage, Page, User } from './model.js';
import { findPeople } from './people-search.js';
import { ReadMarks } from './read-marks.js';
import type { BlockedUser } from './requests/blocks.js';
import {
  appendMessageRequest,
  claimClientMessageRequest,
  getClientMessageRequest,
  getConversationRequest,
  getMessageRequest,
  getPairRequest,
  pairConversationRequest,
  restoreMessageRequest,
  startConversationRequest,
} from './requests/messages.js';
import { listMessageGroupsQuery, listMessagesQuery } from './requests/queries.js';
import {
  createUserRequest,
  getUserByHandleRequest,
  getUserRequest,
  listUsersScan,
  toUser,
} from './requests/users.js';
import { retryOn } from './retry.js';
import type { TablePort, WriteRequest } from './table-port.js';
import {
  normalizeDisplayName,
  normalizeHandle,
  normalizeLimit,
  normalizeMessageText,
  normalizeUuid,
  validateClientMessageId,
} from './validation.js';

export interface MessagingOptions {
  table: TablePort;
  clock?: () => Date;
  newUuid?: () => string;
  cursors?: CursorCodec;
  /** How long after sending a message its author may edit it (default 900 s). */
  editWindowSeconds?: number;
  /** How long a send to a conversation trusts a read of its blocks (default 1 s; see Blocks). */
  blockCacheMs?: number;
}

export type SendTarget = { handle: string } | { messageGroupUuid: string };

export interface SendMessageInput {
  sender: User;
  to: SendTarget;
  message: string;
  clientMessageId?: string | undefined;
}

export interface SendMessageResult {
  message: Message;
  /** False when this was a retry of an earlier send with the same client_message_id. */
  created: boolean;
}

export interface PageRequest {
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** The access patterns of the design, with their rules. Knows nothing of HTTP or Lambda. */
export class Messaging {
  readonly #table: TablePort;
  readonly #readMarks: ReadMarks;
  readonly #changes: MessageChanges;
  readonly #blocks: Blocks;
  readonly #clock: () => Date;
  readonly #newUuid: () => string;
  readonly #cursors: CursorCodec;
  readonly #participants = new BoundedCache<readonly string[]>();

  constructor(options: MessagingOptions) {
    this.#table = options.table;
    this.#readMarks = new ReadMarks(options.table);
    this.#clock = options.clock ?? (() => new Date());
    this.#changes = new MessageChanges(options.table, this.#clock, options.editWindowSeconds);
    this.#blocks = new Blocks({
      table: options.table,
      clock: this.#clock,
      cacheMs: options.blockCacheMs,
    });
    this.#newUuid = options.newUuid ?? randomUUID;
    this.#cursors = options.cursors ?? createCursorCodec();
  }

  get #tableName(): string {
    return this.#table.tableName;
  }

  /** How long after sending its author may edit a message (`GET /api/config` tells clients). */
  get editWindowSeconds(): number {
    return this.#changes.editWindowSeconds;
  }

  async createUser(input: { uuid?: string; handle: string; displayName: string }): Promise<User> {
    const user: User = {
      uuid: input.uuid === undefined ? this.#newUuid() : normalizeUuid(input.uuid, 'uuid'),
      handle: normalizeHandle(input.handle),
      displayName: normalizeDisplayName(input.displayName),
    };
    const createdAt = this.#clock().toISOString();
    try {
      await this.#table.write(createUserRequest(this.#tableName, user, createdAt));
    } catch (error) {
      if (!(error instanceof HandleTakenError || error instanceof UserExistsError)) throw error;
      // Ours already, if the SDK retried a transaction whose first answer was lost.
      const stored = await this.#table.get<UserItem>(
        getUserRequest(this.#tableName, user.uuid, { consistent: true }),
      );
      if (!stored || !sameUser(toUser(stored), user)) throw error;
    }
    return user;
  }

  async getUser(uuid: string): Promise<User | undefined> {
    const item = await this.#table.get<UserItem>(
      getUserRequest(this.#tableName, normalizeUuid(uuid, 'uuid')),
    );
    return item && toUser(item);
  }

  async getUserByHandle(handle: string): Promise<User> {
    let normalized: string;
    try {
      normalized = normalizeHandle(handle);
    } catch {
      throw new UserNotFoundError(); // a string that cannot be a handle names no user
    }
    const item = await this.#table.get<HandleItem>(
      getUserByHandleRequest(this.#tableName, normalized),
    );
    if (!item) throw new UserNotFoundError();
    return toUser(item);
  }

  /**
   * People search (`GET /api/users?q=`): users whose handle, or a word of whose name, starts
   * with `text`, without the caller; at most `limit` (1-20, default 10). A few Queries.
   */
  findUsers(callerUuid: string | undefined, text: string, limit?: number): Promise<User[]> {
    return findPeople(this.#table, callerUuid, text, limit);
  }

  /** Every user, sorted by handle. A Scan: for the dev sign-in page, never for the product. */
  async listAllUsers(): Promise<User[]> {
    const users: User[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#table.scan<UserItem>(listUsersScan(this.#tableName, startKey));
      users.push(...page.items.map(toUser));
      startKey = page.lastKey;
    } while (startKey);
    return users.sort((a, b) => a.handle.localeCompare(b.handle));
  }

  /** Patterns C and D: to a handle (starting the conversation if needed) or to a group. */
  async sendMessage(input: SendMessageInput): Promise<SendMessageResult> {
    const text = normalizeMessageText(input.message);
    const clientMessageId =
      input.clientMessageId === undefined
        ? undefined
        : validateClientMessageId(input.clientMessageId);
    const draft = { sender: input.sender, text, clientMessageId };
    try {
      if ('handle' in input.to) {
        const recipient = await this.getUserByHandle(input.to.handle);
        if (recipient.uuid === input.sender.uuid) throw new CannotMessageSelfError();
        return await this.#sendToUser(draft, recipient);
      }
      const groupUuid = await this.#participantGroup(input.to.messageGroupUuid, input.sender.uuid);
      await this.#refuseIfBlocked(input.sender.uuid, groupUuid);
      return await this.#append(draft, groupUuid);
    } catch (error) {
      if (error instanceof DuplicateClientMessageError && clientMessageId !== undefined) {
        return {
          message: await this.#sentWith(input.sender.uuid, clientMessageId),
          created: false,
        };
      }
      throw error;
    }
  }

  /**
   * Pattern A: the newest page first; inside a page, oldest first. With it, in parallel, the
   * other participant's read position (their group row, through the GSI), for "Seen".
   */
  async listMessages(
    viewerUuid: string,
    groupUuid: string,
    page: PageRequest = {},
  ): Promise<MessagesPage> {
    const group = await this.#participantGroup(groupUuid, viewerUuid);
    const limit = normalizeLimit(page.limit);
    const scope = `messages|${viewerUuid}|${group}`;
    const before = page.cursor ? this.#cursors.decode(scope, page.cursor) : undefined;
    const [{ items }, otherLastReadMessageUuid] = await Promise.all([
      this.#table.query<MessageItem>(listMessagesQuery(this.#tableName, group, limit, before)),
      this.#readMarks.otherLastRead(group, viewerUuid),
    ]);
    const { pageItems, last } = this.#cut(items, limit);
    return {
      items: pageItems.map(toMessage).reverse(),
      nextCursor: last ? this.#cursors.encode(scope, last.sk) : null,
      otherLastReadMessageUuid,
    };
  }

  /**
   * Marks a conversation read up to and including a message, on every device of the user;
   * the unread count after it. Not a participant, no such conversation and no such message
   * in it get the same kind of 404.
   */
  async markRead(
    userUuid: string,
    groupUuid: string,
    messageUuid: string,
  ): Promise<{ unreadCount: number }> {
    const group = await this.#participantGroup(groupUuid, userUuid);
    const uuid = normalizeUuid(messageUuid, 'message_uuid');
    return { unreadCount: await this.#readMarks.mark(userUuid, group, uuid) };
  }

  /**
   * Its author's new text for a message, within the edit window. Not the author, not a
   * participant and no such message get the same 404; after the window, 403.
   */
  async editMessage(
    author: User,
    groupUuid: string,
    messageUuid: string,
    text: string,
  ): Promise<Message> {
    const normalized = normalizeMessageText(text);
    const [group, uuid] = await this.#authorsMessage(author, groupUuid, messageUuid);
    // New words are a send: a block stops them too (an unsend, which takes words back, is not).
    await this.#refuseIfBlocked(author.uuid, group);
    return this.#changes.edit(author, group, uuid, normalized);
  }

  /** Unsends a message of its author's: a tombstone stays; its text goes from every item. */
  async unsendMessage(author: User, groupUuid: string, messageUuid: string): Promise<void> {
    const [group, uuid] = await this.#authorsMessage(author, groupUuid, messageUuid);
    await this.#changes.unsend(author, group, uuid);
  }

  /** The conversation and message uuids, if the user takes part; the message's 404 if not. */
  async #authorsMessage(
    author: User,
    groupUuid: string,
    messageUuid: string,
  ): Promise<[string, string]> {
    try {
      return [
        await this.#participantGroup(groupUuid, author.uuid),
        normalizeUuid(messageUuid, 'message_uuid'),
      ];
    } catch (error) {
      if (error instanceof MessageGroupNotFoundError || error instanceof InvalidUuidError)
        throw new MessageNotFoundError();
      throw error;
    }
  }

  /** Blocks `handle` for `blocker`: no sends between them either way until unblocked. */
  async block(blocker: User, handle: string): Promise<void> {
    await this.#blocks.block(blocker, await this.getUserByHandle(handle));
  }

  async unblock(blocker: User, handle: string): Promise<void> {
    await this.#blocks.unblock(blocker, await this.getUserByHandle(handle));
  }

  /** The users `userUuid` blocks, by handle. */
  listBlocks(userUuid: string): Promise<BlockedUser[]> {
    return this.#blocks.list(userUuid);
  }

  /** Whether either participant blocks the other: typing frames between them are dropped. */
  async blocked(userUuid: string, groupUuid: string): Promise<boolean> {
    const other = await this.#otherParticipant(userUuid, groupUuid);
    return other !== undefined && (await this.#blocks.isBlocked(userUuid, other));
  }

  /** How many of the user's conversations have unread messages (`GET /api/me`). */
  unreadConversations(userUuid: string): Promise<number> {
    return this.#readMarks.unreadConversations(userUuid);
  }

  /** Pattern B: my conversations, newest first. */
  async listMessageGroups(userUuid: string, page: PageRequest = {}): Promise<Page<MessageGroup>> {
    const limit = normalizeLimit(page.limit);
    const scope = `message_groups|${userUuid}`;
    const before = page.cursor ? this.#cursors.decode(scope, page.cursor) : undefined;
    const { items } = await this.#table.query<MessageGroupItem>(
      listMessageGroupsQuery(this.#tableName, userUuid, limit, before),
    );
    const { pageItems, last } = this.#cut(items, limit);
    return {
      items: pageItems.map(toMessageGroup),
      nextCursor: last ? this.#cursors.encode(scope, last.sk) : null,
    };
  }

  /**
   * The conversation two users have, or null: what "New message" opens when I pick someone I
   * already talk to (one GetItem of the pair item).
   */
  async conversationWith(userUuid: string, otherUuid: string): Promise<string | null> {
    if (userUuid === otherUuid) return null;
    const pair = await this.#table.get<Pick<PairItem, 'group_uuid'>>(
      pairConversationRequest(this.#tableName, userUuid, otherUuid),
    );
    return pair?.group_uuid ?? null;
  }

  /** The two participants of a conversation, or MessageGroupNotFoundError. */
  async participants(groupUuid: string): Promise<readonly string[]> {
    return this.#participantsOf(normalizeUuid(groupUuid, 'message_group_uuid'));
  }

  async #participantsOf(uuid: string): Promise<readonly string[]> {
    const cached = this.#participants.get(uuid);
    if (cached) return cached;
    const item = await this.#table.get<ConversationItem>(
      getConversationRequest(this.#tableName, uuid),
    );
    if (!item) throw new MessageGroupNotFoundError();
    this.#participants.set(uuid, item.participant_uuids);
    return item.participant_uuids;
  }

  /** The group's uuid if `userUuid` takes part in it; the same error whether or not it exists. */
  async #participantGroup(groupUuid: string, userUuid: string): Promise<string> {
    let uuid: string;
    try {
      uuid = normalizeUuid(groupUuid, 'message_group_uuid');
    } catch (error) {
      // A malformed uuid names no conversation: answer as for any other stranger's group.
      if (error instanceof InvalidUuidError) throw new MessageGroupNotFoundError();
      throw error;
    }
    if (!(await this.#participantsOf(uuid)).includes(userUuid))
      throw new MessageGroupNotFoundError();
    return uuid;
  }

  /** BlockedError if a participant of `groupUuid` (one of `userUuid`'s) blocks the other. */
  async #refuseIfBlocked(userUuid: string, groupUuid: string): Promise<void> {
    const other = await this.#otherParticipant(userUuid, groupUuid);
    if (other !== undefined) await this.#blocks.refuseIfBlocked(userUuid, other);
  }

  /** The participant of `groupUuid` who is not `userUuid` (none in a conversation with oneself). */
  async #otherParticipant(userUuid: string, groupUuid: string): Promise<string | undefined> {
    return (await this.#participantsOf(groupUuid)).find((uuid) => uuid !== userUuid);
  }

  /**
   * Patterns C and D by handle. A claim of the pair that fails finds, on a second read, the
   * conversation someone else started (joined), a block (refused) or, when a block came and
   * went in between, neither: then the whole send is tried again, at most three times.
   */
  #sendToUser(draft: Draft, recipient: User): Promise<SendMessageResult> {
    return retryOn(ConversationExistsError, () => this.#sendToUserOnce(draft, recipient), {
      attempts: 3,
      giveUp: (error) => new WriteConflictError({ cause: error }),
    });
  }

  async #sendToUserOnce(draft: Draft, recipient: User): Promise<SendMessageResult> {
    const existing = await this.#pairGroup(draft.sender.uuid, recipient.uuid);
    if (existing) return this.#append(draft, existing);
    const groupUuid = this.#newUuid();
    const first = this.#newMessage(draft, groupUuid);
    try {
      await this.#table.write(
        startConversationRequest(this.#tableName, draft.sender, recipient, first),
      );
      this.#participants.set(groupUuid, [draft.sender.uuid, recipient.uuid]);
      return { message: toMessage(messageItem(first)), created: true };
    } catch (error) {
      if (!(error instanceof ConversationExistsError)) throw error;
      // Started by the other side, or blocked, since our read of the pair.
      const winner = await this.#pairGroup(draft.sender.uuid, recipient.uuid);
      // Neither: a block came and went since our read. Nothing was written: try again.
      if (!winner) throw error;
      // Our own group uuid, fresh for this send: the SDK retried our transaction after its
      // first answer was lost, and that first attempt wrote everything.
      if (winner === groupUuid) return { message: toMessage(messageItem(first)), created: true };
      // The other side (or a concurrent send of ours) started it first: join that one.
      return this.#append(draft, winner);
    }
  }

  async #append(draft: Draft, groupUuid: string): Promise<SendMessageResult> {
    const message = messageItem(this.#newMessage(draft, groupUuid));
    if (draft.clientMessageId !== undefined) {
      await this.#table.write(
        claimClientMessageRequest(this.#tableName, message, draft.clientMessageId),
      );
    }
    await this.#putMessage(appendMessageRequest(this.#tableName, message));
    return { message: toMessage(message), created: true };
  }

  /**
   * A message's key holds a uuid made for this one send, so if the item exists, this send
   * wrote it already: an SDK retry after a lost answer, or a retry that restored it from its
   * claim. Either way the message is stored once, which is what was asked.
   */
  async #putMessage(request: WriteRequest): Promise<void> {
    try {
      await this.#table.write(request);
    } catch (error) {
      if (!(error instanceof ItemExistsError)) throw error;
    }
  }

  /**
   * The pair's conversation, if any; BlockedError if either blocks the other. The pair item
   * holds both (a strongly consistent read), so a send by handle checks blocks for free.
   */
  async #pairGroup(userA: string, userB: string): Promise<string | undefined> {
    const pair = await this.#table.get<PairItem>(getPairRequest(this.#tableName, userA, userB));
    this.#blocks.refuseIfMarked(pair);
    return pair?.group_uuid;
  }

  async #sentWith(senderUuid: string, clientMessageId: string): Promise<Message> {
    const claim = await this.#table.get<ClientMessageItem>(
      getClientMessageRequest(this.#tableName, senderUuid, clientMessageId),
    );
    // Claims are never deleted: the failed condition that brought us here saw this one.
    if (!claim) throw new Error(`client_message_id ${clientMessageId} has no claim`);
    const item = await this.#table.get<MessageItem>(
      getMessageRequest(this.#tableName, claim.group_uuid, claim.message_sk),
    );
    if (item) return toMessage(item);
    // The first attempt stopped between its claim and its message: finish it.
    await this.#putMessage(restoreMessageRequest(this.#tableName, claim));
    return toMessage(claimedMessageItem(claim));
  }

  #newMessage(draft: Draft, groupUuid: string): NewMessage {
    const createdAt = this.#clock();
    return {
      messageGroupUuid: groupUuid,
      messageUuid: newMessageUuid(createdAt),
      sender: draft.sender,
      text: draft.text,
      createdAt,
      clientMessageId: draft.clientMessageId,
    };
  }

  #cut<T extends { sk: string }>(
    items: T[],
    limit: number,
  ): { pageItems: T[]; last: T | undefined } {
    const pageItems = items.slice(0, limit);
    return { pageItems, last: items.length > limit ? pageItems.at(-1) : undefined };
  }
}

const sameUser = (a: User, b: User): boolean =>
  a.uuid === b.uuid && a.handle === b.handle && a.displayName === b.displayName;

interface Draft {
  sender: User;
  text: string;
  clientMessageId: string | undefined;
}
