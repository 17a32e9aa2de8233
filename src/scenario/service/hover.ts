// Hovers on scenario text: API functions and members (what they do, parameters and defaults,
// errnos, the SerenityOS function), constants (value and kind), outcomes, keywords, settings, bindings
// (their type and where they are defined) and numbers (decimal, hexadecimal, size).

import { evaluateConstant } from '../constant';
import type { Token } from '../lexer';
import {
  CONSTANTS,
  FILE_OPTIONS,
  FUNCTIONS,
  GLOBALS,
  lookup,
  MACHINE_KEYS,
  MEMBERS,
  OUTCOMES,
  PROCESS_OPTIONS,
  STATEMENT_KEYWORDS,
} from '../api';
import {
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
  constantMarkdown,
  formatInteger,
  formatSize,
  functionMarkdown,
  memberMarkdown,
  outcomeMarkdown,
  paramKindWords,
  procSignature,
} from './describe';
import { keywordMarkdown } from './keywords';
import {
  Definition,
  describeType,
  DocumentModel,
  handleKindOf,
  lookupDefinition,
  memberSpecOf,
} from './model';

export interface HoverResult {
  /** Markdown. */
  readonly contents: string;
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
}

/** The token of the line under `column` (a cursor just after a word still hovers that word). */
export function tokenAt(tokens: readonly Token[], column: number): number {
  const inside = tokens.findIndex((t) => t.range.start.offset <= column && column < t.range.end.offset);
  if (inside >= 0) return inside;
  return tokens.findIndex((t) => t.range.end.offset === column && t.kind === 'identifier');
}

export function hover(model: DocumentModel, position: LinePosition): HoverResult | undefined {
  const source = model.check.source;
  const lineText = source.lineText(position.line);
  const tokens = lineTokens(lineText);
  const index = tokenAt(tokens, position.column);
  const token = tokens[index];
  if (token === undefined || token.kind === 'string') return undefined;
  if (inCommentOrString(lineText, token.range.start.offset)) return undefined;
  const lineStart = source.lineStarts[position.line] ?? source.text.length;
  const contents =
    token.kind === 'integer'
      ? integerMarkdown(token)
      : token.kind === 'identifier'
        ? new IdentifierHover(model, lineText, tokens, lineStart).describe(index)
        : undefined;
  if (contents === undefined) return undefined;
  return {
    contents,
    line: position.line,
    startColumn: token.range.start.offset,
    endColumn: token.range.end.offset,
  };
}

function integerMarkdown(token: Token): string | undefined {
  if (token.value === undefined || token.invalid) return undefined;
  const v = token.value;
  const lines = [`\`${token.text}\` = ${v.toString()} = 0x${v.toString(16).toUpperCase()}`];
  const size = formatSize(v);
  if (size !== undefined && !/[KMG]/.test(token.text)) lines.push(`= ${size}`);
  if (v >= 4096n) {
    const page = v / 4096n;
    const offset = v % 4096n;
    lines.push(`page ${formatInteger(page)}, offset 0x${offset.toString(16).toUpperCase()}`);
  }
  return lines.join('  \n');
}

class IdentifierHover {
  constructor(
    private readonly model: DocumentModel,
    private readonly lineText: string,
    private readonly tokens: readonly Token[],
    private readonly lineStart: number,
  ) {}

  describe(i: number): string | undefined {
    const t = this.tokens;
    const token = t[i];
    if (token === undefined) return undefined;
    const name = token.text;
    const first = t[0]?.text ?? '';
    if (i === 0 && (STATEMENT_KEYWORDS.includes(name) || name === 'auto')) {
      // `fork(p)` is a call of the function, not the statement.
      if (!(name === 'fork' && isPunct(t[1], '('))) return keywordMarkdown(name);
    }
    if ((name === 'as' && ['fork', 'read', 'write'].includes(first)) || (name === 'in' && first === 'repeat'))
      return keywordMarkdown(name);
    if (isPunct(t[i - 1], '.')) return this.member(i);
    if (isPunct(t[i + 1], '::') || isPunct(t[i - 1], '::')) return this.qualified(i);
    if (isPunct(t[i + 1], '=')) {
      const setting = this.setting(first, name, i);
      if (setting !== undefined) return setting;
    }
    if (first === 'memory' && i === 1) return `**${name}**: a kind of physical memory in the firmware map.`;
    return this.name(name, this.lineStart + token.range.start.offset);
  }

