// Runs a checked scenario to its end for `mmu-lens run`: every step, every failure, and with
// --trace a line per step with its outcome and what it changed.

import type { MemoryEvent } from '../engine';
import type { CheckResult } from '../scenario/checker';
import { Interpreter, type StepReport } from '../scenario/interpreter';
import type { RunReport, ScenarioRunner } from './cli';
import { describeChanges, describeCounters } from './trace';

export const interpreterRunner: ScenarioRunner = {
  run(checked: CheckResult, options: { readonly trace: boolean }): RunReport {
    const started = Interpreter.fromCheck(checked);
    const failures: { line: number; column: number; message: string }[] = [];
    const output: string[] = [];
    const interpreter = started.interpreter;
    if (interpreter === null) {
      for (const d of started.diagnostics)
        failures.push({ line: d.range.start.line + 1, column: d.range.start.column + 1, message: d.message });
      return { ok: false, steps: 0, failures, memory: emptyMemory, processes: [], output };
    }
    const source = checked.source.text;
    while (!interpreter.finished) {
      const before = interpreter.machine.counters();
      const report = interpreter.step();
      if (options.trace) {
        const counters = describeCounters(before, interpreter.machine.counters());
        output.push(...traceLines(report, source, counters));
      } else output.push(...report.output);
      if (report.failed) {
        const range = report.failureRange ?? report.range;
        failures.push({
          line: range.start.line + 1,
          column: range.start.column + 1,
          message: report.message ?? '',
        });
      }
    }
    if (interpreter.finishedReason === 'budget') {
      const statement = interpreter.nextStatement() ?? interpreter.program.statements.at(-1);
      const range = statement?.range ?? interpreter.program.range;
      failures.push({
        line: range.start.line + 1,
        column: range.start.column + 1,
        message: interpreter.budgetMessage,
      });
    }
    const c = interpreter.machine.counters();
    return {
      ok: failures.length === 0,
      steps: interpreter.stepCount,
      failures,
      memory: {
        physical_pages: c.physicalPages,
        used: c.physicalPagesUsed,
        committed: c.physicalPagesCommitted,
        uncommitted: c.physicalPagesUncommitted,
      },
      processes: interpreter.machine.processes().map((p) => ({
        name: p.name,
        pid: p.pid,
        alive: p.alive,
        ...(p.alive
          ? {
              amount_virtual: p.space.amountVirtual(),
              amount_resident: p.space.amountResident(),
              amount_shared: p.space.amountShared(),
              amount_dirty_private: p.space.amountDirtyPrivate(),
              amount_clean_inode: p.space.amountCleanInode(),
              amount_purgeable_volatile: p.space.amountPurgeableVolatile(),
              amount_purgeable_nonvolatile: p.space.amountPurgeableNonvolatile(),
            }
          : { death: p.deathReason }),
        zero_faults: p.counters.zeroFaults,
        cow_faults: p.counters.cowFaults,
        inode_faults: p.counters.inodeFaults,
      })),
      output,
    };
  },
};

const emptyMemory = { physical_pages: 0, used: 0, committed: 0, uncommitted: 0 };

/** `#12  line 7   cow_fault   write child buf, "!"` followed by indented changes and output. */
function traceLines(report: StepReport, source: string, counters: string | null): string[] {
  const text = source.slice(report.range.start.offset, report.range.end.offset).split('\n')[0] ?? '';
  const head = `#${String(report.index).padEnd(5)} line ${String(report.range.start.line + 1).padEnd(5)} ${report.outcome.padEnd(12)} ${text.trim()}`;
  const lines = [head];
  if (counters !== null) lines.push(`        ${counters}`);
  for (const change of describeChanges(report.events as readonly MemoryEvent[]))
    lines.push(`        ${change}`);
  for (const out of report.output) lines.push(`        > ${out}`);
  if (report.failed) lines.push(`        FAILED: ${report.message ?? ''}`);
  return lines;
}
