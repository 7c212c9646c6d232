/**
 * Who is listening for what: each connected browser tab registers a sender for its user.
 * In-process by design: one server locally. On AWS a managed channel (API Gateway WebSocket
 * or AppSync) would take this role; the notifier would publish there instead.
 */
export type PushSender = (event: string, data: unknown) => void;

export class PushHub {
  readonly #listeners = new Map<string, Set<PushSender>>();

  subscribe(userUuid: string, send: PushSender): () => void {
    const set = this.#listeners.get(userUuid) ?? new Set();
    set.add(send);
    this.#listeners.set(userUuid, set);
    return () => {
      set.delete(send);
      if (set.size === 0) this.#listeners.delete(userUuid);
    };
  }

  publish(userUuid: string, event: string, data: unknown): void {
    for (const send of this.#listeners.get(userUuid) ?? []) send(event, data);
  }
}
