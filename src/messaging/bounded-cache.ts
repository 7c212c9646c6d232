/**
 * A map that forgets its oldest entries past `capacity`, and each entry after `ttlMs`. Used
 * for facts that only ever become "more true": participants of a conversation (never change)
 * and where pattern E last put a conversation's group rows (only move forward; a stale entry
 * fails a condition and is re-read, never acted on blindly); with a TTL, for facts that may
 * change rarely (a signed-in user's profile). `now` is the clock entries age by (tests move it).
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly capacity = 10_000,
    private readonly ttlMs = Number.POSITIVE_INFINITY,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expires: this.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
