import { BoundedCache } from './bounded-cache.js';
import { BlockedError, CannotBlockSelfError, ItemExistsError, NotBlockedError } from './errors.js';
import type { BlockItem, PairItem } from './items.js';
import { pairKey } from './keys.js';
import type { User } from './model.js';
import {
  type BlockedUser,
  blockRequest,
  getPairBlocksRequest,
  listBlocksQuery,
  toBlockedUser,
  unblockRequest,
} from './requests/blocks.js';
import { queryAll, type TablePort } from './table-port.js';

export interface BlocksOptions {
  table: TablePort;
  clock: () => Date;
  /**
   * How long a process trusts what it read of a pair's blocks, for sends that did not read
   * the pair item already (to a conversation by its uuid). Blocks made or lifted through this
   * process apply at once; through another process, within this time (default 1 s).
   */
  cacheMs?: number;
  now?: () => number;
}

/**
 * Blocking: either of two users may block the other; while a block stands, neither can send
 * into their conversation (or start one). The mark lives on the pair item, which every send
 * by handle reads anyway; sends to a conversation by uuid read it (eventually consistent,
 * cached for `cacheMs`). See docs/data-model.md section 11.
 */
export class Blocks {
  readonly #table: TablePort;
  readonly #clock: () => Date;
  readonly #marks: BoundedCache<ReadonlySet<string>>;
  readonly #reading = new Map<string, Promise<ReadonlySet<string>>>();
  /**
   * Per pair, its reads in flight. A block or unblock by this process marks them stale: a read
   * begun before the change (a send's, eventually consistent) must not overwrite the cache
   * after the change's own read. A pair is here only while it is being read, so this holds no
   * more pairs than there are reads at once (a count of changes per pair, kept for good, grew
   * with every pair ever blocked; and forgetting such a count early would let a stale read in).
   */
  readonly #inFlight = new Map<string, Set<{ stale: boolean }>>();

  constructor(options: BlocksOptions) {
    this.#table = options.table;
    this.#clock = options.clock;
    this.#marks = new BoundedCache(10_000, options.cacheMs ?? 1000, options.now);
  }

  /** Idempotent: blocking someone blocked already writes nothing. */
  async block(blocker: User, blocked: User): Promise<void> {
    if (blocker.uuid === blocked.uuid) throw new CannotBlockSelfError();
    try {
      await this.#table.write(
        blockRequest(this.#table.tableName, blocker, blocked, this.#clock().toISOString()),
      );
    } catch (error) {
      if (!(error instanceof ItemExistsError)) throw error;
    }
    await this.#changed(blocker.uuid, blocked.uuid);
  }

  /** Idempotent: lifting a block that does not stand writes nothing. */
  async unblock(blocker: User, blocked: User): Promise<void> {
    try {
      await this.#table.write(unblockRequest(this.#table.tableName, blocker.uuid, blocked.uuid));
    } catch (error) {
      if (!(error instanceof NotBlockedError)) throw error;
    }
    await this.#changed(blocker.uuid, blocked.uuid);
  }

  /** The users `blockerUuid` blocks, by handle. */
  async list(blockerUuid: string): Promise<BlockedUser[]> {
    const items = await queryAll<BlockItem>(
      this.#table,
      listBlocksQuery(this.#table.tableName, blockerUuid),
    );
    return items.map(toBlockedUser).sort((a, b) => a.handle.localeCompare(b.handle));
  }

  /** BlockedError if the pair item just read (strongly consistent) carries a block. */
  refuseIfMarked(pair: PairItem | undefined): void {
    if (pair?.blocked_by && pair.blocked_by.size > 0) throw new BlockedError();
  }

  /** BlockedError if either of two users blocks the other (a cached read of their pair). */
  async refuseIfBlocked(userA: string, userB: string): Promise<void> {
    if (await this.isBlocked(userA, userB)) throw new BlockedError();
  }

  /** Whether either of two users blocks the other: a read of their pair, cached for `cacheMs`. */
  async isBlocked(userA: string, userB: string): Promise<boolean> {
    const key = pairKey(userA, userB).pk;
    let marks = this.#marks.get(key);
    if (!marks) {
      // Concurrent sends of one conversation share one read, not one each.
      let reading = this.#reading.get(key);
      if (!reading) {
        reading = this.#readMarks(userA, userB, { consistent: false }).finally(() =>
          this.#reading.delete(key),
        );
        this.#reading.set(key, reading);
      }
      marks = await reading;
    }
    return marks.size > 0;
  }

  /** How many pairs have reads of their marks in flight (what the staleness guard holds). */
  get pairsBeingRead(): number {
    return this.#inFlight.size;
  }

  /**
   * After this process blocked or unblocked: the pair's marks read strongly consistent, so
   * that its own next send sees the change at once, and no older read cached after it.
   */
  async #changed(userA: string, userB: string): Promise<void> {
    for (const read of this.#inFlight.get(pairKey(userA, userB).pk) ?? []) read.stale = true;
    await this.#readMarks(userA, userB, { consistent: true });
  }

  /** Reads a pair's marks, and caches them unless this process changed them meanwhile. */
  async #readMarks(
    userA: string,
    userB: string,
    options: { consistent: boolean },
  ): Promise<ReadonlySet<string>> {
    const key = pairKey(userA, userB).pk;
    const read = { stale: false };
    let reads = this.#inFlight.get(key);
    if (!reads) {
      reads = new Set();
      this.#inFlight.set(key, reads);
    }
    reads.add(read);
    try {
      const pair = await this.#table.get<Pick<PairItem, 'blocked_by'>>(
        getPairBlocksRequest(this.#table.tableName, userA, userB, options),
      );
      const marks: ReadonlySet<string> = pair?.blocked_by ?? new Set();
      if (!read.stale) this.#marks.set(key, marks);
      return marks;
    } finally {
      reads.delete(read);
      if (reads.size === 0) this.#inFlight.delete(key);
    }
  }
}
