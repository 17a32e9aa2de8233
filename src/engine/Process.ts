// A process as far as memory is concerned: its address space, main-thread stack and stack
// pointer, the W^X options of its executable, open files and the per-thread fault counters.

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
  /** prctl(PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT) was called at startup. */
  noWToX: boolean;
}

/**
 * A real SerenityOS program: Base/etc/fstab mounts /bin without wxallowed or axallowed, and
 * LibELF/DynamicLinker.cpp issues PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT before
 * it jumps to the program. A JIT or a test relaxes what it needs.
 */
export const DEFAULT_PROCESS_OPTIONS: ProcessOptions = {
  stackSize: 0,
  axAllowed: false,
  wxAllowed: false,
  noWToX: true,
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
  /**
   * Set once by prctl(PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT) (a SetOnce in the
   * kernel's protected data): mprotect refuses PROT_EXEC on a region that has been writable.
   */
  rejectTransitionToExecutableFromWritableProt: boolean;
  /**
   * The user stack pointer when the scenario moved it (`set_sp`); null means the top of the
   * main-thread stack, where the thread starts.
   */
  explicitStackPointer: number | null = null;

  constructor(
    readonly pid: number,
    readonly name: string,
    readonly space: AddressSpace,
    readonly options: ProcessOptions,
    readonly parentPid: number | null,
  ) {
    this.rejectTransitionToExecutableFromWritableProt = options.noWToX;
  }

  /**
   * The user stack pointer the fault handler and the syscall entry validate, or null for a
   * process without a thread stack (nothing is validated then). It is the top of the main stack
   * until the scenario moves it; a moved pointer is just a register and may point anywhere.
   */
  get userStackPointer(): number | null {
    if (this.stackRegion === null) return null;
    return this.explicitStackPointer ?? this.stackRegion.end;
  }
}
