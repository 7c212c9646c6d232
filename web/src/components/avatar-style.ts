/** Up to two initials: "Mara Quinn" → "MQ", "inès" → "I"; the handle when the name has none. */
export const initialsOf = (displayName: string, handle: string): string => {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const letters = (words.length > 1 ? [words[0], words[words.length - 1]] : words)
    .map((word) => [...(word ?? '')][0] ?? '')
    .join('');
  return (letters || [...handle][0] || '?').toLocaleUpperCase();
};

// Twelve hues, ordered so that neighbouring indexes look far apart.
export const AVATAR_HUES = [355, 195, 120, 280, 20, 215, 325, 150, 235, 175, 300, 260] as const;

/**
 * A colour that is always the same for the same person: a hash (FNV-1a) of the handle,
 * which never changes, unlike the display name. The CSS keeps saturation and lightness
 * fixed, so white initials stay readable on every hue.
 */
export const avatarHue = (handle: string): number => {
  let hash = 0x811c9dc5;
  for (const char of handle) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return AVATAR_HUES[hash % AVATAR_HUES.length] ?? 0;
};
