import { describe, expect, it } from 'vitest';
import {
  clientMessageKey,
  conversationKey,
  handleKey,
  messageGroupPartition,
  messagePartition,
  messageSortKey,
  pairKey,
  parseMessageSortKey,
  userKey,
} from '../../src/messaging/keys.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const G = '99999999-9999-4999-8999-999999999999';

describe('keys', () => {
  it('pins every key string', () => {
    expect(userKey(A)).toEqual({ pk: `USER#${A}`, sk: 'PROFILE' });
    expect(handleKey('bayko')).toEqual({ pk: 'HANDLE#bayko', sk: 'HANDLE' });
    expect(conversationKey(G)).toEqual({ pk: `CONV#${G}`, sk: 'CONV' });
    expect(messagePartition(G)).toBe(`MSG#${G}`);
    expect(messageGroupPartition(A)).toBe(`GRP#${A}`);
    expect(clientMessageKey(A, 'web-1')).toEqual({ pk: `CLIENTMSG#${A}#web-1`, sk: 'CLIENTMSG' });
  });

  it('names one pair item whichever side asks', () => {
    expect(pairKey(A, B)).toEqual({ pk: `PAIR#${A}#${B}`, sk: 'PAIR' });
    expect(pairKey(B, A)).toEqual(pairKey(A, B));
  });

  it('builds fixed-width UTC sort keys that sort chronologically as strings', () => {
    const sk = messageSortKey(new Date(Date.UTC(2025, 11, 31, 23, 59, 59, 999)), G);
    expect(sk).toBe(`2025-12-31T23:59:59.999Z#${G}`);
    const later = messageSortKey(new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 0)), A);
    expect(later > sk).toBe(true);
    expect(parseMessageSortKey(sk)).toEqual({
      createdAt: '2025-12-31T23:59:59.999Z',
      messageUuid: G,
    });
  });

  it('keeps two messages of one millisecond apart', () => {
    const at = new Date('2026-03-01T10:00:00.000Z');
    expect(messageSortKey(at, A)).not.toBe(messageSortKey(at, B));
  });

  it('rejects strings that are not sort keys', () => {
    for (const bad of [
      '',
      '2026',
      `2026-03-01T10:00:00Z#${A}`,
      `2026-03-01T10:00:00.000+01:00#${A}`,
      `2026-03-01T10:00:00.000Z#${A}x`,
    ]) {
      expect(parseMessageSortKey(bad)).toBeUndefined();
    }
  });
});
