import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ScenarioConfigurationProvider } from '../../src/extension/debug/registerDebugger';
import {
  HEX_EDITOR_ID,
  openInBinaryView,
  SHOW_HEX_EDITOR,
  vscodeBinaryViewHost,
} from '../../src/extension/panels/binaryView';
import { Commands, DEBUG_TYPE } from '../../src/extension/ids';
import { activatedExtension, closeAllEditors, waitFor, workspaceFile, workspaceFolder } from './helpers';

// A scenario debugged in the real VS Code: the configuration provider, a breakpoint set through the
// API, stops observed by a debug adapter tracker, stepping forward and back, the variables tree,
// hover evaluation, and the end of the session.

const EXAMPLE = '02-fork-copy-on-write.mmu';

interface StopRecord {
  sessionId: string;
  event: string;
  body: Record<string, unknown>;
}

/** Every `stopped` and `mmuStopped` event any mmu session sends, in order. */
const stops: StopRecord[] = [];

function stopsOf(session: vscode.DebugSession, event: 'stopped' | 'mmuStopped'): StopRecord[] {
  return stops.filter((stop) => stop.sessionId === session.id && stop.event === event);
}

/** Waits until the session has sent more than `seen` stopped events and returns the newest. */
async function waitForStop(session: vscode.DebugSession, seen: number): Promise<StopRecord> {
  await waitFor(
    `stop #${seen + 1} of ${session.name}`,
    () => stopsOf(session, 'stopped').length > seen,
    30_000,
  );
  return stopsOf(session, 'stopped')[seen]!;
}

async function waitForSession(): Promise<vscode.DebugSession> {
  await waitFor('an mmu debug session', () => vscode.debug.activeDebugSession?.type === DEBUG_TYPE, 30_000);
  return vscode.debug.activeDebugSession!;
}

async function endSession(session: vscode.DebugSession): Promise<void> {
  let ended = false;
  const listener = vscode.debug.onDidTerminateDebugSession((s) => {
    if (s.id === session.id) ended = true;
  });
  try {
    await vscode.debug.stopDebugging(session);
    await waitFor('the session to terminate', () => ended, 30_000);
  } finally {
    listener.dispose();
  }
}

/** The 1-based line of the first line of the document that starts with `text`. */
function lineOf(document: vscode.TextDocument, text: string): number {
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.startsWith(text)) return line + 1;
  }
  assert.fail(`no line starts with ${text}`);
}

type Frames = DebugProtocol.StackTraceResponse['body'];
type Variables = DebugProtocol.VariablesResponse['body'];
type Scopes = DebugProtocol.ScopesResponse['body'];
type Evaluation = DebugProtocol.EvaluateResponse['body'];

/** Opens the example in an editor with a breakpoint on the line holding `text`. */
async function openExampleWithBreakpointAt(text: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
  await vscode.window.showTextDocument(document);
  const line = lineOf(document, text);
  vscode.debug.addBreakpoints([
    new vscode.SourceBreakpoint(new vscode.Location(document.uri, new vscode.Position(line - 1, 0))),
  ]);
  return document;
}

async function topFrame(session: vscode.DebugSession): Promise<DebugProtocol.StackFrame> {
  const threads = (await session.customRequest('threads')) as DebugProtocol.ThreadsResponse['body'];
  const threadId = threads.threads[0]!.id;
  const trace = (await session.customRequest('stackTrace', { threadId })) as Frames;
  return trace.stackFrames[0]!;
}

async function evaluate(session: vscode.DebugSession, expression: string, context = 'repl'): Promise<string> {
  const frameId = (await topFrame(session)).id;
  const result = (await session.customRequest('evaluate', { expression, frameId, context })) as Evaluation;
  return result.result;
}

async function variables(session: vscode.DebugSession, reference: number): Promise<DebugProtocol.Variable[]> {
  return ((await session.customRequest('variables', { variablesReference: reference })) as Variables)
    .variables;
}

function named<T extends { name: string }>(list: T[], name: string): T {
  const found = list.find((item) => item.name === name);
  assert.ok(found, `${name} missing from ${list.map((item) => item.name).join(', ')}`);
  return found;
}

async function threadId(session: vscode.DebugSession): Promise<number> {
  const threads = (await session.customRequest('threads')) as DebugProtocol.ThreadsResponse['body'];
  return threads.threads[0]!.id;
}

