import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Keys are built and parsed in src/messaging/keys.ts only: a `'MSG#'` written anywhere else
 * is a second definition of the key that a change to keys.ts would silently miss. This scans
 * the literals (strings, templates, regular expressions) of src/ and bench/; comments may
 * still name a key shape, such as `GRP#<owner>`, to explain it.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const KEYS_FILE = 'src/messaging/keys.ts';
const SCANNED = ['src', 'bench'];

interface Literal {
  text: string;
  line: number;
}

// Where a `/` starts a regular expression rather than a division: after an operator or an
// opening bracket, or after a keyword that takes an expression.
const REGEX_AFTER_CHAR = /[(,=:[!&|?{};+\-*%<>~^]/;
const REGEX_AFTER_WORD =
  /^(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await|instanceof)$/;

/**
 * The string, template and regular expression literals of TypeScript source, with the line
 * each starts on; comments are skipped. A small lexer (TypeScript 7 has no JavaScript API):
 * it follows `${…}` inside templates, and throws on an unterminated literal or comment, so
 * that a misread file fails loudly instead of hiding a literal.
 */
const literalsOf = (source: string): Literal[] => {
  const literals: Literal[] = [];
  // For each `${` of a template still open, the brace depth it was opened at.
  const substitutions: number[] = [];
  let depth = 0;
  let line = 1;
  let i = 0;
  let regexAllowed = true;
  let word = '';

  const fail = (what: string): never => {
    throw new Error(`unterminated ${what} from line ${line}`);
  };
  // Reads a quoted body up to `end` (after the opening quote), honouring backslashes.
  const readQuoted = (end: string, what: string): string => {
    const start = i;
    while (i < source.length && source[i] !== end) {
      if (source[i] === '\\') i++;
      else if (source[i] === '\n' && end !== '`') fail(what);
      i++;
    }
    if (i >= source.length) fail(what);
    return source.slice(start, i++);
  };
  // Reads a template part up to its closing backquote or the next `${`.
  const readTemplatePart = (): void => {
    const start = i;
    const startLine = line;
    while (i < source.length && source[i] !== '`' && !source.startsWith('${', i)) {
      if (source[i] === '\\') i++;
      i++;
    }
    if (i >= source.length) fail('template');
    const text = source.slice(start, i);
    line += text.split('\n').length - 1;
    literals.push({ text, line: startLine });
    if (source[i] === '`') i++;
    else {
      i += 2;
      substitutions.push(depth++);
    }
    regexAllowed = source[i - 1] !== '`';
  };

  while (i < source.length) {
    const char = source[i] as string;
    const next = source[i + 1];
    if (/[A-Za-z0-9_$]/.test(char)) {
      word += char;
      i++;
      regexAllowed = REGEX_AFTER_WORD.test(word);
      continue;
    }
    word = '';
    if (char === '\n') line++;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) fail('comment');
      line += source.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (char === '/' && regexAllowed) {
      const startLine = line;
      const start = ++i;
      let inClass = false;
      while (i < source.length && (inClass || source[i] !== '/')) {
        if (source[i] === '\n') fail('regular expression');
        if (source[i] === '\\') i++;
        else if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        i++;
      }
      literals.push({ text: source.slice(start, i++), line: startLine });
      while (/[a-z]/.test(source[i] ?? '')) i++;
      regexAllowed = false;
    } else if (char === "'" || char === '"') {
      const startLine = line;
      i++;
      literals.push({ text: readQuoted(char, 'string'), line: startLine });
      regexAllowed = false;
    } else if (char === '`') {
      i++;
      readTemplatePart();
    } else if (char === '}' && substitutions.at(-1) === depth - 1) {
      substitutions.pop();
      depth--;
      i++;
      readTemplatePart();
    } else {
      if (char === '{') depth++;
      if (char === '}') depth--;
      regexAllowed = REGEX_AFTER_CHAR.test(char);
      i++;
    }
  }
  if (substitutions.length > 0) fail('template substitution');
  return literals;
};

/** The key prefixes keys.ts writes (`MSG#`, `GRP#`, `H#`…), read from its own literals. */
const keyPrefixes = (): string[] => {
  const source = readFileSync(join(ROOT, KEYS_FILE), 'utf8');
  const prefixes = new Set<string>();
  for (const { text } of literalsOf(source))
    for (const match of text.matchAll(/\b([A-Z]+)#/g)) prefixes.add(`${match[1]}#`);
  return [...prefixes].sort();
};

const prefixPattern = (prefixes: string[]): RegExp =>
  new RegExp(`\\b(?:${prefixes.map((p) => p.replace('#', '')).join('|')})#`);

/** `file:line: "literal"` for each literal of `source` holding one of `prefixes`. */
const keyLiteralsIn = (file: string, source: string, prefixes: string[]): string[] => {
  const pattern = prefixPattern(prefixes);
  return literalsOf(source)
    .filter(({ text }) => pattern.test(text))
    .map(({ text, line }) => `${file}:${line}: ${JSON.stringify(text)}`);
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

  it('catches a literal in any quoting, and not in a comment', () => {
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
`;
    expect(keyLiteralsIn('x.ts', source, keyPrefixes())).toEqual([
      'x.ts:2: "GRP#"',
      'x.ts:4: "MSG#"',
      'x.ts:5: "CONV#"',
      'x.ts:6: ", then USER#"',
      'x.ts:7: " PAIR#"',
      'x.ts:8: "^BLOCK#"',
      'x.ts:9: "CLIENTMSG#x"',
      'x.ts:9: "H#"',
    ]);
  });

  it('fails loudly on source it cannot read', () => {
    expect(() => literalsOf("const a = 'MSG#;\n")).toThrow('unterminated string from line 1');
    expect(() => literalsOf('const a = `${b')).toThrow('unterminated template substitution');
  });
});
