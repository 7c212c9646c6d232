import type { User } from '../../src/messaging/model.js';
import type { Dataset } from './dataset.js';
import { pick } from './pick.js';

/**
 * Pairs of users with no conversation yet, for C (start a conversation): its prepared
 * requests per concurrency, its bare requests and its cost run each take pairs never used.
 */
export class FreshPairs {
  readonly #users: readonly User[];
  readonly #conversations: number;
  readonly #used: Set<string>;
  /** Pairs that had no conversation when the dataset was loaded. */
  readonly #free: number;

  constructor(dataset: Dataset) {
    this.#users = dataset.users;
    this.#conversations = dataset.conversations.length;
    this.#used = new Set(dataset.conversations.map((c) => FreshPairs.#key(c.a, c.b)));
    const users = this.#users.length;
    this.#free = (users * (users - 1)) / 2 - this.#used.size;
  }

  /** How many C requests to prepare per run: small datasets (BENCH_USERS) get fewer. */
  get prepared(): number {
    return Math.max(100, Math.min(8_000, Math.floor(this.#free / 8)));
  }

  /**
   * A pair drawn at random among the unused ones; refused past half of the free pairs, where
   * drawing would slow down (and a run this small should have more users anyway).
   */
  next(): [User, User] {
    if (this.#used.size - this.#conversations >= this.#free / 2)
      throw new Error(
        `Too few users (${this.#users.length}) for more fresh pairs; raise BENCH_USERS.`,
      );
    for (;;) {
      const [a, b] = [pick(this.#users), pick(this.#users)];
      const key = FreshPairs.#key(a, b);
      if (a !== b && !this.#used.has(key)) {
        this.#used.add(key);
        return [a, b];
      }
    }
  }

  static #key(a: User, b: User): string {
    return [a.uuid, b.uuid].sort().join();
  }
}
