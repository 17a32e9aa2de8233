// The scenario interpreter: a step machine over the checked program. One statement is one step;
// a proc call pushes a frame for the proc's body and a `repeat` pushes one frame per iteration,
// which is the call stack a debugger shows. A step never throws for scenario mistakes: it ends in
// an outcome (docs/language-guide.md, Outcomes), and a failed step carries a message and the range it points at.

import {
  BootError,
  Machine,
  type MachineOptions,
  type MemoryEvent,
  SimulationLimit,
  type UndoLog,
} from '../engine';
import { noteArray, noteMapKey, noteObject } from '../engine/UndoLog';
import type { AccessResult, Width } from '../engine/Machine';
import { fileSizeProblem } from '../engine/FileSystem';
import type { MemoryMapEntry as EngineMemoryMapEntry } from '../engine/MemoryManager';
import type {
  Assertion,
  CallExpression,
  Expression,
  ProcStatement,
  Program,
  RepeatStatement,
  Setting,
  Statement,
} from './ast';
import { isStep } from './ast';
import { PROCESS_OPTIONS } from './api';
import { type CheckResult, checkSource, hasErrors } from './checker';
import {
  CrashSignal,
  dataBytes,
  Evaluator,
  PanicSignal,
  RuntimeError,
  type Scope,
  type StepEffects,
  truthy,
  valuesEqual,
} from './evaluator';
import type { MachineConfig } from './machine';
import { parseExpression } from './parser';
import type { Diagnostic, Range } from './source';
import { formatInteger, formatValue, integer, type Value } from './values';

export type { Value } from './values';

/** What one step did. */
export interface StepReport {
  /** How many steps have run, this one included (1-based). */
  readonly index: number;
  readonly statement: Statement;
  readonly range: Range;
  /**
   * `ok`, a handled fault (`zero_fault`, `cow_fault`, `inode_fault`), `crash`, `oom`, `bus_error`,
   * `panic`, an errno, or `failed` (a failed `expect` or a runtime error).
   */
  readonly outcome: string;
  /** Faults handled with Continue during the step, in order. */
  readonly faults: readonly string[];
  readonly failed: boolean;
  readonly message: string | null;
  readonly failureRange: Range | null;
  readonly events: MemoryEvent[];
  readonly output: string[];
  /** The value the step produced: the value read, bound or computed; null when none. */
  readonly value: Value | null;
}

export type FrameKind = 'scenario' | 'proc' | 'loop';

export interface FrameInfo {
  /** Stable while the frame lives; a new loop iteration is a new frame. */
  readonly id: number;
  readonly kind: FrameKind;
  readonly name: string;
  /** Where the frame is: the statement it runs next, or the call it waits on. */
  readonly statement: Statement | null;
  readonly locals: ReadonlyArray<readonly [string, Value]>;
}

export interface InterpreterOptions {
  /** Overrides the `machine seed=` of the file. */
  readonly seed?: number;
  /**
   * Work after which a run stops as a runaway (default 1,000,000): every step counts one, and so
   * does every iteration of a loop whose body has no step (which would otherwise spin unseen).
   */
  readonly stepBudget?: number;
}

export type StartResult =
  | { readonly interpreter: Interpreter; readonly diagnostics: Diagnostic[] }
  | { readonly interpreter: null; readonly diagnostics: Diagnostic[] };

/**
 * The part of the interpreter's state that changes while it runs; checkpointed with the machine.
 * Every change to it is noted in the engine's undo journal first (the state object, the frames
 * array, a frame, a binding), so that one undo log takes a step back, machine and run state alike,
 * keeping every object, and a step records only what it changed.
 */
interface RunState {
  globals: Map<string, Value>;
  frames: FrameState[];
  stepCount: number;
  /** Steps plus iterations of loops without steps: what the step budget counts. */
  work: number;
  nextFrameId: number;
  finishedReason: 'end' | 'panic' | 'budget' | null;
  /**
   * A loop without steps in its body was left running after SETTLE_CHUNK iterations: the next
   * step goes on with it. Its iterations are bounded per step so that a debugger stays responsive.
   */
  settling: boolean;
}

interface FrameState {
  id: number;
  kind: FrameKind;
  block: number;
  pc: number;
  name: string;
  locals: Map<string, Value>;
  /** The statement in the parent frame that created this frame (a proc call or a repeat). */
  callSite: number;
  loopVariable: string | null;
  loopValue: bigint;
  loopEnd: bigint;
  loopStart: bigint;
}

