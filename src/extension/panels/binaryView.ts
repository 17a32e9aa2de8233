import * as vscode from 'vscode';

/**
 * VS Code shows a debug session's memory as a `vscode-debug-memory` document, which a binary
 * editor (the Hex Editor extension) opens; without one VS Code says it cannot show the file.
 */
export async function openInBinaryView(
  sessionId: string,
  memoryReference: string,
  length: number,
): Promise<void> {
  const uri = vscode.Uri.from({
    scheme: 'vscode-debug-memory',
    authority: sessionId,
    path: `/${encodeURIComponent(memoryReference)}/memory.bin`,
    query: `?range=0:${length}`,
  });
  try {
    await vscode.commands.executeCommand('vscode.openWith', uri, 'hexEditor.hexedit');
  } catch {
    await vscode.commands.executeCommand('vscode.open', uri);
  }
}
