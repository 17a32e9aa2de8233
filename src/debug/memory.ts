// Memory references and byte access for the debugger's memory views. A reference names an address
// space and an address (its spelling, `v:<pid>:0xADDR`, `v:kernel:0xADDR` or `p:0xADDR`, belongs
// to the protocol); here it is found again in the engine. Reading goes through side-effect-free
// inspection (it never faults, never counts as an access); bytes a load could not see are reported
// as unreadable. Writing stores into the simulated frames directly, as a debugger poking memory would.

import { type Machine, type Process, PAGE_SIZE } from '../engine';
import {
  KERNEL_SPACE,
  type MemorySpaceRef,
  PHYSICAL_MEMORY,
  type SpaceRef,
  formatMemoryReference,
  parseMemoryReference,
  processSpace,
  virtualMemory,
} from '../protocol/addressSpaces';

export type MemorySpace = { kind: 'virtual'; space: Process | 'kernel' } | { kind: 'physical' };

export interface MemoryLocation {
  readonly space: MemorySpace;
  readonly address: number;
}

const MAX_ADDRESS = 2 ** 64;

/** The identity of an engine address space. */
export function spaceRefOf(owner: Process | 'kernel'): SpaceRef {
  return owner === 'kernel' ? KERNEL_SPACE : processSpace(owner.pid);
}

export function memorySpaceRefOf(space: MemorySpace): MemorySpaceRef {
  return space.kind === 'physical' ? PHYSICAL_MEMORY : virtualMemory(spaceRefOf(space.space));
}

/** The engine's owner of a space in this machine (a process found by pid); null when it has none. */
export function ownerOf(machine: Machine, space: SpaceRef): Process | 'kernel' | null {
  return space.kind === 'kernel' ? 'kernel' : machine.process(space.pid);
}

/** A memory space found again in this machine; null when its process is unknown. */
export function resolveMemorySpace(machine: Machine, space: MemorySpaceRef): MemorySpace | null {
  if (space.kind === 'physical') return { kind: 'physical' };
  const owner = ownerOf(machine, space.space);
  return owner === null ? null : { kind: 'virtual', space: owner };
}

export function virtualReference(owner: Process | 'kernel', address: number): string {
  return formatMemoryReference(virtualMemory(spaceRefOf(owner)), address);
}

/**
 * Finds a reference's space and address in the current machine (processes are found again by
 * pid); null when it is not a reference, its process is unknown or its address is not an exact number.
 */
