/**
 * After a reconnect, the newest page is fetched again. If even its oldest item is newer than
 * the newest one on screen and older pages exist, items were missed in between: the list must
 * start over from that page instead of merging it.
 */
export const refreshLeavesGap = (
  newestKnown: { created_at: string } | undefined,
  oldestFetched: { created_at: string } | undefined,
  nextCursor: string | null,
): boolean =>
  nextCursor !== null &&
  newestKnown !== undefined &&
  oldestFetched !== undefined &&
  oldestFetched.created_at > newestKnown.created_at;
