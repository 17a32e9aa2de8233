// Inline values while stopped: which `let` bindings (and loop variables) to show the value of,
// next to the line that defines them, when the debugger stops on a given line.

import type { Definition, DocumentModel } from './model';

export interface InlineValueTarget {
  readonly name: string;
  readonly line: number;
  readonly startColumn: number;
  readonly endColumn: number;
}

export interface LineSpan {
  readonly startLine: number;
  readonly endLine: number;
}

function containsLine(range: { start: { line: number }; end: { line: number } }, line: number): boolean {
  return range.start.line <= line && line <= range.end.line;
}

/**
 * The bindings to look up when stopped on `stoppedLine` (zero-based). The stopped line has not run
 * yet, so only definitions on earlier lines count; of a name bound several times only the latest
 * definition is shown (the value belongs to it); a proc's locals only while stopped inside that proc,
 * and a loop variable only inside its loop.
 */
export function inlineValueTargets(
  model: DocumentModel,
  stoppedLine: number,
  viewport?: LineSpan,
): InlineValueTarget[] {
  const latest = new Map<string, Definition>();
  for (const d of model.definitions) {
    if (d.kind !== 'let' && d.kind !== 'loop') continue;
    if (d.nameRange.start.line >= stoppedLine) continue;
    if (d.proc !== undefined && !containsLine(d.proc.range, stoppedLine)) continue;
    if (d.kind === 'loop' && !containsLine(d.statement.range, stoppedLine)) continue;
    const previous = latest.get(d.name);
    // A local of the proc hides a global of the same name; otherwise the later definition wins.
    const rank = (x: Definition): number => (x.proc === undefined ? 0 : 1);
    if (
      previous === undefined ||
      rank(d) > rank(previous) ||
      (rank(d) === rank(previous) && d.visibleFrom >= previous.visibleFrom)
    )
      latest.set(d.name, d);
  }
  return [...latest.values()]
    .filter(
      (d) =>
        viewport === undefined ||
        (d.nameRange.start.line >= viewport.startLine && d.nameRange.start.line <= viewport.endLine),
    )
    .sort((a, b) => a.nameRange.start.offset - b.nameRange.start.offset)
    .map((d) => ({
      name: d.name,
      line: d.nameRange.start.line,
      startColumn: d.nameRange.start.column,
      endColumn: d.nameRange.end.column,
    }));
}
