// Who an address space is, and every way it is written down. The engine's events number spaces
// (0 is the kernel, any other number a pid); the views name them "kernel" or "pid:<n>"; the debug
// adapter's memory references and data-breakpoint ids start with "v:kernel", "v:<n>" or, for
// physical memory, "p"; people read "kernel" or "pid <n>". Each spelling is made and read here
// only, so that the layers agree on it by construction. Parsing is strict: anything that is not
// exactly one of these spellings is refused rather than read as the nearest space.

import { hex } from './schema';

/** An address space: the kernel's or a process's. */
export type SpaceRef = { readonly kind: 'kernel' } | { readonly kind: 'process'; readonly pid: number };

/** What a memory reference points into: one address space's virtual memory, or physical memory. */
export type MemorySpaceRef =
  { readonly kind: 'virtual'; readonly space: SpaceRef } | { readonly kind: 'physical' };

/** A parsed memory reference. The address is a bigint since any 64-bit address may be named. */
export interface MemoryReference {
  readonly space: MemorySpaceRef;
  readonly address: bigint;
}

/** The byte range a data breakpoint watches; the engine's addresses are exact numbers below 2^53. */
export interface DataBreakpointTarget {
  readonly space: MemorySpaceRef;
  readonly start: number;
  readonly length: number;
}

export const KERNEL_SPACE: SpaceRef = Object.freeze({ kind: 'kernel' });

export const PHYSICAL_MEMORY: MemorySpaceRef = Object.freeze({ kind: 'physical' });

/**
 * The engine's number of the kernel's space in events. The protocol imports nothing of the engine
 * (the webview bundles it), so the number is repeated here; a test holds it to the engine's.
 */
const KERNEL_EVENT_SPACE = 0;

const KERNEL_WORD = 'kernel';
const VIEW_PROCESS_PREFIX = 'pid:';
const VIRTUAL_PREFIX = 'v';
const PHYSICAL_PREFIX = 'p';
const U64_LIMIT = 1n << 64n;

function isPid(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** A process's space. A pid is a safe non-negative integer; anything else is a programming error. */
export function processSpace(pid: number): SpaceRef {
  if (!isPid(pid)) throw new RangeError(`${pid} is not a pid.`);
  return { kind: 'process', pid };
}

export function virtualMemory(space: SpaceRef): MemorySpaceRef {
  return { kind: 'virtual', space };
}

/**
 * A pid as written in ids: decimal digits without a sign or leading zeros, so that every pid has
 * one spelling and "pid:01" names nothing. Null when the text is not one.
 */
function parsePid(text: string): number | null {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) return null;
  const pid = Number(text);
  return isPid(pid) ? pid : null;
}

// ------------------------------------------------------------------------------------ engine events

/** The space an engine event names by number. */
export function spaceOfEvent(eventSpace: number): SpaceRef {
  return eventSpace === KERNEL_EVENT_SPACE ? KERNEL_SPACE : processSpace(eventSpace);
}

/** Whether two refs name one space; no process is the kernel, whatever its pid. */
export function sameSpace(a: SpaceRef, b: SpaceRef): boolean {
  return a.kind === 'kernel' ? b.kind === 'kernel' : b.kind === 'process' && a.pid === b.pid;
}

// -------------------------------------------------------------------------------------------- views

/** The views' id of a space: "kernel" or "pid:<n>". */
export function viewSpaceId(space: SpaceRef): string {
  return space.kind === 'kernel' ? KERNEL_WORD : `${VIEW_PROCESS_PREFIX}${space.pid}`;
}

export function parseViewSpaceId(id: string): SpaceRef | null {
  if (id === KERNEL_WORD) return KERNEL_SPACE;
  if (!id.startsWith(VIEW_PROCESS_PREFIX)) return null;
  const pid = parsePid(id.slice(VIEW_PROCESS_PREFIX.length));
  return pid === null ? null : processSpace(pid);
}

// ---------------------------------------------------------------------------------------- for people

/** "kernel" or "pid <n>", as the trace and the variables write a space. */
export function spaceLabel(space: SpaceRef): string {
  return space.kind === 'kernel' ? KERNEL_WORD : `pid ${space.pid}`;
}

