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
