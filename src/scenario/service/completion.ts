// Completion: what may be written at the cursor, most likely first. The line up to the cursor
// decides the place (start of a statement, a machine key, an argument of a known parameter, a
// member after `.`, an outcome after `=>`, a width after `as` …); the semantic model supplies the
// names in scope and the static types of receivers.

import type { Token } from '../lexer';
import {
  CONSTANTS,
  FILE_OPTIONS,
  FUNCTIONS,
  GLOBALS,
  MACHINE_KEYS,
  MEMBERS,
  MEMORY_KINDS,
  OUTCOMES,
  PROCESS_OPTIONS,
  STATEMENT_KEYWORDS,
} from '../api';
import {
  activeParameter,
  callContext,
  calleeParams,
  chainStart,
  inCommentOrString,
  isPunct,
  lineTokens,
  LinePosition,
  typeOfTokens,
} from './cursor';
import {
  constantDetail,
  constantMarkdown,
  constantsOfKind,
  functionMarkdown,
  functionSignature,
  memberMarkdown,
  outcomeMarkdown,
  paramKindWords,
  procSignature,
} from './describe';
import { KEYWORD_DOCS } from './keywords';
import { Definition, describeType, DocumentModel, handleKindOf, visibleDefinitions } from './model';

export type CompletionKind =
  | 'function'
  | 'method'
  | 'property'
  | 'constant'
  | 'variable'
  | 'process'
  | 'proc'
  | 'keyword'
  | 'outcome'
  | 'setting'
  | 'argument'
  | 'module'
  | 'value';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** What to insert; the label when absent. */
  readonly insertText?: string;
  /** `insertText` uses snippet syntax (`${1:name}` placeholders). */
  readonly snippet?: boolean;
  /** Orders the list: items of lower sort text come first. */
  readonly sortText: string;
  /** Open signature help after inserting (a call with arguments to fill). */
  readonly triggerSignatureHelp?: boolean;
}

export interface CompletionResult {
  readonly items: CompletionItem[];
  /** The columns of the word being replaced on the cursor's line. */
  readonly replaceStart: number;
  readonly replaceEnd: number;
}

// Groups, in the order the list shows them.
const PREFERRED = '0';
const ARGUMENT = '1';
const NAME = '2';
const CALLABLE = '3';
const CONSTANT = '4';
const KEYWORD = '5';

const sort = (group: string, label: string): string => `${group}_${label}`;

export interface CompletionOptions {
  /**
   * Only the items specific to the place (outcomes after `=> `, processes after `write `, the
   * constants of the parameter after `, `): for completion that a space or a comma triggered,
   * where the whole list of names would only get in the way.
   */
  readonly specificOnly?: boolean;
}

/** Completion at `position` of the model's document. */
export function complete(
  model: DocumentModel,
  position: LinePosition,
  options: CompletionOptions = {},
): CompletionResult {
  const source = model.check.source;
  const lineText = source.lineText(position.line);
  const column = Math.min(position.column, lineText.length);
  const lineStart = source.lineStarts[position.line] ?? source.text.length;
  const empty: CompletionResult = { items: [], replaceStart: column, replaceEnd: column };
  if (inCommentOrString(lineText, column)) {
    const paths = filePaths(model, lineText, column, lineStart);
    return paths ?? empty;
  }

  const prefix = lineText.slice(0, column);
  let tokens = lineTokens(prefix);
  // The word being typed is replaced; the tokens before it decide the place.
  let replaceStart = column;
  const last = tokens[tokens.length - 1];
  if (
    last !== undefined &&
    last.range.end.offset === column &&
    (last.kind === 'identifier' || last.kind === 'integer')
  ) {
    if (last.kind === 'integer') return empty;
    replaceStart = last.range.start.offset;
    tokens = tokens.slice(0, -1);
  }
  let wordEnd = column;
  while (wordEnd < lineText.length && /[A-Za-z0-9_]/.test(lineText[wordEnd] ?? '')) wordEnd++;
  const all = new Completer(model, lineText, tokens, lineStart).run();
  const items = options.specificOnly ? all.filter((i) => i.sortText.startsWith(`${PREFERRED}_`)) : all;
  return { items, replaceStart, replaceEnd: wordEnd };
}

