/**
 * The one folding of people search, applied alike to what is stored (a name's words, a
 * handle) and to what is searched, so that "INÈS", "Inès" and "ines" are the same word. Pure
 * and locale-independent: the server's locale must never decide who is found.
 */

/** Longest search text, in code points (what a person counts; JSON Schema's maxLength too). */
export { MAX_SEARCH_LENGTH } from '../contract/limits.js';
/**
 * Stored and searched words are cut to this many code points. NFKD can turn one code point
 * into 18 (U+FDFA), and a sort key holds at most 1,024 bytes: cut, a word stays under 128
 * bytes. Both sides are cut alike, so a longer word still matches on its first 32 characters.
 */
export const MAX_WORD_LENGTH = 32;
/**
 * A name's first distinct words that get an item: a 64-character name could have 32, each a
 * write of the profile's transaction (2 WCU). Ten is more than names have.
 */
export const MAX_NAME_WORDS = 10;

const MARKS = /\p{M}/gu;
/** Letters Unicode does not decompose, written as a reader types them without the mark. */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ŧ: 't',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  // Greek final sigma: "ΑΝΑΣ" typed so far lower-cases to "ανας", a prefix of "αναστασια".
  ς: 'σ',
};
const FOLDABLE = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');
/** Inside a word, an apostrophe joins: "O'Brien" is one word, "obrien". */
const APOSTROPHES = /['’ʼ]/gu;
/** A word: letters and digits of any script. Everything else (spaces, -, _, ., emoji) splits. */
const WORD = /[\p{L}\p{N}]+/gu;
const HANDLE_PREFIX = /^[a-z0-9_]{1,30}$/;

/**
 * Unicode NFKD (compatibility forms: "ﬁ" → "fi", full-width "Ａ" → "a"), lower case (after
 * NFKD, so that "İ" is "i" with a dot that goes next), combining marks removed (accents,
 * Arabic vowel signs, Japanese voicing marks), then the letters of LETTER_FOLDS.
 */
export const foldSearchText = (text: string): string =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(FOLDABLE, (letter) => LETTER_FOLDS[letter] ?? letter);

const firstCodePoints = (text: string, count: number): string =>
  Array.from(text).slice(0, count).join('');

/** The distinct folded words of a text, in order of first appearance, each cut to its limit. */
export const searchWords = (text: string): string[] => {
  const joined = foldSearchText(text).replace(APOSTROPHES, '');
  const words = (joined.match(WORD) ?? []).map((word) => firstCodePoints(word, MAX_WORD_LENGTH));
  return [...new Set(words)];
};

/** The words of a display name that get a search item. */
export const nameWords = (displayName: string): string[] =>
  searchWords(displayName).slice(0, MAX_NAME_WORDS);

/** What a search text asks for. */
export interface SearchTerms {
  /** Handles starting with this; undefined when the text cannot begin a handle. */
  handlePrefix: string | undefined;
  /** Each must begin some word of a matching display name; [] when the text has no words. */
  words: string[];
}

/**
 * A search text as prefixes. Handles are `[a-z0-9_]`: the whole text, folded and without a
 * leading `@`, is a handle prefix if it is made of those (so "Inès_O" begins "ines_okafor").
 * Names are matched word by word: "ines ok" finds "Inès Okafor".
 */
export const searchTerms = (text: string): SearchTerms => {
  const folded = foldSearchText(text.trim()).replace(/^@/, '');
  return {
    handlePrefix: HANDLE_PREFIX.test(folded) ? folded : undefined,
    words: searchWords(text),
  };
};
