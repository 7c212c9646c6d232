import { type Cause, type CostSource, currentCause, runWithin } from './attribution.js';
import { dollars } from './cost-model.js';
import type { CostEntry, RequestCost } from './cost-schemas.js';

export const LEDGER_SIZE = 500;

const entryOf = (id: number, source: CostSource, at: Date, requests: RequestCost[]): CostEntry => {
  const sum = (pick: (r: RequestCost) => number) => requests.reduce((s, r) => s + pick(r), 0);
  const rcu = sum((r) => r.rcu);
  const wcu = sum((r) => r.wcu);
  return {
    id,
    at: at.toISOString(),
    source: source.source,
    ...(source.records === undefined ? {} : { records: source.records }),
    requests,
    rcu,
    wcu,
    gsi_wcu: sum((r) => r.gsi_wcu),
    usd: dollars(rcu, wcu),
  };
};

/**
 * What every DynamoDB request of the app cost, by cause: the last `keep` entries, and each
 * new one told to the subscribers (the inspector's Costs view). Records only while someone
 * subscribes: otherwise `recording` is false and the client middleware passes every request
 * straight on, so an unwatched server pays nothing for it.
 */
export class CostLedger {
  readonly #entries: CostEntry[] = [];
  readonly #listeners = new Set<(entry: CostEntry) => void>();
  #nextId = 1;
  /** A plain field, not a getter: it is read before every DynamoDB request. */
  recording = false;
  /** The cause of the inspector's own requests, which are not recorded. */
  readonly #ignored: Cause = {
    owner: this,
    source: 'inspector',
    at: new Date(0),
    requests: [],
    ignored: true,
    ended: false,
  };

  constructor(private readonly keep = LEDGER_SIZE) {}

  /** A new cause, or undefined when nobody is watching. */
  open(source: CostSource): Cause | undefined {
    if (!this.recording) return undefined;
    return { ...source, owner: this, at: new Date(), requests: [], ignored: false, ended: false };
  }

  /** The cause under which the inspector's own requests run. */
  ignoring(): Cause {
    return this.#ignored;
  }

  /** Ends `cause`: its requests, if it made any, become one entry. */
  close(cause: Cause): void {
    if (cause.ended || cause.ignored) return;
    cause.ended = true;
    if (cause.requests.length > 0) this.#add(cause, cause.at, cause.requests);
  }

  /** Runs `fn` as `source`: one entry for all the requests it makes. */
  async track<T>(source: CostSource, fn: () => Promise<T>): Promise<T> {
    const cause = this.open(source);
    if (!cause) return fn();
    try {
      return await runWithin(cause, fn);
    } finally {
      this.close(cause);
    }
  }

  /**
   * A request the middleware saw. It joins its cause; one with no cause of ours (started
   * before anyone watched, or outside any request), or made after its cause ended (work a
   * route left running), is an entry of its own.
   */
  record(request: RequestCost, cause: Cause | undefined = currentCause()): void {
    if (cause?.owner === this) {
      if (cause.ignored) return;
      if (!cause.ended) {
        cause.requests.push(request);
        return;
      }
    }
    const source = cause?.owner === this ? cause : { source: 'outside any request' };
    this.#add(source, new Date(), [request]);
  }

  /** Newest first. */
  entries(limit = this.keep): CostEntry[] {
    return this.#entries.slice(-limit).reverse();
  }

  subscribe(listener: (entry: CostEntry) => void): () => void {
    this.#listeners.add(listener);
    this.recording = true;
    return () => {
      this.#listeners.delete(listener);
      this.recording = this.#listeners.size > 0;
    };
  }

  #add(source: CostSource, at: Date, requests: RequestCost[]): void {
    const entry = entryOf(this.#nextId++, source, at, requests);
    this.#entries.push(entry);
    if (this.#entries.length > this.keep) this.#entries.shift();
    for (const listener of this.#listeners) listener(entry);
  }
}
