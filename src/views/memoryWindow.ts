// The Memory panel's window: `length` bytes of one space at one step, read through the debugger's
// side-effect-free inspection (debug/memory.ts: never faults, never sets an Accessed bit), with the
// bytes a load could not see marked unreadable, and the bytes that differ from the compared step
// marked changed. A window is at most one page's worth, so a step reads at most 4 KiB here.
import type { Machine } from '../engine';
import {
  parseViewSpaceId,
  PHYSICAL_MEMORY,
  type MemorySpaceRef,
  virtualMemory,
} from '../protocol/addressSpaces';
import {
  checkMemoryWindow,
  encodeMemoryWindowParts,
  type MemoryWindowDto,
  PHYSICAL_SPACE_ID,
} from '../protocol/memoryWindow';
import { toHex } from '../protocol/pagingEntry';
import { readMemory, resolveMemorySpace } from '../debug/memory';

/** What one machine holds in a window: its bytes (0 where unreadable) and which are readable. */
export interface WindowBytes {
  readonly bytes: Uint8Array;
  readonly readable: boolean[];
}

export interface MemoryWindowRequest {
  /** "kernel", "pid:<n>" or "physical". */
  readonly space: string;
  /** The first byte, in the protocol's hex. */
  readonly address: string;
  readonly length: number;
}

/** The space a Memory panel id names; an Error when it names none. */
export function memorySpaceOf(space: string): MemorySpaceRef {
  if (space === PHYSICAL_SPACE_ID) return PHYSICAL_MEMORY;
  const ref = parseViewSpaceId(space);
  if (ref === null) throw new Error(`There is no address space "${space}".`);
  return virtualMemory(ref);
}

/** Throws the reason a window cannot be read (too long, empty, past 2^64). */
export function checkWindowRequest(request: MemoryWindowRequest): void {
  const misfit = checkMemoryWindow(request.address, request.length);
  if (misfit !== null) throw new Error(`Cannot read memory: ${misfit}.`);
}

/**
 * The window's bytes in `machine`. A process unknown to this machine (not yet forked, or long
 * gone) and addresses past 2^53 (where the engine keeps nothing) read as unreadable.
 */
export function readWindow(machine: Machine, request: MemoryWindowRequest): WindowBytes {
  checkWindowRequest(request);
  const bytes = new Uint8Array(request.length);
  const readable = new Array<boolean>(request.length).fill(false);
  const space = resolveMemorySpace(machine, memorySpaceOf(request.space));
  const start = BigInt(request.address);
  if (space === null || start > BigInt(Number.MAX_SAFE_INTEGER)) return { bytes, readable };
  const address = Number(start);
  const end = Math.min(address + request.length, Number.MAX_SAFE_INTEGER);
  let at = address;
  // readMemory answers a readable run then the unreadable run after it; ask again past each hole.
  while (at < end) {
    const { data, unreadable } = readMemory(machine, space, at, end - at);
    bytes.set(data, at - address);
    readable.fill(true, at - address, at - address + data.length);
    const advance = data.length + unreadable;
    if (advance === 0) break;
    at += advance;
  }
  return { bytes, readable };
}

/**
 * Bytes changed since the compared state: readable now and either unreadable then or different.
 * A byte that became unreadable is shown as `??`, which already says it is gone.
 */
export function changedBytes(now: WindowBytes, then: WindowBytes | null): boolean[] {
  const changed = new Array<boolean>(now.bytes.length).fill(false);
  if (then === null) return changed;
  for (let i = 0; i < now.bytes.length; i++)
    changed[i] = now.readable[i]! && (!then.readable[i]! || now.bytes[i] !== then.bytes[i]);
  return changed;
}

export function memoryWindowDto(
  request: MemoryWindowRequest,
  step: number,
  now: WindowBytes,
  compared: { step: number; bytes: WindowBytes } | null,
): MemoryWindowDto {
  return {
    space: request.space,
    address: toHex(BigInt(request.address)),
    length: request.length,
    step,
    comparedStep: compared?.step ?? null,
    ...encodeMemoryWindowParts(now.bytes, now.readable, changedBytes(now, compared?.bytes ?? null)),
  };
}
