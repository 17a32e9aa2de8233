// The debug adapter of MMU Lens (type `mmu`). It only translates: DAP requests become calls on the
// ScenarioDebugger, its events become DAP events, and machine state becomes variables, memory and
// hover text. File reading is injected, so the same class runs inline in the extension host and
// standalone over stdio. Every request is handled inside a guard: a malformed request gets an error
// response and the adapter keeps running.

import {
  Breakpoint,
  BreakpointEvent,
  DebugSession,
  InitializedEvent,
  InvalidatedEvent,
  MemoryEvent,
  OutputEvent,
  ProgressEndEvent,
  ProgressStartEvent,
  ProgressUpdateEvent,
  Source,
  StoppedEvent,
  TerminatedEvent,
  Thread,
  Event as DapEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'path';
import { PassThrough } from 'stream';
import type { Machine } from '../engine';
import {
  type DataBreakpointTarget,
  PHYSICAL_MEMORY,
  dataBreakpointId,
  memorySpaceLabel,
  virtualMemory,
} from '../protocol/addressSpaces';
import type { Diagnostic, Range } from '../scenario/source';
import { EXCEPTION_FILTERS, describeTarget, isExceptionFilterId, stepLines } from './breakpoints';
import { completionsAt } from './completions';
import { DapFrameReader, messageProblem } from './dapFraming';
import { describeAddress, hex } from './describe';
import { describeException } from './exceptionInfo';
import { parseAddress } from '../protocol/pagingEntry';
import {
  type MemorySpace,
  memorySpaceRefOf,
  readMemory,
  resolveMemoryReference,
  resolveMemorySpace,
  spaceRefOf,
  writeMemory,
} from './memory';
import { type ChangeChain, MAX_CHAIN_LINKS, chainLimit } from './changeChain';
import type { ChangeDirection } from './changeSearch';
import {
  type BreakpointRequest,
  type ChangeAnswer,
  type DebuggerEvent,
  type ExplainAnswer,
  type ProgressInfo,
  ScenarioDebugger,
  type StopInfo,
} from './ScenarioDebugger';
import type { StepView } from './StepView';
import {
  type ScenarioInterpreter,
  type ScenarioStarter,
  startInterpreter,
  type Value,
} from './scenarioTypes';
import { VariableStore, valueMemoryReference } from './variables';
import { type Thing, type ThingRef, describeThing, parseThingRef, thingRefOf } from './watchedThings';

/** How the session reads the scenario file (the extension passes VS Code's file system). */
export interface FileAccessor {
  readFile(path: string): Promise<string>;
}

export interface MmuLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The scenario file (.mmu). */
  program: string;
  /** Stop before the first step. */
  stopOnEntry?: boolean;
  /** Overrides `machine seed=`. */
  seed?: number;
  /** Steps (and iterations of loops without steps) after which the run stops as a runaway. */
  stepBudget?: number;
}

/** Body of the `mmuStopped` custom event, sent at every stop for views that follow the steps. */
export interface MmuStoppedEventBody {
  readonly position: number;
  readonly furthest: number;
  readonly reason: string;
  readonly description: string;
  readonly line: number | null;
  readonly outcome: string | null;
  readonly eventCount: number;
}

/**
 * The custom requests that travel to the previous or next change of a thing (arguments
 * `{ thing: ThingRef }`, see watchedThings.ts); the response body is a ChangeResponseBody.
 */
export const ChangeRequests = {
  previous: 'mmuLens/previousChange',
  next: 'mmuLens/nextChange',
} as const satisfies Record<ChangeDirection, string>;

/** The custom request "Why is it so?" (arguments `{ thing: ThingRef, limit?: number }`). */
export const EXPLAIN_REQUEST = 'mmuLens/explain';

/** One link of an explanation: a step that changed the thing, and why. */
export interface ExplainLink {
  /** The step whose run changed the thing. */
  readonly step: number;
  /** The position just before that step (its statement about to run): `goto` target id position + 1. */
  readonly position: number;
  /** The statement's line (client numbering) and its text on one line. */
  readonly line: number;
  readonly statement: string;
  readonly before: string;
  readonly after: string;
  /** "before → after", or which part of the thing's bulk state changed. */
  readonly change: string;
  /** The step's events that concern the thing, in the presenter's words; a fault with its decision. */
  readonly reasons: readonly { readonly kind: string; readonly text: string; readonly decision?: string }[];
  /** Events that concerned it beyond those listed. */
  readonly moreReasons: number;
}

/**
 * The custom request that says which thing a variable stands for (arguments `{ variablesReference,
 * name }`: the variable's container and its name, as a `debug/variables/context` menu hands them);
 * the response body is `{ thing: ThingRef }`.
 */
export const THING_OF_VARIABLE_REQUEST = 'mmuLens/thingOfVariable';

/** The body of an explain response: how the thing came to its value, newest change first. */
export interface ExplainResponseBody {
  /** The thing in words: "the PTE of 0x10000 in pid 2". */
  readonly thing: string;
  /** Its value at the current position. */
  readonly value: string;
  readonly links: readonly ExplainLink[];
  /** `start`: no earlier step changed it; `limit`: the chain stopped at the limit asked for. */
  readonly end: 'start' | 'limit';
}

/** The body of a successful change request; the `goto` stop at `position` follows the response. */
export interface ChangeResponseBody {
  /** The step whose run changed the thing. */
  readonly step: number;
  /** Where the session went: just before that step going back, just after it going forward. */
  readonly position: number;
}

/** The one thread of a scenario session, which requests such as `goto` name. */
export const THREAD_ID = 1;
const MAX_READ = 1 << 20;
/** Indexed children answered at most per variables request (a client pages through the rest). */
const MAX_VARIABLES = 10_000;
/** Goto targets answered at most: the ones nearest the current step (a loop line has one per pass). */
const MAX_GOTO_TARGETS = 100;

class RequestError extends Error {}

/** What a handler returns once it has sent its response itself, ahead of events that must follow it. */
const ANSWERED: unique symbol = Symbol('answered');

