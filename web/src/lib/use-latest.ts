import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that always holds the latest `value`: lets a long-lived subscription call the newest
 * callback without resubscribing at every render.
 */
export const useLatest = <T>(value: T): { readonly current: T } => {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
};
