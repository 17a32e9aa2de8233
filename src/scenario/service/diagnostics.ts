// The checker's diagnostics as the editor shows them. Ranges stay exactly the checker's (both
// are zero-based with UTF-16 columns); only the severity is mapped.

import type { Diagnostic } from '../source';
import { DocumentModel } from './model';

export type EditorSeverity = 'error' | 'warning' | 'information';

export interface EditorDiagnostic {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: EditorSeverity;
  readonly message: string;
  /** The checker's stable code, e.g. `unknown-name`. */
  readonly code: string;
  readonly source: string;
}

export const DIAGNOSTIC_SOURCE = 'mmu';

export function severityOf(diagnostic: Pick<Diagnostic, 'severity'>): EditorSeverity {
  switch (diagnostic.severity) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    default:
      return 'information';
  }
}

export function editorDiagnostics(model: DocumentModel): EditorDiagnostic[] {
  return model.check.diagnostics.map((d) => ({
    startLine: d.range.start.line,
    startColumn: d.range.start.column,
    endLine: d.range.end.line,
    endColumn: d.range.end.column,
    severity: severityOf(d),
    message: d.message,
    code: d.code,
    source: DIAGNOSTIC_SOURCE,
  }));
}
