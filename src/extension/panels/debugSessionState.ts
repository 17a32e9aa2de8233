import * as path from 'path';
import * as vscode from 'vscode';
import type { MmuDebugSession } from '../../debug';
import type { MachineStateSession } from '../../debug/MachineStatePanelSource';
import type { Machine } from '../../engine';
import type { StepReport } from '../../scenario/interpreter';

/**
 * The panels' view of one inline debug session: its machine at the current step, its step history
 * and its stops. Created once per session so that following the same session is recognised.
 */
export function debugSessionState(id: string, session: MmuDebugSession): MachineStateSession | undefined {
  const interpreter = session.currentInterpreter;
  const debug = session.scenarioDebugger;
  if (interpreter === null || debug === null) return undefined;
  const program = interpreter.program.file;
  return {
    sessionId: id,
    scenarioName: path.basename(program),
    sourceText: 'sourceText' in interpreter ? String(interpreter.sourceText) : '',
    machine: (): Machine => interpreter.machine,
    currentStep: () => debug.position,
    stepCount: () => debug.timeline.furthest,
    report: (index: number): StepReport | undefined => debug.timeline.report(index),
    onDidChange: (listener) => session.onDidStop(() => listener()),
    openInBinaryView: (memoryReference: string, length: number) => openMemory(id, memoryReference, length),
  };
}

/**
 * VS Code shows a debug session's memory as a `vscode-debug-memory` document, which a binary
 * editor (the Hex Editor extension) opens; without one VS Code says it cannot show the file.
 */
async function openMemory(sessionId: string, memoryReference: string, length: number): Promise<void> {
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
