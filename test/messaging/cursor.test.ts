import { describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../src/messaging/cursor.js';

const SK = '2026-01-01T00:00:00.000Z#11111111-1111-4111-8111-111111111111';

describe('cursor codec', () => {
  const codec = createCursorCodec(Buffer.alloc(32, 7));

  it('round-trips a sort key within its scope', () => {
    expect(codec.decode('scope-a', codec.encode('scope-a', SK))).toBe(SK);
  });

  it('rejects a cursor issued for another listing', () => {
    const cursor = codec.encode('scope-a', SK);
    expect(() => codec.decode('scope-b', cursor)).toThrow(
      expect.objectContaining({ code: 'invalid_cursor' }),
    );
  });

  it('rejects a cursor signed with another secret', () => {
    const foreign = createCursorCodec(Buffer.alloc(32, 8)).encode('scope-a', SK);
    expect(() => codec.decode('scope-a', foreign)).toThrow(
      expect.objectContaining({ code: 'invalid_cursor' }),
    );
  });

  it('rejects tampered and malformed cursors', () => {
    const cursor = codec.encode('scope-a', SK);
    const [payload, signature] = cursor.split('.');
    const otherPayload = Buffer.from(SK.replace('2026', '2027')).toString('base64url');
    for (const bad of [
      '',
      '.',
      'abc',
      `${otherPayload}.${signature}`,
      `${payload}.${signature}.x`,
      `${payload}.`,
      'x'.repeat(300),
    ]) {
      expect(() => codec.decode('scope-a', bad)).toThrow(
        expect.objectContaining({ code: 'invalid_cursor' }),
      );
    }
  });
});
