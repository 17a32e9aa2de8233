// What surrounds the cursor on its line. A statement is one line, so completion and signature help
// read the tokens of the line up to the cursor, even when the line does not parse yet (the user is
// typing it); the rest of the document comes from the semantic model.

import type { Expression, ProcStatement } from '../ast';
import { FunctionSpec, FUNCTIONS, lookup, MemberSpec } from '../api';
import type { StaticType } from '../checker';
import { tokenize, type Token } from '../lexer';
import { parseExpression } from '../parser';
import { DiagnosticBag, SourceFile } from '../source';
import { DocumentModel, inferType, lookupType, memberSpecOf } from './model';

/** A position in a document, zero-based, columns in UTF-16 code units (as in VS Code). */
export interface LinePosition {
  readonly line: number;
  readonly column: number;
}

/** The tokens of one line of text; their offsets are columns of that line. */
export function lineTokens(lineText: string): Token[] {
  return tokenize(new SourceFile('<line>', lineText), new DiagnosticBag('<line>')).filter(
    (t) => t.kind !== 'newline' && t.kind !== 'eof',
  );
}

export const isPunct = (t: Token | undefined, text: string): boolean =>
  t?.kind === 'punct' && t.text === text;

/** True when `column` lies inside a comment or a string of the line, where nothing is completed. */
export function inCommentOrString(lineText: string, column: number): boolean {
  const prefix = lineText.slice(0, column);
  const tokens = lineTokens(prefix);
  const last = tokens[tokens.length - 1];
  if (last?.kind === 'string' && last.range.end.offset === prefix.length) {
    // An unterminated string runs to the cursor; a closed one ends just before it.
    return last.invalid === true || last.text.length < 2 || !/"(sv)?$/.test(last.text);
  }
  const rest = prefix.slice(last?.range.end.offset ?? 0);
  return rest.includes('#') || rest.includes('//');
}

/**
 * The index of the first token of the postfix chain (`a`, `a.b`, `f(x).y`, `MM.zones[0]`,
 * `Region::Access::Read`) that ends with token `end`, or -1 when `end` cannot end one.
 */
export function chainStart(tokens: readonly Token[], end: number): number {
  let i = end;
  for (;;) {
    const t = tokens[i];
    if (t === undefined) return -1;
    if (isPunct(t, ')') || isPunct(t, ']')) {
      const open = t.text === ')' ? '(' : '[';
      let depth = 0;
      let j = i;
      for (; j >= 0; j--) {
        const u = tokens[j];
        if (isPunct(u, t.text)) depth++;
        else if (isPunct(u, open) && --depth === 0) break;
      }
      if (j < 0) return -1;
      i = j - 1;
      // `(…)` right after an operator is a parenthesised expression: the chain starts there.
      const before = tokens[i];
      if (
        before === undefined ||
        (before.kind !== 'identifier' && !isPunct(before, ')') && !isPunct(before, ']'))
      )
        return open === '(' ? j : -1;
      continue;
    }
    if (t.kind !== 'identifier' && t.kind !== 'integer' && t.kind !== 'string') return -1;
    const before = tokens[i - 1];
    if (t.kind === 'identifier' && (isPunct(before, '.') || isPunct(before, '::'))) {
      i -= 2;
      continue;
    }
    return i;
  }
}

/** Source text of tokens `from..to` (inclusive) of the line. */
export function tokenText(lineText: string, tokens: readonly Token[], from: number, to: number): string {
  const a = tokens[from];
  const b = tokens[to];
  if (a === undefined || b === undefined) return '';
  return lineText.slice(a.range.start.offset, b.range.end.offset);
}

export function parseTokens(
  lineText: string,
  tokens: readonly Token[],
  from: number,
  to: number,
): Expression | undefined {
  const parsed = parseExpression(tokenText(lineText, tokens, from, to));
  return parsed.diagnostics.length === 0 ? parsed.expression : undefined;
}

/** The static type of the chain `from..to` of the line, names resolved as seen at `offset`. */
export function typeOfTokens(
  model: DocumentModel,
  lineText: string,
  tokens: readonly Token[],
  from: number,
  to: number,
  offset: number,
): StaticType | undefined {
  const expression = parseTokens(lineText, tokens, from, to);
  return expression === undefined
    ? undefined
    : inferType(expression, (name) => lookupType(model, name, offset));
}

export type Callee =
  | { readonly kind: 'function'; readonly name: string; readonly spec: FunctionSpec }
  | {
      readonly kind: 'member';
      readonly name: string;
      readonly spec: MemberSpec;
      readonly receiver: StaticType;
    }
  | { readonly kind: 'proc'; readonly name: string; readonly proc: ProcStatement };