export function resolveMemoryReference(machine: Machine, reference: string): MemoryLocation | null {
  const parsed = parseMemoryReference(reference);
  if (parsed === null || parsed.address > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const space = resolveMemorySpace(machine, parsed.space);
  return space === null ? null : { space, address: Number(parsed.address) };
}

export interface ReadResult {
  /** The readable bytes from the start address on (possibly empty). */
  readonly data: Uint8Array;
  /** Unreadable bytes that follow them. */
  readonly unreadable: number;
}

/**
 * Reads `count` bytes from `address`. The result is the readable prefix, then the length of the
 * unreadable run after it, so a client can ask again past the hole.
 */
export function readMemory(machine: Machine, space: MemorySpace, address: number, count: number): ReadResult {
  const bytes: number[] = [];
  let at = address;
  const end = Math.min(address + count, MAX_ADDRESS);
  while (at < end) {
    const pageEnd = Math.min(end, at - (at % PAGE_SIZE) + PAGE_SIZE);
    const chunk = readPage(machine, space, at, pageEnd - at);
    if (chunk === null) break;
    for (const b of chunk) bytes.push(b);
    at = pageEnd;
  }
  let unreadable = 0;
  if (at < end && bytes.length === at - address) {
    let hole = at;
    while (hole < end) {
      const pageEnd = Math.min(end, hole - (hole % PAGE_SIZE) + PAGE_SIZE);
      if (readPage(machine, space, hole, 1) !== null) break;
      hole = pageEnd;
    }
    unreadable = hole - at;
  }
  return { data: Uint8Array.from(bytes), unreadable };
}

/** Whether a physical address lies in usable RAM of the firmware memory map (not a hole, not a device). */
function isRam(machine: Machine, paddr: number): boolean {
  const mm = machine.memoryManager;
  if (Math.floor(paddr / PAGE_SIZE) >= mm.entries.count) return false;
  return mm.memoryMap.some((e) => e.kind === 'usable' && paddr >= e.base && paddr < e.base + e.size);
}

/** Bytes of one page [at, at+length), or null when a load could not see them. */
function readPage(machine: Machine, space: MemorySpace, at: number, length: number): Uint8Array | null {
  const out = new Uint8Array(length);
  if (space.kind === 'physical') {
    if (!isRam(machine, at)) return null;
    const frame = Math.floor(at / PAGE_SIZE);
    machine.memoryManager.contents.readBytes(frame, at % PAGE_SIZE, out, 0, length);
    return out;
  }
  const target = space.space;
  if (target !== 'kernel' && !target.alive) return null;
  if (machine.peek(target, at, 1) === null) return null;
  const paddr = machine.translate(target, at);
  if (paddr !== null) {
    // Device memory (MMIO) is not RAM: reading it could have effects, so inspection never does.
    if (!isRam(machine, paddr) || machine.regionAt(target, at)?.vmobject?.kind === 'MMIO') return null;
    const frame = Math.floor(paddr / PAGE_SIZE);
    machine.memoryManager.contents.readBytes(frame, paddr % PAGE_SIZE, out, 0, length);
    return out;
  }
  // Not mapped yet (a file page, a lazily committed page): what a load would see, byte by byte.
  for (let i = 0; i < length; i++) {
    const value = machine.peek(target, at + i, 1);
    if (value === null) return null;
    out[i] = Number(value);
  }
  return out;
}

/** Why a page cannot be written by the debugger, or null when it can. */
function frameRefusal(machine: Machine, frame: number): string | null {
  const mm = machine.memoryManager;
  if (!isRam(machine, frame * PAGE_SIZE)) return 'outside usable RAM';
  if (frame === mm.sharedZeroFrame) return 'the shared zero page';
  if (frame === mm.lazyCommittedFrame) return 'the lazy committed page';
  // An allocated frame whose storage link is a table slot (<= -2) holds a paging structure.
  const isTable = mm.entries.isAllocated(frame) && mm.entries.link[frame]! <= -2;
  if (isTable || Object.values(mm.bootFrames).includes(frame)) return 'a paging structure';
  return null;
}

export interface WriteResult {
  readonly written: number;
  /** Why writing stopped before the end, when it did. */
  readonly stoppedBecause: string | null;
}

/**
 * Stores bytes. Virtual writes reach only pages that are mapped present and held by one owner (a
 * shared or copy-on-write frame would change every sharer, which no real poke through one address
 * space does); physical writes reach any RAM frame except the tag pages and paging structures.
 */
export function writeMemory(
  machine: Machine,
  space: MemorySpace,
  address: number,
  data: Uint8Array,
): WriteResult {
  const contents = machine.memoryManager.contents;
  let written = 0;
  while (written < data.length) {
    const at = address + written;
    let paddr: number;
    if (space.kind === 'physical') paddr = at;
    else {
      const target = space.space;
      const translated = target !== 'kernel' && !target.alive ? null : machine.translate(target, at);
      if (translated === null) return { written, stoppedBecause: `0x${at.toString(16)} is not mapped` };
      const page = machine.page(translated);
      if (page !== null && page.refCount > 1)
        return {
          written,
          stoppedBecause: `0x${at.toString(16)} maps a shared page (ref count ${page.refCount})`,
        };
      paddr = translated;
    }
    const frame = Math.floor(paddr / PAGE_SIZE);
    const refusal = frameRefusal(machine, frame);
    if (refusal !== null) return { written, stoppedBecause: `0x${at.toString(16)} is in ${refusal}` };
    const n = Math.min(PAGE_SIZE - (paddr % PAGE_SIZE), data.length - written);
    contents.writeBytes(frame, paddr % PAGE_SIZE, data, written, n);
    written += n;
  }
  return { written, stoppedBecause: null };
}
