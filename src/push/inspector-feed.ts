import type { StreamObserver, StreamOutcome } from '../stream/outcomes.js';

/** One line of the inspector's live feed: a stream record and what pattern E made of it. */
export interface InspectorRecord {
  at: string;
  sequence_number: string;
  event_name: string;
  pk: string | undefined;
  sk: string | undefined;
  item_type: string | undefined;
  outcome: StreamOutcome['kind'];
  reason?: string;
  error?: string;
}

const toRecord = (outcome: StreamOutcome): InspectorRecord => ({
  at: new Date().toISOString(),
  sequence_number: outcome.record.sequenceNumber,
  event_name: outcome.record.eventName,
  pk: outcome.record.pk,
  sk: outcome.record.sk,
  item_type: outcome.record.itemType,
  outcome: outcome.kind,
  ...(outcome.kind === 'skipped' ? { reason: outcome.reason } : {}),
  ...(outcome.kind === 'failed' ? { error: outcome.error } : {}),
});

/** Every stream outcome, for the inspector: the last `keep` for newcomers, then live. */
export class InspectorFeed {
  readonly #recent: InspectorRecord[] = [];
  readonly #listeners = new Set<(record: InspectorRecord) => void>();

  constructor(private readonly keep = 200) {}

  readonly observer: StreamObserver = (outcome) => {
    const record = toRecord(outcome);
    this.#recent.push(record);
    if (this.#recent.length > this.keep) this.#recent.shift();
    for (const listener of this.#listeners) listener(record);
  };

  recent(): readonly InspectorRecord[] {
    return this.#recent;
  }

  subscribe(listener: (record: InspectorRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
