// How diagnostics look outside the editor: one line each, `FILE:LINE:COLUMN: severity: message`,
// with line and column counted from 1 (the syntax tree counts from 0).

import type { Diagnostic } from '../scenario/source';

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.column + 1}: ${d.severity}: ${d.message}`;
}

/** The JSON form of a diagnostic, as in the `diagnostics` array of `mmu-lens run --json`. */
export interface DiagnosticJson {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
}

export function diagnosticToJson(d: Diagnostic): DiagnosticJson {
  return {
    file: d.file,
    line: d.range.start.line + 1,
    column: d.range.start.column + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.column + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}
