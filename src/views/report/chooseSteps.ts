// Which steps of a run the report shows, and their capture while the run passes them. The run goes
// forward once; a step is captured when the run reaches it and is chosen, so memory grows with the
// number of chosen steps, not with the length of the run.
//
// Chosen by default: step 0 (the machine after boot), every failed step, and the last step, at most
// MAX_DEFAULT_STEPS in all (the first failures win). Or exactly the steps a list names.

import type { Machine } from '../../engine';
import type { StepReport } from '../../scenario/interpreter';
import { type CapturedStep, captureStep, reportStepInfo } from './capture';

/** Why a step is in the report. */
export type StepReason = 'boot' | 'failed' | 'last' | 'asked' | 'stop' | 'compared';

export interface ChosenStep extends CapturedStep {
  readonly reasons: readonly StepReason[];
}

/** How the steps were chosen, for the report to say. */
export type StepChoice =
  | { readonly kind: 'default'; readonly failedSeen: number; readonly failedShown: number }
  | { readonly kind: 'asked' }
  | { readonly kind: 'stop' };

/** A failed step of the run; a debug session keeps no line or message for steps behind it. */
export interface RunFailure {
  readonly step: number;
  readonly line: number | null;
  readonly message: string | null;
}

export const MAX_DEFAULT_STEPS = 12;
/** Steps a list may name: each costs a state in memory and a section in the file. */
export const MAX_LISTED_STEPS = 32;
/** Failures listed in the report's summary; the rest are counted. */
export const MAX_LISTED_FAILURES = 100;

/**
 * A list of step numbers as the user writes it: decimal numbers separated by commas, no spaces,
 * each once. Returns the steps in ascending order, or what is wrong with the text.
 */
export function parseStepList(text: string): { steps: number[] } | { error: string } {
  if (!/^\d{1,10}(,\d{1,10})*$/.test(text))
    return { error: `'${text}' is not a comma-separated list of step numbers, e.g. 0,3,7` };
  const steps = text.split(',').map(Number);
  const seen = new Set<number>();
  for (const step of steps) {
    if (seen.has(step)) return { error: `step ${step} is listed twice` };
    seen.add(step);
  }
  if (steps.length > MAX_LISTED_STEPS)
    return { error: `at most ${MAX_LISTED_STEPS} steps can be listed, not ${steps.length}` };
  return { steps: steps.sort((a, b) => a - b) };
}

/** Captures the chosen steps of one run as it passes them. */
export class StepCollector {
  private readonly captured: ChosenStep[] = [];
  private readonly listedFailures: RunFailure[] = [];
  private failedSeen = 0;
  private failedShown = 0;
  private lastStep = -1;

  /** `asked`: the steps to show, or null for the default choice. */
  constructor(
    private readonly sourceText: string,
    private readonly asked: readonly number[] | null,
  ) {}

  /**
   * The run has reached step `index` (`report` led there; null at 0) with the machine in that
   * step's state; `last` when no step follows.
   */
  observe(index: number, report: StepReport | null, machine: Machine, last: boolean): void {
    this.lastStep = index;
    const failed = report?.failed === true;
    if (failed) this.noteFailure(index, report);
    const reasons = this.reasonsFor(index, failed, last);
    if (reasons.length === 0) return;
    if (reasons.includes('failed')) this.failedShown++;
    this.captured.push({
      ...captureStep(machine, reportStepInfo(report, this.sourceText, index)),
      reasons,
    });
  }

  private reasonsFor(index: number, failed: boolean, last: boolean): StepReason[] {
    if (this.asked !== null) return this.asked.includes(index) ? ['asked'] : [];
    const reasons: StepReason[] = [];
    if (index === 0) reasons.push('boot');
    if (failed && this.failedShown < MAX_DEFAULT_STEPS - 2) reasons.push('failed');
    if (last) reasons.push('last');
    return reasons;
  }

  private noteFailure(index: number, report: StepReport): void {
    this.failedSeen++;
    if (this.listedFailures.length >= MAX_LISTED_FAILURES) return;
    const range = report.failureRange ?? report.range;
    this.listedFailures.push({
      step: index,
      line: range.start.line + 1,
      message: report.message ?? report.outcome,
    });
  }

  /** Failed steps seen so far, the first MAX_LISTED_FAILURES of them. */
  get failures(): readonly RunFailure[] {
    return this.listedFailures;
  }

  get failureCount(): number {
    return this.failedSeen;
  }

  /** The captured steps, or why a listed step cannot be shown (the run never reached it). */
  finish(): { steps: readonly ChosenStep[]; choice: StepChoice } | { error: string } {
    if (this.asked !== null) {
      const missing = this.asked.find((step) => step > this.lastStep);
      if (missing !== undefined)
        return {
          error:
            this.lastStep < 0
              ? `step ${missing} was never reached: the machine did not boot`
              : `step ${missing} is past the end of the run, whose last step is ${this.lastStep}`,
        };
      return { steps: this.captured, choice: { kind: 'asked' } };
    }
    return {
      steps: this.captured,
      choice: { kind: 'default', failedSeen: this.failedSeen, failedShown: this.failedShown },
    };
  }
}
