import { type RefObject, useEffect, useRef } from 'react';
import type { Arrived } from './early-requests';
import { useLatest } from './use-latest';

/**
 * A paged screen's mount: a new `lifetime` (aborted when the screen goes away, so no answer
 * arrives into an unmounted tree), and its first page. A page that came early (lib/early-
 * requests.ts) is in the screen's first render already: its entry is let go and `onEarly` gets
 * it; otherwise `loadFirstPage` asks for it.
 */
export const useFirstPageOnMount = <T>(
  lifetime: RefObject<AbortController>,
  arrived: Arrived<T> | undefined,
  loadFirstPage: () => void,
  onEarly?: (page: T) => void,
): void => {
  const firstPageShown = useRef(arrived !== undefined);
  const latestOnEarly = useLatest(onEarly);
  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    if (firstPageShown.current && arrived) {
      firstPageShown.current = false;
      arrived.forget();
      latestOnEarly.current?.(arrived.value);
    } else loadFirstPage();
    return () => controller.abort();
  }, [lifetime, arrived, loadFirstPage, latestOnEarly]);
};
