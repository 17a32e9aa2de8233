// Signature help: inside the parentheses of an API function, a member function or a proc, the
// signature with the parameter the cursor's argument goes to (by position, or by name for
// `name=value`).

import {
  activeParameter,
  callContext,
  calleeParams,
  inCommentOrString,
  lineTokens,
  LinePosition,
} from './cursor';
import { describeType, DocumentModel, returnType } from './model';
import { paramKindWords } from './describe';

export interface SignatureParameter {
  /** The parameter as the label shows it (`fd=null`). */
  readonly label: string;
  /** Its columns inside the signature label, so the editor can highlight it. */
  readonly start: number;
  readonly end: number;
  /** Markdown. */
  readonly documentation?: string;
}

export interface SignatureHelpResult {
  readonly label: string;
  /** Markdown. */
  readonly documentation: string;
  readonly parameters: readonly SignatureParameter[];
  /** -1 when the argument under the cursor matches no parameter. */
  readonly activeParameter: number;
}

export function signatureHelp(model: DocumentModel, position: LinePosition): SignatureHelpResult | undefined {
  const source = model.check.source;
  const lineText = source.lineText(position.line);
  const column = Math.min(position.column, lineText.length);
  if (inCommentOrString(lineText, column)) return undefined;
  const tokens = lineTokens(lineText.slice(0, column));
  const lineStart = source.lineStarts[position.line] ?? source.text.length;
  const call = callContext(model, lineText, tokens, lineStart);
  if (call === undefined) return undefined;
  const callee = call.callee;
  const params = calleeParams(callee);
  if (callee.kind === 'member' && callee.spec.kind === 'property') return undefined;

  const prefix =
    callee.kind === 'proc' ? 'proc ' : callee.kind === 'member' ? `${describeType(callee.receiver)}.` : '';
  let label = `${prefix}${callee.name}(`;
  const parameters: SignatureParameter[] = [];
  params.forEach((p, i) => {
    if (i > 0) label += ', ';
    const text = p.default === undefined ? p.name : `${p.name}=${p.default}`;
    const doc = p.description === undefined ? undefined : `${paramKindWords(p.kind)}: ${p.description}`;
    parameters.push({
      label: text,
      start: label.length,
      end: label.length + text.length,
      ...(doc === undefined ? {} : { documentation: doc }),
    });
    label += text;
  });
  label += ')';
  let documentation: string;
  if (callee.kind === 'proc') {
    documentation = `Defined on line ${callee.proc.name.range.start.line + 1}.`;
  } else if (callee.spec.kind === 'function') {
    label += ` → ${describeType(returnType(callee.spec.returns))}`;
    documentation = callee.spec.description;
    if (callee.spec.errors.length > 0) documentation += `\n\nErrors: ${callee.spec.errors.join(', ')}`;
  } else {
    documentation = callee.spec.description;
  }
  return { label, documentation, parameters, activeParameter: activeParameter(call) };
}
