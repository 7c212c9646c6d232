import { messagePartition } from '../messaging/keys.js';
import { InvariantChecker, type InvariantReport } from './invariant-checker.js';

export type { InvariantReport } from './invariant-checker.js';

/**
 * The invariant checker over items already in memory (tests, benchmarks): one look at every
 * item, and a second at the messages of the conversations whose read state or claims need it
 * (with the claims of those conversations).
 */
export const checkInvariants = (items: Iterable<Record<string, unknown>>): InvariantReport => {
  const all = Array.isArray(items) ? (items as Record<string, unknown>[]) : [...items];
  const checker = new InvariantChecker().addAll(all);
  const groups = new Set(checker.startRecount());
  const again = new Set([...groups].map(messagePartition));
  if (groups.size > 0)
    for (const item of all)
      if (
        again.has(String(item.pk)) ||
        (item.item_type === 'client_message' && groups.has(String(item.group_uuid)))
      )
        checker.addAgain(item);
  return checker.report();
};
