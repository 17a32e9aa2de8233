// Shared helpers of the DAP tests: they drive the BUILT standalone adapter (dist/debugAdapter.js)
// through @vscode/debugadapter-testsupport's DebugClient, as any DAP client would.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const ADAPTER = path.join(ROOT, 'dist', 'debugAdapter.js');
export const FIXTURES = path.join(ROOT, 'test', 'dap', 'fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/debugAdapter.js when it is missing or older than the sources it bundles. */
export function ensureAdapterBuilt(): void {
  const sources = Math.max(
    ...['debug', 'scenario', 'engine'].map((d) => newestSource(path.join(ROOT, 'src', d))),
  );
  if (fs.existsSync(ADAPTER) && fs.statSync(ADAPTER).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'webpack', 'bin', 'webpack.js'),
      '--config-name',
      'debugAdapter',
      '--mode',
      'development',
    ],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
}

export async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient('node', ADAPTER, 'mmu');
  dc.defaultTimeout = 20000;
  await dc.start();
  return dc;
}

/**
 * The hooks of a suite that talks to a fresh adapter in every test: build it once, start a client
 * before each test, stop the current one after (a test may replace it through `set`).
 */
export function useClientPerTest(get: () => DebugClient, set: (client: DebugClient) => void): void {
  before(() => ensureAdapterBuilt());
  beforeEach(async () => set(await startClient()));
  afterEach(() => get().stop());
}

export interface LaunchOptions {
  readonly breakpoints?: DebugProtocol.SourceBreakpoint[];
  readonly exceptionFilters?: string[];
  readonly stopOnEntry?: boolean;
  readonly seed?: number;
}

/** Launches a fixture and waits for the first stop. */
export async function launchAndStop(
  dc: DebugClient,
  program: string,
  options: LaunchOptions = {},
): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      if (options.breakpoints !== undefined)
        await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: options.breakpoints });
      if (options.exceptionFilters !== undefined)
        await dc.setExceptionBreakpointsRequest({ filters: options.exceptionFilters });
      await dc.configurationDoneRequest();
    }),
    dc.launch({
      program,
      stopOnEntry: options.stopOnEntry ?? false,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    } as DebugProtocol.LaunchRequestArguments),
  ]);
  return stopped;
}

/** Sends a request and waits for the stop it causes. */
export async function stopAfter(
  dc: DebugClient,
  request: () => Promise<unknown>,
): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await request();
  return stopped;
}

export async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const trace = await dc.stackTraceRequest({ threadId: 1 });
  const frame = trace.body.stackFrames[0];
  if (frame === undefined) throw new Error('no frames');
  return frame;
}

export async function evaluate(dc: DebugClient, expression: string, context = 'watch'): Promise<string> {
  const frame = await topFrame(dc);
  const response = await dc.evaluateRequest({ expression, frameId: frame.id, context });
  return response.body.result;
}

export async function scope(dc: DebugClient, name: string): Promise<number> {
  const frame = await topFrame(dc);
  const scopes = await dc.scopesRequest({ frameId: frame.id });
  const found = scopes.body.scopes.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no scope ${name}`);
  return found.variablesReference;
}

export async function children(
  dc: DebugClient,
  reference: number,
  args: Partial<DebugProtocol.VariablesArguments> = {},
): Promise<DebugProtocol.Variable[]> {
  return (await dc.variablesRequest({ variablesReference: reference, ...args })).body.variables;
}

export async function child(
  dc: DebugClient,
  reference: number,
  name: string | RegExp,
): Promise<DebugProtocol.Variable> {
  const list = await children(dc, reference);
  const found = list.find((v) => (typeof name === 'string' ? v.name === name : name.test(v.name)));
  if (found === undefined)
    throw new Error(`no variable ${String(name)} in ${list.map((v) => v.name).join(', ')}`);
  return found;
}

/** Expects a request to fail with an error response. */
export async function rejects(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('the request succeeded but should have failed');
}

/** The number in a formatted integer: `7`, or `0x1a2b (6699)`. */
export function numberOf(text: string): number {
  const decimal = /\((\d+)\)$/.exec(text);
  return Number(decimal !== null ? decimal[1] : text);
}
