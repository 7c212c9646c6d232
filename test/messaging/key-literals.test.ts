import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Keys are built and parsed in src/messaging/keys.ts only: a `'MSG#'` written anywhere else
 * is a second definition of the key that a change to keys.ts would silently miss. This scans
 * the code of src/ and bench/ (strings, templates, regular expressions); comments may still
 * name a key shape, such as `GRP#<owner>`, to explain it.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const KEYS_FILE = 'src/messaging/keys.ts';
const SCANNED = ['src', 'bench'];

/**
 * `source` as code, without its comments: esbuild (the bundler the stack already uses) drops
 * them all when it minifies whitespace. What is left holds `#` only in literals (a private
 * name starts with it).
 */
const codeOf = (source: string, file: string): string =>
  transformSync(source, {
    loader: file.endsWith('x') ? 'tsx' : 'ts',
    minifyWhitespace: true,
    legalComments: 'none',
  }).code;

/** The key prefixes keys.ts writes (`MSG#`, `GRP#`, ... and the people sort keys' `H#`, `N#`). */
const keyPrefixes = (): string[] => {
  const code = codeOf(readFileSync(join(ROOT, KEYS_FILE), 'utf8'), KEYS_FILE);
  return [...new Set([...code.matchAll(/\b([A-Z]+)#/g)].map((match) => `${match[1]}#`))].sort();
};

/** `file: PREFIX# in …the code around it…` for each key prefix in `source`'s code. */
const keyLiteralsIn = (file: string, source: string, prefixes: string[]): string[] => {
  const pattern = new RegExp(`\\b(?:${prefixes.map((p) => p.slice(0, -1)).join('|')})#`, 'g');
  const code = codeOf(source, file);
  return [...code.matchAll(pattern)].map(
    (match) =>
      `${file}: ${match[0]} in …${code.slice(Math.max(0, match.index - 30), match.index + 30)}…`,
  );
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.[cm]?tsx?$/.test(name) && !name.endsWith('.d.ts'))
    .map((name) => relative(ROOT, join(ROOT, dir, name)).replaceAll('\\', '/'))
    .sort();

describe('key-prefix literals', () => {
  it('finds the prefixes keys.ts builds', () => {
    // If this shrinks, the scan below checks less than it seems to.
    expect(keyPrefixes()).toEqual(
      expect.arrayContaining(['MSG#', 'GRP#', 'CONV#', 'USER#', 'PAIR#', 'BLOCK#', 'CONN#']),
    );
    expect(keyPrefixes()).toEqual(
      expect.arrayContaining(['PEOPLE#', 'CLIENTMSG#', 'HANDLE#', 'H#', 'N#']),
    );
  });

  it('appear nowhere in src/ or bench/ but keys.ts', () => {
    const prefixes = keyPrefixes();
    const files = SCANNED.flatMap(sourceFiles).filter((file) => file !== KEYS_FILE);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) =>
      keyLiteralsIn(file, readFileSync(join(ROOT, file), 'utf8'), prefixes),
    );
    expect(
      found,
      `Key-prefix literals outside ${KEYS_FILE}; build or parse these keys with its functions ` +
        `(add a named one there if none fits):\n${found.join('\n')}`,
    ).toEqual([]);
  });

  it('catches a prefix in any quoting, and not in a comment', () => {
    const source = `// a comment may name GRP#<owner>
const a = pk.slice('GRP#'.length);
/* MSG#<group>
   over lines */ const b = "MSG#" + id;
const c = \`CONV#\${id}\`;
const d = \`\${x}, then USER#\${y}\`;
const e = \`\${\`\${a}\`} PAIR#\`;
const f = x / 2; const g = /^BLOCK#/.test(pk);
const h = { pk: 'CLIENTMSG#x' }; const i = s.startsWith('H#');
const j = 'LMSG#'; const k = 'msg#'; const l = 'a#b';
/*! a legal comment: BLOCK#<blocker> */
`;
    expect(
      keyLiteralsIn('x.ts', source, keyPrefixes()).map((found) => found.split(' in ')[0]),
    ).toEqual([
      'x.ts: GRP#',
      'x.ts: MSG#',
      'x.ts: CONV#',
      'x.ts: USER#',
      'x.ts: PAIR#',
      'x.ts: BLOCK#',
      'x.ts: CLIENTMSG#',
      'x.ts: H#',
    ]);
    expect(keyLiteralsIn('x.ts', "const a = pk.slice('GRP#'.length);", ['GRP#'])).toEqual([
      'x.ts: GRP# in …const a=pk.slice("GRP#".length);\n…',
    ]);
    // Comments inside a class body too (esbuild keeps them unless it minifies whitespace).
    expect(keyLiteralsIn('x.ts', 'class A {\n  /** after MSG# */\n  m() {}\n}', ['MSG#'])).toEqual(
      [],
    );
  });

  it('fails loudly on source it cannot read', () => {
    expect(() => keyLiteralsIn('x.ts', "const a = 'MSG#;\n", ['MSG#'])).toThrow(
      'Unterminated string literal',
    );
  });
});
