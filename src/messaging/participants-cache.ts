/**
 * Participants of a conversation never change, so a positive answer can be kept for the
 * life of the process: pattern D then needs no membership read after the first send.
 * Only hits are cached; a miss may become a conversation a moment later.
 */
export class ParticipantsCache {
  readonly #entries = new Map<string, readonly string[]>();

  constructor(private readonly capacity = 10_000) {}

  get(groupUuid: string): readonly string[] | undefined {
    return this.#entries.get(groupUuid);
  }

  set(groupUuid: string, participants: readonly string[]): void {
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(groupUuid, participants);
  }
}
