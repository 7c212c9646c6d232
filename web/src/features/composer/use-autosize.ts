import { type RefObject, useLayoutEffect } from 'react';

/** A textarea as tall as its text, up to its CSS max-height (then it scrolls). */
export const useAutosize = (textarea: RefObject<HTMLTextAreaElement | null>, value: string) => {
  // biome-ignore lint/correctness/useExhaustiveDependencies: `value` changes the height to measure
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${element.scrollHeight}px`;
  }, [textarea, value]);
};
