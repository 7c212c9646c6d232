import { type RefObject, useEffect, useState } from 'react';

/**
 * Whether `target` is within `root` (the viewport when absent), extended by `rootMargin`.
 * Used by infinite scroll: a sentinel element that becomes visible asks for the next page.
 */
export const useIntersection = (
  target: RefObject<Element | null>,
  options: { root?: RefObject<Element | null>; rootMargin?: string } = {},
): boolean => {
  const [intersecting, setIntersecting] = useState(false);
  const { root, rootMargin = '0px' } = options;
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        const last = entries[entries.length - 1];
        if (last) setIntersecting(last.isIntersecting);
      },
      { root: root?.current ?? null, rootMargin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [target, root, rootMargin]);
  return intersecting;
};