  private member(i: number): string | undefined {
    const start = chainStart(this.tokens, i - 2);
    if (start < 0) return undefined;
    const type = typeOfTokens(this.model, this.lineText, this.tokens, start, i - 2, this.lineStart);
    const name = this.tokens[i]?.text ?? '';
    const spec = memberSpecOf(type, name);
    if (spec === undefined) {
      const handle = handleKindOf(type);
      return handle === undefined ? undefined : `${describeType(type)} has no member \`${name}\`.`;
    }
    return memberMarkdown(spec, describeType(type));
  }

  private qualified(i: number): string | undefined {
    let last = i;
    while (isPunct(this.tokens[last + 1], '::') && this.tokens[last + 2]?.kind === 'identifier') last += 2;
    const name = this.tokens[last]?.text ?? '';
    const spec = lookup(CONSTANTS, name);
    if (spec === undefined) return undefined;
    const path = this.tokens
      .slice(chainStart(this.tokens, last), last + 1)
      .map((t) => t.text)
      .join('');
    return `${constantMarkdown(spec)}\n\n\`${path}\`: the last component decides.`;
  }

  private setting(first: string, key: string, i: number): string | undefined {
    const tables: Readonly<Record<string, Readonly<Record<string, { readonly description: string; readonly default?: string }>>>> = {
      machine: MACHINE_KEYS,
      process: PROCESS_OPTIONS,
      file: FILE_OPTIONS,
    }; // prettier-ignore
    const table = tables[first];
    if (table !== undefined) {
      const spec = lookup(table, key);
      if (spec === undefined) return undefined;
      const def = spec.default === undefined ? '' : ` (default \`${spec.default}\`)`;
      return `**${first} ${key}**${def}: ${spec.description}`;
    }
    // A named argument `name=value`.
    const call = callContext(this.model, this.lineText, this.tokens.slice(0, i + 2), this.lineStart);
    if (call === undefined) return undefined;
    const param = calleeParams(call.callee).find((p) => p.name === key);
    if (param === undefined) return undefined;
    const def = param.default === undefined ? '' : ` (default \`${param.default}\`)`;
    return `**${key}**: parameter of \`${call.callee.name}\`, ${paramKindWords(param.kind)}${def}${
      param.description === undefined ? '' : `: ${param.description}`
    }`;
  }

  private name(name: string, offset: number): string | undefined {
    const definition = lookupDefinition(this.model, name, offset);
    if (definition !== undefined) return definitionMarkdown(definition, this.model);
    const fn = lookup(FUNCTIONS, name);
    if (fn) return functionMarkdown(fn);
    const global = lookup(GLOBALS, name);
    if (global) {
      const members = Object.keys(MEMBERS[global.kind]);
      const list = members.length > 0 ? `\n\nMembers: ${members.map((m) => `\`${m}\``).join(', ')}` : '';
      return `**${name}**: ${global.description}${list}`;
    }
    const constant = lookup(CONSTANTS, name);
    if (constant) return constantMarkdown(constant);
    const outcome = lookup(OUTCOMES, name);
    if (outcome) return outcomeMarkdown(outcome);
    return keywordMarkdown(name);
  }
}

/** A binding, process, proc, parameter or loop variable: its type and where it is defined. */
export function definitionMarkdown(definition: Definition, model: DocumentModel): string {
  const line = definition.nameRange.start.line + 1;
  const statement = definition.statement;
  const sourceLine = model.check.source.lineText(definition.nameRange.start.line).trim();
  switch (definition.kind) {
    case 'proc':
      return statement.kind === 'proc'
        ? ['```mmu', procSignature(statement), '```', `Procedure defined on line ${line}.`].join('\n')
        : '';
    case 'param':
      return `**${definition.name}**: parameter of \`${statement.kind === 'proc' ? statement.name.name : '?'}\` (line ${line}).`;
    case 'loop':
      return `**${definition.name}**: integer loop variable of \`repeat\` on line ${line}.`;
    case 'process':
      return [
        '```mmu',
        `process ${definition.name}`,
        '```',
        `Created on line ${line}: \`${sourceLine}\``,
      ].join('\n');
    default: {
      // A value known before running (`let size = 64K`) is shown as well.
      const folded = statement.kind === 'let' ? evaluateConstant(statement.value) : undefined;
      const size = folded?.kind === 'value' ? formatSize(folded.value) : undefined;
      const known =
        folded?.kind === 'value'
          ? ` = ${formatInteger(folded.value)}${size === undefined ? '' : `, ${size}`}`
          : '';
      return [
        '```mmu',
        `let ${definition.name}: ${describeType(definition.type)}${known}`,
        '```',
        `Defined on line ${line}: \`${sourceLine}\``,
      ].join('\n');
    }
  }
}
