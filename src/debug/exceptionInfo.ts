// What an exception stop means: the fault's kind, address, access, region, the handler's response
// and the decision that produced it, from the step report and its events.

import type { MemoryEvent } from '../engine';
import { spaceLabel, spaceOfEvent } from '../protocol/addressSpaces';
import { describeRegion, hex, namedSpaceLabel } from './describe';
import { ownerOf } from './memory';
import type { ScenarioInterpreter, StepReport } from './scenarioTypes';

export interface ExceptionDescription {
  readonly kind: string;
  readonly summary: string;
  readonly details: string[];
}

type FaultEvent = Extract<MemoryEvent, { kind: 'page_fault' }>;

const HANDLER_NAMES: Record<FaultEvent['handler'], string> = {
  zero: 'the zero-fill path (handle_zero_fault)',
  cow: 'the copy-on-write path (handle_cow_fault)',
  inode: 'the file path (handle_inode_fault)',
  none: 'no handler: the access check refused it first',
};

/** Picks the fault the filter is about: the last unhandled one, or the first of the matching kind. */
function relevantFault(filter: string, events: readonly MemoryEvent[]): FaultEvent | null {
  const faults = events.filter((e): e is FaultEvent => e.kind === 'page_fault');
  if (filter === 'zero_fault' || filter === 'cow_fault' || filter === 'inode_fault') {
    const handler = filter.slice(0, -'_fault'.length);
    return faults.find((f) => f.handler === handler) ?? null;
  }
  return faults.filter((f) => f.response !== 'Continue').pop() ?? faults.pop() ?? null;
}

export function describeException(
  interpreter: ScenarioInterpreter,
  filter: string,
  report: StepReport,
): ExceptionDescription {
  const line = report.range.start.line + 1;
  const details: string[] = [`step ${report.index} at line ${line}: outcome ${report.outcome}`];
  if (report.faults.length > 0) details.push(`handled faults: ${report.faults.join(', ')}`);
  if (report.message !== null) details.push(`message: ${report.message}`);
  const fault = relevantFault(filter, report.events);
  let summary = report.message ?? `${filter} at line ${line}`;
  if (fault !== null) {
    const faultSpace = spaceOfEvent(fault.space);
    const space = ownerOf(interpreter.machine, faultSpace);
    const spaceText =
      space === 'kernel' ? 'the kernel' : space === null ? spaceLabel(faultSpace) : namedSpaceLabel(space);
    details.push(`address: ${hex(fault.vaddr)} in ${spaceText}`);
    details.push(`access: ${fault.userMode ? 'user' : 'kernel'}-mode ${fault.access}`);
    details.push(`fault type: ${fault.notPresent ? 'page not present' : 'protection violation'}`);
    const region =
      space === null || (space !== 'kernel' && !space.alive)
        ? null
        : interpreter.machine.regionAt(space, fault.vaddr);
    details.push(
      `region: ${region === null ? 'none (no region holds the address now)' : describeRegion(region)}`,
    );
    details.push(`response: ${fault.response}`);
    details.push(
      `decision: handle_page_fault sent it to ${HANDLER_NAMES[fault.handler]}, which answered ${fault.response}`,
    );
    if (report.message === null)
      summary = `${filter}: ${fault.userMode ? 'user' : 'kernel'} ${fault.access} at ${hex(fault.vaddr)} → ${fault.response}`;
  }
  for (const event of report.events)
    if (event.kind === 'process_died' && event.why !== undefined) details.push(`killed: ${event.why}`);
  const panic = report.events.find((e) => e.kind === 'panic');
  if (panic !== undefined && panic.kind === 'panic') details.push(`kernel panic: ${panic.message}`);
  return { kind: filter, summary, details };
}
