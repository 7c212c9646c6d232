import { performance } from 'node:perf_hooks';
import { groupOfMessageKey } from '../../src/messaging/keys.js';
import type { StreamObserver } from '../../src/stream/outcomes.js';
import { percentile } from './latency.js';

export interface LagSummary {
  messages: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Pattern E's lag: from a message's write being acknowledged (`sent`) to the consumer's
 * outcome that leaves both group rows standing at or past it (`observer`, given to the
 * consumer). Times are this process's clock.
 */
export class LagClock {
  /** Acknowledged sends, in order: a phase is the ones from some index on. */
  readonly #sent: { group: string; sk: string; at: number }[] = [];
  /** Per conversation: the sort keys the consumer brought its rows to, and when. */
  readonly #applied = new Map<string, { sk: string; at: number }[]>();

  /** A row brought to the message (applied) or found there already counts; reads do not. */
  readonly observer: StreamObserver = (outcome) => {
    if (outcome.kind === 'read') return;
    const current =
      outcome.kind === 'applied' ||
      (outcome.kind === 'skipped' && outcome.reason === 'already_current');
    if (!outcome.message || !current) return;
    const group = groupOfMessageKey(outcome.message.pk);
    this.#applied.set(group, [
      ...(this.#applied.get(group) ?? []),
      { sk: outcome.message.sk, at: performance.now() },
    ]);
  };

  /** How many sends were acknowledged so far: where the next phase starts. */
  get sentCount(): number {
    return this.#sent.length;
  }

  sent(group: string, sk: string): void {
    this.#sent.push({ group, sk, at: performance.now() });
  }

  /**
   * The lag of the sends from index `from` on, once each is applied or 60 s have passed (an
   * unapplied one then counts as infinite). A send's outcome is the first that reached its
   * sort key no earlier than 1 ms before the send was acknowledged.
   */
  async lagSince(from: number): Promise<LagSummary> {
    const phase = this.#sent.slice(from);
    const lagOf = (m: (typeof phase)[number]) =>
      this.#applied.get(m.group)?.find((a) => a.sk >= m.sk && a.at >= m.at - 1)?.at;
    const deadline = performance.now() + 60_000;
    while (phase.some((m) => lagOf(m) === undefined) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const values = phase
      .map((m) => (lagOf(m) ?? Number.POSITIVE_INFINITY) - m.at)
      .sort((a, b) => a - b);
    return {
      messages: values.length,
      p50: percentile(values, 50),
      p99: percentile(values, 99),
      max: Math.max(...values),
    };
  }
}
