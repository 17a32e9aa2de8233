// The parser reads a scenario one line at a time: a statement is one line, and a block (`proc`,
// `repeat`) is a header line ending in `{`, body lines, and a line holding `}`. A line that does not
// parse is reported and left out; the next line is parsed afresh, so one mistake never hides the
// mistakes after it. Parsing never throws.

import type {
  Argument,
  Assertion,
  BinaryOperator,
  Expression,
  Identifier,
  MemoryRangeSyntax,
  NameExpression,
  OutcomeItem,
  ProcStatement,
  Program,
  RepeatStatement,
  Setting,
  Statement,
  StringLiteral,
  ValueItem,
  Width,
  WidthSyntax,
} from './ast';
import { isOutcomeName } from './api';
import { tokenize, type Token } from './lexer';
import { Diagnostic, DiagnosticBag, Range, SourceFile, spanRanges } from './source';

/**
 * How deep an expression may nest (parentheses, operators, calls, index and member chains all
 * count), and how deep blocks may nest. Everything that walks the syntax tree (the checker, the
 * evaluator, the editor's services) recurses along it, so the parser bounds it once, with a
 * diagnostic where the limit is passed; no real scenario comes near either.
 */
export const MAX_EXPRESSION_DEPTH = 200;
export const MAX_BLOCK_DEPTH = 32;

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
  readonly source: SourceFile;
}

export function parse(text: string, file = '<scenario>'): ParseResult {
  const source = new SourceFile(file, text);
  const diagnostics = new DiagnosticBag(file);
  const tokens = tokenize(source, diagnostics);
  const program = new ProgramParser(source, tokens, diagnostics).run();
  return { program, diagnostics: diagnostics.items, source };
}