export interface CallContext {
  readonly callee: Callee;
  /** The index of the token `(` that opens the argument list. */
  readonly open: number;
  /** How many top-level commas precede the cursor: the positional index of the current argument. */
  readonly argumentIndex: number;
  /** The index of the first token of the current argument. */
  readonly argumentStart: number;
  /** The name of the current argument when it is written `name=…`. */
  readonly argumentName?: string;
  /** Names of the arguments already given by name. */
  readonly namedBefore: readonly string[];
}

/** Resolves the callee whose name is token `nameIndex` (the token before `(`). */
export function calleeAt(
  model: DocumentModel,
  lineText: string,
  tokens: readonly Token[],
  nameIndex: number,
  offset: number,
): Callee | undefined {
  const nameToken = tokens[nameIndex];
  if (nameToken?.kind !== 'identifier') return undefined;
  const before = tokens[nameIndex - 1];
  if (isPunct(before, '.')) {
    const start = chainStart(tokens, nameIndex - 2);
    if (start < 0) return undefined;
    const receiver = typeOfTokens(model, lineText, tokens, start, nameIndex - 2, offset);
    const spec = memberSpecOf(receiver, nameToken.text);
    return spec && receiver ? { kind: 'member', name: nameToken.text, spec, receiver } : undefined;
  }
  if (isPunct(before, '::')) return undefined;
  const proc = model.procs.get(nameToken.text);
  if (proc) return { kind: 'proc', name: nameToken.text, proc };
  const spec = lookup(FUNCTIONS, nameToken.text);
  return spec ? { kind: 'function', name: nameToken.text, spec } : undefined;
}

/** The innermost call whose argument list holds the end of `tokens` (the cursor). */
export function callContext(
  model: DocumentModel,
  lineText: string,
  tokens: readonly Token[],
  offset: number,
): CallContext | undefined {
  interface Open {
    readonly index: number;
    commas: number;
    lastComma: number;
  }
  const stack: Open[] = [];
  tokens.forEach((t, index) => {
    if (isPunct(t, '(') || isPunct(t, '[')) stack.push({ index, commas: 0, lastComma: -1 });
    else if ((isPunct(t, ')') || isPunct(t, ']')) && stack.length > 0) stack.pop();
    else if (isPunct(t, ',')) {
      const top = stack[stack.length - 1];
      if (top) {
        top.commas++;
        top.lastComma = index;
      }
    }
  });
  for (let k = stack.length - 1; k >= 0; k--) {
    const open = stack[k];
    if (open === undefined || !isPunct(tokens[open.index], '(')) continue;
    // `proc f(a, b) {` declares parameters; it calls nothing.
    if (open.index === 2 && tokens[0]?.kind === 'identifier' && tokens[0].text === 'proc') continue;
    const callee = calleeAt(model, lineText, tokens, open.index - 1, offset);
    if (callee === undefined) continue;
    const argumentStart = (open.lastComma >= 0 ? open.lastComma : open.index) + 1;
    const first = tokens[argumentStart];
    const named =
      first?.kind === 'identifier' && isPunct(tokens[argumentStart + 1], '=') ? first.text : undefined;
    const namedBefore: string[] = [];
    let depth = 0;
    for (let i = open.index + 1; i < argumentStart; i++) {
      const t = tokens[i];
      if (isPunct(t, '(') || isPunct(t, '[')) depth++;
      else if (isPunct(t, ')') || isPunct(t, ']')) depth--;
      else if (depth === 0 && t?.kind === 'identifier' && isPunct(tokens[i + 1], '=') &&
        (i === open.index + 1 || isPunct(tokens[i - 1], ','))) namedBefore.push(t.text); // prettier-ignore
    }
    const base = { callee, open: open.index, argumentIndex: open.commas, argumentStart, namedBefore };
    return named === undefined ? base : { ...base, argumentName: named };
  }
  return undefined;
}

export interface ParamInfo {
  readonly name: string;
  readonly kind?: string;
  readonly default?: string;
  readonly description?: string;
}

/** The parameters of a callee, uniformly. */
export function calleeParams(callee: Callee): readonly ParamInfo[] {
  if (callee.kind === 'proc') return callee.proc.params.map((p) => ({ name: p.name }));
  if (callee.spec.kind === 'property') return [];
  return callee.spec.params;
}

/** The parameter the cursor's argument goes to: by name when named, else by position. */
export function activeParameter(call: CallContext): number {
  const params = calleeParams(call.callee);
  if (call.argumentName !== undefined) return params.findIndex((p) => p.name === call.argumentName);
  // A positional argument after named ones is an error; point at nothing rather than mislead.
  if (call.namedBefore.length > 0) return -1;
  return call.argumentIndex < params.length ? call.argumentIndex : -1;
}