class Completer {
  private readonly items: CompletionItem[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly model: DocumentModel,
    private readonly lineText: string,
    private readonly tokens: readonly Token[],
    private readonly lineStart: number,
  ) {}

  run(): CompletionItem[] {
    const t = this.tokens;
    const first = t[0];
    if (first === undefined) {
      this.statementStart();
      return this.items;
    }
    if (first.kind === 'identifier' && this.statementSpecific(first.text)) return this.items;
    if (this.assertion()) return this.items;
    const lastToken = t[t.length - 1];
    if (isPunct(lastToken, '.')) {
      this.members(t.length - 2);
      return this.items;
    }
    if (isPunct(lastToken, '::')) {
      this.qualifiedConstants();
      return this.items;
    }
    if (
      lastToken?.kind === 'identifier' &&
      lastToken.text === 'as' &&
      ['read', 'write'].includes(first.text)
    ) {
      this.constantsFor('width', PREFERRED);
      return this.items;
    }
    if (!this.expectsOperand(lastToken)) {
      this.accessWidth();
      return this.items;
    }
    this.expression();
    return this.items;
  }

  /** `read p buf ‸` or `write p buf, 1 ‸`: the access is complete, its width may follow. */
  private accessWidth(): void {
    const t = this.tokens;
    const first = t[0]?.text ?? '';
    if (first !== 'read' && first !== 'write') return;
    let depth = 0;
    let commas = 0;
    for (const tok of t) {
      if (isPunct(tok, '(') || isPunct(tok, '[')) depth++;
      else if (isPunct(tok, ')') || isPunct(tok, ']')) depth--;
      else if (depth === 0 && isPunct(tok, ',')) commas++;
      if ((tok.kind === 'identifier' && tok.text === 'as') || isPunct(tok, '=>')) return;
    }
    if (depth !== 0 || t.length < 3 || (first === 'write' && commas !== 1)) return;
    this.add({
      label: 'as',
      kind: 'keyword',
      detail: 'the access width',
      documentation: 'Reads or writes u8 (the default), u16, u32 or u64.',
      insertText: 'as ${1|u8,u16,u32,u64|}',
      snippet: true,
      sortText: sort(PREFERRED, 'as'),
    });
  }

  private add(item: CompletionItem): void {
    if (this.seen.has(item.label)) return;
    this.seen.add(item.label);
    this.items.push(item);
  }

  /** After a complete operand (`x`, `4`, `)`) the next thing is an operator, not a name. */
  private expectsOperand(last: Token | undefined): boolean {
    if (last === undefined) return true;
    if (last.kind === 'punct') return !isPunct(last, ')') && !isPunct(last, ']');
    if (last.kind !== 'identifier') return false;
    // Words after which an expression starts: `expect …`, `print …`, `repeat i in …`, `write p …`.
    const index = this.tokens.length - 1;
    const first = this.tokens[0]?.text ?? '';
    if (index === 0) return first === 'expect' || first === 'print';
    if (last.text === 'in' && first === 'repeat') return true;
    return index === 1 && ['write', 'read', 'exec', 'set_sp'].includes(first);
  }

  // ----- places ---------------------------------------------------------------------------------

  private statementStart(): void {
    for (const keyword of STATEMENT_KEYWORDS) {
      const doc = KEYWORD_DOCS[keyword];
      this.add({
        label: keyword,
        kind: 'keyword',
        sortText: sort(KEYWORD, keyword),
        ...(doc
          ? { detail: doc.syntax, documentation: doc.description, insertText: doc.snippet, snippet: true }
          : {}),
      });
    }
    this.expression();
  }

