// The lexer turns scenario text into tokens. It never throws: a character it cannot use becomes a
// diagnostic and is skipped, so one bad character never hides the problems after it.

import { DiagnosticBag, Range, SourceFile } from './source';

export type TokenKind = 'identifier' | 'integer' | 'string' | 'punct' | 'newline' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The exact source text of the token. */
  readonly text: string;
  readonly range: Range;
  /** integer: the literal's value (size suffixes applied); 0 when the literal is invalid. */
  readonly value?: bigint;
  /** string: the decoded text, its bytes (UTF-8, `\xNN` as raw bytes) and whether `sv` followed. */
  readonly string?: StringValue;
  /** True when the lexer already reported a problem with this token. */
  readonly invalid?: boolean;
}

export interface StringValue {
  readonly value: string;
  readonly bytes: Uint8Array;
  readonly sv: boolean;
}

export const U64_MAX = (1n << 64n) - 1n;

const UTF8 = new TextEncoder();

const SIZE_SUFFIXES: ReadonlyMap<string, bigint> = new Map([
  ['K', 1n << 10n],
  ['KiB', 1n << 10n],
  ['M', 1n << 20n],
  ['MiB', 1n << 20n],
  ['G', 1n << 30n],
  ['GiB', 1n << 30n],
]);

// Longest first, so that `=>` is not read as `=` then `>`.
const PUNCTUATION = [
  '=>', '==', '!=', '<=', '>=', '<<', '>>', '&&', '||', '::', '..',
  '(', ')', '{', '}', '[', ']', ',', '.', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '!', '~', ';',
]; // prettier-ignore

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_';
const isIdentPart = (c: string): boolean => isIdentStart(c) || isDigit(c);

export function isSizeSuffix(text: string): boolean {
  return SIZE_SUFFIXES.has(text);
}

export interface LexResult {
  readonly tokens: Token[];
}

/** The most tokens one line may hold (a statement is one line). */
export const MAX_TOKENS_PER_LINE = 10_000;

export function tokenize(source: SourceFile, diagnostics: DiagnosticBag): Token[] {
  return new Lexer(source, diagnostics).run();
}

class Lexer {
  private pos = 0;
  private readonly tokens: Token[] = [];
  private readonly text: string;

  constructor(
    private readonly source: SourceFile,
    private readonly diagnostics: DiagnosticBag,
  ) {
    this.text = source.text;
  }