export type InterpreterSnapshot = ReturnType<Machine['checkpoint']> & { readonly __interpreter?: never };

/** What takes one recorded change back: the undo log of the machine and the run state together. */
export interface InterpreterUndo {
  readonly log: UndoLog;
}

/** What takes an undo back (see `undoKeepingRedo`). */
export interface InterpreterRedo {
  readonly log: UndoLog;
}

const DEFAULT_STEP_BUDGET = 1_000_000;

/**
 * Iterations of a loop without steps run within one step at most. A few milliseconds' worth: the
 * debugger's run loop regains control between steps, so a pause lands even in `repeat i in 0..2^64 {}`.
 */
const SETTLE_CHUNK = 65_536;

const TOP_BLOCK = 0;

/** The program's statement blocks, built once; frames refer to them by number so checkpoints stay small. */
class BlockTable {
  readonly blocks: (readonly Statement[])[] = [];
  readonly blockOf = new Map<Statement, number>();
  readonly statements: Statement[] = [];
  readonly statementIds = new Map<Statement, number>();
  readonly procs = new Map<string, ProcStatement>();
  /** Per block: whether any of its statements is a step. */
  readonly hasSteps: boolean[] = [];

  constructor(program: Program) {
    this.add(program.statements);
  }

  private add(statements: readonly Statement[]): number {
    const id = this.blocks.length;
    this.blocks.push(statements);
    this.hasSteps.push(statements.some(isStep));
    for (const statement of statements) {
      this.statementIds.set(statement, this.statements.length);
      this.statements.push(statement);
      if (statement.kind === 'proc') {
        this.procs.set(statement.name.name, statement);
        this.blockOf.set(statement, this.add(statement.body));
      } else if (statement.kind === 'repeat') {
        this.blockOf.set(statement, this.add(statement.body));
      }
    }
    return id;
  }
}

export class Interpreter {
  private state: RunState;
  private readonly table: BlockTable;
  private readonly stepBudget: number;

  private constructor(
    /** The scenario text the statements' ranges point into. */
    readonly sourceText: string,
    readonly program: Program,
    readonly machine: Machine,
    readonly config: MachineConfig,
    options: InterpreterOptions,
    shared?: { table: BlockTable; state: RunState },
  ) {
    this.stepBudget = options.stepBudget ?? DEFAULT_STEP_BUDGET;
    if (shared !== undefined) {
      this.table = shared.table;
      this.state = shared.state;
      return;
    }
    this.table = new BlockTable(program);
    this.state = {
      globals: new Map(),
      frames: [this.newFrame('scenario', TOP_BLOCK, 'scenario', -1)],
      stepCount: 0,
      work: 0,
      nextFrameId: 2,
      finishedReason: null,
      settling: false,
    };
    this.settle();
  }

  /** Checks the scenario, boots its machine and stands before the first step. */
  static start(text: string, file: string, options: InterpreterOptions = {}): StartResult {
    return Interpreter.fromCheck(checkSource(text, file), options);
  }

  /** Boots the machine of an already checked scenario and stands before its first step. */
  static fromCheck(checked: CheckResult, options: InterpreterOptions = {}): StartResult {
    const file = checked.source.name;
    const text = checked.source.text;
    if (hasErrors(checked.diagnostics)) return { interpreter: null, diagnostics: checked.diagnostics };
    let machine: Machine;
    try {
      machine = Machine.boot(machineOptions(checked.machine, options));
    } catch (e) {
      if (!(e instanceof BootError)) throw e;
      const machineLine = checked.program.statements.find((s) => s.kind === 'machine' || s.kind === 'memory');
      const range = machineLine?.range ?? checked.program.range;
      const diagnostic: Diagnostic = {
        file,
        range,
        severity: 'error',
        message: `The machine cannot boot: ${e.message}`,
        code: 'boot-failed',
      };
      return { interpreter: null, diagnostics: [...checked.diagnostics, diagnostic] };
    }
    return {
      interpreter: new Interpreter(text, checked.program, machine, checked.machine, options),
      diagnostics: checked.diagnostics,
    };
  }

  // State ----------------------------------------------------------------------------------------

  /** No step is left: the end of the file, a panic, or the step budget. */
  get finished(): boolean {
    return this.state.finishedReason !== null;
  }

  get finishedReason(): 'end' | 'panic' | 'budget' | null {
    return this.state.finishedReason;
  }

  get halted(): string | null {
    return this.machine.halted;
  }

