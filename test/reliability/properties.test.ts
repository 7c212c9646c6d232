import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../src/messaging/cursor.js';
import { messageSortKey, pairKey, parseMessageSortKey } from '../../src/messaging/keys.js';
import { normalizeHandle, normalizeMessageText } from '../../src/messaging/validation.js';

const uuid = fc.uuid({ version: 4 });
/** Any instant DynamoDB keys can hold: years 0000-9999, to the millisecond. */
const instant = fc.date({
  min: new Date('0000-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

describe('properties of keys and cursors', () => {
  it('sort keys parse back to what built them', () => {
    fc.assert(
      fc.property(instant, uuid, (at, id) => {
        expect(parseMessageSortKey(messageSortKey(at, id))).toEqual({
          createdAt: at.toISOString(),
          messageUuid: id,
        });
      }),
    );
  });

  it('sort keys order as their instants do, whatever the uuids', () => {
    fc.assert(
      fc.property(instant, instant, uuid, uuid, (a, b, idA, idB) => {
        fc.pre(a.getTime() !== b.getTime());
        expect(messageSortKey(a, idA) < messageSortKey(b, idB)).toBe(a < b);
      }),
    );
  });

  it('a pair names one item whichever side asks', () => {
    fc.assert(
      fc.property(uuid, uuid, (a, b) => {
        expect(pairKey(a, b)).toEqual(pairKey(b, a));
      }),
    );
  });

  it('cursors round-trip within their scope and fail elsewhere', () => {
    const codec = createCursorCodec();
    fc.assert(
      fc.property(instant, uuid, fc.string(), fc.string(), (at, id, scope, other) => {
        const sk = messageSortKey(at, id);
        const cursor = codec.encode(scope, sk);
        expect(codec.decode(scope, cursor)).toBe(sk);
        if (other !== scope)
          expect(() => codec.decode(other, cursor)).toThrow(
            expect.objectContaining({ code: 'invalid_cursor' }),
          );
      }),
    );
  });

  it('any other string is refused as a cursor with invalid_cursor, never a crash', () => {
    const codec = createCursorCodec();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.base64String(),
          fc.stringMatching(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/),
        ),
        (input) => {
          expect(() => codec.decode('scope', input)).toThrow(
            expect.objectContaining({ code: 'invalid_cursor' }),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('validation either normalizes or raises a coded error, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1_100 }), (input) => {
        for (const validate of [normalizeHandle, normalizeMessageText]) {
          // Only the call is guarded: an expect inside the try would be caught as "an error".
          let outcome: { value: unknown } | { error: unknown };
          try {
            outcome = { value: validate(input) };
          } catch (error) {
            outcome = { error };
          }
          if ('value' in outcome) expect(typeof outcome.value).toBe('string');
          else expect(outcome.error).toMatchObject({ code: expect.stringMatching(/^[a-z_]+$/) });
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