  /** Places decided by the statement's keyword; true when the place was handled. */
  private statementSpecific(keyword: string): boolean {
    const t = this.tokens;
    const n = t.length;
    const lastToken = t[n - 1];
    switch (keyword) {
      case 'machine':
        if (isPunct(lastToken, '=')) {
          const key = t[n - 2]?.text;
          if (key === 'pat' || key === 'smap') this.booleans();
          return true;
        }
        if (n === 1 || t[n - 2]?.text === '=' || lastToken?.kind !== 'punct')
          this.settingKeys(MACHINE_KEYS, 'machine');
        return true;
      case 'memory':
        if (n === 1)
          for (const kind of MEMORY_KINDS)
            this.add({ label: kind, kind: 'value', detail: 'memory kind', sortText: sort(PREFERRED, kind) });
        return n === 1;
      case 'process':
        if (n === 1) return true; // a new name
        if (isPunct(lastToken, '=')) {
          if (PROCESS_OPTIONS[t[n - 2]?.text ?? '']?.kind === 'bool') this.booleans();
          else return false;
          return true;
        }
        if (lastToken?.kind !== 'punct') this.settingKeys(PROCESS_OPTIONS, 'process');
        return true;
      case 'file':
        if (n >= 2 && !isPunct(lastToken, '=') && lastToken?.kind !== 'punct') {
          this.settingKeys(FILE_OPTIONS, 'file');
          return true;
        }
        return n < 2;
      case 'fork':
        if (isPunct(t[1], '(')) return false;
        if (n === 1) this.processes(false);
        else if (n === 2)
          this.add({
            label: 'as',
            kind: 'keyword',
            detail: 'fork PROC as NAME',
            sortText: sort(PREFERRED, 'as'),
          });
        return true;
      case 'exit':
        if (n === 1) this.processes(false);
        return true;
      case 'set_sp':
        if (n === 1) {
          this.processes(false);
          return true;
        }
        return false;
      case 'write':
      case 'read':
      case 'exec':
        if (n === 1) {
          this.processes(true);
          return true;
        }
        return false;
      case 'let':
        return n <= 1 || (n === 2 && !isPunct(lastToken, '='));
      case 'auto':
        return n <= 1 || (n === 2 && isPunct(lastToken, '*')) || (!isPunct(lastToken, '=') && n <= 3);
      case 'proc':
        return true;
      case 'repeat':
        // `repeat ‸` names a new variable; `repeat i ‸` goes on with `in`.
        if (n === 2 && t[1]?.kind === 'identifier')
          this.add({
            label: 'in',
            kind: 'keyword',
            detail: 'repeat I in A..B {',
            sortText: sort(PREFERRED, 'in'),
          });
        return n <= 2;
      default:
        return false;
    }
  }

  private settingKeys(
    keys: Readonly<Record<string, { readonly description: string; readonly default?: string }>>,
    what: string,
  ): void {
    const given = new Set(
      this.tokens
        .filter((tok, i) => tok.kind === 'identifier' && isPunct(this.tokens[i + 1], '='))
        .map((tok) => tok.text),
    );
    for (const [key, spec] of Object.entries(keys)) {
      if (given.has(key)) continue;
      const def = spec.default === undefined ? '' : ` (default ${spec.default})`;
      this.add({
        label: key,
        kind: 'setting',
        detail: `${what} option${def}`,
        documentation: spec.description,
        insertText: `${key}=`,
        sortText: sort(PREFERRED, key),
      });
    }
  }

  private booleans(): void {
    for (const b of ['true', 'false']) this.add({ label: b, kind: 'value', sortText: sort(PREFERRED, b) });
  }

  private processes(kernel: boolean): void {
    // Processes, bindings of a process (`let c = fork(p)`) and proc parameters (of unknown type).
    const isProcess = (d: Definition): boolean =>
      d.kind === 'process' ||
      d.kind === 'param' ||
      (d.kind === 'let' && d.type.kind === 'value' && d.type.value === 'process');
    for (const d of this.visible()) if (isProcess(d)) this.addDefinition(d, PREFERRED);
    if (kernel) {
      const spec = GLOBALS['kernel'];
      this.add({
        label: 'kernel',
        kind: 'module',
        detail: 'kernel address space',
        sortText: sort(PREFERRED, '~kernel'),
        ...(spec ? { documentation: spec.description } : {}),
      });
    }
  }

