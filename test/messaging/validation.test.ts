import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  normalizeDisplayName,
  normalizeHandle,
  normalizeLimit,
  normalizeMessageText,
  normalizeUuid,
  validateClientMessageId,
} from '../../src/messaging/validation.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('validation', () => {
  it('lower-cases handles so that Bayko and bayko are one handle', () => {
    expect(normalizeHandle('Bayko')).toBe('bayko');
    expect(normalizeHandle(' @Andrew_Brown ')).toBe('andrew_brown');
  });

  it.each(['ab', 'a'.repeat(31), 'has space', 'dash-ed', 'émile', ''])('rejects handle %j', (h) => {
    expect(codeOf(() => normalizeHandle(h))).toBe('invalid_handle');
  });

  it('trims display names and bounds them to 1-64 characters', () => {
    expect(normalizeDisplayName('  Andrew Bayko ')).toBe('Andrew Bayko');
    expect(normalizeDisplayName('😀'.repeat(64))).toBe('😀'.repeat(64));
    expect(codeOf(() => normalizeDisplayName('   '))).toBe('invalid_display_name');
    expect(codeOf(() => normalizeDisplayName('x'.repeat(65)))).toBe('invalid_display_name');
  });

  it('counts message length in code points, emoji as one', () => {
    expect(codePointLength('😀')).toBe(1);
    expect(normalizeMessageText('😀'.repeat(1024))).toHaveLength(2048);
    expect(normalizeMessageText(`  ${'a'.repeat(1024)}  `)).toBe('a'.repeat(1024));
    expect(codeOf(() => normalizeMessageText('a'.repeat(1025)))).toBe('message_too_long');
    expect(codeOf(() => normalizeMessageText('😀'.repeat(1025)))).toBe('message_too_long');
    expect(codeOf(() => normalizeMessageText(' \n\t '))).toBe('message_blank');
  });

  it('refuses text holding half of a surrogate pair, which UTF-8 cannot store', () => {
    expect(codeOf(() => normalizeMessageText('a\ud800b'))).toBe('invalid_text');
    expect(codeOf(() => normalizeMessageText('\udc00'))).toBe('invalid_text');
    expect(codeOf(() => normalizeDisplayName('Ann \ud83d'))).toBe('invalid_text');
    expect(normalizeMessageText('a\ud83d\ude00b')).toBe('a😀b');
  });

  it('accepts client_message_id of 1-64 [A-Za-z0-9_-] only', () => {
    expect(validateClientMessageId('web_01-AB')).toBe('web_01-AB');
    for (const bad of ['', 'x'.repeat(65), 'a b', 'a/b', 'ü']) {
      expect(codeOf(() => validateClientMessageId(bad))).toBe('invalid_client_message_id');
    }
  });

  it('bounds page sizes to 1-100, default 20', () => {
    expect(normalizeLimit(undefined)).toBe(20);
    expect(normalizeLimit(100)).toBe(100);
    for (const bad of [0, 101, 1.5, -1, Number.NaN]) {
      expect(codeOf(() => normalizeLimit(bad))).toBe('invalid_limit');
    }
  });

  it('accepts only canonical uuids, stored lower case', () => {
    expect(normalizeUuid('AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', 'x')).toBe(
      'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    );
    expect(codeOf(() => normalizeUuid('../USER#x', 'x'))).toBe('invalid_uuid');
  });
});
