// Run control over the interpreter: stepping forward and back, breakpoints of every kind, and
// what each stop means. It knows nothing of DAP; the session turns its events into protocol
// messages. Every stop carries the timeline's StepView, which is all the views get to see.
// Long runs, forward and backward, go in time slices and yield to the event loop, so a pause
// request lands within a slice, and a run that lasts reports its progress.

import type { Statement } from '../scenario/ast';
import type { Range } from '../scenario/source';
import {
  type DataBreakpoint,
  type ExceptionFilterId,
  type HitCondition,
  type LineBreakpoint,
  captureBytes,
  dataChange,
  hitConditionMet,
  matchException,
  parseHitCondition,
  stepLines,
} from './breakpoints';
import { memorySpaceLabel, parseDataBreakpointId } from '../protocol/addressSpaces';
import { resolveMemorySpace } from './memory';
import { truthy } from '../scenario/evaluator';
import type { ScenarioInterpreter, StepReport } from './scenarioTypes';
import type { StepView } from './StepView';
import { Timeline, type TimelineOptions } from './Timeline';
import { type ChangeChain, changeChain } from './changeChain';
import { type ChangeDirection, type FoundChange, findChange } from './changeSearch';
import { type ThingProbe, changeText, probeOf } from './thingProbes';
import { type Thing, describeThing } from './watchedThings';
import {
  type ProgressInfo,
  RunProgress,
  SLICE_MS,
  SearchSlices,
  type SearchWhere,
  chunksDown,
  yieldToEventLoop,
} from './longRuns';

export type { ProgressInfo } from './longRuns';

/** A data breakpoint as the client is told of it. */
export interface DataBreakpointStatus {
  readonly id: number;
  readonly verified: boolean;
  readonly message?: string;
}

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'exception' | 'data breakpoint' | 'pause' | 'goto';

export interface StopInfo {
  readonly reason: StopReason;
  readonly description: string;
  readonly text?: string;
  readonly breakpointIds: readonly number[];
  readonly position: number;
  /** For exception stops: the filter that matched and the report of the step. */
  readonly exception?: { readonly filter: ExceptionFilterId; readonly report: StepReport };
  /** Where the top frame points instead of the next statement (the failed statement). */
  readonly location?: Range;
  /** For the stop at an exhausted step budget: why the run cannot go on. */
  readonly budgetExhausted?: string;
}

export type DebuggerEvent =
  | { readonly kind: 'stopped'; readonly stop: StopInfo; readonly view: StepView }
  | { readonly kind: 'progress'; readonly progress: ProgressInfo }
  | { readonly kind: 'output'; readonly category: 'stdout' | 'console' | 'stderr'; readonly text: string; readonly range?: Range }
  | { readonly kind: 'memoryChanged'; readonly view: StepView }
  | { readonly kind: 'ended' }; // prettier-ignore

export type RunMode = 'continue' | 'next' | 'stepIn' | 'stepOut';

/**
 * What a search for a change answers: the step that changed the thing and the position the session
 * went to, or why there is no such step (none in the recorded history, a pause came first, or the
 * machine has no such thing at all).
 */
export type ChangeAnswer =
  | { readonly kind: 'found'; readonly step: number; readonly position: number }
  | { readonly kind: 'none' | 'paused' | 'refused'; readonly message: string };

/** What "Why is it so?" answers: the chain, or why there is none (a pause, no such thing). */
export type ExplainAnswer =
  | { readonly kind: 'found'; readonly chain: ChangeChain }
  | { readonly kind: 'paused' | 'refused'; readonly message: string };

export interface BreakpointRequest {
  readonly line: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
}

export { truthy } from '../scenario/evaluator';

interface Candidate {
  readonly position: number;
  /** Undefined for an exception found in the compact log: its stop is made once it is reached. */
  readonly stop?: StopInfo;
  readonly breakpoint?: LineBreakpoint | DataBreakpoint;
}

/** What a backward run carries from chunk to chunk. */
interface ReverseSearch {
  /** Hits of breakpoints with a hit count, counted backwards from where the run started. */
  readonly hits: Map<number, number>;
  readonly slices: SearchSlices;
}

function lineStopAt(bp: LineBreakpoint, position: number): StopInfo {
  return { reason: 'breakpoint', description: 'Breakpoint', breakpointIds: [bp.id], position };
}

