// A process as far as memory is concerned: its address space, main-thread stack, the W^X
// options of its executable, open files and the per-thread fault counters.

import type { AddressSpace } from './AddressSpace';
import type { OpenFileDescription } from './FileSystem';
import type { Region } from './Region';

export interface ProcessOptions {
  /** Size of the main-thread stack region; 0 = no thread stack (no stack-pointer checks). */
  stackSize: number;
  /** The executable's mount has MS_AXALLOWED (anonymous executable memory allowed). */
  axAllowed: boolean;
  /** The executable's mount has MS_WXALLOWED (writable+executable allowed). */
  wxAllowed: boolean;
  /** prctl(PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT) was called. */
  noWToX: boolean;
}

export const DEFAULT_PROCESS_OPTIONS: ProcessOptions = {
  stackSize: 0,
  axAllowed: true,
  wxAllowed: true,
  noWToX: false,
};

/** Counters the kernel keeps per thread; a process here has one thread. */
export class ThreadCounters {
  zeroFaults = 0;
  cowFaults = 0;
  inodeFaults = 0;
}

export type DeathReason = 'exit' | 'crash' | 'oom' | 'bus_error';

export class Process {
  alive = true;
  deathReason: DeathReason | null = null;
  stackRegion: Region | null = null;
  readonly counters = new ThreadCounters();
  readonly fds = new Map<number, OpenFileDescription>();
  nextFd = 3;
  threadCount = 1;

  constructor(
    readonly pid: number,
    readonly name: string,
    readonly space: AddressSpace,
    readonly options: ProcessOptions,
    readonly parentPid: number | null,
  ) {}

  /** The user stack pointer the fault handler validates: the top of the main stack. */
  get userStackPointer(): number | null {
    return this.stackRegion === null ? null : this.stackRegion.end;
  }
}