export function memorySpaceLabel(space: MemorySpaceRef): string {
  return space.kind === 'physical' ? 'physical' : spaceLabel(space.space);
}

// ---------------------------------------------------------------- memory references and data ids

/** The leading part of a memory reference or data-breakpoint id: "v:kernel", "v:<n>" or "p". */
export function memorySpacePrefix(space: MemorySpaceRef): string {
  if (space.kind === 'physical') return PHYSICAL_PREFIX;
  const owner = space.space.kind === 'kernel' ? KERNEL_WORD : String(space.space.pid);
  return `${VIRTUAL_PREFIX}:${owner}`;
}

/**
 * Reads a space prefix from the fields of a reference split at its colons and hands back the
 * fields after it; null when the fields do not start with one.
 */
function takeSpacePrefix(fields: readonly string[]): { space: MemorySpaceRef; rest: string[] } | null {
  const [first, owner] = fields;
  if (first === PHYSICAL_PREFIX) return { space: PHYSICAL_MEMORY, rest: fields.slice(1) };
  if (first !== VIRTUAL_PREFIX || owner === undefined) return null;
  if (owner === KERNEL_WORD) return { space: virtualMemory(KERNEL_SPACE), rest: fields.slice(2) };
  const pid = parsePid(owner);
  return pid === null ? null : { space: virtualMemory(processSpace(pid)), rest: fields.slice(2) };
}

export function parseMemorySpacePrefix(prefix: string): MemorySpaceRef | null {
  const taken = takeSpacePrefix(prefix.split(':'));
  return taken !== null && taken.rest.length === 0 ? taken.space : null;
}

/** The protocol's hex: "0x" and one to sixteen lower-case digits, so at most 64 bits. */
function parseHexAddress(text: string): bigint | null {
  return hex.check(text, '') === null ? BigInt(text) : null;
}

/** An address in the protocol's hex; a number must be exact (a safe integer) to be one. */
function hexAddress(address: number | bigint): string {
  const valid =
    typeof address === 'number'
      ? Number.isSafeInteger(address) && address >= 0
      : address >= 0n && address < U64_LIMIT;
  if (!valid) throw new RangeError(`${address} is not a 64-bit address.`);
  return `0x${address.toString(16)}`;
}

/** "v:3:0x1000", "v:kernel:0x2000000000" or "p:0x1000". */
export function formatMemoryReference(space: MemorySpaceRef, address: number | bigint): string {
  return `${memorySpacePrefix(space)}:${hexAddress(address)}`;
}

export function parseMemoryReference(reference: string): MemoryReference | null {
  const taken = takeSpacePrefix(reference.split(':'));
  if (taken === null || taken.rest.length !== 1) return null;
  const address = parseHexAddress(taken.rest[0]!);
  return address === null ? null : { space: taken.space, address };
}

/** "<space prefix>:0x<start>:<length>", e.g. "v:3:0x10000:16" or "p:0x1000:4096". */
export function dataBreakpointId(target: DataBreakpointTarget): string {
  if (!isWatchableRange(target.start, target.length))
    throw new RangeError(`${target.start} and ${target.length} are not a range a data breakpoint watches.`);
  return `${formatMemoryReference(target.space, target.start)}:${target.length}`;
}

/** A data breakpoint id, or null when the text is not one or its range is not watchable. */
export function parseDataBreakpointId(id: string): DataBreakpointTarget | null {
  const taken = takeSpacePrefix(id.split(':'));
  if (taken === null || taken.rest.length !== 2) return null;
  const [startText, lengthText] = taken.rest as [string, string];
  const start = parseHexAddress(startText);
  if (start === null || start > BigInt(Number.MAX_SAFE_INTEGER) || !/^[1-9][0-9]*$/.test(lengthText))
    return null;
  const length = Number(lengthText);
  return isWatchableRange(Number(start), length)
    ? { space: taken.space, start: Number(start), length }
    : null;
}

/** A non-empty range whose every address is an exact number. */
function isWatchableRange(start: number, length: number): boolean {
  return (
    Number.isSafeInteger(start) &&
    start >= 0 &&
    Number.isSafeInteger(length) &&
    length >= 1 &&
    Number.isSafeInteger(start + length)
  );
}
