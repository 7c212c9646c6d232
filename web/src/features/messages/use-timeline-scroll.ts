import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

// Within this distance of the bottom counts as "at the bottom": new messages keep it there.
const STICKY_BOTTOM_PX = 64;

interface TimelineEdges {
  /** Key of the first (oldest) entry drawn; changes when older messages are prepended. */
  firstKey: string | undefined;
  /** Key of the last entry drawn; changes when a message arrives or is sent. */
  lastKey: string | undefined;
  lastIsMine: boolean;
}

/**
 * The scroll behaviour of a chat: open at the newest message; stay at the bottom as messages
 * arrive, unless the user scrolled up to read (then count them, for a "new messages" button);
 * and load older messages above WITHOUT moving what the user is looking at.
 */
export const useTimelineScroll = ({ firstKey, lastKey, lastIsMine }: TimelineEdges) => {
  const scroller = useRef<HTMLElement>(null);
  const atBottom = useRef(true);
  const seen = useRef<{ firstKey?: string | undefined; lastKey?: string | undefined }>({});
  // Where the oldest entry was inside the content when older messages were asked for.
  const anchor = useRef<{ key: string; top: number } | null>(null);
  const [unseen, setUnseen] = useState(0);

  const contentTopOf = useCallback((key: string): number | null => {
    const element = scroller.current;
    const node = element?.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!element || !node) return null;
    return (
      node.getBoundingClientRect().top - element.getBoundingClientRect().top + element.scrollTop
    );
  }, []);

  const scrollToBottom = useCallback((behavior: ScrollBehavior = 'instant') => {
    const element = scroller.current;
    if (element) element.scrollTo({ top: element.scrollHeight, behavior });
  }, []);

  /** Call right before loading older messages: the view will stay where it is. */
  const holdPosition = useCallback(() => {
    if (!firstKey) return;
    const top = contentTopOf(firstKey);
    if (top !== null) anchor.current = { key: firstKey, top };
  }, [firstKey, contentTopOf]);

  // Before paint, so that neither a prepend nor an append is ever seen in the wrong place.
  useLayoutEffect(() => {
    const element = scroller.current;
    const previous = seen.current;
    seen.current = { firstKey, lastKey };
    if (!element) return;
    const appended = lastKey !== previous.lastKey && previous.lastKey !== undefined;
    const held = anchor.current;
    if (held && firstKey !== previous.firstKey) {
      // Content grew above: shift by exactly that much (this also keeps any scrolling the
      // user did meanwhile). scrollTop is set, not left to the browser's scroll anchoring.
      const top = contentTopOf(held.key);
      if (top !== null) element.scrollTop += top - held.top;
      anchor.current = null;
      if (appended && !lastIsMine) setUnseen((count) => count + 1);
    } else if (atBottom.current || (appended && lastIsMine)) {
      scrollToBottom();
    } else if (appended) {
      setUnseen((count) => count + 1);
    }
  }, [firstKey, lastKey, lastIsMine, contentTopOf, scrollToBottom]);

  // Sizes change without new messages: the composer grows, the window is resized, a failed
  // message shows its retry line. Whoever was at the bottom stays there.
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) scrollToBottom();
    });
    observer.observe(element);
    for (const child of element.children) observer.observe(child);
    return () => observer.disconnect();
  }, [scrollToBottom]);

  const onScroll = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    atBottom.current =
      element.scrollHeight - element.scrollTop - element.clientHeight < STICKY_BOTTOM_PX;
    if (atBottom.current) setUnseen(0);
  }, []);

  const jumpToLatest = useCallback(() => {
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    scrollToBottom(still ? 'instant' : 'smooth');
  }, [scrollToBottom]);

  return { scroller, onScroll, holdPosition, unseen, jumpToLatest };
};
