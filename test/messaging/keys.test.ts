import { describe, expect, it } from 'vitest';
import {
  blockerOfBlockKey,
  blockKey,
  blockPartition,
  clientMessageKey,
  connectionPartition,
  conversationKey,
  groupOfMessageKey,
  handleKey,
  isBlockKey,
  isGroupRowKey,
  isMessageKey,
  isPairKey,
  messageGroupPartition,
  messagePartition,
  messageSortKey,
  ownerOfGroupKey,
  pairKey,
  parseMessageSortKey,
  parsePeopleTokenKey,
  peoplePartition,
  peoplePartitionShape,
  peopleSortKeyPrefix,
  peopleTokenKey,
  userKey,
  usersOfPairKey,
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

  it("pins the people-search keys: the word's first character, then kind, word and handle", () => {
    expect(peopleTokenKey('H', 'ines_okafor', 'ines_okafor')).toEqual({
      pk: 'PEOPLE#i',
      sk: 'H#ines_okafor',
    });
    expect(peopleTokenKey('N', 'okafor', 'ines_okafor')).toEqual({
      pk: 'PEOPLE#o',
      sk: 'N#okafor#ines_okafor',
    });
    expect(peopleSortKeyPrefix('N', 'oka')).toBe('N#oka');
    // The first code point, not half of a surrogate pair.
    expect(peoplePartition('𠮷野')).toBe('PEOPLE#𠮷');
    expect(peopleTokenKey('N', 'ελενη', 'eleni_p').pk).toBe('PEOPLE#ε');
  });

  it('parses people keys back, and nothing else', () => {
    expect(parsePeopleTokenKey({ pk: 'PEOPLE#i', sk: 'H#ines_okafor' })).toEqual({
      kind: 'H',
      word: 'ines_okafor',
      handle: 'ines_okafor',
    });
    expect(parsePeopleTokenKey({ pk: 'PEOPLE#山', sk: 'N#山田#hanako_y' })).toEqual({
      kind: 'N',
      word: '山田',
      handle: 'hanako_y',
    });
    for (const bad of [
      { pk: 'PEOPLE#x', sk: 'H#ines_okafor' },
      { pk: 'PEOPLE#o', sk: 'N#okafor' },
      { pk: 'PEOPLE#o', sk: 'N#okafor#Ines' },
      { pk: 'PEOPLE#o', sk: 'X#okafor#ines' },
      { pk: 'HANDLE#ines', sk: 'H#ines' },
      { pk: 'PEOPLE#', sk: 'N##ines' },
    ])
      expect(parsePeopleTokenKey(bad)).toBeUndefined();
  });

  it('reads back the id each partition key was built from', () => {
    expect(groupOfMessageKey(messagePartition(G))).toBe(G);
    expect(ownerOfGroupKey(messageGroupPartition(A))).toBe(A);
    expect(blockerOfBlockKey(blockKey(A, B).pk)).toBe(A);
    expect(blockPartition(A)).toBe(`BLOCK#${A}`);
    // Sorted, whichever side built the key.
    expect(usersOfPairKey(pairKey(B, A).pk)).toEqual([A, B]);
  });

  it('tells the kinds of key apart', () => {
    expect(isMessageKey(messagePartition(G))).toBe(true);
    expect(isMessageKey(messageGroupPartition(A))).toBe(false);
    expect(isGroupRowKey(messageGroupPartition(A))).toBe(true);
    expect(isGroupRowKey(messagePartition(G))).toBe(false);
    expect(isBlockKey(blockPartition(A))).toBe(true);
    expect(isBlockKey(connectionPartition(A))).toBe(false);
    expect(isPairKey(pairKey(A, B).pk)).toBe(true);
    expect(isPairKey(userKey(A).pk)).toBe(false);
  });

  it('throws on a key of another kind, naming the kind expected and the key', () => {
    expect(() => groupOfMessageKey(messageGroupPartition(A))).toThrow(
      `Expected a MSG# key, got GRP#${A}`,
    );
    expect(() => ownerOfGroupKey(messagePartition(G))).toThrow(`Expected a GRP# key, got MSG#${G}`);
    expect(() => blockerOfBlockKey(userKey(A).pk)).toThrow(`Expected a BLOCK# key, got USER#${A}`);
    expect(() => usersOfPairKey(conversationKey(G).pk)).toThrow(
      `Expected a PAIR# key, got CONV#${G}`,
    );
    // The prefix must start the key, not merely appear in it.
    expect(() => groupOfMessageKey(`X${messagePartition(G)}`)).toThrow('Expected a MSG# key');
  });

  it('returns whatever a malformed pair key holds, for the checker to report', () => {
    expect(usersOfPairKey(`PAIR#${A}`)).toEqual([A]);
    expect(usersOfPairKey(`PAIR#${A}#${B}#${G}`)).toEqual([A, B, G]);
  });

  it('writes the people partition as a shape for messages', () => {
    expect(peoplePartitionShape('first character of the word')).toBe(
      'PEOPLE#<first character of the word>',
    );
  });
});
