// Go to definition and the outline of a document (processes, procs, bindings, files, loops).

import type { Statement } from '../ast';
import { evaluateConstant } from '../constant';
import type { Range } from '../source';
import { isPunct, lineTokens, LinePosition } from './cursor';
import { tokenAt } from './hover';
import { describeType, DocumentModel, inferType, lookupDefinition, lookupType } from './model';

/** Where the name under the cursor is defined, or undefined (not a user-defined name). */
export function definitionAt(model: DocumentModel, position: LinePosition): Range | undefined {
  const source = model.check.source;
  const lineText = source.lineText(position.line);
  const tokens = lineTokens(lineText);
  const index = tokenAt(tokens, position.column);
  const token = tokens[index];
  if (token?.kind !== 'identifier') return undefined;
  // Members and qualified constants are never user definitions.
  if (isPunct(tokens[index - 1], '.') || isPunct(tokens[index - 1], '::') || isPunct(tokens[index + 1], '::'))
    return undefined;
  // `name=` inside a call or a settings line names a parameter or an option, not a binding.
  const first = tokens[0]?.text;
  const bindingName = (first === 'let' || first === 'auto') && index <= 2;
  if (isPunct(tokens[index + 1], '=') && !bindingName) return undefined;
  const lineStart = source.lineStarts[position.line] ?? 0;
  return lookupDefinition(model, token.text, lineStart + token.range.start.offset)?.nameRange;
}

export type OutlineKind = 'machine' | 'process' | 'proc' | 'binding' | 'file' | 'loop';

export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: OutlineKind;
  /** The whole statement (block included). */
  readonly range: Range;
  /** The name to select and reveal. */
  readonly selectionRange: Range;
  readonly children: readonly OutlineSymbol[];
}

export function documentSymbols(model: DocumentModel): OutlineSymbol[] {
  return outline(model, model.check.program.statements);
}

function outline(model: DocumentModel, statements: readonly Statement[]): OutlineSymbol[] {
  const result: OutlineSymbol[] = [];
  const leaf = (
    name: string,
    detail: string,
    kind: OutlineKind,
    statement: Statement,
    selectionRange: Range,
  ): void => {
    result.push({ name, detail, kind, range: statement.range, selectionRange, children: [] });
  };
  for (const s of statements) {
    switch (s.kind) {
      case 'machine':
        leaf(
          'machine',
          s.settings
            .map((setting) => `${setting.key.name}=${sourceText(model, setting.value.range)}`)
            .join(' '),
          'machine',
          s,
          s.keywordRange,
        );
        break;
      case 'process':
        leaf(s.name.name, 'process', 'process', s, s.name.range);
        break;
      case 'fork':
        leaf(s.child.name, `process, fork of ${s.parent.name}`, 'process', s, s.child.range);
        break;
      case 'let': {
        const type = inferType(s.value, (name) => lookupType(model, name, s.range.start.offset));
        const folded = evaluateConstant(s.value);
        const value = folded?.kind === 'value' ? ` = 0x${folded.value.toString(16).toUpperCase()}` : '';
        leaf(s.name.name, `${describeType(type)}${value}`, 'binding', s, s.name.range);
        break;
      }
      case 'file':
        leaf(s.path.value, 'file', 'file', s, s.path.range);
        break;
      case 'proc':
        result.push({
          name: s.name.name,
          detail: `proc(${s.params.map((p) => p.name).join(', ')})`,
          kind: 'proc',
          range: s.range,
          selectionRange: s.name.range,
          children: outline(model, s.body),
        });
        break;
      case 'repeat':
        result.push({
          name: `repeat ${s.variable.name}`,
          detail: `${sourceText(model, s.from.range)}..${sourceText(model, s.to.range)}`,
          kind: 'loop',
          range: s.range,
          selectionRange: s.variable.range,
          children: outline(model, s.body),
        });
        break;
      default:
        break;
    }
  }
  return result;
}

function sourceText(model: DocumentModel, range: Range): string {
  return model.check.source.text.slice(range.start.offset, range.end.offset);
}
