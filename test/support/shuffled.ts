/**
 * A deterministic permutation of `items` from `seed` (a Fisher-Yates shuffle driven by
 * xorshift32), so that a failure can be replayed from its seed. Seed 0 would leave xorshift
 * at 0 for good (no shuffle at all): it starts from 1 instead.
 */
export const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const out = [...items];
  let x = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};