  get stepCount(): number {
    return this.state.stepCount;
  }

  /** The statement the next `step()` runs, or null when finished (a loop left running: its `repeat`). */
  nextStatement(): Statement | null {
    return this.finished ? null : this.upcoming();
  }

  /** Where the innermost frame stands, finished or not. */
  private upcoming(): Statement | null {
    const frame = this.top();
    if (this.state.settling) return this.table.statements[frame.callSite] ?? null;
    return this.table.blocks[frame.block]?.[frame.pc] ?? null;
  }

  /** The statement's number in the program (stable for the program's life), or -1. */
  statementIndex(statement: Statement): number {
    return this.table.statementIds.get(statement) ?? -1;
  }

  /** The statement with that number, if any. */
  statementAt(index: number): Statement | undefined {
    return this.table.statements[index];
  }

  /** Innermost first. */
  frames(): FrameInfo[] {
    const frames = this.state.frames;
    const out: FrameInfo[] = [];
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i]!;
      const child = frames[i + 1];
      const statement =
        child !== undefined ? (this.table.statements[child.callSite] ?? null) : this.upcoming();
      out.push({
        id: frame.id,
        kind: frame.kind,
        name: frameName(frame),
        statement,
        locals: [...frame.locals],
      });
    }
    return out;
  }

  /** Proc frames on the stack (what `next` and step back compare), without building FrameInfos. */
  procDepth(): number {
    let n = 0;
    for (const frame of this.state.frames) if (frame.kind === 'proc') n++;
    return n;
  }

  globals(): ReadonlyArray<readonly [string, Value]> {
    return [...this.state.globals];
  }

  /** Saves the interpreter and its machine together (handles stay consistent). */
  snapshot(): InterpreterSnapshot {
    return this.machine.checkpoint(this.state) as InterpreterSnapshot;
  }

  restore(snapshot: InterpreterSnapshot): void {
    this.state = this.machine.restore(snapshot) as RunState;
  }

  /**
   * A second interpreter of the same program, standing in the state of `snapshot` on a machine of
   * its own: a past state to replay and look at while this one stays where it is.
   */
  spawn(snapshot: InterpreterSnapshot): Interpreter {
    const { machine, extra } = Machine.fromCheckpoint(snapshot);
    return new Interpreter(
      this.sourceText,
      this.program,
      machine,
      this.config,
      { stepBudget: this.stepBudget },
      { table: this.table, state: extra as RunState },
    );
  }

  /**
   * Runs `change` (a step, or an edit of the machine) so that `undo` can take it back at a cost
   * that follows what it changed. Undo records newest first.
   */
  recordUndoable<T>(change: () => T): { result: T; undo: InterpreterUndo } {
    let result: T | undefined;
    const log = this.machine.recordUndo(() => {
      result = change();
    });
    return { result: result as T, undo: { log } };
  }

  undo(record: InterpreterUndo): void {
    this.machine.undo(record.log);
  }

  /**
   * Like `undo`, but the record stays usable and the returned redo takes the undo back with the
   * very objects there were before: a look at the earlier state that leaves every handle valid.
   */
  undoKeepingRedo(record: InterpreterUndo): InterpreterRedo {
    return { log: this.machine.undoKeepingRedo(record.log) };
  }

  redo(redo: InterpreterRedo): void {
    this.machine.undo(redo.log);
  }

  formatValue(value: Value): string {
    return formatValue(value);
  }

  /**
   * Evaluates an expression in a frame (0 = innermost) without changing anything: inspection
   * functions, members, arithmetic and bindings only.
   */
  evaluate(text: string, frameIndex = 0): { value: Value } | { error: string } {
    const parsed = parseExpression(text, '<evaluate>');
    if (parsed.expression === undefined || parsed.diagnostics.length > 0)
      return { error: parsed.diagnostics[0]?.message ?? 'The expression does not parse.' };
    const depth = this.state.frames.length - 1 - frameIndex;
    if (depth < 0 || frameIndex < 0) return { error: `There is no frame ${frameIndex}.` };
    const effects: StepEffects = { errno: null, faults: [] };
    const evaluator = new Evaluator({
      machine: this.machine,
      scope: this.scopeAt(depth),
      effects,
      inspectionOnly: true,
    });
    try {
      return { value: evaluator.evaluate(parsed.expression) };
    } catch (e) {
      if (e instanceof RuntimeError || e instanceof PanicSignal || e instanceof SimulationLimit)
        return { error: e.message };
      throw e;
    }
  }

  // Stepping -------------------------------------------------------------------------------------

  /** Runs exactly one step. */
  step(): StepReport {
    const statement = this.nextStatement();
    if (statement === null) throw new Error('step() after the scenario finished');
    noteObject(this.state);
    noteArray(this.state.frames);
    if (this.state.settling) return this.goOnSettling(statement);
    const frame = this.top();
    noteObject(frame);
    frame.pc++;
    this.state.stepCount++;
    this.state.work++;
    const effects: StepEffects = { errno: null, faults: [] };
    const output: string[] = [];
    let value: Value | null = null;
    let failure: { outcome: string; message: string; range: Range } | null = null;
    let terminal: string | null = null;
    let crashReason: string | null = null;
    try {
      const result = this.execute(statement, effects, output);
      value = result.value;
      terminal = result.terminal ?? effects.errno;
      if (result.failure !== undefined) failure = { outcome: 'failed', ...result.failure };
    } catch (e) {
      if (e instanceof RuntimeError) failure = { outcome: 'failed', message: e.message, range: e.range };
      else if (e instanceof SimulationLimit)
        failure = { outcome: 'failed', message: e.message, range: statement.range };
      else if (e instanceof PanicSignal) terminal = 'panic';
      else if (e instanceof CrashSignal) {
        terminal = 'crash';
        crashReason = e.reason;
      } else throw e;
    }
    const events = this.machine.takeEvents();
    if (terminal === 'panic') this.state.finishedReason = 'panic';
    let report: StepReport;
    if (failure !== null) {
      report = this.report(
        statement,
        failure.outcome,
        effects.faults,
        events,
        output,
        value,
        failure.message,
        failure.range,
      );
    } else {
      const outcome = terminal ?? effects.faults[0] ?? 'ok';
      const verdict = this.judge(statement, terminal, effects.faults, value, crashReason);
      const message = verdict;
      report = this.report(
        statement,
        outcome,
        effects.faults,
        events,
        output,
        value,
        message,
        message === null ? null : (statement.assertion?.range ?? statement.range),
      );
    }
    if (!this.finished) this.settle();
    this.checkBudget();
    return report;
  }

  /** A step that goes on with a loop without steps (see RunState.settling); it reports its `repeat`. */
  private goOnSettling(statement: Statement): StepReport {
    this.state.stepCount++;
    this.state.work++;
    this.settle();
    this.checkBudget();
    return this.report(statement, 'ok', [], this.machine.takeEvents(), [], null, null, null);
  }

  private checkBudget(): void {
    if (!this.finished && this.state.work >= this.stepBudget) this.state.finishedReason = 'budget';
  }

  /** Why the run stopped early, as a failed-step message, when it hit the step budget. */
  get budgetMessage(): string {
    return `The step budget of ${this.stepBudget} steps is exhausted (a runaway loop?); the run stops here.`;
  }

  /** The step budget this run has (see InterpreterOptions.stepBudget). */
  get budget(): number {
    return this.stepBudget;
  }

  private report(
    statement: Statement,
    outcome: string,
    faults: readonly string[],
    events: MemoryEvent[],
    output: string[],
    value: Value | null,
    message: string | null,
    failureRange: Range | null,
  ): StepReport {
    return {
      index: this.state.stepCount,
      statement,
      range: statement.range,
      outcome,
      faults,
      failed: message !== null,
      message,
      failureRange: message === null ? null : failureRange,
      events,
      output,
      value,
    };
  }

  /** Without `=>` a step must end ok or with handled faults; with `=>` it must match. */
  private judge(
    statement: Statement,
    terminal: string | null,
    faults: readonly string[],
    value: Value | null,
    crashReason: string | null,
  ): string | null {
    const assertion = statement.assertion;
    if (assertion === undefined) {
      if (terminal === null) return null;
      if (terminal === 'panic') return `Kernel panic: ${this.machine.halted ?? ''}`;
      // A crash at syscall entry says why here; an access crash tells it through its fault event.
      const why =
        crashReason === null ? describeTerminal(terminal) : ` (${crashReason}; the process is dead)`;
      return `The step ended in ${terminal}${why}; add '=> ${terminal}' if that is expected.`;
    }
    return this.checkAssertion(assertion, terminal, faults, value);
  }

  private checkAssertion(
    assertion: Assertion,
    terminal: string | null,
    faults: readonly string[],
    value: Value | null,
  ): string | null {
    const observed = terminal !== null ? [...faults, terminal] : faults.length > 0 ? [...faults] : ['ok'];
    const describe = observed.join(', ');
    const names = assertion.items
      .filter((i) => i.kind === 'outcome')
      .map((i) => (i.kind === 'outcome' ? i.name.name : ''));
    for (const name of names) {
      if (!observed.includes(name)) return `Expected ${name}, but the step ended in ${describe}.`;
    }
    if (terminal !== null && !names.includes(terminal))
      return `Expected ${names.length > 0 ? names.join(', ') : 'ok or a handled fault'}, but the step ended in ${describe}.`;
    for (const item of assertion.items) {
      if (item.kind !== 'value') continue;
      const expected = this.evaluateIn(item.value);
      if (value === null)
        return `Expected the value ${formatValue(expected)}, but the step produced no value.`;
      if (!valuesEqual(value, expected))
        return `Expected the value ${formatValue(expected)}, but it is ${formatValue(value)}.`;
    }
    return null;
  }

  private evaluateIn(expression: Expression): Value {
    const effects: StepEffects = { errno: null, faults: [] };
    return new Evaluator({
      machine: this.machine,
      scope: this.scopeAt(this.state.frames.length - 1),
      effects,
      inspectionOnly: true,
    }).evaluate(expression);
  }

  private execute(
    statement: Statement,
    effects: StepEffects,
    output: string[],
  ): { value: Value | null; terminal?: string | null; failure?: { message: string; range: Range } } {
    const scope = this.scopeAt(this.state.frames.length - 1);
    const evaluator = (bindingName?: string): Evaluator =>
      new Evaluator({
        machine: this.machine,
        scope,
        effects,
        inspectionOnly: false,
        ...(bindingName === undefined ? {} : { bindingName }),
      });
    switch (statement.kind) {
      case 'let': {
        const value = evaluator(statement.name.name).evaluate(statement.value);
        this.define(statement.name.name, value);
        return { value };
      }
      case 'expression': {
        const call = procCall(statement.expression, this.table.procs);
        if (call !== null) return this.callProc(call.proc, call.expression, evaluator());
        return { value: evaluator().evaluate(statement.expression) };
      }
      case 'process':
        return this.createProcess(statement.name.name, statement.options, evaluator());
      case 'fork': {
        const parent = evaluator().liveProcess(
          this.lookupName(statement.parent.name, statement.parent.range),
          statement.parent.range,
        );
        const r = this.machine.fork(parent, statement.child.name);
        if (r.kind === 'panic') throw new PanicSignal(r.message);
        if (r.kind === 'crash') throw new CrashSignal(r.message);
        if (r.kind === 'errno') return { value: { kind: 'error', errno: r.errno }, terminal: r.errno };
        const value: Value = { kind: 'process', process: r.value };
        this.defineGlobal(statement.child.name, value);
        return { value };
      }
      case 'exit': {
        const process = evaluator().liveProcess(
          this.lookupName(statement.process.name, statement.process.range),
          statement.process.range,
        );
        const r = this.machine.exit(process);
        if (r.kind === 'panic') throw new PanicSignal(r.message);
        return { value: null, terminal: r.kind === 'errno' ? r.errno : null };
      }
      case 'set_sp': {
        const ev = evaluator();
        const process = ev.liveProcess(
          this.lookupName(statement.process.name, statement.process.range),
          statement.process.range,
        );
        const sp = ev.asInteger(ev.evaluate(statement.address), statement.address.range);
        if (process.stackRegion === null)
          throw new RuntimeError(
            `${process.name} has no thread stack, so it has no stack pointer to move; create it with stack=SIZE.`,
            statement.process.range,
          );
        // Any 64-bit value is a stack pointer; only one beyond the user range cannot be a stack
        // address, and those all fail the same way, so they are held as the first such address.
        const r = this.machine.setStackPointer(
          process,
          sp > 0xffff_ffff_ffffn ? 0x1_0000_0000_0000 : Number(sp),
        );
        if (r.kind === 'panic') throw new PanicSignal(r.message);
        return { value: null };
      }
      case 'file': {
        const ev = evaluator();
        const size = settingInteger(statement.options, 'size', ev);
        const fill = settingInteger(statement.options, 'fill', ev) ?? 0n;
        if (size === undefined) throw new RuntimeError('A file needs size=SIZE.', statement.range);
        if (fill > 0xffn)
          throw new RuntimeError(`fill=${formatInteger(fill)} is not a byte (0..255).`, statement.range);
        const sizeProblem = fileSizeProblem(size);
        if (sizeProblem !== null) throw new RuntimeError(sizeProblem, statement.range);
        this.machine.createFile(statement.path.value, Number(size), Number(fill));
        return { value: null };
      }
      case 'write':
      case 'read':
      case 'exec':
        return this.access(statement, evaluator(), effects);
      case 'print': {
        const ev = evaluator();
        const parts = statement.values.map((e) => {
          const v = ev.evaluate(e);
          return v.kind === 'string' ? v.value : formatValue(v);
        });
        output.push(parts.join(' '));
        return { value: null };
      }
      case 'expect': {
        const ev = evaluator();
        const value = ev.evaluate(statement.condition);
        if (truthy(value)) return { value };
        return {
          value,
          failure: {
            message: this.explainExpectation(statement.condition, ev),
            range: statement.condition.range,
          },
        };
      }
      case 'repeat':
        return this.enterLoop(statement, evaluator());
      default:
        return { value: null };
    }
  }

  private explainExpectation(condition: Expression, evaluator: Evaluator): string {
    const text = (e: Expression): string => this.textOf(e.range);
    if (condition.kind === 'binary' && ['==', '!=', '<', '<=', '>', '>='].includes(condition.operator)) {
      const left = evaluator.evaluate(condition.left);
      const right = evaluator.evaluate(condition.right);
      return `Expectation failed: ${text(condition)} — the left side is ${formatValue(left)}, the right side ${formatValue(right)}.`;
    }
    return `Expectation failed: ${text(condition)} is ${formatValue(evaluator.evaluate(condition))}.`;
  }

  private textOf(range: Range): string {
    return this.sourceText.slice(range.start.offset, range.end.offset);
  }

  private createProcess(
    name: string,
    options: readonly Setting[],
    evaluator: Evaluator,
  ): { value: Value; terminal?: string } {
    const stack = settingInteger(options, 'stack', evaluator);
    // An option the line does not name takes its default from the API table.
    const flag = (key: string): boolean => {
      const setting = options.find((s) => s.key.name === key);
      if (setting !== undefined) return truthy(evaluator.evaluate(setting.value));
      return PROCESS_OPTIONS[key]?.default === 'true';
    };
    const processOptions: Record<string, number | boolean> = {};
    if (stack !== undefined) processOptions['stackSize'] = Number(stack);
    processOptions['axAllowed'] = flag('ax_allowed');
    processOptions['wxAllowed'] = flag('wx_allowed');
    processOptions['noWToX'] = flag('no_w_to_x');
    const r = this.machine.createProcess(name, processOptions);
    if (r.kind === 'panic') throw new PanicSignal(r.message);
    if (r.kind === 'crash') throw new CrashSignal(r.message);
    if (r.kind === 'errno') return { value: { kind: 'error', errno: r.errno }, terminal: r.errno };
    const value: Value = { kind: 'process', process: r.value };
    this.defineGlobal(name, value);
    return { value };
  }

  private access(
    statement: Statement & { kind: 'write' | 'read' | 'exec' },
    evaluator: Evaluator,
    effects: StepEffects,
  ): { value: Value | null; terminal: string | null } {
    const spaceValue = this.lookupName(statement.space.name, statement.space.range);
    const target = evaluator.target(spaceValue, statement.space.range);
    const address = Number(
      evaluator.asInteger(evaluator.evaluate(statement.address), statement.address.range),
    );
    let result: AccessResult;
    if (statement.kind === 'write') {
      const value = evaluator.evaluate(statement.value);
      if (value.kind === 'string') {
        if (statement.width !== undefined)
          throw new RuntimeError('A string is written byte by byte; drop the width.', statement.width.range);
        result = this.machine.write(target, address, dataBytes(value, statement.value.range));
      } else {
        const width = widthOf(statement.width?.width);
        const v = evaluator.asInteger(value, statement.value.range);
        if (v >= 1n << BigInt(8 * width))
          throw new RuntimeError(
            `${formatInteger(v)} does not fit in ${statement.width?.width ?? 'u8'}; name a wider width with 'as'.`,
            statement.value.range,
          );
        // Small values go to the engine as plain numbers, which it stores without bigint work.
        result = this.machine.write(target, address, width <= 4 ? Number(v) : v, width);
      }
    } else if (statement.kind === 'read') {
      result = this.machine.read(target, address, widthOf(statement.width?.width));
    } else {
      result = this.machine.exec(target, address);
    }
    effects.faults.push(...result.handled);
    if (result.status === 'panic') throw new PanicSignal(result.message ?? 'panic');
    const terminal = result.status === 'ok' ? null : result.status;
    return { value: result.value === null ? null : integer(result.value), terminal };
  }

  private enterLoop(statement: RepeatStatement, evaluator: Evaluator): { value: Value | null } {
    const from = evaluator.asInteger(evaluator.evaluate(statement.from), statement.from.range);
    const to = evaluator.asInteger(evaluator.evaluate(statement.to), statement.to.range);
    if (from < to) this.pushIteration(statement, from, from, to);
    return { value: null };
  }

  /** The next iteration of a loop without steps, in the frame it had (nothing else can see it). */
  private nextIterationInPlace(frame: FrameState): void {
    noteObject(frame);
    noteMapKey(frame.locals, frame.loopVariable!);
    frame.loopValue++;
    frame.id = this.state.nextFrameId++;
    frame.pc = 0;
    frame.locals.set(frame.loopVariable!, integer(frame.loopValue));
  }

  private pushIteration(statement: RepeatStatement, value: bigint, start: bigint, end: bigint): void {
    const block = this.table.blockOf.get(statement)!;
    const name = statement.variable.name;
    const frame = this.newFrame('loop', block, '', this.table.statementIds.get(statement)!);
    frame.loopVariable = name;
    frame.loopValue = value;
    frame.loopStart = start;
    frame.loopEnd = end;
    frame.locals.set(name, integer(value));
    this.state.frames.push(frame);
  }

  private callProc(proc: ProcStatement, call: CallExpression, evaluator: Evaluator): { value: Value | null } {
    if (call.args.length !== proc.params.length)
      throw new RuntimeError(
        `${proc.name.name} takes ${proc.params.length} arguments, got ${call.args.length}.`,
        call.argsRange,
      );
    const args = call.args.map((a) => evaluator.evaluate(a.value));
    const block = this.table.blockOf.get(proc)!;
    const label = `${proc.name.name}(${args.map((a) => shortValue(a)).join(', ')})`;
    const callSite = this.table.statementIds.get(this.nextStatementBefore())!;
    const frame = this.newFrame('proc', block, label, callSite);
    proc.params.forEach((param, i) => frame.locals.set(param.name, args[i]!));
    if (this.state.frames.filter((f) => f.kind === 'proc').length >= 256)
      throw new RuntimeError('Proc calls nest more than 256 deep (runaway recursion?).', call.range);
    this.state.frames.push(frame);
    return { value: null };
  }

  /** The statement the current step runs (its frame's pc was already advanced). */
  private nextStatementBefore(): Statement {
    const frame = this.top();
    return this.table.blocks[frame.block]![frame.pc - 1]!;
  }

  /**
   * Moves past finished frames and non-step statements so the next step is known. Iterations of a
   * loop without steps count against the budget, and after SETTLE_CHUNK of them the loop is left
   * running for the next step to go on with.
   */
  private settle(): void {
    const state = this.state;
    state.settling = false;
    let chunk = SETTLE_CHUNK;
    for (;;) {
      const frame = this.top();
      const block = this.table.blocks[frame.block]!;
      if (frame.pc < block.length && !isStep(block[frame.pc]!)) noteObject(frame);
      while (frame.pc < block.length && !isStep(block[frame.pc]!)) frame.pc++;
      if (frame.pc < block.length) return;
      if (frame.kind === 'scenario') {
        state.finishedReason = 'end';
        return;
      }
      if (frame.kind === 'loop' && !this.table.hasSteps[frame.block]!) {
        state.work++;
        if (state.work >= this.stepBudget && frame.loopValue + 1n < frame.loopEnd) {
          state.finishedReason = 'budget';
          return;
        }
        if (frame.loopValue + 1n < frame.loopEnd) {
          this.nextIterationInPlace(frame);
          if (--chunk > 0) continue;
          state.settling = true;
          return;
        }
      }
      this.state.frames.pop();
      if (frame.kind === 'loop' && frame.loopValue + 1n < frame.loopEnd) {
        const statement = this.table.statements[frame.callSite] as RepeatStatement;
        this.pushIteration(statement, frame.loopValue + 1n, frame.loopStart, frame.loopEnd);
      }
    }
  }

  // Scopes ---------------------------------------------------------------------------------------

  private top(): FrameState {
    return this.state.frames[this.state.frames.length - 1]!;
  }

  private newFrame(kind: FrameKind, block: number, name: string, callSite: number): FrameState {
    return {
      id: kind === 'scenario' ? 1 : this.state.nextFrameId++,
      kind,
      block,
      pc: 0,
      name,
      locals: new Map(),
      callSite,
      loopVariable: null,
      loopValue: 0n,
      loopEnd: 0n,
      loopStart: 0n,
    };
  }

  /** Names visible from frame `depth`: its loop frames up to the nearest proc frame, then globals. */
  private scopeAt(depth: number): Scope {
    const frames = this.state.frames;
    const globals = this.state.globals;
    return {
      lookup(name: string): Value | undefined {
        for (let i = depth; i >= 1; i--) {
          const frame = frames[i]!;
          const v = frame.locals.get(name);
          if (v !== undefined) return v;
          if (frame.kind === 'proc') break;
        }
        return globals.get(name);
      },
    };
  }

  private lookupName(name: string, range: Range): Value {
    const v = this.scopeAt(this.state.frames.length - 1).lookup(name);
    if (name === 'kernel' && v === undefined) return { kind: 'kernel' };
    if (v === undefined) throw new RuntimeError(`'${name}' is not defined at this point of the run.`, range);
    return v;
  }

  /** `let` binds in the innermost proc frame, or globally outside procs. */
  private define(name: string, value: Value): void {
    for (let i = this.state.frames.length - 1; i >= 1; i--) {
      const frame = this.state.frames[i]!;
      if (frame.kind === 'proc') {
        noteMapKey(frame.locals, name);
        frame.locals.set(name, value);
        return;
      }
    }
    noteMapKey(this.state.globals, name);
    this.state.globals.set(name, value);
  }

  /** Processes are machine-wide names. */
  private defineGlobal(name: string, value: Value): void {
    noteMapKey(this.state.globals, name);
    this.state.globals.set(name, value);
  }
}

