// "Why is it so?": the chain of changes that produced a thing's value at a position, newest first.
// Each link is a step that changed the thing (the previous change before the link above it, found
// by the change search, changeSearch.ts), with its statement, the value before and after it in the
// probe's words, and the reasons: the step's events that concern the thing (thingEvents.ts), a page
// fault's decision included ("ref_count was 1, so no copy").
//
// Like the change search, the chain never moves the session, and it is bounded: at most
// MAX_CHAIN_LINKS links of at most REASONS_PER_LINK reasons each are kept (a step's full report is
// dropped once its reasons are picked), and each link costs one change search, which works in the
// caller's time slices, so a pause stops it between two units of work.

import { findChange, type SearchedHistory } from './changeSearch';
import type { SearchSlices } from './longRuns';
import type { Machine } from '../engine';
import type { Range } from '../scenario/source';
import { type ThingProbe, changeText } from './thingProbes';
import { type Reason, reasonsFor } from './thingEvents';
import type { Thing } from './watchedThings';

/** Links given when a client names no limit. */
export const DEFAULT_CHAIN_LINKS = 10;
/** The most links a chain holds, whatever a client asks for. */
export const MAX_CHAIN_LINKS = 50;
/** The most reasons a link lists; the rest are counted. */
export const REASONS_PER_LINK = 12;
/** The most characters of a statement a link quotes. */
const STATEMENT_CHARS = 160;

/** One step of the chain: what changed the thing there, and why. */
export interface ChainLink {
  /** The step whose run changed the thing. */
  readonly step: number;
  /** The statement the step ran, where it is in the scenario. */
  readonly range: Range;
  /** The statement's text, on one line. */
  readonly statement: string;
  readonly before: string;
  readonly after: string;
  /** The change in words: "before → after", or what part of the thing's bulk state changed. */
  readonly change: string;
  /** The step's events that concern the thing, in order. */
  readonly reasons: readonly Reason[];
  /** How many more events concerned it than are listed. */
  readonly moreReasons: number;
}

/** How a thing came to have its value: the changes that made it, newest first. */
export interface ChangeChain {
  /** The thing's value at the position asked about. */
  readonly value: string;
  readonly links: readonly ChainLink[];
  /** `start`: no earlier step changed the thing; `limit`: the chain stopped at its limit. */
  readonly end: 'start' | 'limit';
}

/** What the chain reads besides the history: the session's machine and the scenario's text. */
export interface ChainSource {
  /** The machine at the position asked about, read only. */
  readonly machine: Machine;
  readonly sourceText: string;
}

/** A requested number of links, kept within 1 … MAX_CHAIN_LINKS; null when it is no whole number. */
export function chainLimit(requested: number | undefined): number | null {
  if (requested === undefined) return DEFAULT_CHAIN_LINKS;
  if (!Number.isSafeInteger(requested) || requested < 1) return null;
  return Math.min(requested, MAX_CHAIN_LINKS);
}

function statementText(sourceText: string, range: Range): string {
  const text = sourceText.slice(range.start.offset, range.end.offset).replace(/\s+/g, ' ').trim();
  return text.length <= STATEMENT_CHARS ? text : `${text.slice(0, STATEMENT_CHARS - 1)}…`;
}

/**
 * The chain of changes of `thing` up to position `from` (0 … furthest), at most `limit` links;
 * 'paused' when a pause came first.
 */
export async function changeChain(
  history: SearchedHistory,
  probe: ThingProbe,
  thing: Thing,
  from: number,
  limit: number,
  source: ChainSource,
  slices: SearchSlices,
): Promise<ChangeChain | 'paused'> {
  const value = probe.read(source.machine).summary;
  const links: ChainLink[] = [];
  let at = from;
  while (links.length < limit) {
    const found = await findChange(history, probe, 'previous', at, slices);
    if (found === 'paused') return found;
    if (found === null) return { value, links, end: 'start' };
    const { reasons, more } = reasonsFor(thing, found.report.events, source.machine, REASONS_PER_LINK);
    links.push({
      step: found.step,
      range: found.report.range,
      statement: statementText(source.sourceText, found.report.range),
      before: found.before.summary,
      after: found.after.summary,
      change: changeText(probe, found.before, found.after),
      reasons,
      moreReasons: more,
    });
    at = found.step - 1;
  }
  return { value, links, end: 'limit' };
}