/** Parses one expression (for instance a parameter default of the API table). */
export function parseExpression(
  text: string,
  file = '<expression>',
): { expression?: Expression; diagnostics: Diagnostic[] } {
  const source = new SourceFile(file, text);
  const diagnostics = new DiagnosticBag(file);
  const tokens = tokenize(source, diagnostics).filter((t) => t.kind !== 'newline' && t.kind !== 'eof');
  try {
    const parser = new LineParser(tokens, source);
    const expression = parser.expression();
    parser.expectEnd();
    return { expression, diagnostics: diagnostics.items };
  } catch (e) {
    if (!(e instanceof LineError)) throw e;
    diagnostics.error(e.range, e.code, e.message);
    return { diagnostics: diagnostics.items };
  }
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

const WIDTHS: readonly string[] = ['u8', 'u16', 'u32', 'u64'];

/** A problem that ends the parsing of the current line. */
class LineError {
  constructor(
    readonly range: Range,
    readonly code: string,
    readonly message: string,
  ) {}
}

interface OpenBlock {
  readonly header?:
    | { kind: 'proc'; stmt: Omit<ProcStatement, 'body' | 'closeRange' | 'range'> }
    | {
        kind: 'repeat';
        stmt: Omit<RepeatStatement, 'body' | 'closeRange' | 'range'>;
      };
  readonly headerRange: Range;
  readonly body: Statement[];
  /** Opened past MAX_BLOCK_DEPTH: left out of the program. */
  readonly tooDeep?: boolean;
}

class ProgramParser {
  constructor(
    private readonly source: SourceFile,
    private readonly tokens: readonly Token[],
    private readonly diagnostics: DiagnosticBag,
  ) {}

  run(): Program {
    const top: Statement[] = [];
    const open: OpenBlock[] = [];
    const current = (): Statement[] => open[open.length - 1]?.body ?? top;

    for (const line of this.lines()) {
      const first = line[0];
      if (first === undefined) continue;
      if (first.kind === 'punct' && first.text === '}') {
        this.closeBlock(line, open, top);
        continue;
      }
      try {
        const parser = new LineParser(line, this.source);
        const result = parser.statement();
        if (result.opensBlock && open.length >= MAX_BLOCK_DEPTH) {
          // Reported once, where the limit is passed; deeper blocks are left out with it.
          if (!open.some((block) => block.tooDeep === true))
            this.diagnostics.error(
              result.range,
              'too-deep',
              `Blocks nest deeper than ${MAX_BLOCK_DEPTH} levels here; move the inner ones into a proc.`,
            );
          open.push({ headerRange: result.range, body: [], tooDeep: true });
        } else if (result.opensBlock) {
          open.push({ header: result.opensBlock, headerRange: result.range, body: [] });
        } else if (result.statement) {
          current().push(result.statement);
        }
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        this.diagnostics.error(e.range, e.code, e.message);
        // Keep the block structure intact: a broken header still owns the lines up to its `}`.
        const last = line[line.length - 1];
        if (last?.kind === 'punct' && last.text === '{') open.push({ headerRange: first.range, body: [] });
      }
    }
    const end = this.source.rangeAt(this.source.text.length, this.source.text.length);
    while (open.length > 0) {
      const block = open[open.length - 1];
      if (block === undefined) break;
      this.diagnostics.error(
        block.headerRange,
        'unclosed-block',
        "This block is never closed; expected a line holding '}' before the end of the file.",
      );
      this.finishBlock(open, top, end);
    }
    return {
      file: this.source.name,
      statements: top,
      range: this.source.rangeAt(0, this.source.text.length),
    };
  }

  private closeBlock(line: readonly Token[], open: OpenBlock[], top: Statement[]): void {
    const brace = line[0];
    if (brace === undefined) return;
    const extra = line[1];
    if (extra !== undefined) {
      const lastExtra = line[line.length - 1] ?? extra;
      this.diagnostics.error(
        spanRanges(extra.range, lastExtra.range),
        'unexpected-token',
        "Expected the end of the line after '}'; a closing brace stands on a line of its own.",
      );
    }
    if (open.length === 0) {
      this.diagnostics.error(
        brace.range,
        'unmatched-brace',
        "This '}' closes nothing; expected it only after a 'proc … {' or 'repeat … {' line.",
      );
      return;
    }
    this.finishBlock(open, top, brace.range);
  }

  private finishBlock(open: OpenBlock[], top: Statement[], closeRange: Range): void {
    const block = open.pop();
    if (block === undefined) return;
    const parent = open[open.length - 1]?.body ?? top;
    const header = block.header;
    if (header === undefined) return;
    const range = spanRanges(block.headerRange, closeRange);
    if (header.kind === 'proc') parent.push({ ...header.stmt, body: block.body, closeRange, range });
    else parent.push({ ...header.stmt, body: block.body, closeRange, range });
  }

  /** The tokens of each line, without the line break and without trailing `;`. */
  private *lines(): Generator<Token[]> {
    let line: Token[] = [];
    for (const token of this.tokens) {
      if (token.kind === 'newline' || token.kind === 'eof') {
        while (
          line.length > 0 &&
          line[line.length - 1]?.text === ';' &&
          line[line.length - 1]?.kind === 'punct'
        ) {
          line.pop();
        }
        yield line;
        line = [];
      } else {
        line.push(token);
      }
    }
  }
}

interface StatementResult {
  readonly statement?: Statement;
  readonly opensBlock?: OpenBlock['header'];
  readonly range: Range;
}

/** Parses the tokens of one line. Throws LineError (caught by the caller) at the first problem. */
class LineParser {
  private index = 0;
  /** How many expressions the parser is inside right now (its own recursion). */
  private nesting = 0;
  /** The depth of each compound expression built; a leaf is 1. */
  private readonly depths = new WeakMap<Expression, number>();

  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: SourceFile,
  ) {}

  // ----- token helpers -----------------------------------------------------------------------

  private peek(ahead = 0): Token | undefined {
    return this.tokens[this.index + ahead];
  }

  private atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  private isPunct(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  private isWord(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t !== undefined && t.kind === 'identifier' && t.text === text;
  }

  private next(): Token {
    const t = this.tokens[this.index];
    if (t === undefined) throw this.errorHere('unexpected-end', 'Unexpected end of line.');
    this.index++;
    return t;
  }

  private previousEnd(): Range {
    const t = this.tokens[this.index - 1] ?? this.tokens[0];
    if (t === undefined) return this.source.rangeAt(0, 0);
    return t.range;
  }

  /** The range where the line ends (just after its last token), for "expected … at end of line". */
  private endOfLineRange(): Range {
    const last = this.tokens[this.tokens.length - 1];
    if (last === undefined) return this.source.rangeAt(0, 0);
    return { start: last.range.end, end: last.range.end };
  }

  private describe(t: Token | undefined): string {
    if (t === undefined) return 'the end of the line';
    if (t.kind === 'string') return `the string ${t.text}`;
    if (t.kind === 'integer') return `the number ${t.text}`;
    return `'${t.text}'`;
  }

  private errorHere(code: string, message: string): LineError {
    const t = this.peek();
    return new LineError(t?.range ?? this.endOfLineRange(), code, message);
  }

  private expected(what: string): LineError {
    return this.errorHere('syntax', `Expected ${what}, found ${this.describe(this.peek())}.`);
  }

  private expectPunct(text: string, what = `'${text}'`): Token {
    if (!this.isPunct(text)) throw this.expected(what);
    return this.next();
  }

  private expectIdentifier(what: string): Identifier {
    const t = this.peek();
    if (t === undefined || t.kind !== 'identifier') throw this.expected(what);
    this.index++;
    return { kind: 'identifier', name: t.text, range: t.range };
  }

  private expectWord(word: string, what: string): Token {
    if (!this.isWord(word)) throw this.expected(what);
    return this.next();
  }

  expectEnd(): void {
    if (this.atEnd()) return;
    const t = this.peek();
    if (t?.kind === 'punct' && t.text === ';') {
      throw this.errorHere(
        'syntax',
        "Expected the end of the line: write one statement per line (';' only ends a line).",
      );
    }
    throw this.expected('the end of the line');
  }

  private rangeFrom(start: Range): Range {
    return spanRanges(start, this.previousEnd());
  }

  // ----- statements --------------------------------------------------------------------------

  statement(): StatementResult {
    const first = this.peek();
    if (first === undefined) throw this.expected('a statement');
    const keywordRange = first.range;
    if (first.kind === 'identifier') {
      switch (first.text) {
        case 'machine':
          return this.simple(this.machine(keywordRange), keywordRange, false);
        case 'memory':
          return this.simple(this.memory(keywordRange), keywordRange, false);
        case 'let':
        case 'auto':
          return this.simple(this.letStatement(keywordRange), keywordRange);
        case 'process':
          return this.simple(this.processStatement(keywordRange), keywordRange);
        case 'fork':
          if (!this.isPunct('(', 1)) return this.simple(this.forkStatement(keywordRange), keywordRange);
          break;
        case 'exit':
          this.next();
          return this.simple(
            {
              kind: 'exit',
              process: this.expectIdentifier('the name of a process'),
              keywordRange,
              range: keywordRange,
            },
            keywordRange,
          );
        case 'set_sp':
          this.next();
          return this.simple(
            {
              kind: 'set_sp',
              process: this.expectIdentifier('the name of a process'),
              address: this.expression(),
              keywordRange,
              range: keywordRange,
            },
            keywordRange,
          );
        case 'file':
          return this.simple(this.fileStatement(keywordRange), keywordRange);
        case 'write':
        case 'read':
        case 'exec':
          return this.simple(this.accessStatement(first.text, keywordRange), keywordRange);
        case 'print':
          return this.simple(this.printStatement(keywordRange), keywordRange);
        case 'expect':
          this.next();
          return this.simple(
            { kind: 'expect', condition: this.expression(), keywordRange, range: keywordRange },
            keywordRange,
          );
        case 'proc':
          return this.procHeader(keywordRange);
        case 'repeat':
          return this.repeatHeader(keywordRange);
        default:
          break;
      }
    }
    const expression = this.expression();
    return this.simple({ kind: 'expression', expression, keywordRange, range: keywordRange }, keywordRange);
  }

  /** Finishes a one-line statement: the optional `=> …` assertion, then the end of the line. */
  private simple(statement: Statement, start: Range, allowAssertion = true): StatementResult {
    let assertion: Assertion | undefined;
    if (this.isPunct('=>')) {
      if (!allowAssertion) {
        throw this.errorHere(
          'syntax',
          `A '${statement.kind}' line configures the machine and has no outcome to assert.`,
        );
      }
      assertion = this.assertion();
    }
    this.expectEnd();
    const range = this.rangeFrom(start);
    const full = assertion ? { ...statement, range, assertion } : { ...statement, range };
    return { statement: full as Statement, range };
  }

  private settings(what: string): Setting[] {
    const settings: Setting[] = [];
    while (!this.atEnd() && !this.isPunct('=>')) {
      const key = this.expectIdentifier(`a ${what} setting such as 'name=value'`);
      this.expectPunct('=', `'=' after '${key.name}'`);
      const value = this.expression();
      settings.push({ key, value, range: spanRanges(key.range, value.range) });
    }
    return settings;
  }

  private machine(keywordRange: Range): Statement {
    this.next();
    return { kind: 'machine', settings: this.settings('machine'), keywordRange, range: keywordRange };
  }

  private memory(keywordRange: Range): Statement {
    this.next();
    const memoryKind = this.expectIdentifier(
      'a memory kind (usable, reserved, acpi_reclaimable, acpi_nvs or bad)',
    );
    const start = this.expression();
    let span: MemoryRangeSyntax;
    if (this.isPunct('..')) {
      this.next();
      const end = this.expression();
      span = { form: 'span', start, end, range: spanRanges(start.range, end.range) };
    } else if (start.kind === 'binary' && start.operator === '+') {
      span = { form: 'sized', start: start.left, size: start.right, range: start.range };
    } else {
      throw new LineError(
        start.range,
        'syntax',
        "Expected a physical range 'START..END' (end exclusive) or 'START+SIZE'.",
      );
    }
    let label: StringLiteral | undefined;
    const t = this.peek();
    if (t?.kind === 'string') {
      label = this.stringLiteral(this.next());
    }
    const base = { kind: 'memory' as const, memoryKind, span, keywordRange, range: keywordRange };
    return label ? { ...base, label } : base;
  }

  private letStatement(keywordRange: Range): Statement {
    const keywordToken = this.next();
    let keyword: 'let' | 'auto' | 'auto*' = keywordToken.text === 'let' ? 'let' : 'auto';
    if (keyword === 'auto' && this.isPunct('*')) {
      this.next();
      keyword = 'auto*';
    }
    const name = this.expectIdentifier(`a name after '${keyword}'`);
    this.expectPunct('=', `'=' after '${keyword} ${name.name}'`);
    const value = this.expression();
    return { kind: 'let', keyword, name, value, keywordRange, range: keywordRange };
  }

  private processStatement(keywordRange: Range): Statement {
    this.next();
    const name = this.expectIdentifier('the name of the new process');
    return { kind: 'process', name, options: this.settings('process'), keywordRange, range: keywordRange };
  }

  private forkStatement(keywordRange: Range): Statement {
    this.next();
    const parent = this.expectIdentifier('the name of the process to fork');
    this.expectWord('as', `'as' and the name of the child, as in 'fork ${parent.name} as child'`);
    const child = this.expectIdentifier('the name of the child process');
    return { kind: 'fork', parent, child, keywordRange, range: keywordRange };
  }

  private fileStatement(keywordRange: Range): Statement {
    this.next();
    const t = this.peek();
    if (t?.kind !== 'string') throw this.expected('the path of the file as a "string"');
    const path = this.stringLiteral(this.next());
    return { kind: 'file', path, options: this.settings('file'), keywordRange, range: keywordRange };
  }

  private accessStatement(keyword: string, keywordRange: Range): Statement {
    this.next();
    const space = this.expectIdentifier("a process name or 'kernel'");
    const address = this.expression();
    if (keyword === 'exec') return { kind: 'exec', space, address, keywordRange, range: keywordRange };
    if (keyword === 'read') {
      const width = this.optionalWidth();
      const base = { kind: 'read' as const, space, address, keywordRange, range: keywordRange };
      return width ? { ...base, width } : base;
    }
    this.expectPunct(',', "',' and the value to write, as in 'write p addr, 0x41'");
    const value = this.expression();
    const width = this.optionalWidth();
    const base = { kind: 'write' as const, space, address, value, keywordRange, range: keywordRange };
    return width ? { ...base, width } : base;
  }

  private optionalWidth(): WidthSyntax | undefined {
    if (!this.isWord('as')) return undefined;
    this.next();
    const t = this.peek();
    if (t === undefined || t.kind !== 'identifier' || !WIDTHS.includes(t.text)) {
      throw this.expected('a width after as: u8, u16, u32 or u64');
    }
    this.next();
    return { width: t.text as Width, range: t.range };
  }

  private printStatement(keywordRange: Range): Statement {
    this.next();
    const values = [this.expression()];
    while (this.isPunct(',')) {
      this.next();
      values.push(this.expression());
    }
    return { kind: 'print', values, keywordRange, range: keywordRange };
  }

  private blockOpen(): void {
    if (this.isPunct('=>')) {
      throw this.errorHere(
        'syntax',
        'A block header has no outcome to assert; put assertions on the lines inside it.',
      );
    }
    this.expectPunct('{', "'{' at the end of the line (the body follows on the next lines, closed by '}')");
  }

  private procHeader(keywordRange: Range): StatementResult {
    this.next();
    const name = this.expectIdentifier('the name of the procedure');
    this.expectPunct('(', `'(' and the parameter list after '${name.name}'`);
    const params: Identifier[] = [];
    if (!this.isPunct(')')) {
      params.push(this.expectIdentifier('a parameter name'));
      while (this.isPunct(',')) {
        this.next();
        params.push(this.expectIdentifier('a parameter name'));
      }
    }
    this.expectPunct(')', "',' or ')' in the parameter list");
    this.blockOpen();
    const stmt = { kind: 'proc' as const, name, params, keywordRange };
    return this.blockResult({ kind: 'proc', stmt }, keywordRange);
  }

  private repeatHeader(keywordRange: Range): StatementResult {
    this.next();
    const variable = this.expectIdentifier('the name of the loop variable');
    this.expectWord('in', `'in' after '${variable.name}', as in 'repeat i in 0..8 {'`);
    const from = this.expression();
    this.expectPunct('..', "'..' between the first value and the end of the range (end exclusive)");
    const to = this.expression();
    this.blockOpen();
    const stmt = { kind: 'repeat' as const, variable, from, to, keywordRange };
    return this.blockResult({ kind: 'repeat', stmt }, keywordRange);
  }

  /** After `{`: either the end of the line (a body follows) or `}` closing an empty body. */
  private blockResult(header: NonNullable<OpenBlock['header']>, keywordRange: Range): StatementResult {
    const range = this.rangeFrom(keywordRange);
    if (this.isPunct('}')) {
      const close = this.next();
      this.expectEnd();
      const full = spanRanges(keywordRange, close.range);
      if (header.kind === 'proc') {
        return { statement: { ...header.stmt, body: [], closeRange: close.range, range: full }, range: full };
      }
      return { statement: { ...header.stmt, body: [], closeRange: close.range, range: full }, range: full };
    }
    if (!this.atEnd()) {
      throw this.errorHere(
        'syntax',
        "Expected the end of the line after '{': the body of a block goes on the lines below, closed by a line holding '}'.",
      );
    }
    return { opensBlock: header, range };
  }

  private assertion(): Assertion {
    const arrow = this.next();
    const items: (OutcomeItem | ValueItem)[] = [this.assertionItem()];
    while (this.isPunct(',')) {
      this.next();
      items.push(this.assertionItem());
    }
    return { items, range: this.rangeFrom(arrow.range) };
  }

  private assertionItem(): OutcomeItem | ValueItem {
    if (this.atEnd()) throw this.expected("an outcome (ok, zero_fault, ENOMEM, …) or a value after '=>'");
    const value = this.expression();
    if (value.kind === 'name' && value.path.length === 1 && looksLikeOutcome(value.name)) {
      return {
        kind: 'outcome',
        name: { kind: 'identifier', name: value.name, range: value.range },
        range: value.range,
      };
    }
    return { kind: 'value', value, range: value.range };
  }

  // ----- expressions -------------------------------------------------------------------------

  expression(): Expression {
    this.enter();
    try {
      return this.binary(1);
    } finally {
      this.nesting--;
    }
  }

  /** One level further into the line's expressions, refused past MAX_EXPRESSION_DEPTH. */
  private enter(): void {
    if (++this.nesting > MAX_EXPRESSION_DEPTH) throw this.tooDeep();
  }

  private tooDeep(): LineError {
    return this.errorHere(
      'too-deep',
      `This expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels; split it with 'let'.`,
    );
  }

  private depthOf(expression: Expression): number {
    return this.depths.get(expression) ?? 1;
  }

  /** Records a compound node one deeper than its deepest part, refused past the limit. */
  private node<T extends Expression>(expression: T, ...parts: Expression[]): T {
    let deepest = 0;
    for (const part of parts) deepest = Math.max(deepest, this.depthOf(part));
    const depth = 1 + deepest;
    if (depth > MAX_EXPRESSION_DEPTH) throw this.tooDeep();
    this.depths.set(expression, depth);
    return expression;
  }

  private binary(minPrecedence: number): Expression {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t === undefined || t.kind !== 'punct') return left;
      const precedence = BINARY_PRECEDENCE[t.text];
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.next();
      const right = this.binary(precedence + 1);
      left = this.node(
        {
          kind: 'binary',
          operator: t.text as BinaryOperator,
          left,
          right,
          operatorRange: t.range,
          range: spanRanges(left.range, right.range),
        },
        left,
        right,
      );
    }
  }

  private unary(): Expression {
    const t = this.peek();
    if (t?.kind === 'punct' && (t.text === '!' || t.text === '~' || t.text === '-')) {
      this.next();
      this.enter();
      let operand: Expression;
      try {
        operand = this.unary();
      } finally {
        this.nesting--;
      }
      return this.node(
        {
          kind: 'unary',
          operator: t.text,
          operand,
          operatorRange: t.range,
          range: spanRanges(t.range, operand.range),
        },
        operand,
      );
    }
    return this.postfix(this.primary());
  }

  private postfix(expression: Expression): Expression {
    let result = expression;
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const member = this.expectIdentifier("a member name after '.'");
        result = this.node(
          { kind: 'member', object: result, member, range: spanRanges(result.range, member.range) },
          result,
        );
      } else if (this.isPunct('(')) {
        result = this.call(result);
      } else if (this.isPunct('[')) {
        this.next();
        const index = this.expression();
        const close = this.expectPunct(']', "']' after the index");
        result = this.node(
          { kind: 'index', object: result, index, range: spanRanges(result.range, close.range) },
          result,
          index,
        );
      } else {
        return result;
      }
    }
  }

  private call(callee: Expression): Expression {
    const open = this.next();
    const args: Argument[] = [];
    if (!this.isPunct(')')) {
      args.push(this.argument());
      while (this.isPunct(',')) {
        this.next();
        args.push(this.argument());
      }
    }
    const close = this.expectPunct(')', "',' or ')' in the argument list");
    return this.node(
      {
        kind: 'call',
        callee,
        args,
        argsRange: spanRanges(open.range, close.range),
        range: spanRanges(callee.range, close.range),
      },
      callee,
      ...args.map((arg) => arg.value),
    );
  }

  private argument(): Argument {
    const t = this.peek();
    if (t?.kind === 'identifier' && this.isPunct('=', 1)) {
      this.next();
      this.next();
      const name: Identifier = { kind: 'identifier', name: t.text, range: t.range };
      const value = this.expression();
      return { name, value, range: spanRanges(t.range, value.range) };
    }
    const value = this.expression();
    return { value, range: value.range };
  }

  private primary(): Expression {
    const t = this.peek();
    if (t === undefined) throw this.expected('an expression');
    if (t.kind === 'integer') {
      this.next();
      return { kind: 'integer', value: t.value ?? 0n, text: t.text, range: t.range };
    }
    if (t.kind === 'string') {
      this.next();
      return this.stringLiteral(t);
    }
    if (t.kind === 'punct' && t.text === '(') {
      this.next();
      const inner = this.expression();
      const close = this.expectPunct(')', "')' to close the parenthesis");
      // The node keeps its kind (and depth); its range grows to cover the parentheses.
      const widened = { ...inner, range: spanRanges(t.range, close.range) };
      this.depths.set(widened, this.depthOf(inner));
      return widened;
    }
    if (t.kind === 'identifier') {
      if (t.text === 'true' || t.text === 'false') {
        this.next();
        return { kind: 'boolean', value: t.text === 'true', range: t.range };
      }
      if (t.text === 'null') {
        this.next();
        return { kind: 'null', range: t.range };
      }
      if (t.text === 'TRY' && this.isPunct('(', 1)) {
        this.next();
        this.next();
        const inner = this.expression();
        const close = this.expectPunct(')', "')' to close TRY(…)");
        return this.node({ kind: 'try', inner, range: spanRanges(t.range, close.range) }, inner);
      }
      return this.name();
    }
    throw this.expected('an expression (a number, a "string", a name or a parenthesis)');
  }

  private name(): NameExpression {
    const path = [this.expectIdentifier('a name')];
    while (this.isPunct('::')) {
      this.next();
      path.push(this.expectIdentifier("a name after '::'"));
    }
    const first = path[0] as Identifier;
    const last = path[path.length - 1] as Identifier;
    return { kind: 'name', name: last.name, path, range: spanRanges(first.range, last.range) };
  }

  private stringLiteral(t: Token): StringLiteral {
    const s = t.string ?? { value: '', bytes: new Uint8Array(), sv: false };
    return { kind: 'string', value: s.value, bytes: s.bytes, sv: s.sv, range: t.range };
  }
}

/** In `=> …`, a bare name is an outcome when it is one, or looks like an errno (`EFOO`). */
function looksLikeOutcome(name: string): boolean {
  return isOutcomeName(name) || /^E[A-Z0-9]{2,}$/.test(name);
}
