/**
 * A map that forgets its oldest entries past `capacity`. Used for facts that only ever
 * become "more true": participants of a conversation (never change) and where pattern E last
 * put a conversation's group rows (only move forward; a stale entry fails a condition and is
 * re-read, never acted on blindly).
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly capacity = 10_000) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