describe('debugging a scenario in VS Code', function () {
  this.timeout(120_000);

  before(async () => {
    await activatedExtension();
    trackerRegistration = vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (message: DebugProtocol.ProtocolMessage) => {
          if (message.type !== 'event') return;
          const event = message as DebugProtocol.Event;
          if (event.event === 'stopped' || event.event === 'mmuStopped') {
            stops.push({
              sessionId: session.id,
              event: event.event,
              body: (event.body ?? {}) as Record<string, unknown>,
            });
          }
        },
      }),
    });
  });

  let trackerRegistration: vscode.Disposable | undefined;

  after(async () => {
    trackerRegistration?.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await closeAllEditors();
  });

  afterEach(async () => {
    const session = vscode.debug.activeDebugSession;
    if (session?.type === DEBUG_TYPE) await endSession(session);
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  describe('the configuration provider', () => {
    it('debugs the active .mmu editor when there is no launch configuration', async () => {
      const document = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
      await vscode.window.showTextDocument(document);
      const provider = new ScenarioConfigurationProvider();
      // VS Code hands an empty configuration (no type, request or name) when F5 finds no launch.json.
      const empty = provider.resolveDebugConfiguration(undefined, {} as vscode.DebugConfiguration);
      assert.deepStrictEqual(empty, {
        type: DEBUG_TYPE,
        request: 'launch',
        name: 'Debug scenario',
        program: document.uri.fsPath,
        stopOnEntry: true,
      });
    });

    it('offers a launch configuration for the current file', () => {
      const configurations = new ScenarioConfigurationProvider().provideDebugConfigurations();
      assert.strictEqual(configurations.length, 1);
      assert.strictEqual(configurations[0]!.type, DEBUG_TYPE);
      assert.strictEqual(configurations[0]!.request, 'launch');
      assert.strictEqual(configurations[0]!['program'], '${file}');
    });

    it('refuses a launch configuration without a program', async () => {
      const started = await vscode.debug.startDebugging(workspaceFolder(), {
        type: DEBUG_TYPE,
        request: 'launch',
        name: 'no program',
      });
      assert.strictEqual(started, false);
    });
  });

  it('stops at a breakpoint, steps, steps back, shows variables, evaluates and terminates', async () => {
    const document = await openExampleWithBreakpointAt('fork parent as child');
    const forkLine = lineOf(document, 'fork parent as child');
    const started = await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Debug the fork example',
      program: document.uri.fsPath,
    });
    assert.strictEqual(started, true);
    const session = await waitForSession();

    // The breakpoint: the editor shows the fork statement as the next one to run.
    const atBreakpoint = await waitForStop(session, 0);
    assert.strictEqual(atBreakpoint.body['reason'], 'breakpoint');
    assert.strictEqual((await topFrame(session)).line, forkLine);
    await waitFor('an mmuStopped event', () => stopsOf(session, 'mmuStopped').length >= 1);
    const committedBefore = await evaluate(session, 'MM.physical_pages_committed');
    const usedBefore = await evaluate(session, 'MM.physical_pages_used');

    // Step over the fork: one more page is committed for the copy-on-write pool.
    await session.customRequest('next', { threadId: await threadId(session) });
    const afterNext = await waitForStop(session, 1);
    assert.strictEqual(afterNext.body['reason'], 'step');
    assert.ok((await topFrame(session)).line > forkLine);
    assert.strictEqual(
      Number(await evaluate(session, 'MM.physical_pages_committed')),
      Number(committedBefore) + 1,
    );
    // The custom event the panels follow: one position further, at the line the editor shows.
    const mmuStops = stopsOf(session, 'mmuStopped');
    const [atFork, pastFork] = [mmuStops.at(-2)!.body, mmuStops.at(-1)!.body];
    assert.strictEqual(pastFork['position'], Number(atFork['position']) + 1);
    assert.strictEqual(pastFork['line'], (await topFrame(session)).line);

    // Step back: the state is the one before the fork again.
    await session.customRequest('stepBack', { threadId: await threadId(session) });
    await waitForStop(session, 2);
    assert.strictEqual((await topFrame(session)).line, forkLine);
    assert.strictEqual(await evaluate(session, 'MM.physical_pages_committed'), committedBefore);
    assert.strictEqual(await evaluate(session, 'MM.physical_pages_used'), usedBefore);

    // The variables: the bindings, and the parent process with its regions.
    const frameId = (await topFrame(session)).id;
    const scopes = ((await session.customRequest('scopes', { frameId })) as Scopes).scopes;
    const bindings = await variables(session, named(scopes, 'Bindings').variablesReference);
    named(bindings, 'buf');
    named(bindings, 'committed_before_fork');
    const processes = await variables(session, named(scopes, 'Processes').variablesReference);
    assert.strictEqual(processes.length, 1, 'only the parent exists before the fork');
    const parent = processes[0]!;
    assert.match(parent.name, /parent/);
    const parentFields = await variables(session, parent.variablesReference);
    const regions = await variables(session, named(parentFields, 'regions').variablesReference);
    assert.ok(
      regions.some((region) => /data/.test(`${region.name} ${region.value}`)),
      `no "data" region among ${regions.map((r) => `${r.name}=${r.value}`).join('; ')}`,
    );

    // Hovering the buffer's address resolves it: region, page table entry, physical page and zone.
    const hover = await evaluate(session, 'buf', 'hover');
    assert.match(hover, /data/);
    assert.match(hover, /PTE/i);
    assert.match(hover, /zone/i);

    await endSession(session);
    assert.strictEqual(vscode.debug.activeDebugSession, undefined);
  });

  it('starts through the MMU Lens: Debug Scenario command and stops before the first step (process parent)', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile(EXAMPLE));
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand(Commands.debugScenario);
    const session = await waitForSession();
    const entry = await waitForStop(session, 0);
    assert.strictEqual(entry.body['reason'], 'entry');
    assert.strictEqual((await topFrame(session)).line, lineOf(document, 'process parent'));
    await endSession(session);
  });

  it('opens a region in the binary view: VS Code reads the simulated bytes through the session', async () => {
    const document = await openExampleWithBreakpointAt('fork parent as child');
    await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Binary view of the fork example',
      program: document.uri.fsPath,
    });
    const session = await waitForSession();
    await waitForStop(session, 0);
    const frameId = (await topFrame(session)).id;
    const buf = (await session.customRequest('evaluate', {
      expression: 'buf',
      frameId,
      context: 'repl',
    })) as Evaluation;
    assert.ok(buf.memoryReference, 'the buffer address carries a memory reference');

    // As with the Hex Editor installed (it is not, here): VS Code then opens the memory document.
    const withHexEditor = { ...vscodeBinaryViewHost, hexEditorInstalled: () => true };
    assert.strictEqual(
      await openInBinaryView(session.id, buf.memoryReference, 2 * 4096, withHexEditor),
      'opened',
    );
    const isMemoryTab = (tab: vscode.Tab): boolean =>
      tab.input instanceof vscode.TabInputText || tab.input instanceof vscode.TabInputCustom
        ? tab.input.uri.scheme === 'vscode-debug-memory'
        : false;
    await waitFor('a vscode-debug-memory editor', () =>
      vscode.window.tabGroups.all.some((group) => group.tabs.some(isMemoryTab)),
    );
    const tab = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find(isMemoryTab)!;
    const uri = (tab.input as vscode.TabInputText).uri;
    assert.strictEqual(uri.authority, session.id);
    // The bytes VS Code shows are the simulated ones: "A" written at the buffer, zeros after it,
    // and the second page (still on the lazy committed page) reads as zeros too.
    const bytes = await vscode.workspace.fs.readFile(uri);
    assert.strictEqual(bytes.length, 2 * 4096);
    assert.strictEqual(bytes[0], 0x41);
    assert.ok(bytes.subarray(1).every((byte) => byte === 0));
    await closeAllEditors();

    // Without the Hex Editor, the command says what to install and its button shows it in the
    // Extensions view, instead of opening a document VS Code can only call binary.
    assert.strictEqual(
      vscodeBinaryViewHost.hexEditorInstalled(),
      vscode.extensions.getExtension(HEX_EDITOR_ID) !== undefined,
    );
    const told: string[] = [];
    const ran: unknown[][] = [];
    const withoutHexEditor = {
      hexEditorInstalled: () => false,
      showInformationMessage: (message: string, ...items: string[]) => {
        told.push(message, ...items);
        return Promise.resolve(SHOW_HEX_EDITOR);
      },
      executeCommand: async (command: string, ...args: unknown[]) => {
        ran.push([command, ...args]);
        return vscode.commands.executeCommand(command, ...args);
      },
    };
    assert.strictEqual(
      await openInBinaryView(session.id, buf.memoryReference, 4096, withoutHexEditor),
      'hexEditorMissing',
    );
    await waitFor('the Extensions view searching for the Hex Editor', () => ran.length === 1);
    assert.match(told[0] ?? '', /install the Hex Editor extension \(ms-vscode\.hexeditor\)/);
    assert.strictEqual(told[1], SHOW_HEX_EDITOR);
    assert.deepStrictEqual(ran[0], ['workbench.extensions.search', '@id:ms-vscode.hexeditor']);
    assert.ok(!vscode.window.tabGroups.all.some((group) => group.tabs.some(isMemoryTab)));
  });
});
