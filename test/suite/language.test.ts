import * as assert from 'assert';
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../../src/extension/ids';
import { activatedExtension, closeAllEditors, waitFor } from './helpers';

// The declarative language support, as VS Code itself applies it: the language configuration
// (comments), the snippets (offered by completion) and the folding of proc and repeat bodies.

async function openScenario(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content });
  return vscode.window.showTextDocument(document);
}

describe('the .mmu language in VS Code', () => {
  before(activatedExtension);
  afterEach(closeAllEditors);

  it('comments a line with // through Toggle Line Comment', async () => {
    const editor = await openScenario('process p\n');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('editor.action.commentLine');
    await waitFor('the comment', () => editor.document.lineAt(0).text === '// process p');
  });

  it('offers the snippets in completion', async () => {
    const editor = await openScenario('mma');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      new vscode.Position(0, 3),
    );
    const snippets = list.items.filter((item) => item.kind === vscode.CompletionItemKind.Snippet);
    const labels = snippets.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('mmap'), `snippet labels: ${labels.join(', ')}`);
  });

  it('folds proc and repeat bodies even when they are not indented', async () => {
    const editor = await openScenario(
      ['proc touch(p, base) {', 'repeat i in 0..4 {', 'write p base + i * PAGE_SIZE, 1', '}', '}'].join('\n'),
    );
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.commands.executeCommand('editor.fold');
    await waitFor('the repeat body to fold', () =>
      editor.visibleRanges.every((range) => !range.contains(new vscode.Position(2, 0))),
    );
    assert.ok(editor.visibleRanges.some((range) => range.contains(new vscode.Position(4, 0))));
  });
});

describe('editing a scenario in VS Code', () => {
  before(activatedExtension);
  afterEach(closeAllEditors);

  it('reports the diagnostics of a broken scenario at the right place', async () => {
    const editor = await openScenario(
      'process p\nlet x = mmap(p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS\n',
    );
    const uri = editor.document.uri;
    await waitFor('diagnostics', () => vscode.languages.getDiagnostics(uri).length > 0, 20_000);
    const diagnostic = vscode.languages.getDiagnostics(uri)[0]!;
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(diagnostic.range.start.line >= 1, `reported on line ${diagnostic.range.start.line + 1}`);
    assert.notStrictEqual(diagnostic.message, '');
  });

  it('fixes every "Did you mean" with a quick fix that writes the suggested name', async () => {
    const editor = await openScenario(
      'process p\nlet x = mmpa(p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, null, 0)\nwrite pp x, 1\n',
    );
    const uri = editor.document.uri;
    const suggesting = (): vscode.Diagnostic[] =>
      vscode.languages.getDiagnostics(uri).filter((d) => /Did you mean/.test(d.message));
    await waitFor('the two misspellings', () => suggesting().length === 2, 20_000);
    for (const [wrong, right] of [
      ['mmpa', 'mmap'],
      ['pp', 'p'],
    ] as const) {
      const diagnostic = suggesting().find((d) => editor.document.getText(d.range) === wrong)!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        diagnostic.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title === `Change to '${right}'`);
      assert.ok(fix?.edit, `no quick fix for ${wrong}: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(fix.isPreferred);
      await vscode.workspace.applyEdit(fix.edit);
      await waitFor(
        `the fix of ${wrong}`,
        () => suggesting().every((d) => editor.document.getText(d.range) !== wrong),
        20_000,
      );
    }
    assert.strictEqual(
      editor.document.getText(),
      'process p\nlet x = mmap(p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, null, 0)\nwrite p x, 1\n',
    );
    await waitFor('no diagnostics left', () => vscode.languages.getDiagnostics(uri).length === 0, 20_000);
  });

  it('offers the PROT_ constants in the protection argument of mmap', async () => {
    const editor = await openScenario('process p\nlet x = mmap(p, 0, PAGE_SIZE, PROT_');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      new vscode.Position(1, editor.document.lineAt(1).text.length),
    );
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const name of ['PROT_READ', 'PROT_WRITE', 'PROT_EXEC', 'PROT_NONE']) {
      assert.ok(labels.includes(name), `${name} missing from ${labels.join(', ')}`);
    }
  });

  it('describes mmap on hover', async () => {
    const editor = await openScenario(
      'process p\nlet x = mmap(p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)\n',
    );
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(1, 10),
    );
    const text = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : content.value))
      .join('\n');
    assert.match(text, /mmap/);
    assert.match(text, /prot/i);
  });
});
