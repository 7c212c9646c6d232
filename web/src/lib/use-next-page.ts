import { useCallback, useRef } from 'react';
import { describeError, isAbortError } from './api-error';

export interface NextPageLoad<P> {
  /** The request for the next page; undefined when there is none. */
  fetch: (() => Promise<P>) | undefined;
  started: () => void;
  loaded: (page: P) => void;
  failed: (message: string) => void;
}

/**
 * "Load the next page" for a list that grows as it scrolls: one request at a time (a call
 * while one is in flight does nothing, as the scroll sentinel fires again and again), and a
 * request aborted because its screen went away is no failure.
 */
export const useNextPage = () => {
  const inFlight = useRef(false);
  return useCallback(<P>(load: NextPageLoad<P>) => {
    if (!load.fetch || inFlight.current) return;
    inFlight.current = true;
    load.started();
    load
      .fetch()
      .then(load.loaded, (error: unknown) => {
        if (!isAbortError(error)) load.failed(describeError(error));
      })
      .finally(() => {
        inFlight.current = false;
      });
  }, []);
};
