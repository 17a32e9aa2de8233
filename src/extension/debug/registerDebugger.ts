import * as vscode from 'vscode';
import { createMmuDebugSession, type FileAccessor } from '../../debug';
import type { Ctx } from '../Ctx';
import { DEBUG_TYPE, LANGUAGE_ID } from '../ids';
import type { DebugSessions } from './DebugSessions';

/**
 * The scenario debugger in VS Code: the adapter runs inline (in the extension host, so the panels can
 * read its state directly), F5 works on an open `.mmu` file without a launch.json, and the adapter
 * reads a file as the editor has it, unsaved edits included.
 */
export function registerDebugger(ctx: Ctx, sessions: DebugSessions): void {
  ctx.subscribe(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor(session) {
        const adapter = createMmuDebugSession(editorFiles);
        sessions.add(session, adapter);
        // The session class speaks DAP through handleMessage/onDidSendMessage, which is the shape an
        // inline implementation needs; the adapter library's types do not name vscode's interface.
        return new vscode.DebugAdapterInlineImplementation(adapter as unknown as vscode.DebugAdapter);
      },
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new ScenarioConfigurationProvider()),
    sessions,
  );
}

/** Reads the text the user sees: an open document's buffer, else the file on disk. */
export const editorFiles: FileAccessor = {
  async readFile(path: string): Promise<string> {
    const open = vscode.workspace.textDocuments.find(
      (d) => d.uri.fsPath === path || d.uri.toString() === path,
    );
    if (open !== undefined) return open.getText();
    const uri = path.includes('://') ? vscode.Uri.parse(path) : vscode.Uri.file(path);
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  },
};

export class ScenarioConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [scenarioConfiguration('${file}', { stopOnEntry: true })];
  }

  /** F5 without a launch.json debugs the scenario in the active editor, stopping on its first step. */
  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    if (config.type === undefined && config.request === undefined && config.name === undefined) {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document.languageId !== LANGUAGE_ID) {
        void vscode.window.showInformationMessage('MMU Lens: open a .mmu scenario to debug it.');
        return undefined;
      }
      return scenarioConfiguration(editor.document.uri.fsPath, { stopOnEntry: true });
    }
    if (typeof config['program'] !== 'string' || config['program'] === '') {
      void vscode.window.showErrorMessage(
        'MMU Lens: the launch configuration needs "program": the .mmu file.',
      );
      return undefined;
    }
    return config;
  }
}

export function scenarioConfiguration(
  program: string,
  options: { stopOnEntry?: boolean; noDebug?: boolean },
): vscode.DebugConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: options.noDebug === true ? 'Run scenario' : 'Debug scenario',
    program,
    stopOnEntry: options.stopOnEntry ?? false,
    ...(options.noDebug === true ? { noDebug: true } : {}),
  };
}