function fail(message: string): never {
  throw new RequestError(message);
}

function requireNumber(args: Record<string, unknown>, name: string): number {
  const value = args[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`'${name}' must be a number`);
  return value;
}

function requireString(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string') fail(`'${name}' must be a string`);
  return value;
}

function optionalNumber(args: Record<string, unknown>, name: string): number | undefined {
  const value = args[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`'${name}' must be a number`);
  return value;
}

type Handler = (
  args: Record<string, unknown>,
  response: DebugProtocol.Response,
) => Promise<unknown> | unknown;

export class MmuDebugSession extends DebugSession {
  private debugger: ScenarioDebugger | null = null;
  private interpreter: ScenarioInterpreter | null = null;
  private store: VariableStore | null = null;
  /** The StepView of the latest stop: hovers, memory and variables read the machine through it. */
  private view: StepView | null = null;
  private launchArgs: MmuLaunchArguments | null = null;
  private programPath = '';
  private breakpointRequests: BreakpointRequest[] = [];
  private exceptionFilters: string[] = EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter);
  private dataBreakpointRequests: DebugProtocol.DataBreakpoint[] = [];
  /** Whether each data breakpoint (by id) was last told to the client as verified. */
  private toldDataBreakpoints = new Map<number, boolean>();
  private configurationDone!: Promise<void>;
  private resolveConfigurationDone!: () => void;
  /** Memory references the client has read, so that each stop can tell it they changed. */
  private readonly watchedMemory = new Map<string, number>();
  private readonly handlers: Record<string, Handler>;
  private readonly stopListeners: ((stop: StopInfo, view: StepView, session: MmuDebugSession) => void)[] = [];
  /** Whether the client shows progress events (it said so in `initialize`). */
  private clientShowsProgress = false;

  constructor(
    private readonly files: FileAccessor,
    private readonly starter: ScenarioStarter = startInterpreter,
  ) {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.resetConfigurationDone();
    this.handlers = this.buildHandlers();
  }

  private resetConfigurationDone(): void {
    this.configurationDone = new Promise((resolve) => (this.resolveConfigurationDone = resolve));
  }

  // API for an extension that runs the session inline ------------------------------------------------

  /** Called at every stop, after the `stopped` event was sent, with the stop's StepView. */
  onDidStop(listener: (stop: StopInfo, view: StepView, session: MmuDebugSession) => void): {
    dispose(): void;
  } {
    this.stopListeners.push(listener);
    return {
      dispose: () => {
        const i = this.stopListeners.indexOf(listener);
        if (i >= 0) this.stopListeners.splice(i, 1);
      },
    };
  }

  // Transport -----------------------------------------------------------------------------------------

  /**
   * Standalone, the adapter reads its input itself (dapFraming.ts): a frame it cannot read is
   * reported and skipped, where the base class would end the session or stop listening.
   */
  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    // The base class writes to outStream; it is given an input that never speaks.
    super.start(new PassThrough(), outStream);
    const reader = new DapFrameReader();
    inStream.on('data', (bytes: Buffer | string) => {
      for (const framed of reader.push(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)) {
        if (framed.kind === 'message') this.handleMessage(framed.value as DebugProtocol.ProtocolMessage);
        else this.reportUnreadable(`dropped ${framed.reason}`);
      }
    });
    inStream.on('close', () => this.shutdown());
    inStream.on('end', () => this.shutdown());
    inStream.resume();
  }

  /** Every message, inline or standalone, is checked to be a DAP message before it is acted on. */
  override handleMessage(message: DebugProtocol.ProtocolMessage): void {
    const problem = messageProblem(message);
    if (problem === null) {
      super.handleMessage(message);
      return;
    }
    const fields: Record<string, unknown> =
      typeof message === 'object' && message !== null ? (message as unknown as Record<string, unknown>) : {};
    const { seq, command } = fields;
    if (typeof seq === 'number' && typeof command === 'string')
      this.sendError({ seq, command }, new RequestError(problem));
    else this.reportUnreadable(problem);
  }

  /** A message no response can answer: said on stderr and to the client as output. */
  private reportUnreadable(problem: string): void {
    process.stderr.write(`mmu-lens adapter: ${problem}\n`);
    this.sendEvent(new OutputEvent(`The debug adapter ${problem}\n`, 'stderr'));
  }

  // Dispatch ----------------------------------------------------------------------------------------

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    if (request.command === 'initialize') {
      try {
        super.dispatchRequest(request);
      } catch (e) {
        this.sendError(request, e);
      }
      return;
    }
    // Own properties only: 'constructor' or 'toString' are not requests.
    const handler = Object.hasOwn(this.handlers, request.command)
      ? this.handlers[request.command]
      : undefined;
    if (handler === undefined) {
      this.sendError(request, new RequestError(`unsupported request '${request.command}'`));
      return;
    }
    const response: DebugProtocol.Response = {
      seq: 0,
      type: 'response',
      request_seq: request.seq,
      command: request.command,
      success: true,
    };
    const args =
      typeof request.arguments === 'object' && request.arguments !== null && !Array.isArray(request.arguments)
        ? (request.arguments as Record<string, unknown>)
        : {};
    try {
      const result = handler(args, response);
      if (result instanceof Promise)
        result.then(
          (body) => this.respond(response, body),
          (e: unknown) => this.sendError(request, e),
        );
      else this.respond(response, result);
    } catch (e) {
      this.sendError(request, e);
    }
  }

  private respond(response: DebugProtocol.Response, body: unknown): void {
    if (body === ANSWERED) return;
    if (body !== undefined) response.body = body;
    this.sendResponse(response);
  }

  private sendError(request: Pick<DebugProtocol.Request, 'seq' | 'command'>, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    const response: DebugProtocol.Response = {
      seq: 0,
      type: 'response',
      request_seq: request.seq,
      command: request.command,
      success: false,
    };
    this.sendErrorResponse(
      response,
      { id: 1, format: message, showUser: !(e instanceof RequestError) || request.command === 'launch' },
      undefined,
      {},
    );
    if (!(e instanceof RequestError))
      this.sendEvent(
        new OutputEvent(
          `internal error in '${request.command}': ${e instanceof Error ? (e.stack ?? message) : message}\n`,
          'stderr',
        ),
      );
  }

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.clientShowsProgress = args.supportsProgressReporting === true;
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsStepBack: true,
      supportsGotoTargetsRequest: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsExceptionInfoRequest: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({ ...f })),
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.'],
      supportsValueFormattingOptions: true,
      supportsClipboardContext: true,
      supportsBreakpointLocationsRequest: true,
      supportsSteppingGranularity: false,
      supportsCancelRequest: true,
    };
    this.sendResponse(response);
  }

  private buildHandlers(): Record<string, Handler> {
    return {
      launch: (args) => this.launch(args),
      configurationDone: () => {
        this.resolveConfigurationDone();
      },
      disconnect: () => this.disconnect(),
      terminate: () => {
        // The run loop notices the pause at its next slice; its stop is dropped with the debugger.
        this.debugger?.pause();
        this.debugger = null;
        this.sendEvent(new TerminatedEvent());
      },
      restart: (args) => this.restart(args),
      setBreakpoints: (args) => this.setBreakpoints(args),
      breakpointLocations: (args) => this.breakpointLocations(args),
      setExceptionBreakpoints: (args) => this.setExceptionBreakpoints(args),
      setDataBreakpoints: (args) => this.setDataBreakpoints(args),
      dataBreakpointInfo: (args) => this.dataBreakpointInfo(args),
      exceptionInfo: () => this.exceptionInfo(),
      threads: () => ({ threads: [new Thread(THREAD_ID, 'scenario')] }),
      stackTrace: (args) => this.stackTrace(args),
      scopes: (args) => this.scopes(args),
      variables: (args) => this.variables(args),
      evaluate: (args) => this.evaluate(args),
      completions: (args) => this.completions(args),
      continue: () => this.resume('continue'),
      next: () => this.resume('next'),
      stepIn: () => this.resume('stepIn'),
      stepOut: () => this.resume('stepOut'),
      stepBack: () => this.goBack(() => this.requireDebugger().stepBack()),
      reverseContinue: () => this.goBack(() => this.requireDebugger().reverseContinue()),
      pause: () => {
        this.requireDebugger().pause();
      },
      gotoTargets: (args) => this.gotoTargets(args),
      goto: (args) => this.goto(args),
      cancel: (args) => this.cancel(args),
      [ChangeRequests.previous]: (args, response) => this.findChange(args, response, 'previous'),
      [ChangeRequests.next]: (args, response) => this.findChange(args, response, 'next'),
      [EXPLAIN_REQUEST]: (args, response) => this.explain(args, response),
      [THING_OF_VARIABLE_REQUEST]: (args) => this.thingOfVariable(args),
      readMemory: (args) => this.readMemory(args),
      writeMemory: (args) => this.pokeMemory(args),
      source: () => fail('sources are files on disk; no source request is needed'),
    };
  }

  private requireDebugger(): ScenarioDebugger {
    if (this.debugger === null) fail('no scenario is running (launch first)');
    return this.debugger;
  }

  private requireStopped(): ScenarioDebugger {
    const d = this.requireDebugger();
    if (d.isRunning) fail('the scenario is running; pause it first');
    return d;
  }

  // Launch -------------------------------------------------------------------------------------------

  private async launch(raw: Record<string, unknown>): Promise<void> {
    const program = requireString(raw, 'program');
    const seed = optionalNumber(raw, 'seed');
    if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0))
      fail(`'seed' must be a non-negative integer`);
    const stepBudget = optionalNumber(raw, 'stepBudget');
    if (stepBudget !== undefined && (!Number.isSafeInteger(stepBudget) || stepBudget < 1))
      fail(`'stepBudget' must be a positive integer`);
    const args: MmuLaunchArguments = {
      program,
      stopOnEntry: raw['stopOnEntry'] === true,
      noDebug: raw['noDebug'] === true,
      ...(seed !== undefined ? { seed } : {}),
      ...(stepBudget !== undefined ? { stepBudget } : {}),
    };
    this.launchArgs = args;
    await this.load(args);
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    this.begin(args);
  }

  /** Reads and checks the scenario; a scenario that does not check fails with its diagnostics. */
  private async load(args: MmuLaunchArguments): Promise<void> {
    this.programPath = path.resolve(args.program);
    let text: string;
    try {
      text = await this.files.readFile(this.programPath);
    } catch (e) {
      fail(`cannot read ${args.program}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const started = this.starter(text, this.programPath, {
      ...(args.seed === undefined ? {} : { seed: args.seed }),
      ...(args.stepBudget === undefined ? {} : { stepBudget: args.stepBudget }),
    });
    if (started.interpreter === null) {
      const lines = started.diagnostics.map((d) => formatDiagnostic(d));
      for (const line of lines) this.sendEvent(new OutputEvent(`${line}\n`, 'stderr'));
      const errors = started.diagnostics.filter((d) => d.severity === 'error');
      fail(
        `${path.basename(this.programPath)} does not check (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
      );
    }
    for (const d of started.diagnostics)
      this.sendEvent(new OutputEvent(`${formatDiagnostic(d)}\n`, 'console'));
    this.attach(started.interpreter);
  }

  private attach(interpreter: ScenarioInterpreter): void {
    this.interpreter = interpreter;
    const created: ScenarioDebugger = new ScenarioDebugger(interpreter, (event) =>
      this.onDebuggerEvent(created, event),
    );
    this.debugger = created;
    this.store = new VariableStore(interpreter);
    this.view = null;
    this.debugger.setLineBreakpoints(this.breakpointRequests);
    this.debugger.setExceptionFilters(this.exceptionFilters);
    const dataStatuses = this.debugger.setDataBreakpoints(this.dataBreakpointRequests);
    this.toldDataBreakpoints = new Map(dataStatuses.map((status) => [status.id, status.verified]));
  }

  private begin(args: MmuLaunchArguments): void {
    const d = this.requireDebugger();
    const run = args.noDebug === true ? d.runToEnd() : d.start(args.stopOnEntry === true);
    run.catch((e: unknown) => this.internalError(e));
  }

  private internalError(e: unknown): void {
    this.sendEvent(
      new OutputEvent(
        `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
        'stderr',
      ),
    );
    this.sendEvent(new TerminatedEvent());
  }

  private async restart(raw: Record<string, unknown>): Promise<void> {
    const previous = this.launchArgs ?? fail('restart before launch');
    this.debugger?.pause();
    const given = raw['arguments'];
    const args =
      typeof given === 'object' &&
      given !== null &&
      typeof (given as Record<string, unknown>)['program'] === 'string'
        ? ({ ...previous, ...(given as MmuLaunchArguments) } as MmuLaunchArguments)
        : previous;
    this.launchArgs = args;
    this.watchedMemory.clear();
    await this.load(args);
    this.begin(args);
  }

  private disconnect(): void {
    this.debugger?.pause();
    this.debugger = null;
    this.interpreter = null;
    // Standalone, the process ends once the response is out; inline, shutdown does nothing.
    setTimeout(() => this.shutdown(), 0);
  }

  // Debugger events -----------------------------------------------------------------------------------

  private onDebuggerEvent(source: ScenarioDebugger, event: DebuggerEvent): void {
    if (source !== this.debugger) return; // a debugger replaced by restart or ended by terminate
    switch (event.kind) {
      case 'stopped':
        this.onStopped(event.stop, event.view);
        return;
      case 'progress':
        this.sendProgress(event.progress);
        return;
      case 'output': {
        const output = new OutputEvent(event.text, event.category) as DebugProtocol.OutputEvent;
        if (event.range !== undefined) {
          output.body.source = this.source();
          output.body.line = this.convertDebuggerLineToClient(event.range.start.line);
          output.body.column = this.convertDebuggerColumnToClient(event.range.start.column);
        }
        this.sendEvent(output);
        return;
      }
      case 'memoryChanged':
        // The stop stands, over a machine that changed: its views are published again.
        this.view = event.view;
        this.store?.reset(event.view);
        this.announceMemoryChange();
        this.notifyStopListeners(event.view);
        return;
      case 'ended':
        this.sendEvent(new TerminatedEvent());
        return;
    }
  }

  private sendProgress(progress: ProgressInfo): void {
    if (!this.clientShowsProgress) return;
    if (progress.phase === 'start') {
      const event = new ProgressStartEvent(
        progress.id,
        progress.title,
        progress.message,
      ) as DebugProtocol.ProgressStartEvent;
      event.body.cancellable = true;
      if (progress.percentage !== undefined) event.body.percentage = progress.percentage;
      this.sendEvent(event);
    } else if (progress.phase === 'update') {
      const event = new ProgressUpdateEvent(
        progress.id,
        progress.message,
      ) as DebugProtocol.ProgressUpdateEvent;
      if (progress.percentage !== undefined) event.body.percentage = progress.percentage;
      this.sendEvent(event);
    } else this.sendEvent(new ProgressEndEvent(progress.id));
  }

  /** Cancelling a run's progress pauses it, the way the pause button does. */
  private cancel(args: Record<string, unknown>): void {
    const progressId = args['progressId'];
    if (progressId !== undefined && typeof progressId !== 'string') fail(`'progressId' must be a string`);
    if (this.debugger?.isRunning === true) this.debugger.pause();
  }

  private onStopped(stop: StopInfo, view: StepView): void {
    this.view = view;
    this.store?.reset(view);
    const event = new StoppedEvent(stop.reason, THREAD_ID, stop.text) as DebugProtocol.StoppedEvent;
    event.body.description = stop.description;
    if (stop.breakpointIds.length > 0) event.body.hitBreakpointIds = [...stop.breakpointIds];
    event.body.allThreadsStopped = true;
    this.sendEvent(event);
    const report = this.debugger?.timeline.lastReport;
    const next = this.interpreter?.nextStatement() ?? null;
    const body: MmuStoppedEventBody = {
      position: stop.position,
      furthest: this.debugger?.timeline.furthest ?? 0,
      reason: stop.reason,
      description: stop.description,
      line: next === null ? null : this.convertDebuggerLineToClient(next.range.start.line),
      outcome: report?.outcome ?? null,
      eventCount: report?.events.length ?? 0,
    };
    this.sendEvent(new DapEvent('mmuStopped', body));
    this.announceDataBreakpointChanges();
    this.announceMemoryChange();
    this.notifyStopListeners(view);
  }

  private notifyStopListeners(view: StepView): void {
    const stop = this.debugger?.stopInfo;
    if (stop === null || stop === undefined) return;
    for (const listener of this.stopListeners) listener(stop, view, this);
  }

  /** Tells the client that memory it shows may have changed (a step, a step back, a write). */
  private announceMemoryChange(): void {
    for (const [reference, count] of this.watchedMemory) this.sendEvent(new MemoryEvent(reference, 0, count));
  }

  private resume(mode: 'continue' | 'next' | 'stepIn' | 'stepOut'): void {
    const d = this.requireStopped();
    d.run(mode).catch((e: unknown) => this.internalError(e));
  }

  private goBack(action: () => void | Promise<void>): void {
    this.requireStopped();
    const result = action();
    if (result instanceof Promise) result.catch((e: unknown) => this.internalError(e));
  }

  // Breakpoints ---------------------------------------------------------------------------------------

  private isProgram(source: unknown): boolean {
    if (typeof source !== 'object' || source === null) return false;
    const p = (source as DebugProtocol.Source).path;
    return typeof p === 'string' && path.resolve(this.convertClientPathToDebugger(p)) === this.programPath;
  }

  private setBreakpoints(args: Record<string, unknown>): DebugProtocol.SetBreakpointsResponse['body'] {
    const source = args['source'];
    if (typeof source !== 'object' || source === null) fail(`'source' must be an object`);
    const raw = args['breakpoints'] ?? [];
    if (!Array.isArray(raw)) fail(`'breakpoints' must be an array`);
    const requests: BreakpointRequest[] = raw.map((b: unknown, i) => {
      if (typeof b !== 'object' || b === null) fail(`breakpoint ${i} must be an object`);
      const bp = b as Record<string, unknown>;
      const line = requireNumber(bp, 'line');
      const optional = (name: string): string | undefined => {
        const v = bp[name];
        if (v === undefined) return undefined;
        if (typeof v !== 'string') fail(`'${name}' of breakpoint ${i} must be a string`);
        return v;
      };
      const condition = optional('condition');
      const hitCondition = optional('hitCondition');
      const logMessage = optional('logMessage');
      return {
        line: this.convertClientLineToDebugger(line),
        ...(condition !== undefined ? { condition } : {}),
        ...(hitCondition !== undefined ? { hitCondition } : {}),
        ...(logMessage !== undefined ? { logMessage } : {}),
      };
    });
    if (this.programPath !== '' && !this.isProgram(source))
      return {
        breakpoints: requests.map(() => ({ verified: false, message: 'not the scenario being debugged' })),
      };
    this.breakpointRequests = requests;
    if (this.debugger === null)
      return {
        breakpoints: requests.map((r) => ({
          verified: true,
          line: this.convertDebuggerLineToClient(r.line),
        })),
      };
    const set = this.debugger.setLineBreakpoints(requests);
    return {
      breakpoints: set.map((bp) => {
        const out = new Breakpoint(
          bp.verified,
          this.convertDebuggerLineToClient(bp.line),
          undefined,
          this.source(),
        ) as DebugProtocol.Breakpoint;
        out.id = bp.id;
        if (bp.message !== undefined) out.message = bp.message;
        return out;
      }),
    };
  }

  private breakpointLocations(
    args: Record<string, unknown>,
  ): DebugProtocol.BreakpointLocationsResponse['body'] {
    const line = this.convertClientLineToDebugger(requireNumber(args, 'line'));
    const endLine =
      args['endLine'] === undefined ? line : this.convertClientLineToDebugger(requireNumber(args, 'endLine'));
    if (this.interpreter === null || !this.isProgram(args['source'])) return { breakpoints: [] };
    const lines = [...stepLines(this.interpreter.program.statements)]
      .filter((l) => l >= line && l <= endLine)
      .sort((a, b) => a - b);
    return { breakpoints: lines.map((l) => ({ line: this.convertDebuggerLineToClient(l) })) };
  }

  private setExceptionBreakpoints(
    args: Record<string, unknown>,
  ): DebugProtocol.SetExceptionBreakpointsResponse['body'] {
    const filters = args['filters'];
    if (!Array.isArray(filters) || filters.some((f) => typeof f !== 'string'))
      fail(`'filters' must be an array of strings`);
    const options = args['filterOptions'];
    const fromOptions = Array.isArray(options)
      ? options.map((o: unknown) =>
          typeof o === 'object' && o !== null ? (o as Record<string, unknown>)['filterId'] : undefined,
        )
      : [];
    const all = [...(filters as string[]), ...fromOptions.filter((f): f is string => typeof f === 'string')];
    this.exceptionFilters = all.filter(isExceptionFilterId);
    this.debugger?.setExceptionFilters(this.exceptionFilters);
    return {
      breakpoints: all.map((f) => ({
        verified: isExceptionFilterId(f),
        ...(isExceptionFilterId(f) ? {} : { message: `unknown filter ${f}` }),
      })),
    };
  }

  private dataBreakpointInfo(
    args: Record<string, unknown>,
  ): DebugProtocol.DataBreakpointInfoResponse['body'] {
    const name = requireString(args, 'name');
    const reference = optionalNumber(args, 'variablesReference');
    const bytes = optionalNumber(args, 'bytes');
    if (bytes !== undefined && (!Number.isSafeInteger(bytes) || bytes < 1))
      fail(`'bytes' must be a positive integer`);
    const interpreter = this.interpreter ?? fail('no scenario is running');
    const offer = (
      target: DataBreakpointTarget,
      label: string,
    ): DebugProtocol.DataBreakpointInfoResponse['body'] => ({
      dataId: dataBreakpointId(target),
      description: `${label}: ${describeTarget(target)}`,
      accessTypes: ['write'],
      canPersist: true,
    });
    if (args['asAddress'] === true) {
      const location = this.resolveAddressName(name);
      const space = memorySpaceRefOf(location.space);
      return offer({ space, start: location.address, length: bytes ?? 1 }, name);
    }
    if (reference !== undefined && reference !== 0) {
      const store = this.store ?? fail('no variables');
      if (!store.has(reference)) fail(`unknown variablesReference ${reference}`);
      const found = store.dataOffer(reference, name);
      if (found === null) return { dataId: null, description: `${name} does not denote memory` };
      return {
        dataId: found.dataId,
        description: found.description,
        accessTypes: ['write'],
        canPersist: true,
      };
    }
    const frameIndex = this.frameIndexOf(args['frameId']);
    const result = interpreter.evaluate(name, frameIndex);
    if ('error' in result) return { dataId: null, description: result.error };
    if (result.value.kind === 'integer') {
      const location = this.resolveAddressName(hex(result.value.value));
      const space = memorySpaceRefOf(location.space);
      return offer({ space, start: location.address, length: bytes ?? 1 }, name);
    }
    const target = valueTarget(result.value, bytes);
    if (target === null) return { dataId: null, description: `${name} does not denote memory` };
    return offer(target, name);
  }

  /** The machine as the latest stop's StepView shows it (what hovers, memory and variables read). */
  private stoppedMachine(): Machine {
    return (this.view ?? fail('no scenario has stopped yet')).inspector.machine;
  }

  /** An address for `asAddress`: a memory reference, `<pid|kernel|p>:ADDR`, or a bare address. */
  private resolveAddressName(name: string): { space: MemorySpace; address: number } {
    const machine = this.stoppedMachine();
    const direct = resolveMemoryReference(machine, name);
    if (direct !== null) return direct;
    const typed = parseAddress(name);
    // The engine addresses memory with exact numbers: an address above 2^53 cannot be one.
    const bare = typed === null ? null : Number(BigInt(typed));
    if (bare === null || !Number.isSafeInteger(bare))
      fail(`'${name}' is not an address (use 0x…, v:<pid>:0x…, v:kernel:0x… or p:0x…)`);
    const description = describeAddress(machine, bare);
    if (description.memoryReference !== null)
      return resolveMemoryReference(machine, description.memoryReference)!;
    return { space: { kind: 'physical' }, address: bare };
  }

  private setDataBreakpoints(
    args: Record<string, unknown>,
  ): DebugProtocol.SetDataBreakpointsResponse['body'] {
    const raw = args['breakpoints'];
    if (!Array.isArray(raw)) fail(`'breakpoints' must be an array`);
    this.dataBreakpointRequests = raw.map((b: unknown, i) => {
      if (typeof b !== 'object' || b === null) fail(`data breakpoint ${i} must be an object`);
      const bp = b as Record<string, unknown>;
      const request: DebugProtocol.DataBreakpoint = { dataId: requireString(bp, 'dataId') };
      if (typeof bp['condition'] === 'string') request.condition = bp['condition'];
      if (typeof bp['hitCondition'] === 'string') request.hitCondition = bp['hitCondition'];
      return request;
    });
    const d = this.debugger;
    if (d === null) return { breakpoints: this.dataBreakpointRequests.map(() => ({ verified: true })) };
    const statuses = d.setDataBreakpoints(this.dataBreakpointRequests);
    this.toldDataBreakpoints = new Map(statuses.map((status) => [status.id, status.verified]));
    return { breakpoints: statuses };
  }

  /** Tells the client of data breakpoints whose memory came to exist, or ceased to, since it was told. */
  private announceDataBreakpointChanges(): void {
    for (const status of this.debugger?.dataBreakpointStatuses() ?? []) {
      if (this.toldDataBreakpoints.get(status.id) === status.verified) continue;
      this.toldDataBreakpoints.set(status.id, status.verified);
      this.sendEvent(new BreakpointEvent('changed', status));
    }
  }

  private exceptionInfo(): DebugProtocol.ExceptionInfoResponse['body'] {
    const d = this.requireStopped();
    const stop = d.stopInfo;
    if (stop?.budgetExhausted !== undefined && stop.position === d.position)
      return {
        exceptionId: 'step_budget',
        description: stop.budgetExhausted,
        breakMode: 'always',
        details: { message: stop.budgetExhausted, typeName: 'step budget' },
      };
    if (stop?.exception === undefined || stop.position !== d.position) fail('not stopped on an exception');
    const info = describeException(this.interpreter!, stop.exception.filter, stop.exception.report);
    return {
      exceptionId: stop.exception.filter,
      description: info.summary,
      breakMode: stop.exception.filter === 'failed_step' ? 'always' : 'userUnhandled',
      details: {
        message: info.summary,
        typeName: info.kind,
        stackTrace: info.details.join('\n'),
      },
    };
  }

  // Stack, scopes, variables --------------------------------------------------------------------------

  private source(): Source {
    return new Source(path.basename(this.programPath), this.convertDebuggerPathToClient(this.programPath));
  }

  /** Frame ids are the interpreter's frame ids + 1 (0 is not a valid id for every client). */
  private frameIndexOf(frameId: unknown): number {
    if (frameId === undefined) return 0;
    if (typeof frameId !== 'number') fail(`'frameId' must be a number`);
    const frames = (this.interpreter ?? fail('no scenario is running')).frames();
    const index = frames.findIndex((f) => f.id + 1 === frameId);
    if (index < 0) fail(`unknown frameId ${frameId}`);
    return index;
  }

  private stackTrace(args: Record<string, unknown>): DebugProtocol.StackTraceResponse['body'] {
    const d = this.requireStopped();
    const interpreter = this.interpreter!;
    const startFrame = optionalNumber(args, 'startFrame') ?? 0;
    const levels = optionalNumber(args, 'levels') ?? 0;
    const frames = interpreter.frames();
    const stop = d.stopInfo;
    const override = stop !== null && stop.position === d.position ? stop.location : undefined;
    const last = d.timeline.lastReport;
    const stackFrames = frames.map((frame, i) => {
      let range: Range | undefined =
        i === 0 && override !== undefined ? override : (frame.statement?.range ?? undefined);
      if (range === undefined) range = last?.range ?? interpreter.program.range;
      return {
        id: frame.id + 1,
        name: frame.name,
        source: this.source(),
        line: this.convertDebuggerLineToClient(range.start.line),
        column: this.convertDebuggerColumnToClient(range.start.column),
        endLine: this.convertDebuggerLineToClient(range.end.line),
        endColumn: this.convertDebuggerColumnToClient(range.end.column),
        ...(frame.kind === 'scenario' ? {} : { presentationHint: 'normal' as const }),
      };
    });
    const slice =
      levels > 0 ? stackFrames.slice(startFrame, startFrame + levels) : stackFrames.slice(startFrame);
    return { stackFrames: slice, totalFrames: stackFrames.length };
  }

  private scopes(args: Record<string, unknown>): DebugProtocol.ScopesResponse['body'] {
    this.requireStopped();
    const index = this.frameIndexOf(requireNumber(args, 'frameId'));
    return { scopes: this.store!.scopes(index) };
  }

  private variables(args: Record<string, unknown>): DebugProtocol.VariablesResponse['body'] {
    this.requireStopped();
    const reference = requireNumber(args, 'variablesReference');
    const start = optionalNumber(args, 'start') ?? 0;
    const count = optionalNumber(args, 'count') ?? 0;
    if (!Number.isSafeInteger(start) || start < 0) fail(`'start' must be a non-negative integer`);
    if (!Number.isSafeInteger(count) || count < 0) fail(`'count' must be a non-negative integer`);
    const indexed = this.store!.indexedCount(reference);
    const asked = indexed === undefined ? 0 : count > 0 ? Math.min(count, indexed - start) : indexed - start;
    if (asked > MAX_VARIABLES)
      fail(
        `this holds ${indexed!.toLocaleString('en-US')} items; ask for at most ${MAX_VARIABLES.toLocaleString('en-US')} at a time with 'start' and 'count'`,
      );
    const filter = args['filter'];
    const list = this.store!.variables(reference, { hex: hexRequested(args) }, start, count);
    if (list === null) fail(`unknown variablesReference ${reference}`);
    if (filter === 'named') return { variables: list.filter((v) => !v.name.startsWith('[')) };
    return { variables: list };
  }

  // Evaluate and completions ---------------------------------------------------------------------------

  private evaluate(args: Record<string, unknown>): DebugProtocol.EvaluateResponse['body'] {
    const expression = requireString(args, 'expression');
    const interpreter = this.interpreter ?? fail('no scenario is running');
    this.requireStopped();
    const frameIndex = this.frameIndexOf(args['frameId']);
    const context = typeof args['context'] === 'string' ? args['context'] : 'repl';
    const format = { hex: hexRequested(args) };
    const machine = this.stoppedMachine();
    const memory = resolveMemoryReference(machine, expression.trim());
    if (memory !== null) {
      const description = describeAddress(machine, memory.address, memory.space);
      return { result: description.text, variablesReference: 0, memoryReference: expression.trim() };
    }
    const result = interpreter.evaluate(expression, frameIndex);
    if ('error' in result) fail(result.error);
    const value = result.value;
    const store = this.store!;
    let text = store.formatValue(value, format);
    let memoryReference = valueMemoryReference(value);
    if (context === 'clipboard') return { result: text, variablesReference: 0 };
    const resolution = resolution_(machine, value);
    if (resolution !== null) {
      if (context === 'hover' || context === 'repl' || context === 'watch')
        text = `${text}\n${resolution.text}`;
      memoryReference ??= resolution.memoryReference;
    }
    return {
      result: text,
      type: value.kind,
      variablesReference: store.expandValue(value),
      ...(memoryReference !== null ? { memoryReference } : {}),
    };
  }

  private completions(args: Record<string, unknown>): DebugProtocol.CompletionsResponse['body'] {
    const text = requireString(args, 'text');
    const column = this.convertClientColumnToDebugger(requireNumber(args, 'column'));
    const interpreter = this.interpreter ?? fail('no scenario is running');
    const frameIndex = this.frameIndexOf(args['frameId']);
    return { targets: completionsAt(interpreter, text, column, frameIndex) };
  }

  // Execution: goto ------------------------------------------------------------------------------------

  private gotoTargets(args: Record<string, unknown>): DebugProtocol.GotoTargetsResponse['body'] {
    const d = this.requireStopped();
    if (!this.isProgram(args['source'])) fail('goto targets exist only in the scenario being debugged');
    const line = this.convertClientLineToDebugger(requireNumber(args, 'line'));
    const { positions, total } = d.gotoTargets(line, MAX_GOTO_TARGETS);
    const of =
      total > positions.length ? ` (${positions.length} nearest of ${total.toLocaleString('en-US')})` : '';
    return {
      targets: positions.map((position) => ({
        id: position + 1,
        label: (position === 0 ? 'before the first step' : `after step ${position}`) + of,
        line: this.convertDebuggerLineToClient(line),
      })),
    };
  }

  private goto(args: Record<string, unknown>): void {
    const d = this.requireStopped();
    const id = requireNumber(args, 'targetId');
    const position = id - 1;
    if (!Number.isInteger(position) || position < 0 || position > d.timeline.furthest)
      fail(`unknown goto target ${id}`);
    d.goto(position);
  }

  // Execution: changes of a thing ------------------------------------------------------------------

  /**
   * Travels to the previous or next change of a thing. The search runs like reverse continue (in
   * time slices, with progress, paused by `pause`); the answer is sent as soon as it is known, so a
   * client hears it before the stop that follows. No change, a pause, or a thing the machine does
   * not have is an error response; the session then stays where it was (a pause still stops).
   */
  private findChange(
    args: Record<string, unknown>,
    response: DebugProtocol.Response,
    direction: ChangeDirection,
  ): Promise<typeof ANSWERED> {
    const d = this.requireStopped();
    const parsed = parseThingRef(args['thing']);
    if ('error' in parsed) fail(parsed.error);
    return new Promise((resolve, reject) => {
      let answered = false;
      const answer = (result: ChangeAnswer): void => {
        answered = true;
        if (result.kind === 'found') {
          const body: ChangeResponseBody = { step: result.step, position: result.position };
          this.respond(response, body);
        } else
          this.sendError(
            { seq: response.request_seq, command: response.command },
            new RequestError(result.message),
          );
        resolve(ANSWERED);
      };
      d.findChange(parsed.thing, direction, answer).catch((e: unknown) =>
        answered ? this.internalError(e) : reject(e),
      );
    });
  }

  /**
   * "Why is it so?": the chain of changes that made the thing's value at the current position. It
   * searches like the change requests (time slices, progress, `pause`) but never moves the session.
   * A malformed thing or limit, a thing the machine does not have, or a pause is an error response.
   */
  private explain(args: Record<string, unknown>, response: DebugProtocol.Response): Promise<typeof ANSWERED> {
    const d = this.requireStopped();
    const parsed = parseThingRef(args['thing']);
    if ('error' in parsed) fail(parsed.error);
    const raw = args['limit'];
    if (raw !== undefined && typeof raw !== 'number') fail(`'limit' must be a number`);
    const limit =
      chainLimit(raw) ?? fail(`'limit' must be a whole number from 1 (at most ${MAX_CHAIN_LINKS} are given)`);
    const thing = parsed.thing;
    return new Promise((resolve, reject) => {
      let answered = false;
      const answer = (result: ExplainAnswer): void => {
        answered = true;
        if (result.kind === 'found') this.respond(response, this.explainBody(thing, result.chain));
        else
          this.sendError(
            { seq: response.request_seq, command: response.command },
            new RequestError(result.message),
          );
        resolve(ANSWERED);
      };
      d.explain(thing, limit, answer).catch((e: unknown) => (answered ? this.internalError(e) : reject(e)));
    });
  }

  /** The thing a variable of the current stop stands for (its menu context says it has one). */
  private thingOfVariable(args: Record<string, unknown>): { thing: ThingRef } {
    const reference = requireNumber(args, 'variablesReference');
    const name = requireString(args, 'name');
    this.requireStopped();
    const store = this.store ?? fail('no variables');
    if (!store.has(reference))
      fail(`unknown variablesReference ${reference} (variables last until the next stop)`);
    const thing = store.thingOf(reference, name);
    if (thing === null)
      fail(`'${name}' is not a thing MMU Lens follows (a PTE, page, region, frame, zone or counter)`);
    return { thing: thingRefOf(thing) };
  }

  private explainBody(thing: Thing, chain: ChangeChain): ExplainResponseBody {
    return {
      thing: describeThing(thing),
      value: chain.value,
      links: chain.links.map((link) => ({
        step: link.step,
        position: link.step - 1,
        line: this.convertDebuggerLineToClient(link.range.start.line),
        statement: link.statement,
        before: link.before,
        after: link.after,
        change: link.change,
        reasons: link.reasons,
        moreReasons: link.moreReasons,
      })),
      end: chain.end,
    };
  }

  // Memory ---------------------------------------------------------------------------------------------

  private readMemory(args: Record<string, unknown>): DebugProtocol.ReadMemoryResponse['body'] {
    const reference = requireString(args, 'memoryReference');
    const offset = optionalNumber(args, 'offset') ?? 0;
    const count = requireNumber(args, 'count');
    if (!Number.isSafeInteger(count) || count < 0) fail(`'count' must be a non-negative integer`);
    this.requireStopped();
    const machine = this.stoppedMachine();
    const location =
      resolveMemoryReference(machine, reference) ?? fail(`unknown memory reference ${reference}`);
    const address = addressAt(location.address, offset);
    this.watchedMemory.set(reference, Math.max(this.watchedMemory.get(reference) ?? 0, offset + count));
    const read = readMemory(machine, location.space, address, Math.min(count, MAX_READ));
    return {
      address: hex(address),
      data: Buffer.from(read.data).toString('base64'),
      ...(read.unreadable > 0 ? { unreadableBytes: read.unreadable } : {}),
    };
  }

  private pokeMemory(args: Record<string, unknown>): DebugProtocol.WriteMemoryResponse['body'] {
    const reference = requireString(args, 'memoryReference');
    const offset = optionalNumber(args, 'offset') ?? 0;
    const data = requireString(args, 'data');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) fail(`'data' must be base64`);
    const d = this.requireStopped();
    const first =
      resolveMemoryReference(this.stoppedMachine(), reference) ??
      fail(`unknown memory reference ${reference}`);
    const bytes = new Uint8Array(Buffer.from(data, 'base64'));
    const address = addressAt(first.address, offset);
    const where = memorySpaceRefOf(first.space);
    let outcome = { written: 0, stoppedBecause: null as string | null };
    d.edit((it) => {
      // Handles are found again in whichever copy of the machine the edit is replayed into.
      const space = resolveMemorySpace(it.machine, where) ?? fail(`${memorySpaceLabel(where)} is gone`);
      outcome = writeMemory(it.machine, space, address, bytes);
    });
    if (outcome.written === 0 && bytes.length > 0)
      fail(`nothing written: ${outcome.stoppedBecause ?? 'unknown reason'}`);
    this.sendEvent(new InvalidatedEvent(['variables']));
    return {
      bytesWritten: outcome.written,
      ...(outcome.written < bytes.length ? { offset } : {}),
    };
  }
}

/** A reference's address moved by a client's offset, refused unless it is a whole address. */
function addressAt(base: number, offset: number): number {
  if (!Number.isInteger(offset)) fail(`'offset' must be an integer`);
  const address = base + offset;
  if (!Number.isSafeInteger(offset) || address < 0 || !Number.isSafeInteger(address))
    fail(`offset ${offset} from ${hex(base)} is outside the addresses the machine simulates`);
  return address;
}

function hexRequested(args: Record<string, unknown>): boolean {
  const format = args['format'];
  return typeof format === 'object' && format !== null && (format as Record<string, unknown>)['hex'] === true;
}

function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.range.start.line + 1}:${d.range.start.column + 1}: ${d.severity}: ${d.message}`;
}

/** A value that denotes memory, as a data breakpoint target. */
function valueTarget(value: Value, bytes: number | undefined): DataBreakpointTarget | null {
  switch (value.kind) {
    case 'region':
      return {
        space: virtualMemory(spaceRefOf(value.space)),
        start: value.region.base,
        length: bytes ?? value.region.size,
      };
    case 'physical_page':
      return { space: PHYSICAL_MEMORY, start: value.paddr, length: bytes ?? 4096 };
    case 'pte':
      return {
        space: virtualMemory(spaceRefOf(value.space)),
        start: value.vaddr - (value.vaddr % 4096),
        length: bytes ?? 4096,
      };
    default:
      return null;
  }
}

/** For values that are addresses (or denote memory): where they lead, all the way down. */
function resolution_(
  machine: Machine,
  value: Value,
): { text: string; memoryReference: string | null } | null {
  switch (value.kind) {
    case 'integer': {
      if (value.value < 0x1000n || value.value >= 1n << 64n) return null;
      const address = Number(value.value);
      if (!Number.isSafeInteger(address)) return null;
      const description = describeAddress(machine, address);
      if (description.spaces === 0 && machine.page(address) === null) return null;
      return { text: description.text, memoryReference: description.memoryReference };
    }
    case 'region':
      return describeAddress(machine, value.region.base, { kind: 'virtual', space: value.space });
    case 'pte':
      return describeAddress(machine, value.vaddr, { kind: 'virtual', space: value.space });
    case 'physical_page':
      return describeAddress(machine, value.paddr, { kind: 'physical' });
    default:
      return null;
  }
}
