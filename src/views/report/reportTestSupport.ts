// For the report's tests: a scenario run forward once, as `mmu-lens run --report` runs it, with a
// collector capturing the chosen steps as the run passes them; the step sections of a report.

import * as assert from 'assert';
import type { Machine } from '../../engine';
import { Interpreter, type StepReport } from '../../scenario/interpreter';
import { StepCollector } from './chooseSteps';

/**
 * Runs `text` to its end with a collector of the `asked` steps (null: the default choice);
 * `passing` is called at each step before the collector sees it.
 */
export function collectRun(
  text: string,
  asked: readonly number[] | null,
  passing: (index: number, machine: Machine) => void = () => undefined,
): { collector: StepCollector; interpreter: Interpreter } {
  const interpreter = Interpreter.start(text, 'test.mmu').interpreter;
  assert.ok(interpreter !== null, 'the scenario boots');
  const collector = new StepCollector(text, asked);
  const observe = (index: number, report: StepReport | null): void => {
    passing(index, interpreter.machine);
    collector.observe(index, report, interpreter.machine, interpreter.finished);
  };
  observe(0, null);
  while (!interpreter.finished) {
    const report = interpreter.step();
    observe(report.index, report);
  }
  return { collector, interpreter };
}

/** The ids of a report's step sections ("step-5"), in document order. */
export function stepSectionIds(html: string): string[] {
  return [...html.matchAll(/<section class="step[^"]*" id="(step-\d+)"/g)].map((m) => m[1]!);
}
