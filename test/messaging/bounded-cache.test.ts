import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/messaging/bounded-cache.js';

/** A clock that moves only when told to. */
const manualClock = (start = 1_000_000) => {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

const contents = (cache: BoundedCache<string>, keys: string[]) =>
  Object.fromEntries(keys.map((key) => [key, cache.get(key)]));

describe('BoundedCache: the size bound', () => {
  it('holds exactly `capacity` entries; one more pushes out the entry set longest ago', () => {
    const cache = new BoundedCache<string>(3);
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    expect(contents(cache, ['a', 'b', 'c'])).toEqual({ a: 'A', b: 'B', c: 'C' });

    cache.set('d', 'D');
    expect(contents(cache, ['a', 'b', 'c', 'd'])).toEqual({
      a: undefined,
      b: 'B',
      c: 'C',
      d: 'D',
    });
  });

  it('counts a set of a known key as its newest entry, without pushing anything out', () => {
    const cache = new BoundedCache<string>(3);
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    cache.set('b', 'B2');
    expect(contents(cache, ['a', 'b', 'c'])).toEqual({ a: 'A', b: 'B2', c: 'C' });

    cache.set('d', 'D');
    cache.set('e', 'E');
    expect(contents(cache, ['a', 'b', 'c', 'd', 'e'])).toEqual({
      a: undefined,
      b: 'B2',
      c: undefined,
      d: 'D',
      e: 'E',
    });
  });

  // Order is by set, not by use (first in, first out): a read does not keep an entry.
  it('does not count a read as use: the oldest set goes even if it was just read', () => {
    const cache = new BoundedCache<string>(2);
    cache.set('a', 'A');
    cache.set('b', 'B');
    expect(cache.get('a')).toBe('A');
    cache.set('c', 'C');
    expect(contents(cache, ['a', 'b', 'c'])).toEqual({ a: undefined, b: 'B', c: 'C' });
  });

  it('forgets a deleted entry at once, which frees its place', () => {
    const cache = new BoundedCache<string>(2);
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.delete('b');
    expect(cache.get('b')).toBeUndefined();
    cache.set('c', 'C');
    expect(contents(cache, ['a', 'b', 'c'])).toEqual({ a: 'A', b: undefined, c: 'C' });
  });
});

describe('BoundedCache: time to live', () => {
  it('answers an entry until `ttlMs` after it was set, and never from then on', () => {
    const clock = manualClock();
    const cache = new BoundedCache<string>(10, 1_000, clock.now);
    cache.set('a', 'A');
    clock.advance(999);
    expect(cache.get('a')).toBe('A');
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('restarts the time to live when a key is set again', () => {
    const clock = manualClock();
    const cache = new BoundedCache<string>(10, 1_000, clock.now);
    cache.set('a', 'A');
    clock.advance(800);
    cache.set('a', 'A2');
    clock.advance(800);
    expect(cache.get('a')).toBe('A2');
    clock.advance(200);
    expect(cache.get('a')).toBeUndefined();
  });

  it('ages each entry from its own set', () => {
    const clock = manualClock();
    const cache = new BoundedCache<string>(10, 1_000, clock.now);
    cache.set('a', 'A');
    clock.advance(600);
    cache.set('b', 'B');
    clock.advance(400);
    expect(contents(cache, ['a', 'b'])).toEqual({ a: undefined, b: 'B' });
  });

  it('keeps entries forever without a time to live', () => {
    const clock = manualClock();
    const cache = new BoundedCache<string>(10, undefined, clock.now);
    cache.set('a', 'A');
    clock.advance(10 * 365 * 24 * 3600 * 1000);
    expect(cache.get('a')).toBe('A');
  });
});
