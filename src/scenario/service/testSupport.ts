// Helpers of the service tests: a document with a cursor written as `‸` in its text.

import { LinePosition } from './cursor';
import { analyzeDocument, DocumentModel } from './model';

export const CURSOR = '‸';

/** The model of `text` without its cursor mark, and the position of the mark. */
export function at(text: string): { model: DocumentModel; position: LinePosition } {
  const offset = text.indexOf(CURSOR);
  if (offset < 0) throw new Error('the test text has no cursor mark');
  const clean = text.slice(0, offset) + text.slice(offset + CURSOR.length);
  const before = clean.slice(0, offset).split('\n');
  const line = before.length - 1;
  const column = before[line]?.length ?? 0;
  return { model: analyzeDocument(clean, 't.mmu'), position: { line, column } };
}