  /** `=> ok, cow_fault`: after `=>` or a comma following it, at the top level of the line. */
  private assertion(): boolean {
    const t = this.tokens;
    let depth = 0;
    let arrow = -1;
    t.forEach((tok, i) => {
      if (isPunct(tok, '(') || isPunct(tok, '[')) depth++;
      else if (isPunct(tok, ')') || isPunct(tok, ']')) depth--;
      else if (depth === 0 && isPunct(tok, '=>')) arrow = i;
    });
    if (arrow < 0) return false;
    const last = t[t.length - 1];
    if (!(isPunct(last, '=>') || (isPunct(last, ',') && depth === 0))) {
      if (this.expectsOperand(last)) this.expression();
      return true;
    }
    for (const spec of Object.values(OUTCOMES)) {
      this.add({
        label: spec.name,
        kind: 'outcome',
        detail: `outcome (${spec.category})`,
        documentation: outcomeMarkdown(spec),
        sortText: sort(PREFERRED, `${spec.category === 'errno' ? '1' : '0'}${spec.name}`),
      });
    }
    if (t[0]?.text === 'read' || t[0]?.text === 'let') this.expression();
    return true;
  }

  private members(receiverEnd: number): void {
    const start = chainStart(this.tokens, receiverEnd);
    if (start < 0) return;
    const type = typeOfTokens(this.model, this.lineText, this.tokens, start, receiverEnd, this.lineStart);
    const handle = handleKindOf(type);
    if (handle === undefined) return;
    const receiver = describeType(type);
    for (const spec of Object.values(MEMBERS[handle])) {
      if (spec.kind === 'function') {
        this.add({
          label: spec.name,
          kind: 'method',
          detail: functionSignature(spec, receiver),
          documentation: functionMarkdown(spec, receiver),
          insertText: callSnippet(spec.name, spec.params),
          snippet: true,
          sortText: sort(NAME, spec.name),
          triggerSignatureHelp: spec.params.length > 0,
        });
      } else {
        this.add({
          label: spec.name,
          kind: 'property',
          detail: `${receiver}.${spec.name}: ${describeType({ kind: 'value', value: spec.returns.kind })}`,
          documentation: memberMarkdown(spec, receiver),
          sortText: sort(NAME, spec.name),
        });
      }
    }
  }

  /** After `Region::Access::` and the like: the constants of that family. */
  private qualifiedConstants(): void {
    const qualifier = this.tokens[this.tokens.length - 2]?.text ?? '';
    const families: Readonly<Record<string, string>> = {
      Access: 'access',
      AllocationStrategy: 'strategy',
      MemoryType: 'memory_type',
      RandomizeVirtualAddress: 'yes_no',
      ShouldZeroFill: 'yes_no',
    };
    const kind = families[qualifier];
    if (kind !== undefined) this.constantsFor(kind, PREFERRED);
    else if (qualifier === 'Region')
      this.add({ label: 'Access', kind: 'module', sortText: sort(PREFERRED, 'Access') });
    else for (const spec of Object.values(CONSTANTS)) this.addConstant(spec.name, CONSTANT);
  }

  private expression(): void {
    const call = callContext(this.model, this.lineText, this.tokens, this.lineStart);
    if (call !== undefined) {
      const params = calleeParams(call.callee);
      const index = activeParameter(call);
      const param = index >= 0 ? params[index] : undefined;
      const kind = param?.kind;
      if (kind === 'process' || kind === 'address_space') this.processes(kind === 'address_space');
      else if (kind === 'fd') this.add({ label: 'null', kind: 'value', detail: 'no file descriptor', sortText: sort(PREFERRED, 'null') });
      else if (kind !== undefined) this.constantsFor(kind, PREFERRED);
      // At the start of an argument, the parameters not yet given may be named.
      if (call.argumentStart === this.tokens.length) {
        const positional = call.namedBefore.length === 0 ? call.argumentIndex : 0;
        params.forEach((p, i) => {
          if (call.callee.kind === 'proc' || i < positional || call.namedBefore.includes(p.name)) return;
          this.add({
            label: `${p.name}=`,
            kind: 'argument',
            detail: `${paramKindWords(p.kind)}${p.default === undefined ? '' : `, default ${p.default}`}`,
            ...(p.description === undefined ? {} : { documentation: p.description }),
            sortText: sort(ARGUMENT, String(i).padStart(2, '0')),
          });
        });
      }
    }
    for (const d of this.visible()) this.addDefinition(d, NAME);
    for (const [name, spec] of Object.entries(GLOBALS))
      this.add({ label: name, kind: 'module', detail: describeType({ kind: 'value', value: spec.kind }), documentation: spec.description, sortText: sort(NAME, `~${name}`) });
    for (const spec of Object.values(FUNCTIONS)) {
      this.add({
        label: spec.name,
        kind: 'function',
        detail: functionSignature(spec),
        documentation: functionMarkdown(spec),
        insertText: callSnippet(spec.name, spec.params),
        snippet: true,
        sortText: sort(CALLABLE, spec.name),
        triggerSignatureHelp: spec.params.length > 0,
      });
    }
    this.add({ label: 'TRY', kind: 'keyword', detail: 'TRY(expr) is expr', insertText: 'TRY($1)', snippet: true, sortText: sort(KEYWORD, 'TRY') });
    for (const spec of Object.values(CONSTANTS)) this.addConstant(spec.name, CONSTANT);
    for (const word of ['true', 'false', 'null']) this.add({ label: word, kind: 'value', sortText: sort(KEYWORD, word) });
  } // prettier-ignore

