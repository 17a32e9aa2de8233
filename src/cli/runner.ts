// Runs a checked scenario to its end for `mmu-lens run`: every step, every failure, and with
// --trace a line per step with its outcome and what it changed.

import type { MemoryEvent } from '../engine';
import type { PageDirectory } from '../engine/PageDirectory';
import { decodePte } from '../engine/PageTableEntry';
import { PAGING_LEVELS, pagingEntries, vmprint } from '../engine/vmprint';
import { hex, pteBits } from '../scenario/values';
import type { WalkOptions } from './args';
import type { CheckResult } from '../scenario/checker';
import type { Range } from '../scenario/source';
import { Interpreter, type StepReport } from '../scenario/interpreter';
import type { RunOptions, RunReport, ScenarioRunner } from './cli';
import { describeChanges, describeCounters } from './trace';

export const interpreterRunner: ScenarioRunner = {
  run(checked: CheckResult, options: RunOptions): RunReport {
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
    options.observer?.observe(0, null, interpreter.machine, interpreter.finished);
    /** Where the last step ran: a run stopped by its budget is reported there (the runaway loop). */
    let lastRange: Range | undefined;
    while (!interpreter.finished) {
      const before = interpreter.machine.counters();
      const report = interpreter.step();
      lastRange = report.range;
      options.observer?.observe(report.index, report, interpreter.machine, interpreter.finished);
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
      const range = lastRange ?? interpreter.program.range;
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

  walk(checked: CheckResult, options: WalkOptions): { lines: string[] } | { error: string } {
    const interpreter = Interpreter.fromCheck(checked).interpreter;
    if (interpreter === null) return { error: 'the machine of this scenario cannot boot' };
    while (!interpreter.finished && (options.step === null || interpreter.stepCount < options.step))
      interpreter.step();
    if (options.step !== null && interpreter.stepCount < options.step)
      return {
        error: `the scenario stops after step ${interpreter.stepCount}; there is no step ${options.step}`,
      };
    const space = pageDirectoryOf(interpreter, options.space);
    if ('error' in space) return space;
    const contents = interpreter.machine.memoryManager.contents;
    if (options.vmprint) return { lines: vmprint(contents, space.pd) };
    const lines = [`${space.name} after step ${interpreter.stepCount}: CR3 ${hex(space.pd.cr3)}`];
    for (const e of pagingEntries(contents, space.pd)) {
      const what = e.leaf ? (e.level === 3 ? 'page' : 'huge page') : PAGING_LEVELS[e.level + 1];
      const entry = `${'  '.repeat(e.level)}${PAGING_LEVELS[e.level]}[${e.index}]`;
      const bits = pteBits(decodePte(e.low, e.high));
      lines.push(`${entry.padEnd(16)} ${hex(e.vaddr).padEnd(14)} → ${what} ${hex(e.paddr)}  ${bits}`);
    }
    return { lines };
  },
};

/** The page directory of `kernel`, of a pid or of the process with that name (the newest alive). */
function pageDirectoryOf(
  interpreter: Interpreter,
  space: string,
): { pd: PageDirectory; name: string } | { error: string } {
  const machine = interpreter.machine;
  if (space === 'kernel') return { pd: machine.memoryManager.kernelPageDirectory, name: 'kernel' };
  const byPid = /^\d+$/.test(space) ? machine.process(Number(space)) : null;
  const candidates = byPid !== null ? [byPid] : machine.processes().filter((p) => p.name === space);
  const process = candidates.reverse().find((p) => p.alive) ?? candidates[0];
  if (process === undefined) return { error: `there is no process ${space} after this step` };
  if (!process.alive)
    return { error: `process ${process.name} (pid ${process.pid}) has exited: its page tables are gone` };
  return { pd: process.space.pageDirectory, name: `${process.name} (pid ${process.pid})` };
}

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
