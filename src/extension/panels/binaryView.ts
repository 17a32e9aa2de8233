import * as vscode from 'vscode';

// "Open in Binary View" shows a debug session's memory as a `vscode-debug-memory` document. Only a
// binary editor (the Hex Editor extension) shows such a document usefully: without one VS Code says
// the file is binary, then draws NUL boxes under a URL-encoded breadcrumb. So the command first
// checks for the Hex Editor and, when it is missing, says what to install and offers to show it.

export const HEX_EDITOR_ID = 'ms-vscode.hexeditor';
export const HEX_EDITOR_VIEW_TYPE = 'hexEditor.hexedit';
export const SHOW_HEX_EDITOR = 'Show Hex Editor';
export const HEX_EDITOR_MISSING =
  `MMU Lens: install the Hex Editor extension (${HEX_EDITOR_ID}) to see these bytes; ` +
  'VS Code cannot show binary memory without it.';

/** What the command needs of VS Code, so that tests can stand in for the user and the extensions. */
export interface BinaryViewHost {
  hexEditorInstalled(): boolean;
  showInformationMessage(message: string, ...items: string[]): PromiseLike<string | undefined>;
  executeCommand(command: string, ...args: unknown[]): PromiseLike<unknown>;
}

export const vscodeBinaryViewHost: BinaryViewHost = {
  hexEditorInstalled: () => vscode.extensions.getExtension(HEX_EDITOR_ID) !== undefined,
  showInformationMessage: (message, ...items) => vscode.window.showInformationMessage(message, ...items),
  executeCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
};

/** Whether the memory was opened, or the user was told to install the Hex Editor instead. */
export type BinaryViewOutcome = 'opened' | 'hexEditorMissing';

export async function openInBinaryView(
  sessionId: string,
  memoryReference: string,
  length: number,
  host: BinaryViewHost = vscodeBinaryViewHost,
): Promise<BinaryViewOutcome> {
  if (!host.hexEditorInstalled()) {
    // Not awaited by the caller's flow: the message stays until the user answers or dismisses it.
    void Promise.resolve(host.showInformationMessage(HEX_EDITOR_MISSING, SHOW_HEX_EDITOR)).then(
      async (choice) => {
        if (choice === SHOW_HEX_EDITOR)
          await host.executeCommand('workbench.extensions.search', `@id:${HEX_EDITOR_ID}`);
      },
    );
    return 'hexEditorMissing';
  }
  const uri = vscode.Uri.from({
    scheme: 'vscode-debug-memory',
    authority: sessionId,
    path: `/${encodeURIComponent(memoryReference)}/memory.bin`,
    query: `?range=0:${length}`,
  });
  try {
    await host.executeCommand('vscode.openWith', uri, HEX_EDITOR_VIEW_TYPE);
  } catch {
    await host.executeCommand('vscode.open', uri);
  }
  return 'opened';
}
