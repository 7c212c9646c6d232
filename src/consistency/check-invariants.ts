import { InvariantChecker, type InvariantReport } from './invariant-checker.js';

export type { InvariantReport } from './invariant-checker.js';

/** The invariant checker over items already in memory (tests, benchmarks). */
export const checkInvariants = (items: Iterable<Record<string, unknown>>): InvariantReport =>
  new InvariantChecker().addAll(items).report();