export class ScenarioDebugger {
  readonly timeline: Timeline;
  private lineBreakpoints: LineBreakpoint[] = [];
  private dataBreakpoints: DataBreakpoint[] = [];
  private exceptionFilters = new Set<string>(['failed_step']);
  private nextBreakpointId = 1;
  private pauseRequested = false;
  private running = false;
  private lastStop: StopInfo | null = null;
  private readonly validLines: Set<number>;
  /** The first line (0-based) of every statement, by the statement's number. */
  private readonly statementLines: Int32Array;
  /** Steps that ran in this session and had a failure, for the summary at the end. */
  private failures = 0;
  private endAnnounced = false;

  constructor(
    readonly interpreter: ScenarioInterpreter,
    private readonly emit: (event: DebuggerEvent) => void,
    options: TimelineOptions = {},
  ) {
    this.timeline = new Timeline(interpreter, options);
    this.validLines = stepLines(interpreter.program.statements);
    const lines: number[] = [];
    for (let i = 0; interpreter.statementAt(i) !== undefined; i++)
      lines.push(interpreter.statementAt(i)!.range.start.line);
    this.statementLines = Int32Array.from(lines);
  }

  /** The line (0-based) of the statement the step from `position` runs; -1 at the end. */
  private lineFrom(position: number): number {
    const statement = this.timeline.statementFrom(position);
    return statement < 0 ? -1 : this.statementLines[statement]!;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get stopInfo(): StopInfo | null {
    return this.lastStop;
  }

  get position(): number {
    return this.timeline.position;
  }

  // Breakpoints -----------------------------------------------------------------------------------

  setLineBreakpoints(requests: readonly BreakpointRequest[]): LineBreakpoint[] {
    const sorted = [...this.validLines].sort((a, b) => a - b);
    this.lineBreakpoints = requests.map((request) => {
      const id = this.nextBreakpointId++;
      const line = sorted.find((l) => l >= request.line);
      let hitCondition: HitCondition | undefined;
      if (request.hitCondition !== undefined && request.hitCondition.trim() !== '') {
        const parsed = parseHitCondition(request.hitCondition);
        if (parsed === null)
          return {
            id,
            line: request.line,
            verified: false,
            message: `hit count "${request.hitCondition}" is not one of N, ==N, >N, >=N, <N, <=N, %N`,
            hits: 0,
          };
        hitCondition = parsed;
      }
      if (line === undefined)
        return { id, line: request.line, verified: false, message: 'no step at or after this line', hits: 0 };
      return {
        id,
        line,
        verified: true,
        hits: 0,
        ...(request.condition !== undefined && request.condition.trim() !== ''
          ? { condition: request.condition }
          : {}),
        ...(hitCondition !== undefined ? { hitCondition } : {}),
        ...(request.logMessage !== undefined ? { logMessage: request.logMessage } : {}),
      };
    });
    return this.lineBreakpoints;
  }

  setExceptionFilters(filters: readonly string[]): void {
    this.exceptionFilters = new Set(filters);
  }

  setDataBreakpoints(
    requests: readonly { dataId: string; condition?: string; hitCondition?: string }[],
  ): DataBreakpointStatus[] {
    this.dataBreakpoints = [];
    return requests.map((request) => {
      const id = this.nextBreakpointId++;
      const target = parseDataBreakpointId(request.dataId);
      if (target === null) return { id, verified: false, message: `unknown data id ${request.dataId}` };
      const hit =
        request.hitCondition === undefined || request.hitCondition.trim() === ''
          ? undefined
          : parseHitCondition(request.hitCondition);
      if (hit === null)
        return { id, verified: false, message: `bad hit count ${request.hitCondition ?? ''}` };
      this.dataBreakpoints.push({
        id,
        target,
        hits: 0,
        ...(request.condition !== undefined && request.condition.trim() !== ''
          ? { condition: request.condition }
          : {}),
        ...(hit !== undefined ? { hitCondition: hit } : {}),
      });
      return this.dataBreakpointStatus(this.dataBreakpoints[this.dataBreakpoints.length - 1]!);
    });
  }

  /**
   * Whether each data breakpoint watches memory that exists at the current position: one on a
   * process that does not exist (yet, or any more) is unverified, with the reason, and is verified
   * again once the process is there. The adapter tells the client when this changes at a stop.
   */
  dataBreakpointStatuses(): DataBreakpointStatus[] {
    return this.dataBreakpoints.map((bp) => this.dataBreakpointStatus(bp));
  }

  private dataBreakpointStatus(bp: DataBreakpoint): DataBreakpointStatus {
    const space = bp.target.space;
    if (space.kind === 'physical' || resolveMemorySpace(this.interpreter.machine, space) !== null)
      return { id: bp.id, verified: true };
    return {
      id: bp.id,
      verified: false,
      message: `${memorySpaceLabel(space)} does not exist at this step; the breakpoint watches it once it does.`,
    };
  }

  // Locations -------------------------------------------------------------------------------------

  /** The statement the current position would run next. */
  nextStatement(): Statement | null {
    return this.interpreter.nextStatement();
  }

  // Running forward -------------------------------------------------------------------------------

  /** The first stop of a launch: on entry, or run until something stops. */
  async start(stopOnEntry: boolean): Promise<void> {
    if (stopOnEntry) {
      this.stop({
        reason: 'entry',
        description: 'Paused on entry',
        breakpointIds: [],
        position: this.position,
      });
      return;
    }
    const atStart = this.lineStop(true);
    if (atStart !== null) {
      this.stop(atStart);
      return;
    }
    await this.run('continue');
  }

  pause(): void {
    this.pauseRequested = true;
  }

  /** Runs forward in the given mode until a stop; emits exactly one `stopped` or `ended`. */
  async run(mode: RunMode): Promise<void> {
    if (this.running) throw new Error('the scenario is already running');
    if (this.interpreter.finished && this.timeline.position >= this.timeline.furthest) {
      this.end();
      return;
    }
    this.lastStop = null;
    const startDepth = this.timeline.depthAt(this.position) ?? 0;
    const frames = this.interpreter.frames();
    const innermost = frames[0];
    const leaveFrameId =
      mode === 'stepOut' && innermost !== undefined && innermost.kind !== 'scenario' ? innermost.id : null;
    const single = mode === 'stepIn' || mode === 'next';
    await this.going('Running the scenario', async (progress) => {
      for (;;) {
        const sliceEnd = performance.now() + SLICE_MS;
        while (performance.now() < sliceEnd) {
          const stop = this.stepAndCheck(single);
          if (stop !== null) return () => this.stop(stop);
          if (this.interpreter.finished) return () => this.stopAtEnd();
          if (this.reachedModeGoal(mode, startDepth, leaveFrameId))
            return () =>
              this.stop({ reason: 'step', description: 'Step', breakpointIds: [], position: this.position });
          const atLine = this.lineStop(false);
          if (atLine !== null) return () => this.stop(atLine);
        }
        progress.tick(() => this.whereText());
        await yieldToEventLoop();
        if (this.pauseRequested) return () => this.pausedStop();
      }
    });
  }

  /**
   * Runs `work` (which yields between time slices) as the one run going on, with its progress;
   * once it is over, ends the progress and then does what `work` says ends the run (a stop), so
   * that a client sees the run finished before it sees the stop.
   */
  private async going(title: string, work: (progress: RunProgress) => Promise<() => void>): Promise<void> {
    this.running = true;
    this.pauseRequested = false;
    const progress = new RunProgress(title, (info) => this.emit({ kind: 'progress', progress: info }));
    let finish: () => void;
    try {
      finish = await work(progress);
    } finally {
      progress.end();
      this.running = false;
    }
    finish();
  }

  private pausedStop(): void {
    this.pauseRequested = false;
    this.stop({ reason: 'pause', description: 'Paused', breakpointIds: [], position: this.position });
  }

  /** "step 120,000, line 5" for progress messages. */
  private whereText(): string {
    const next = this.interpreter.nextStatement();
    const line = next === null ? '' : `, line ${next.range.start.line + 1}`;
    return `step ${this.position.toLocaleString('en-US')}${line}`;
  }

  private reachedModeGoal(mode: RunMode, startDepth: number, leaveFrameId: number | null): boolean {
    switch (mode) {
      case 'stepIn':
        return true;
      case 'next':
        return (this.timeline.depthAt(this.position) ?? 0) <= startDepth;
      case 'stepOut':
        return leaveFrameId !== null && !this.interpreter.frames().some((f) => f.id === leaveFrameId);
      case 'continue':
        return false;
    }
  }

  /** Runs one step, reports its output, and says whether the step itself stops the run. */
  private stepAndCheck(single: boolean): StopInfo | null {
    const machine = this.interpreter.machine;
    const before = this.dataBreakpoints.map((bp) => captureBytes(machine, bp.target));
    const report = this.timeline.stepForward();
    this.reportOutput(report, single);
    const stop = this.exceptionStop(report, this.position);
    if (stop !== null) return stop;
    return this.dataStop(report, before, true);
  }

  private reportOutput(report: StepReport, single: boolean): void {
    for (const line of report.output)
      this.emit({ kind: 'output', category: 'stdout', text: `${line}\n`, range: report.range });
    if (report.failed) {
      this.failures++;
      const range = report.failureRange ?? report.range;
      this.emit({
        kind: 'output',
        category: 'stderr',
        text: `${this.interpreter.program.file}:${range.start.line + 1}:${range.start.column + 1}: step ${report.index} failed (${report.outcome}): ${report.message ?? ''}\n`,
        range,
      });
    } else if (single && report.outcome !== 'ok') {
      this.emit({
        kind: 'output',
        category: 'console',
        text: `line ${report.range.start.line + 1}: ${report.outcome}${report.faults.length > 0 ? ` (${report.faults.join(', ')})` : ''}\n`,
        range: report.range,
      });
    }
  }

  private exceptionStop(report: StepReport, position: number): StopInfo | null {
    const filter = matchException(report, this.exceptionFilters);
    if (filter === null) return null;
    const what = report.failed ? `Step failed: ${report.outcome}` : `Fault: ${filter}`;
    return {
      reason: 'exception',
      description: what,
      text: report.message ?? report.outcome,
      breakpointIds: [],
      position,
      exception: { filter, report },
      location: report.failureRange ?? report.range,
    };
  }

  /** Data breakpoints touched by the step that led to the current state. */
  private dataStop(
    report: StepReport,
    before: readonly (Uint8Array | null)[],
    countHits: boolean,
  ): StopInfo | null {
    const machine = this.interpreter.machine;
    for (let i = 0; i < this.dataBreakpoints.length; i++) {
      const bp = this.dataBreakpoints[i]!;
      const why = dataChange(machine, bp.target, report.events, before[i] ?? null);
      if (why === null) continue;
      if (bp.condition !== undefined && !this.conditionHolds(bp.condition)) continue;
      if (countHits) {
        bp.hits++;
        if (bp.hitCondition !== undefined && !hitConditionMet(bp.hitCondition, bp.hits)) continue;
      }
      return {
        reason: 'data breakpoint',
        description: `Data breakpoint: ${why}`,
        text: why,
        breakpointIds: [bp.id],
        position: this.position,
        location: report.range,
      };
    }
    return null;
  }

  private conditionHolds(condition: string): boolean {
    const result = this.interpreter.evaluate(condition, 0);
    if ('error' in result) {
      this.emit({
        kind: 'output',
        category: 'stderr',
        text: `breakpoint condition "${condition}": ${result.error}\n`,
      });
      return true;
    }
    return truthy(result.value);
  }

  /** Line breakpoints at the next statement; logpoints print and never stop. */
  private lineStop(atStart: boolean): StopInfo | null {
    const next = this.interpreter.nextStatement();
    if (next === null) return null;
    const line = next.range.start.line;
    const hit: number[] = [];
    for (const bp of this.lineBreakpoints) {
      if (!bp.verified || bp.line !== line) continue;
      if (bp.condition !== undefined && !this.conditionHolds(bp.condition)) continue;
      bp.hits++;
      if (bp.hitCondition !== undefined && !hitConditionMet(bp.hitCondition, bp.hits)) continue;
      if (bp.logMessage !== undefined) {
        this.emit({
          kind: 'output',
          category: 'console',
          text: `${this.interpolate(bp.logMessage)}\n`,
          range: next.range,
        });
        continue;
      }
      hit.push(bp.id);
    }
    if (hit.length === 0) return null;
    return {
      reason: 'breakpoint',
      description: atStart ? 'Breakpoint on the first step' : 'Breakpoint',
      breakpointIds: hit,
      position: this.position,
    };
  }

  /** `{expr}` in a log message becomes the expression's value. */
  interpolate(message: string): string {
    return message.replace(/\{([^{}]+)\}/g, (_, expression: string) => {
      const result = this.interpreter.evaluate(expression, 0);
      return 'error' in result ? `<${result.error}>` : this.interpreter.formatValue(result.value);
    });
  }

  private stopAtEnd(): void {
    if (this.interpreter.finishedReason === 'budget') return this.stopAtBudget();
    const halted = this.interpreter.halted;
    const summary = halted !== null ? `Halted by a kernel panic: ${halted}` : 'End of scenario';
    if (!this.endAnnounced) {
      this.endAnnounced = true;
      this.emit({
        kind: 'output',
        category: 'console',
        text: `${summary}: ${this.timeline.position} steps, ${this.failures} failed.\n`,
      });
    }
    this.stop({ reason: 'step', description: summary, breakpointIds: [], position: this.position });
  }

  /** The step budget is spent: an exception-like stop on the statement that would run next. */
  private stopAtBudget(): void {
    const message = this.interpreter.budgetMessage;
    const statement = this.upcomingStatement();
    if (!this.endAnnounced) {
      this.endAnnounced = true;
      const where =
        statement === null
          ? this.interpreter.program.file
          : `${this.interpreter.program.file}:${statement.range.start.line + 1}:${statement.range.start.column + 1}`;
      this.emit({
        kind: 'output',
        category: 'stderr',
        text: `${where}: ${message}\n`,
        ...(statement === null ? {} : { range: statement.range }),
      });
    }
    this.stop({
      reason: 'exception',
      description: 'Step budget exhausted',
      text: message,
      breakpointIds: [],
      position: this.position,
      budgetExhausted: message,
      ...(statement === null ? {} : { location: statement.range }),
    });
  }

  /** Where the innermost frame stands, even when the run is over (a budget stop). */
  private upcomingStatement(): Statement | null {
    return this.interpreter.frames()[0]?.statement ?? null;
  }

  private end(): void {
    this.emit({ kind: 'ended' });
  }

  private stop(stop: StopInfo): void {
    this.lastStop = stop;
    this.emit({ kind: 'stopped', stop, view: this.timeline.view() });
  }

  /** Runs to the end without stopping (noDebug): failures are still reported. */
  async runToEnd(): Promise<void> {
    await this.going('Running the scenario', async (progress) => {
      while (!this.interpreter.finished) {
        const sliceEnd = performance.now() + SLICE_MS;
        while (!this.interpreter.finished && performance.now() < sliceEnd)
          this.reportOutput(this.timeline.stepForward(), false);
        progress.tick(() => this.whereText());
        await yieldToEventLoop();
        // Only a terminate pauses a run without stops; what follows is dropped with the debugger.
        if (this.pauseRequested) break;
      }
      return () => undefined;
    });
    if (this.interpreter.finishedReason === 'budget') {
      this.failures++;
      this.emit({ kind: 'output', category: 'stderr', text: `${this.interpreter.budgetMessage}\n` });
    }
    const halted = this.interpreter.halted;
    this.emit({
      kind: 'output',
      category: 'console',
      text: `${halted !== null ? `Halted by a kernel panic: ${halted}` : 'End of scenario'}: ${this.timeline.position} steps, ${this.failures} failed.\n`,
    });
    this.end();
  }

  // Going back ------------------------------------------------------------------------------------

  /** One step back, over proc calls like `next`: to the latest earlier position at the same depth or above. */
  stepBack(): void {
    const here = this.position;
    if (here === 0) {
      this.stop({
        reason: 'entry',
        description: 'At the start of the scenario',
        breakpointIds: [],
        position: 0,
      });
      return;
    }
    const depth = this.timeline.depthAt(here) ?? 0;
    let target = here - 1;
    while (target > 0 && (this.timeline.depthAt(target) ?? 0) > depth) target--;
    this.timeline.seek(target);
    this.stop({ reason: 'step', description: 'Stepped back', breakpointIds: [], position: target });
  }

  /**
   * Runs backwards to the latest earlier position where a breakpoint, an exception filter or a data
   * breakpoint would have stopped a forward run, chunk by chunk between checkpoints going back.
   * The compact step log answers for line breakpoints and exception filters; a chunk is replayed
   * only where a stop depends on the state (a condition, a data breakpoint), so conditions are
   * evaluated in the very state of each candidate position. Pause lands between time slices.
   */
  async reverseContinue(): Promise<void> {
    const from = this.position;
    await this.going('Running backwards', async (progress) => {
      const slices = new SearchSlices(
        progress,
        () => this.pauseRequested,
        (position) => ({
          message: `searching back from step ${from.toLocaleString('en-US')}, at ${position.toLocaleString('en-US')}`,
          ...(from > 0 ? { percentage: (100 * (from - position)) / from } : {}),
        }),
      );
      const search: ReverseSearch = { hits: new Map(), slices };
      // Neighbouring chunks share a boundary: the step into it is looked at in the chunk below,
      // the line stop at it in the chunk above (and the one at the very top in the first chunk).
      for (const { lower, upper, first } of chunksDown(this.timeline.checkpointPositions, from - 1)) {
        const found = await this.searchChunk(lower, upper, first, search);
        if (found === 'paused') return () => this.pausedStop();
        if (found !== null) {
          this.timeline.seek(found.position);
          const stop = found.stop ?? this.exceptionStop(this.timeline.lastReport!, found.position)!;
          return () => this.stop(stop);
        }
      }
      this.timeline.seek(0);
      return () =>
        this.stop({
          reason: 'entry',
          description: 'Reached the start of the scenario',
          breakpointIds: [],
          position: 0,
        });
    });
  }

  /**
   * The latest stop in [lower, upper], or null, or 'paused'. Step-based stops (exceptions, data)
   * need the step into the position, so they are looked for at lower+1..upper; line stops at
   * lower..upper-1, and at upper too when it is the top of the search (the upper chunk owns it
   * otherwise). A candidate found from the compact log alone has no stop yet (`stop` undefined:
   * an exception, whose report the seek to it brings).
   */
  private async searchChunk(
    lower: number,
    upper: number,
    ownsUpper: boolean,
    search: ReverseSearch,
  ): Promise<Candidate | null | 'paused'> {
    const compact = await this.compactCandidates(lower, upper, ownsUpper, search);
    if (compact === 'paused') return compact;
    const candidates = compact ?? (await this.replayedCandidates(lower, upper, ownsUpper, search));
    if (candidates === 'paused') return candidates;
    for (let i = candidates.length - 1; i >= 0; i--) {
      const candidate = candidates[i]!;
      const bp = candidate.breakpoint;
      if (bp?.hitCondition !== undefined) {
        const hits = (search.hits.get(bp.id) ?? 0) + 1;
        search.hits.set(bp.id, hits);
        if (!hitConditionMet(bp.hitCondition, hits)) continue;
      }
      return candidate;
    }
    return null;
  }

  /** Line breakpoints that can stop a run, backwards (logpoints never stop). */
  private stoppingLineBreakpoints(): LineBreakpoint[] {
    return this.lineBreakpoints.filter((bp) => bp.verified && bp.logMessage === undefined);
  }

  /**
   * Candidates of a chunk in forward order from the compact log alone, or null when some stop in
   * it depends on the state (a data breakpoint, or a condition on a line that occurs).
   */
  private async compactCandidates(
    lower: number,
    upper: number,
    ownsUpper: boolean,
    search: ReverseSearch,
  ): Promise<Candidate[] | null | 'paused'> {
    if (this.dataBreakpoints.length > 0) return null;
    const lineBreakpoints = this.stoppingLineBreakpoints();
    const out: Candidate[] = [];
    for (let position = lower; position <= upper; position++) {
      if (
        position > lower &&
        matchException(this.timeline.steps.summary(position), this.exceptionFilters) !== null
      )
        out.push({ position });
      if (position < upper || ownsUpper) {
        const line = this.lineFrom(position);
        for (const bp of lineBreakpoints) {
          if (bp.line !== line) continue;
          if (bp.condition !== undefined) return null;
          out.push({ position, breakpoint: bp, stop: lineStopAt(bp, position) });
        }
      }
      if (search.slices.sliceOver && (await search.slices.pausedAt(position))) return 'paused';
    }
    return out;
  }

  /** Candidates of a chunk in forward order, replaying it from its checkpoint. */
  private async replayedCandidates(
    lower: number,
    upper: number,
    ownsUpper: boolean,
    search: ReverseSearch,
  ): Promise<Candidate[] | 'paused'> {
    const out: Candidate[] = [];
    this.timeline.seek(lower);
    const machine = this.interpreter.machine;
    for (let position = lower; ;) {
      if (position < upper || ownsUpper) {
        for (const candidate of this.lineCandidates(position)) out.push(candidate);
      }
      if (position >= upper) break;
      const before = this.dataBreakpoints.map((bp) => captureBytes(machine, bp.target));
      this.timeline.seek(position + 1);
      position++;
      const report = this.timeline.lastReport!;
      const exception = this.exceptionStop(report, position);
      if (exception !== null) out.push({ position, stop: exception });
      for (let i = 0; i < this.dataBreakpoints.length; i++) {
        const bp = this.dataBreakpoints[i]!;
        const why = dataChange(machine, bp.target, report.events, before[i] ?? null);
        if (why === null || (bp.condition !== undefined && !this.conditionHolds(bp.condition))) continue;
        out.push({
          position,
          breakpoint: bp,
          stop: {
            reason: 'data breakpoint',
            description: `Data breakpoint: ${why}`,
            text: why,
            breakpointIds: [bp.id],
            position,
            location: report.range,
          },
        });
      }
      if (search.slices.sliceOver && (await search.slices.pausedAt(position))) return 'paused';
    }
    return out;
  }

  private lineCandidates(position: number): Candidate[] {
    const next = this.interpreter.nextStatement();
    if (next === null) return [];
    const out: Candidate[] = [];
    for (const bp of this.stoppingLineBreakpoints()) {
      if (bp.line !== next.range.start.line) continue;
      if (bp.condition !== undefined && !this.conditionHolds(bp.condition)) continue;
      out.push({ position, breakpoint: bp, stop: lineStopAt(bp, position) });
    }
    return out;
  }

  // Changes of a thing ----------------------------------------------------------------------------

  /**
   * Travels to the previous or the next change of a thing in the recorded history (changeSearch.ts):
   * `previous` to just before the latest step at or below the current position that changed it (so
   * that step runs next, and asking again goes further back), `next` to just after the earliest step
   * above it (the top frame points at that step, as for a data breakpoint). Either is a `goto` stop.
   * The search itself never moves the session: without a change, or when paused, the session stays
   * where it was (a pause still stops, with reason `pause`). `answer` is called once, before the
   * stop that follows, so that a client hears the answer to its request first.
   */
  async findChange(
    thing: Thing,
    direction: ChangeDirection,
    answer: (answer: ChangeAnswer) => void,
  ): Promise<void> {
    const probe = this.probeForSearch(thing, answer);
    if (probe === null) return;
    const from = this.position;
    const label = describeThing(thing);
    await this.going(`Looking for the ${direction} change of ${label}`, async (progress) => {
      const slices = this.searchSlices(progress, direction, from);
      const found = await findChange(this.timeline, probe, direction, from, slices);
      if (found === 'paused') {
        const message = `The search for the ${direction} change of ${label} was paused; the session stays at step ${from}.`;
        return () => {
          answer({ kind: 'paused', message });
          this.pausedStop();
        };
      }
      if (found === null) {
        const none: ChangeAnswer = { kind: 'none', message: this.noChangeMessage(label, direction, from) };
        return () => answer(none);
      }
      const stop = this.travelToChange(found, direction, label, probe);
      return () => {
        answer({ kind: 'found', step: found.step, position: stop.position });
        this.stop(stop);
      };
    });
  }

  /**
   * "Why is it so?": the chain of changes that produced the thing's value at the current position
   * (changeChain.ts), at most `limit` links. Like the change search it never moves the session, runs
   * in time slices and stops at a pause (the session then stops with reason `pause` where it was).
   * `answer` is called once, before any stop.
   */
  async explain(thing: Thing, limit: number, answer: (answer: ExplainAnswer) => void): Promise<void> {
    const probe = this.probeForSearch(thing, answer);
    if (probe === null) return;
    const from = this.position;
    const label = describeThing(thing);
    const source = { machine: this.interpreter.machine, sourceText: this.interpreter.sourceText };
    await this.going(`Finding out why ${label} is so`, async (progress) => {
      const slices = this.searchSlices(progress, 'previous', from);
      const chain = await changeChain(this.timeline, probe, thing, from, limit, source, slices);
      if (chain === 'paused') {
        const message = `The search for why ${label} is so was paused; the session stays at step ${from}.`;
        return () => {
          answer({ kind: 'paused', message });
          this.pausedStop();
        };
      }
      return () => answer({ kind: 'found', chain });
    });
  }

  /**
   * How a search of the history reads the thing, at the current position; null once the thing was
   * refused through `answer` (it does not exist here, say).
   */
  private probeForSearch(
    thing: Thing,
    answer: (refused: { kind: 'refused'; message: string }) => void,
  ): ThingProbe | null {
    if (this.running) throw new Error('the scenario is already running');
    const probe = probeOf(thing, this.interpreter.machine);
    if (!('error' in probe)) return probe;
    answer({ kind: 'refused', message: `${probe.error}.` });
    return null;
  }

  /** The time slices of a search from `from` towards `direction`, ended by a pause. */
  private searchSlices(progress: RunProgress, direction: ChangeDirection, from: number): SearchSlices {
    return new SearchSlices(
      progress,
      () => this.pauseRequested,
      (position) => this.changeSearchWhere(direction, from, position),
    );
  }

  /** Seeks to where a found change is shown and makes its stop. */
  private travelToChange(
    found: FoundChange,
    direction: ChangeDirection,
    label: string,
    probe: ThingProbe,
  ): StopInfo {
    const position = direction === 'previous' ? found.step - 1 : found.step;
    this.timeline.seek(position);
    const text = changeText(probe, found.before, found.after);
    return {
      reason: 'goto',
      description: `${direction === 'previous' ? 'Previous' : 'Next'} change of ${label}: step ${found.step}`,
      text,
      breakpointIds: [],
      position,
      ...(direction === 'next' ? { location: this.timeline.lastReport!.range } : {}),
    };
  }

  private changeSearchWhere(direction: ChangeDirection, from: number, position: number): SearchWhere {
    const furthest = this.timeline.furthest;
    const done = direction === 'previous' ? from - position : position - from;
    const span = direction === 'previous' ? from : furthest - from;
    return {
      message: `${direction === 'previous' ? 'back' : 'on'} from step ${from.toLocaleString('en-US')}, at ${position.toLocaleString('en-US')}`,
      ...(span > 0 ? { percentage: (100 * done) / span } : {}),
    };
  }

  private noChangeMessage(label: string, direction: ChangeDirection, from: number): string {
    if (direction === 'previous')
      return from === 0
        ? `No step has run yet, so nothing changed ${label}.`
        : `No step changed ${label} from the start to step ${from}.`;
    const furthest = this.timeline.furthest;
    // The step log knows whether the run ended there, wherever the session stands now.
    const beyond =
      this.timeline.statementFrom(furthest) < 0
        ? 'where the run ended'
        : 'the furthest step recorded; run on to look further';
    return furthest === from
      ? `Step ${from} is ${beyond}: no step after it can have changed ${label}.`
      : `No step after step ${from} changed ${label}, up to step ${furthest}, ${beyond}.`;
  }

  // Goto ------------------------------------------------------------------------------------------

  /** Positions already reached whose next statement starts on `line` (latest last). */
  /**
   * The positions on `line` nearest the current one (at most `limit`, in order) and how many there
   * are in all: a loop line after a million steps has a million, and a client needs a few.
   */
  gotoTargets(line: number, limit: number): { positions: number[]; total: number } {
    const here = this.timeline.position;
    const furthest = this.timeline.furthest;
    const positions: number[] = [];
    let total = 0;
    for (let position = 0; position <= furthest; position++) if (this.lineFrom(position) === line) total++;
    // Outwards from here, nearer first, until enough are found.
    for (let distance = 0; positions.length < Math.min(limit, total); distance++) {
      if (here - distance >= 0 && this.lineFrom(here - distance) === line) positions.push(here - distance);
      if (distance > 0 && here + distance <= furthest && this.lineFrom(here + distance) === line)
        positions.push(here + distance);
    }
    return { positions: positions.slice(0, limit).sort((a, b) => a - b), total };
  }

  goto(position: number): void {
    this.timeline.seek(position);
    this.stop({ reason: 'goto', description: `Jumped to step ${position}`, breakpointIds: [], position });
  }

  /** Applies a user change at the current position (memory writes). */
  edit(change: (interpreter: ScenarioInterpreter) => void): void {
    this.timeline.edit(change);
    this.endAnnounced = false;
    this.emit({ kind: 'memoryChanged', view: this.timeline.view() });
  }
}