  run(): Token[] {
    const text = this.text;
    /** Where the current line's tokens begin in `tokens`. */
    let lineFirst = 0;
    while (this.pos < text.length) {
      const c = text[this.pos] ?? '';
      if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\uFEFF') {
        this.pos++;
      } else if (c === '\n' || c === '\r') {
        const start = this.pos;
        this.pos += c === '\r' && text[this.pos + 1] === '\n' ? 2 : 1;
        this.push('newline', start);
        lineFirst = this.tokens.length;
      } else if (this.tokens.length - lineFirst >= MAX_TOKENS_PER_LINE) {
        this.dropRestOfLine(lineFirst);
      } else if (c === '#' || (c === '/' && text[this.pos + 1] === '/')) {
        while (this.pos < text.length && text[this.pos] !== '\n' && text[this.pos] !== '\r') this.pos++;
      } else if (isDigit(c)) {
        this.lexInteger();
      } else if (isIdentStart(c)) {
        const start = this.pos;
        while (this.pos < text.length && isIdentPart(text[this.pos] ?? '')) this.pos++;
        this.push('identifier', start);
      } else if (c === '"') {
        this.lexString();
      } else {
        this.lexPunctuation();
      }
    }
    this.push('eof', this.pos);
    return this.tokens;
  }

  /**
   * A line of more tokens than any statement needs: reported once, its tokens dropped (the parser
   * sees an empty line) and the rest of it skipped, so that a megabyte on one line costs nothing.
   */
  private dropRestOfLine(lineFirst: number): void {
    const text = this.text;
    const lineStart = this.tokens[lineFirst]?.range.start.offset ?? this.pos;
    this.tokens.length = lineFirst;
    while (this.pos < text.length && text[this.pos] !== '\n' && text[this.pos] !== '\r') this.pos++;
    this.diagnostics.error(
      this.source.rangeAt(lineStart, Math.min(this.pos, lineStart + 1)),
      'line-too-long',
      `This line holds more than ${MAX_TOKENS_PER_LINE.toLocaleString('en-US')} tokens; no statement needs that many. Split it with 'let'.`,
    );
  }

  private push(kind: TokenKind, start: number, extra: Partial<Token> = {}): Token {
    const token: Token = {
      kind,
      text: this.text.slice(start, this.pos),
      range: this.source.rangeAt(start, this.pos),
      ...extra,
    };
    this.tokens.push(token);
    return token;
  }

  private lexPunctuation(): void {
    const start = this.pos;
    for (const p of PUNCTUATION) {
      if (this.text.startsWith(p, start)) {
        this.pos += p.length;
        this.push('punct', start);
        return;
      }
    }
    const codePoint = this.text.codePointAt(start) ?? 0;
    this.pos += codePoint > 0xffff ? 2 : 1;
    const shown = String.fromCodePoint(codePoint);
    this.diagnostics.error(
      this.source.rangeAt(start, this.pos),
      'unexpected-character',
      `Unexpected character '${shown}' (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}); ` +
        'expected a name, a number, a "string", an operator or a comment.',
    );
  }

  private lexInteger(): void {
    const text = this.text;
    const start = this.pos;
    while (this.pos < text.length && isIdentPart(text[this.pos] ?? '')) this.pos++;
    let body = text.slice(start, this.pos);
    // A size suffix may also stand apart from the number: `16 MiB`.
    let spacedSuffix = '';
    if (!/[A-Za-z]$/.test(body) || /^0[xX][0-9A-Fa-f_]*$/.test(body)) {
      let look = this.pos;
      while (text[look] === ' ' || text[look] === '\t') look++;
      if (look > this.pos) {
        let end = look;
        while (end < text.length && isIdentPart(text[end] ?? '')) end++;
        const word = text.slice(look, end);
        if (SIZE_SUFFIXES.has(word)) {
          spacedSuffix = word;
          this.pos = end;
        }
      }
    }
    const range = this.source.rangeAt(start, this.pos);
    const parsed = parseIntegerBody(body);
    if (typeof parsed === 'string') {
      this.diagnostics.error(range, 'bad-integer', parsed);
      this.push('integer', start, { value: 0n, invalid: true });
      return;
    }
    let value = parsed.value;
    if (spacedSuffix) {
      if (parsed.suffix) {
        this.diagnostics.error(range, 'bad-integer', `The integer '${body}' already has a size suffix.`);
        this.push('integer', start, { value: 0n, invalid: true });
        return;
      }
      value *= SIZE_SUFFIXES.get(spacedSuffix) ?? 1n;
      body += spacedSuffix;
    }
    if (value > U64_MAX) {
      this.diagnostics.error(
        range,
        'integer-overflow',
        `The integer ${this.text.slice(start, this.pos)} does not fit in 64 bits; ` +
          'the largest integer is 0xFFFF_FFFF_FFFF_FFFF.',
      );
      this.push('integer', start, { value: 0n, invalid: true });
      return;
    }
    this.push('integer', start, { value });
  }

  private lexString(): void {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    let value = '';
    const bytes: number[] = [];
    let closed = false;
    while (this.pos < text.length) {
      const c = text[this.pos] ?? '';
      if (c === '\n' || c === '\r') break;
      if (c === '"') {
        this.pos++;
        closed = true;
        break;
      }
      if (c === '\\') {
        this.lexEscape(bytes, (s) => (value += s));
        continue;
      }
      const codePoint = text.codePointAt(this.pos) ?? 0;
      const char = String.fromCodePoint(codePoint);
      value += char;
      bytes.push(...UTF8.encode(char));
      this.pos += char.length;
    }
    if (!closed) {
      this.diagnostics.error(
        this.source.rangeAt(start, this.pos),
        'unterminated-string',
        "This string has no closing '\"' on its line; strings end on the line they start.",
      );
    }
    let sv = false;
    if (closed && text.startsWith('sv', this.pos) && !isIdentPart(text[this.pos + 2] ?? '')) {
      sv = true;
      this.pos += 2;
    }
    this.push('string', start, {
      string: { value, bytes: Uint8Array.from(bytes), sv },
      ...(closed ? {} : { invalid: true }),
    });
  }

  private lexEscape(bytes: number[], append: (s: string) => void): void {
    const text = this.text;
    const start = this.pos;
    const next = text[this.pos + 1] ?? '';
    const simple: Record<string, number> = { '"': 34, '\\': 92, n: 10, t: 9, r: 13, '0': 0 };
    const code = simple[next];
    if (code !== undefined) {
      bytes.push(code);
      append(String.fromCharCode(code));
      this.pos += 2;
      return;
    }
    if (next === 'x') {
      const hex = text.slice(this.pos + 2, this.pos + 4);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        const byte = parseInt(hex, 16);
        bytes.push(byte);
        append(String.fromCharCode(byte));
        this.pos += 4;
        return;
      }
      this.pos += 2;
      this.diagnostics.error(
        this.source.rangeAt(start, this.pos),
        'bad-escape',
        'A \\x escape needs exactly two hexadecimal digits, as in "\\x41".',
      );
      return;
    }
    this.pos += next === '' || next === '\n' || next === '\r' ? 1 : 2;
    this.diagnostics.error(
      this.source.rangeAt(start, this.pos),
      'bad-escape',
      `Unknown escape '\\${next}'; expected one of \\" \\\\ \\n \\t \\r \\0 \\xNN.`,
    );
  }
}

/** Reads the body of an integer literal (digits, separators, an attached suffix); a string is an error. */
function parseIntegerBody(body: string): { value: bigint; suffix: string } | string {
  let digits: string;
  let radix: 'x' | 'b' | '';
  let rest: string;
  const lower = body.slice(0, 2).toLowerCase();
  if (lower === '0x') {
    radix = 'x';
    const m = /^[0-9A-Fa-f_]*/.exec(body.slice(2))?.[0] ?? '';
    digits = m;
    rest = body.slice(2 + m.length);
  } else if (lower === '0b' && /^[01_]/.test(body.slice(2))) {
    radix = 'b';
    const m = /^[01_]*/.exec(body.slice(2))?.[0] ?? '';
    digits = m;
    rest = body.slice(2 + m.length);
  } else {
    radix = '';
    const m = /^[0-9_]*/.exec(body)?.[0] ?? '';
    digits = m;
    rest = body.slice(m.length);
  }
  const clean = digits.replace(/_/g, '');
  if (clean === '') return `'${body}' is not a valid integer: digits are missing after '0${radix}'.`;
  if (rest !== '' && !SIZE_SUFFIXES.has(rest)) {
    const kind = radix === 'x' ? 'hexadecimal' : radix === 'b' ? 'binary' : 'decimal';
    return (
      `'${body}' is not a valid ${kind} integer: '${rest}' is neither a digit nor a size suffix ` +
      '(K, KiB, M, MiB, G, GiB).'
    );
  }
  const prefix = radix === 'x' ? '0x' : radix === 'b' ? '0b' : '';
  const value = BigInt(prefix + clean) * (SIZE_SUFFIXES.get(rest) ?? 1n);
  return { value, suffix: rest };
}
