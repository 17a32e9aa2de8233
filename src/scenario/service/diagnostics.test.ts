import * as assert from 'assert';
import { editorDiagnostics, severityOf } from './diagnostics';
import { analyzeDocument } from './model';

describe('diagnostics for the editor', () => {
  it("keeps the checker's exact ranges, messages and codes", () => {
    const diagnostics = editorDiagnostics(
      analyzeDocument('process p\nlet x = mmap(q, 0, 4096, PROT_READ, MAP_SHARED)\nx\n'),
    );
    const unknown = diagnostics.find((d) => d.code === 'unknown-name');
    assert.ok(unknown);
    assert.deepStrictEqual(
      [
        unknown.startLine,
        unknown.startColumn,
        unknown.endLine,
        unknown.endColumn,
        unknown.severity,
        unknown.source,
      ],
      [1, 13, 1, 14, 'error', 'mmu'],
    );
    assert.match(unknown.message, /Unknown name 'q'/);
    const noEffect = diagnostics.find((d) => d.code === 'no-effect');
    assert.strictEqual(noEffect?.severity, 'warning');
    assert.deepStrictEqual([noEffect.startLine, noEffect.startColumn, noEffect.endColumn], [2, 0, 1]);
  });

  it('maps severities', () => {
    assert.strictEqual(severityOf({ severity: 'error' }), 'error');
    assert.strictEqual(severityOf({ severity: 'warning' }), 'warning');
  });

  it('gives nothing for a clean scenario', () => {
    assert.deepStrictEqual(
      editorDiagnostics(
        analyzeDocument('process p\nlet b = mmap(p, 0, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS)\n'),
      ),
      [],
    );
  });
});
