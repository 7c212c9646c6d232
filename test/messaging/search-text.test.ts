import { describe, expect, it } from 'vitest';
import {
  foldSearchText,
  MAX_NAME_WORDS,
  MAX_WORD_LENGTH,
  nameWords,
  searchTerms,
  searchWords,
} from '../../src/messaging/search-text.js';

describe('people search text', () => {
  it('folds case and accents, whatever the case the text is typed in', () => {
    for (const typed of ['Inès', 'INÈS', 'ines', 'INES', 'ÍNÉS'])
      expect(searchWords(typed)).toEqual(['ines']);
    expect(searchWords('Zoë José Núñez Björn Çelik')).toEqual([
      'zoe',
      'jose',
      'nunez',
      'bjorn',
      'celik',
    ]);
  });

  it('folds letters Unicode does not decompose, as one types them without the mark', () => {
    expect(searchWords('Łukasz Søren Weiß Đorđe Þóra Æsa Œuvre')).toEqual([
      'lukasz',
      'soren',
      'weiss',
      'dorde',
      'thora',
      'aesa',
      'oeuvre',
    ]);
    // Dotted and dotless Turkish i are both "i", with no locale involved.
    expect(searchWords('İlkay Yıldız')).toEqual(['ilkay', 'yildiz']);
  });

  it('keeps non-Latin scripts: Greek and Cyrillic lower-cased, accents gone; CJK and Arabic as they are', () => {
    expect(searchWords('Ελένη ΠΑΠΑΔΟΠΟΎΛΟΥ')).toEqual(['ελενη', 'παπαδοπουλου']);
    // A final sigma is a sigma: "ΑΝΑΣ", typed so far, begins "Αναστασία".
    expect(searchWords('ΑΝΑΣ')).toEqual(['ανασ']);
    expect(searchWords('Αναστασία')[0]?.startsWith(searchWords('ΑΝΑΣ')[0] ?? '?')).toBe(true);
    expect(searchWords('Дмитрий Иванов')).toEqual(['дмитрии', 'иванов']);
    expect(searchWords('山田 花子')).toEqual(['山田', '花子']);
    // Arabic vowel signs are combining marks: written with or without them, one word.
    expect(searchWords('مُحَمَّد')).toEqual(searchWords('محمد'));
    expect(searchWords('محمد')).toEqual(['محمد']);
  });

  it('takes compatibility forms apart: ligatures, full-width letters', () => {
    expect(foldSearchText('ﬁona ＡＢＣ')).toBe('fiona abc');
  });

  it('splits words at anything but letters and digits; an apostrophe joins', () => {
    expect(searchWords("Siobhán O'Brien")).toEqual(['siobhan', 'obrien']);
    expect(searchWords('Jean-Pierre  Dubois_2 🙂 (admin)')).toEqual([
      'jean',
      'pierre',
      'dubois',
      '2',
      'admin',
    ]);
    expect(searchWords('Anna anna ANNA')).toEqual(['anna']);
    expect(searchWords('🙂 !!! --')).toEqual([]);
  });

  it('drops what cannot be stored: halves of surrogate pairs, control characters', () => {
    expect(searchWords('\uD800ines\u0000okafor\uDFFF')).toEqual(['ines', 'okafor']);
  });

  it('cuts long words and names with many words', () => {
    const long = 'a'.repeat(MAX_WORD_LENGTH + 10);
    expect(searchWords(long)).toEqual(['a'.repeat(MAX_WORD_LENGTH)]);
    // One code point that NFKD makes 18 stays within the cut, in code points.
    for (const word of searchWords('ﷺ'.repeat(64)))
      expect(Array.from(word).length).toBeLessThanOrEqual(MAX_WORD_LENGTH);
    const many = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    expect(nameWords(many)).toHaveLength(MAX_NAME_WORDS);
  });

  it('reads a search text as a handle prefix when it can begin a handle, and as words', () => {
    expect(searchTerms('@Inès_O')).toEqual({ handlePrefix: 'ines_o', words: ['ines', 'o'] });
    expect(searchTerms('  mara ')).toEqual({ handlePrefix: 'mara', words: ['mara'] });
    expect(searchTerms('ines ok')).toEqual({ handlePrefix: undefined, words: ['ines', 'ok'] });
    expect(searchTerms('山田')).toEqual({ handlePrefix: undefined, words: ['山田'] });
    expect(searchTerms('@')).toEqual({ handlePrefix: undefined, words: [] });
    expect(searchTerms('a'.repeat(31)).handlePrefix).toBeUndefined();
  });
});
