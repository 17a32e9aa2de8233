// Hover on addresses: a number or an address-valued name under the cursor is resolved by the
// running debug session (region, VMObject, PTE bits, physical address, page, zone). The session
// is reached through the tiny `AddressEvaluator` interface, so this logic runs without VS Code;
// without a session the hover says what the last stop knew, or how to get a live answer.

import { STATEMENT_KEYWORDS } from '../api';
import type { StaticType } from '../checker';
import {
  chainStart,
  inCommentOrString,
  isPunct,
  lineTokens,
  LinePosition,
  tokenText,
  typeOfTokens,
} from './cursor';
import { tokenAt } from './hover';
import { factsMarkdown } from '../../protocol/addressFacts';
import { expressionsAt } from '../locate';
import { DocumentModel, inferType, lookupDefinition, lookupType } from './model';

export interface AddressTarget {
  /** The expression the debug session evaluates, as written (`buf`, `0x1000`, `mmio_region.vaddr`). */
  readonly expression: string;
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
}

/** A value that may be an address: an integer (or a constant of one), a Region (its base), or unknown. */
function addressValued(type: StaticType | undefined): boolean {
  if (type === undefined || type.kind === 'unknown') return true;
  if (type.kind === 'constant') return type.kinds.includes('integer');
  return type.value === 'integer' || type.value === 'region';
}

/** The number or address-valued name under the cursor, if any. */
export function addressTargetAt(model: DocumentModel, position: LinePosition): AddressTarget | undefined {
  const source = model.check.source;
  const lineText = source.lineText(position.line);
  const tokens = lineTokens(lineText);
  const index = tokenAt(tokens, position.column);
  const token = tokens[index];
  if (token === undefined || inCommentOrString(lineText, token.range.start.offset)) return undefined;
  const first = tokens[0]?.text ?? '';
  // Machine settings (ram=64M) are sizes of the machine, not addresses of it.
  if (first === 'machine') return undefined;
  const lineStart = source.lineStarts[position.line] ?? 0;
  const target = (from: number): AddressTarget => ({
    expression: tokenText(lineText, tokens, from, index),
    line: position.line,
    startColumn: tokens[from]?.range.start.offset ?? token.range.start.offset,
    endColumn: token.range.end.offset,
  });
  if (token.kind === 'integer') return token.invalid ? undefined : target(index);
  if (token.kind === 'punct')
    return arithmeticTarget(model, lineStart + token.range.start.offset, position.line);
  if (token.kind !== 'identifier') return undefined;
  if (index === 0 && STATEMENT_KEYWORDS.includes(token.text)) return undefined;
  if (isPunct(tokens[index + 1], '(') || isPunct(tokens[index + 1], '::') || isPunct(tokens[index - 1], '::'))
    return undefined;
  if (isPunct(tokens[index - 1], '.')) {
    const start = chainStart(tokens, index);
    if (start < 0) return undefined;
    const type = typeOfTokens(model, lineText, tokens, start, index, lineStart);
    return addressValued(type) && type?.kind !== 'unknown' ? target(start) : undefined;
  }
  const definition = lookupDefinition(model, token.text, lineStart + token.range.start.offset);
  if (definition === undefined || definition.kind === 'proc' || definition.kind === 'process')
    return undefined;
  return addressValued(definition.type) ? target(index) : undefined;
}

/** On the operator of `buf + 1`, `base + i * PAGE_SIZE`: the whole arithmetic, when it is an address. */
function arithmeticTarget(model: DocumentModel, offset: number, line: number): AddressTarget | undefined {
  const chain = expressionsAt(model.check.program, offset);
  for (let i = chain.length - 1; i >= 0; i--) {
    const e = chain[i];
    if (e?.kind !== 'binary' || !ARITHMETIC.includes(e.operator)) continue;
    if (e.operatorRange.start.offset > offset || offset >= e.operatorRange.end.offset) continue;
    if (e.range.start.line !== line || e.range.end.line !== line) return undefined;
    const type = inferType(e, (name) => lookupType(model, name, offset));
    if (!addressValued(type)) return undefined;
    return {
      expression: model.check.source.text.slice(e.range.start.offset, e.range.end.offset),
      line,
      startColumn: e.range.start.column,
      endColumn: e.range.end.column,
    };
  }
  return undefined;
}

const ARITHMETIC: readonly string[] = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^'];

/** What the debug session says about an expression. */
export interface AddressAnswer {
  /** The session's resolution, as text (it may span several lines). */
  readonly result: string;
  /** The one-based line the session is stopped on, when known. */
  readonly stoppedLine?: number;
  /** The session's memory reference for the address ("v:1:0x10000", "p:0x5000"), when it gave one. */
  readonly memoryReference?: string;
}

/** The one thing the hover needs from a debug session. It rejects when the session cannot answer. */
export interface AddressEvaluator {
  evaluate(expression: string): Promise<AddressAnswer>;
}

interface Remembered {
  readonly answer: AddressAnswer;
  readonly at: Date;
}

/**
 * Builds the hover text for an address target and remembers the last live answer per document
 * and expression, so that after the session ends the hover can still say what it knew.
 */
export class AddressHoverService {
  private readonly remembered = new Map<string, Map<string, Remembered>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Markdown for the hover; `evaluator` is undefined when no debug session runs this document. */
  async describe(
    document: string,
    target: AddressTarget,
    evaluator: AddressEvaluator | undefined,
  ): Promise<string> {
    const title = `**\`${target.expression}\`**`;
    if (evaluator !== undefined) {
      try {
        const answer = await evaluator.evaluate(target.expression);
        this.remember(document, target.expression, answer);
        const where = answer.stoppedLine === undefined ? '' : `, stopped at line ${answer.stoppedLine}`;
        return `${title} (live${where})\n\n${factsMarkdown(answer.result)}`;
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        const last = this.lastKnown(document, target.expression);
        return `${title}: the debug session could not resolve it (${reason}).${last === undefined ? '' : `\n\n${last}`}`;
      }
    }
    const last = this.lastKnown(document, target.expression);
    if (last !== undefined) return `${title}\n\n${last}\n\nStart debugging (F5) for a live answer.`;
    return `${title}: start debugging (F5) to resolve this address: region, VMObject, PTE bits, physical address, page and zone.`;
  }

  /** Forgets what was learnt about a document (closed or deleted). */
  forget(document: string): void {
    this.remembered.delete(document);
  }

  private remember(document: string, expression: string, answer: AddressAnswer): void {
    let answers = this.remembered.get(document);
    if (answers === undefined) {
      answers = new Map();
      this.remembered.set(document, answers);
    }
    answers.set(expression, { answer, at: this.now() });
  }

  private lastKnown(document: string, expression: string): string | undefined {
    const known = this.remembered.get(document)?.get(expression);
    if (known === undefined) return undefined;
    const where =
      known.answer.stoppedLine === undefined ? '' : ` stopped at line ${known.answer.stoppedLine}`;
    const time = known.at.toISOString().slice(11, 19);
    return `When the last debug session was${where} (${time} UTC):\n\n${factsMarkdown(known.answer.result)}`;
  }
}

/** Whether a debug session launched for `program` is the session of `documentPath`. */
export function sessionRunsDocument(program: unknown, documentPath: string): boolean {
  if (typeof program !== 'string' || program === '') return true;
  const normalize = (p: string): string => p.replace(/\\/g, '/').replace(/\/+/g, '/');
  const a = normalize(program);
  const b = normalize(documentPath);
  // Windows paths compare without regard to case.
  return /^[A-Za-z]:/.test(a) ? a.toLowerCase() === b.toLowerCase() : a === b;
}
