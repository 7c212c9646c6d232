import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, isAbortError } from '../../lib/api-error';
import { useApi } from '../../lib/session';
import { fetchIndexRows, fetchTableItems, type TableItem } from './inspector-api';

export interface TableSnapshot {
  items: TableItem[];
  indexRows: TableItem[];
  loadedAt: Date;
}

// A send writes several items and pattern E a few more within milliseconds: one Scan after
// the burst instead of one per record.
const REFRESH_DEBOUNCE_MS = 300;

/** The table and its GSI, scanned now and again after each burst of stream records. */
export const useTableSnapshot = () => {
  const api = useApi();
  const [snapshot, setSnapshot] = useState<TableSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const inFlight = useRef<AbortController | null>(null);
  const debounceTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refresh = useCallback(() => {
    // The newest scan wins: an older one still on its way is dropped.
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setLoading(true);
    Promise.all([fetchTableItems(api, controller.signal), fetchIndexRows(api, controller.signal)])
      .then(
        ([items, indexRows]) => {
          setSnapshot({ items, indexRows, loadedAt: new Date() });
          setError(null);
        },
        (failure: unknown) => {
          if (!isAbortError(failure)) setError(describeError(failure));
        },
      )
      .finally(() => {
        if (inFlight.current === controller) setLoading(false);
      });
  }, [api]);

  const refreshSoon = useCallback(() => {
    clearTimeout(debounceTimer.current);
    debounceTimer.current = setTimeout(refresh, REFRESH_DEBOUNCE_MS);
  }, [refresh]);

  useEffect(() => {
    refresh();
    return () => {
      clearTimeout(debounceTimer.current);
      inFlight.current?.abort();
    };
  }, [refresh]);

  return { snapshot, error, loading, refresh, refreshSoon };
};
