import { type RefObject, useCallback, useEffect } from 'react';

/**
 * Infinite scroll: calls `load` while the view of `scroller` is within `distancePx` of its
 * `edge`, checked on every scroll (call the returned function from `onScroll`) and whenever
 * `load` changes (a page came, a failure was retried, loading became possible). `load` is
 * null while nothing may load (loading, failed, no next page).
 *
 * From the geometry, not from an IntersectionObserver on a sentinel: an observer reports
 * changes between two frames, so a view that a page moved away from the edge and that was
 * scrolled back before the next frame reported nothing, and the pages stopped coming.
 */
export const useLoadNearEdge = (
  scroller: RefObject<HTMLElement | null>,
  edge: 'top' | 'bottom',
  distancePx: number,
  load: (() => void) | null,
): (() => void) => {
  const loadIfNear = useCallback(() => {
    const element = scroller.current;
    if (!load || !element) return;
    const gap =
      edge === 'top'
        ? element.scrollTop
        : element.scrollHeight - element.scrollTop - element.clientHeight;
    if (gap <= distancePx) load();
  }, [scroller, edge, distancePx, load]);
  useEffect(loadIfNear, [loadIfNear]);
  return loadIfNear;
};
