import { useEffect } from 'react';
import { useLatest } from './use-latest';

/**
 * Calls the latest `poll` every `intervalMs` while the page is visible, and at once when it
 * becomes visible again; nothing while `intervalMs` is undefined. A hidden tab costs no
 * requests, and coming back to it shows what arrived meanwhile.
 */
export const usePollWhileVisible = (intervalMs: number | undefined, poll: () => void): void => {
  const latest = useLatest(poll);
  useEffect(() => {
    if (intervalMs === undefined) return;
    const pollIfVisible = () => {
      if (document.visibilityState === 'visible') latest.current();
    };
    const timer = setInterval(pollIfVisible, intervalMs);
    document.addEventListener('visibilitychange', pollIfVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', pollIfVisible);
    };
  }, [intervalMs, latest]);
};
