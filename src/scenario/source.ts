// Positions, ranges and diagnostics of scenario text.
//
// Every position is zero-based, as in the Language Server Protocol and VS Code: `line` counts lines
// from 0, `column` counts UTF-16 code units from the start of the line (a tab is one column), and
// `offset` counts UTF-16 code units from the start of the file. The CLI adds 1 to line and column
// when it prints them, because people and editors count from 1.

export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A half-open span of text: `start` is the first character, `end` is just past the last one. */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly file: string;
  readonly range: Range;
  readonly severity: Severity;
  /** A sentence that says what is wrong and what was expected. */
  readonly message: string;
  /** A stable identifier of the kind of problem, e.g. `unknown-name`, for tests and quick fixes. */
  readonly code: string;
}

/** The text of one scenario file with a fast offset → line/column mapping. */
export class SourceFile {
  readonly lineStarts: readonly number[];

  constructor(
    readonly name: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: clamped - (this.lineStarts[low] ?? 0), offset: clamped };
  }

  rangeAt(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  /** The text of line `line` (zero-based) without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line] ?? this.text.length;
    let end = this.lineStarts[line + 1] ?? this.text.length;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return this.text.slice(start, end);
  }
}

export function spanRanges(first: Range, last: Range): Range {
  return { start: first.start, end: last.end };
}

/** Diagnostics in reading order: by position, then errors before warnings. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.range.start.offset - b.range.start.offset ||
      a.range.end.offset - b.range.end.offset ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  constructor(readonly file: string) {}

  error(range: Range, code: string, message: string): void {
    this.items.push({ file: this.file, range, severity: 'error', message, code });
  }

  warning(range: Range, code: string, message: string): void {
    this.items.push({ file: this.file, range, severity: 'warning', message, code });
  }
}