/** Loop frames are named when shown, not on every iteration. */
function frameName(frame: FrameState): string {
  return frame.kind === 'loop'
    ? `repeat ${frame.loopVariable ?? ''} = ${frame.loopValue} (of ${frame.loopStart}..${frame.loopEnd})`
    : frame.name;
}

function procCall(
  expression: Expression,
  procs: ReadonlyMap<string, ProcStatement>,
): { proc: ProcStatement; expression: CallExpression } | null {
  if (expression.kind !== 'call' || expression.callee.kind !== 'name' || expression.callee.path.length !== 1)
    return null;
  const proc = procs.get(expression.callee.name);
  return proc === undefined ? null : { proc, expression };
}

function settingInteger(settings: readonly Setting[], key: string, evaluator: Evaluator): bigint | undefined {
  const setting = settings.find((s) => s.key.name === key);
  if (setting === undefined) return undefined;
  return evaluator.asInteger(evaluator.evaluate(setting.value), setting.value.range);
}

function widthOf(width: 'u8' | 'u16' | 'u32' | 'u64' | undefined): Width {
  switch (width) {
    case 'u16':
      return 2;
    case 'u32':
      return 4;
    case 'u64':
      return 8;
    default:
      return 1;
  }
}

function shortValue(value: Value): string {
  if (value.kind === 'integer')
    return value.value < 10n ? value.value.toString() : `0x${value.value.toString(16)}`;
  if (value.kind === 'process') return value.process.name;
  if (value.kind === 'region') return `"${value.region.name}"`;
  return formatValue(value);
}

function describeTerminal(terminal: string): string {
  switch (terminal) {
    case 'crash':
      return ' (the process crashed and is dead)';
    case 'oom':
      return ' (out of memory: the process is dead)';
    case 'bus_error':
      return ' (SIGBUS: the process is dead)';
    default:
      return '';
  }
}

function machineOptions(config: MachineConfig, options: InterpreterOptions): Partial<MachineOptions> {
  const memoryMap: EngineMemoryMapEntry[] = config.memoryMap.map((e) => ({
    kind: e.kind,
    base: Number(e.start),
    size: Number(e.end - e.start),
    ...(e.label === undefined ? {} : { label: e.label }),
  }));
  return {
    ram: Number(config.ram),
    cpus: config.cpus,
    seed: options.seed ?? Number(config.seed),
    pat: config.pat,
    smap: config.smap,
    kernelSize: Number(config.kernelSize),
    memoryMap,
  };
}
