import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `intervalMs`: labels such as "Today" or "14:05" must
 * change at midnight even when nothing else happens.
 */
export const useNow = (intervalMs = 60_000): Date => {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
};
