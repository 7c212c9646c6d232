import { type RefObject, useEffect } from 'react';
import type { Message } from '../../lib/api-types';
import { useLatest } from '../../lib/use-latest';

/** The tab is the one the person looks at: shown, and holding the keyboard focus. */
const tabIsLookedAt = (): boolean => document.visibilityState === 'visible' && document.hasFocus();

/** Seen: half of it in view, or (a message taller than the view) half of the view. */
const isSeen = (entry: IntersectionObserverEntry): boolean =>
  entry.isIntersecting &&
  (entry.intersectionRatio >= 0.5 ||
    entry.intersectionRect.height >= (entry.rootBounds?.height ?? Number.POSITIVE_INFINITY) / 2);

/**
 * Calls `onSeen(newest)` when the newest message of the conversation is on screen in a tab the
 * person is looking at: in view inside `scroller`, the page visible and focused. Checked
 * whenever the message scrolls into or out of view, a newer one arrives, and the tab comes
 * back (focus, visibility). Merely loaded in a background tab is not seen. The callee marks
 * each message once.
 */
export const useReadWhenSeen = (
  scroller: RefObject<HTMLElement | null>,
  newest: Message | undefined,
  onSeen: ((message: Message) => void) | undefined,
): void => {
  const latestOnSeen = useLatest(onSeen);
  useEffect(() => {
    const root = scroller.current;
    if (!newest || !root) return;
    const element = root.querySelector(`[data-message-uuid="${CSS.escape(newest.uuid)}"]`);
    if (!element) return;
    let inView = false;
    const check = () => {
      if (inView && tabIsLookedAt()) latestOnSeen.current?.(newest);
    };
    const observer = new IntersectionObserver(
      (entries) => {
        const last = entries[entries.length - 1];
        if (!last) return;
        inView = isSeen(last);
        check();
      },
      { root, threshold: [0, 0.25, 0.5, 0.75, 1] },
    );
    observer.observe(element);
    window.addEventListener('focus', check);
    document.addEventListener('visibilitychange', check);
    return () => {
      observer.disconnect();
      window.removeEventListener('focus', check);
      document.removeEventListener('visibilitychange', check);
    };
  }, [scroller, newest, latestOnSeen]);
};
