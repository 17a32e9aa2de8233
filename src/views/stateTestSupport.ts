// Helpers for the state tests: run a scenario with the real interpreter, build its state DTO the way
// the panel source does, and check every DTO against the protocol's schemas.

import * as assert from 'assert';
import type { Machine } from '../engine';
import {
  FRAME_KINDS,
  type FrameKind,
  MachineStateDto as MachineStateSchema,
  type MachineStateDto,
} from '../protocol/dto';
import type { Schema } from '../protocol/schema';
import { Interpreter, type StepReport } from '../scenario/interpreter';
import { MachineStateIndex, machineStateDtoOf } from './machineState';
import { stepInfoDto } from './stepInfo';

export interface ScenarioRun {
  readonly text: string;
  readonly interpreter: Interpreter;
  readonly machine: Machine;
  readonly reports: StepReport[];
}

/** Starts a scenario and runs `steps` steps (all of them by default); fails on a failed step. */
export function runScenario(text: string, steps = Number.POSITIVE_INFINITY): ScenarioRun {
  const started = Interpreter.start(text, 'test.mmu');
  if (started.interpreter === null)
    assert.fail(`the scenario does not check: ${started.diagnostics.map((d) => d.message).join('; ')}`);
  const interpreter = started.interpreter;
  const reports: StepReport[] = [];
  while (!interpreter.finished && reports.length < steps) {
    const report = interpreter.step();
    if (report.failed) assert.fail(`step ${report.index} failed: ${report.message ?? report.outcome}`);
    reports.push(report);
  }
  return { text, interpreter, machine: interpreter.machine, reports };
}

/** Runs further steps of a run. */
export function stepOn(run: ScenarioRun, steps = Number.POSITIVE_INFINITY): void {
  let n = 0;
  while (!run.interpreter.finished && n++ < steps) {
    const report = run.interpreter.step();
    if (report.failed) assert.fail(`step ${report.index} failed: ${report.message ?? report.outcome}`);
    run.reports.push(report);
  }
}

/** The index of the run's current state. */
export function indexOf(run: ScenarioRun): MachineStateIndex {
  return new MachineStateIndex(run.machine);
}

export function stateOf(run: ScenarioRun, index = indexOf(run)): MachineStateDto {
  const last = run.reports[run.reports.length - 1] ?? null;
  return valid(
    MachineStateSchema,
    machineStateDtoOf(
      index,
      stepInfoDto(last, run.text, run.reports.length, run.interpreter.nextStatement()),
    ),
  );
}

/** Asserts that a value fits a protocol schema (what the webview accepts) and returns it. */
export function valid<T>(schema: Schema<T>, value: T): T {
  const problem = schema.check(value, 'dto');
  assert.strictEqual(problem, null, `the DTO does not fit the protocol: ${problem ?? ''}`);
  return value;
}

export function decodeFrameKinds(state: MachineStateDto): FrameKind[] {
  const bytes = Buffer.from(state.frameMap.kinds, 'base64');
  assert.strictEqual(bytes.length, state.frameMap.frameCount);
  return [...bytes].map((code) => FRAME_KINDS[code]!);
}

export function frameOf(paddr: number | bigint | null): number {
  assert.notStrictEqual(paddr, null, 'the address is mapped');
  return Math.floor(Number(paddr) / 4096);
}

/** The value a scenario variable holds (integers and handles' members through evaluate). */
export function evaluate(run: ScenarioRun, expression: string): bigint {
  const result = run.interpreter.evaluate(expression);
  if ('error' in result) assert.fail(`${expression}: ${result.error}`);
  const value = result.value;
  if (value.kind !== 'integer') assert.fail(`${expression} is a ${value.kind}, not an integer`);
  return value.value;
}
