// The step report of a debug session's stop, for the extension's "Export Step Report": the current
// stop and the step the panels compare it with (the previous one unless another was chosen), both
// read from the StepView the session published. The earlier step is looked at through
// `StepView.atStep`, which leaves the session where it is.

import type { StepView } from '../../debug/StepView';
import { earlierStepInfo } from '../PanelState';
import { buildStepReport } from './buildReport';
import { captureStep, reportStepInfo } from './capture';
import { type ChosenStep, MAX_LISTED_FAILURES, type RunFailure } from './chooseSteps';

/**
 * The step a stop is compared with, as the panels choose it: the chosen step when it lies before the
 * stop, else the previous step; null at step 0, which has none before it.
 */
export function comparedStep(chosen: number | null, position: number): number | null {
  const base = chosen !== null && chosen < position ? chosen : position - 1;
  return base < 0 ? null : base;
}

/** The failed steps of the session's history, from the compact record it keeps of every step. */
function failuresOf(view: StepView): { failures: RunFailure[]; count: number } {
  const failures: RunFailure[] = [];
  let count = 0;
  for (let step = 1; step <= view.furthest; step++) {
    if (!view.summary(step).failed) continue;
    count++;
    if (failures.length >= MAX_LISTED_FAILURES) continue;
    const report = step === view.position ? view.report : null;
    failures.push({
      step,
      line: report === null ? null : (report.failureRange ?? report.range).start.line + 1,
      message: report?.message ?? null,
    });
  }
  return { failures, count };
}

/** The file name at the end of a path, whichever separator it uses. */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * The report of the view's stop and of the step it is compared with (`chosen`: the step picked in
 * the panels, or null for the previous one). Throws StaleStepError when the session has moved on.
 */
export function stopReport(view: StepView, chosen: number | null, madeBy: string): string {
  const position = view.position;
  const steps: ChosenStep[] = [];
  const base = comparedStep(chosen, position);
  if (base !== null) {
    const captured = view.atStep(base, (inspector) =>
      captureStep(inspector.machine, earlierStepInfo(view, base)),
    );
    steps.push({ ...captured, reasons: ['compared'] });
  }
  const current = captureStep(view.inspector.machine, reportStepInfo(view.report, view.sourceText, position));
  steps.push({ ...current, reasons: ['stop'] });
  const { failures, count } = failuresOf(view);
  return buildStepReport({
    scenarioName: baseName(view.file),
    sourceText: view.sourceText,
    steps,
    choice: { kind: 'stop' },
    stepCount: view.furthest,
    finished: position === view.furthest && view.next === null,
    failures,
    failureCount: count,
    madeBy,
  });
}