  private constantsFor(kind: string, group: string): void {
    for (const spec of constantsOfKind(kind)) this.addConstant(spec.name, group);
  }

  private addConstant(name: string, group: string): void {
    const spec = CONSTANTS[name];
    if (spec === undefined) return;
    this.add({
      label: name,
      kind: 'constant',
      detail: constantDetail(spec),
      documentation: constantMarkdown(spec),
      sortText: sort(group, name),
    });
  }

  private visible(): Definition[] {
    return visibleDefinitions(this.model, this.lineStart);
  }

  private addDefinition(d: Definition, group: string): void {
    const line = d.nameRange.start.line + 1;
    if (d.kind === 'proc' && d.statement.kind === 'proc') {
      const proc = d.statement;
      this.add({
        label: d.name,
        kind: 'proc',
        detail: procSignature(proc),
        documentation: `Defined on line ${line}.`,
        insertText: callSnippet(
          d.name,
          proc.params.map((p) => ({ name: p.name })),
        ),
        snippet: true,
        sortText: sort(CALLABLE, d.name),
        triggerSignatureHelp: proc.params.length > 0,
      });
      return;
    }
    const kindWords: Readonly<Record<string, string>> = {
      let: 'binding',
      process: 'process',
      param: 'parameter',
      loop: 'loop variable',
    };
    this.add({
      label: d.name,
      kind: d.kind === 'process' ? 'process' : 'variable',
      detail: `${kindWords[d.kind] ?? d.kind}: ${describeType(d.type)}`,
      documentation: `Defined on line ${line}.`,
      sortText: sort(group, d.name),
    });
  }
}

/** `mmap(${1:p}, ${2:addr}, …)`: placeholders for the required parameters only. */
export function callSnippet(name: string, params: readonly { name: string; default?: string }[]): string {
  const required = params.filter((p) => p.default === undefined);
  return `${name}(${required.map((p, i) => `\${${i + 1}:${p.name}}`).join(', ')})`;
}

/**
 * Inside the "string" of a `path` argument (`open(p, "`, `file_peek("`): the paths of the files the
 * scenario defines. Undefined when the cursor is not in such a string.
 */
function filePaths(
  model: DocumentModel,
  lineText: string,
  column: number,
  lineStart: number,
): CompletionResult | undefined {
  const tokens = lineTokens(lineText.slice(0, column));
  const last = tokens[tokens.length - 1];
  if (last?.kind !== 'string' || last.range.end.offset !== column || !last.invalid) return undefined;
  const call = callContext(model, lineText, tokens.slice(0, -1), lineStart);
  if (call === undefined || call.argumentStart !== tokens.length - 1) return undefined;
  const index = activeParameter(call);
  if (calleeParams(call.callee)[index]?.name !== 'path') return undefined;
  let end = column;
  while (end < lineText.length && lineText[end] !== '"') end++;
  const items = model.definitions
    .filter((d) => d.kind === 'file')
    .map((d) => ({
      label: d.name,
      kind: 'value' as const,
      detail: `file, line ${d.nameRange.start.line + 1}`,
      sortText: sort(PREFERRED, d.name),
    }));
  return { items, replaceStart: last.range.start.offset + 1, replaceEnd: end };
}
