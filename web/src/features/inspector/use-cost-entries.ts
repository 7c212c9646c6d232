import { useEffect, useState } from 'react';
import type { CostEntry } from '../../lib/api-types';
import { openEventStream, type StreamStatus } from '../../lib/event-stream';
import {
  addEntry,
  COSTS_STREAM_URL,
  type CostTotals,
  entryKey,
  isCostEntry,
  NO_COSTS,
} from './cost-entries';

export const KEEP_ENTRIES = 100;

/**
 * The cost ledger's entries since the page opened, newest first (the last KEEP_ENTRIES
 * shown, all of them in the totals). Watching is what makes the server record: the stream
 * is opened with the page, whichever tab is shown, so the totals are those of everything
 * done since. Entries the server replays on a reconnect are counted once.
 */
export const useCostEntries = (openedAt: string) => {
  const [state, setState] = useState<{ entries: CostEntry[]; totals: CostTotals }>({
    entries: [],
    totals: NO_COSTS,
  });
  const [status, setStatus] = useState<StreamStatus>('connecting');

  useEffect(() => {
    const seen = new Set<string>();
    return openEventStream({
      url: () => COSTS_STREAM_URL,
      eventTypes: ['cost'],
      onEvent: (_type, data) => {
        if (!isCostEntry(data) || data.at < openedAt || seen.has(entryKey(data))) return;
        seen.add(entryKey(data));
        setState((previous) => ({
          entries: [data, ...previous.entries].slice(0, KEEP_ENTRIES),
          totals: addEntry(previous.totals, data),
        }));
      },
      onStatus: setStatus,
    });
  }, [openedAt]);

  return { ...state, status };
};
