// The facade of the engine: one simulated machine. Every operation of the scenario language is
// one call here. Mutating calls return a result with the errno or panic they ended in; what they
// changed is recorded as events (`takeEvents`). Inspection calls never change anything.

import type { AllocationStrategy } from './AnonymousVMObject';
import { Cloner } from './Checkpoint';
import type { CommittedPhysicalPageSet } from './CommittedPhysicalPageSet';
import { KERNEL_MAPPING_BASE, PAGE_SIZE, isUserAddress, pageOffset } from './constants';
import { type Errno, type ErrorOr, KernelPanic } from './errors';
import type { AccessKind, MemoryEvent } from './events';
import { EventLog, KERNEL_SPACE_ID } from './events';
import type { Inode, OpenFlags } from './FileSystem';
import { BootError, DEFAULT_MACHINE_OPTIONS, type MachineOptions, MemoryManager } from './MemoryManager';
import { ACCESS_OK, FAULT_NOT_PRESENT, WalkState, checkAccess, walkedEntries } from './Mmu';
import type { PageDirectory } from './PageDirectory';
import type { PageFault } from './PageFault';
import { type DecodedPte, type MemoryType, decodePte } from './PageTableEntry';
import { ENTRY_ALLOCATED, ENTRY_MAY_RETURN } from './PhysicalPageEntry';
import { DEFAULT_PROCESS_OPTIONS, type Process, type ProcessOptions } from './Process';
import type { Region } from './Region';
import { dumpMachineState } from './stateDump';
import * as sys from './Syscalls';
import { verifyInvariants } from './verifyInvariants';
import { NULL_FRAME } from './VMObject';
import { type UndoLog, noteField, noteMapKey, noteRemoval, noteSetMember, recordUndo } from './UndoLog';

/**
 * The outcome of a call: a value, an errno, a crash of the calling process at syscall entry (it
 * is dead), or a kernel panic (the machine is halted).
 */
export type Result<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'errno'; errno: Errno }
  | { kind: 'crash'; message: string }
  | { kind: 'panic'; message: string };

export type AccessStatus = 'ok' | 'crash' | 'oom' | 'bus_error' | 'panic';
export type HandledFault = 'zero_fault' | 'cow_fault' | 'inode_fault';

/** The outcome of a load, store or instruction fetch. */
export interface AccessResult {
  readonly status: AccessStatus;
  /** Faults handled with Continue on the way, in order. */
  readonly handled: readonly HandledFault[];
  /** The value loaded (little endian), for reads that succeeded; null otherwise. */
  readonly value: bigint | null;
  /** For `panic`: what the kernel would print. */
  readonly message: string | null;
}

/** Who performs an access: a process (user mode unless told otherwise) or the kernel itself. */
export type AccessTarget = Process | 'kernel';

export interface AccessOptions {
  /** `kernel` runs a kernel-mode access in the process's address space (copy_to_user and friends). */
  mode?: 'user' | 'kernel';
  /** RFLAGS.AC set: SMAP is lifted for this kernel-mode access. */
  smapDisabled?: boolean;
}

export type Width = 1 | 2 | 4 | 8;

export interface PhysicalPageInfo {
  paddr: number;
  refCount: number;
  /** Index of the zone in `zones()`, or null for a frame outside every zone. */
  zone: number | null;
  isSharedZeroPage: boolean;
  isLazyCommittedPage: boolean;
  mayReturnToFreeList: boolean;
}

export interface ZoneInfo {
  base: number;
  pageCount: number;
  available: number;
  /** Chunk indices of free blocks per order 0..12 (list order). */
  freeBlocks(order: number): number[];
}

export interface MemoryCounters {
  physicalPages: number;
  physicalPagesUsed: number;
  physicalPagesCommitted: number;
  physicalPagesUncommitted: number;
  freePages: number;
}

export interface Mapping {
  space: number;
  vaddr: number;
  region: Region | null;
}

/** A saved machine; `extra` is whatever the caller saved with it (cloned consistently). */
export interface Checkpoint<T> {
  readonly state: MemoryManager;
  readonly extra: T;
  /** About how many bytes the checkpoint holds of its own (storage shared with the machine is not counted). */
  readonly bytes: number;
}

const NO_FAULTS: readonly HandledFault[] = Object.freeze([]);
const OK_NO_FAULTS: AccessResult = Object.freeze({
  status: 'ok',
  handled: NO_FAULTS,
  value: null,
  message: null,
});
const MAX_FAULT_RETRIES = 8;

/** Byte `i` (little endian) of a value `width` bytes wide. */
function byteOf(value: number | bigint, i: number, width: number): number {
  if (typeof value !== 'number') return Number((value >> BigInt(8 * i)) & 0xffn);
  return width <= 4 ? (value >>> (8 * i)) & 0xff : Math.floor(value / 2 ** (8 * i)) % 256;
}

/** What an access in progress needs on its way through its pages (one reused object). */
class AccessInProgress {
  process: Process | null = null;
  pd: PageDirectory | null = null;
  kind: AccessKind = 'read';
  userMode = false;
  smapDisabled = false;
  /** Faults handled with Continue so far, in order. */
  handled: HandledFault[] | null = null;
  /** How the access ended when a page could not be had. */
  failure: AccessResult | null = null;
}

export class Machine {
  private mm: MemoryManager;
  private readonly log: EventLog;
  private readonly walkState = new WalkState();
  /** The fast path's walk result: permissions, then where the PDE and PTE lie (for markAccessed). */
  private readonly permissions = new Int32Array(3);
  private readonly accessState = new AccessInProgress();

  private constructor(mm: MemoryManager, log: EventLog) {
    this.mm = mm;
    this.log = log;
  }

  /** Boots a machine. Throws BootError (with a message) for impossible options or memory maps. */
  static boot(options: Partial<MachineOptions> = {}): Machine {
    const log = new EventLog();
    const full: MachineOptions = { ...DEFAULT_MACHINE_OPTIONS, ...options } as MachineOptions;
    let mm: MemoryManager;
    try {
      mm = new MemoryManager(full, log);
    } catch (e) {
      // A machine too small for what the memory manager sets up at boot panics as the kernel would;
      // there is no machine to halt yet, so it is a boot failure that says so.
      if (e instanceof KernelPanic) throw new BootError(`the kernel panics while booting: ${e.message}`);
      throw e;
    }
    log.take();
    return new Machine(mm, log);
  }

  /** The memory manager itself, for views and tests that need every detail. */
  get memoryManager(): MemoryManager {
    return this.mm;
  }

  get options(): MachineOptions {
    return this.mm.options;
  }

  /** Non-null once the machine has panicked: the panic message. */
  get halted(): string | null {
    return this.mm.halted;
  }

  // Events ---------------------------------------------------------------------------------------

  /** Everything recorded since the last call, in order. */
  takeEvents(): MemoryEvent[] {
    return this.log.take();
  }

  /** Recording costs time; benchmarks and bulk replays can switch it off. */
  setEventRecording(enabled: boolean): void {
    this.log.enabled = enabled;
  }

  // Guarding -------------------------------------------------------------------------------------

  private run<T>(operation: () => ErrorOr<T>): Result<T> {
    if (this.mm.halted !== null) return { kind: 'panic', message: this.mm.halted };
    try {
      const r = operation();
      return r.ok ? { kind: 'ok', value: r.value } : { kind: 'errno', errno: r.errno };
    } catch (e) {
      if (e instanceof KernelPanic) return { kind: 'panic', message: this.panic(e.message) };
      throw e;
    }
  }

  private panic(message: string): string {
    noteField(this.mm, 'halted');
    this.mm.halted = message;
    if (this.log.enabled) this.log.push({ kind: 'panic', message });
    return message;
  }

  private alive(process: Process): ErrorOr<Process> {
    return process.alive ? { ok: true, value: process } : { ok: false, errno: 'ESRCH' };
  }

  // Processes ------------------------------------------------------------------------------------

  createProcess(name: string, options: Partial<ProcessOptions> = {}): Result<Process> {
    return this.run(() => sys.createProcess(this.mm, name, { ...DEFAULT_PROCESS_OPTIONS, ...options }));
  }

  fork(parent: Process, childName = `${parent.name}-child`): Result<Process> {
    return this.syscall(parent, () => sys.sysFork(this.mm, parent, childName));
  }

  exit(process: Process): Result<void> {
    return this.run(() => {
      const p = this.alive(process);
      if (!p.ok) return p;
      sys.killProcess(this.mm, process, 'exit');
      return { ok: true, value: undefined };
    });
  }

  /** Processes by pid (alive or dead). Use it to find handles again after `restore`. */
  process(pid: number): Process | null {
    return this.mm.processes.get(pid) ?? null;
  }

  processes(): Process[] {
    return [...this.mm.processes.values()];
  }

  // System calls ---------------------------------------------------------------------------------

  /** A call in the process's context (what the kernel does on its behalf), not a syscall. */
  private inProcess<T>(process: Process, call: () => ErrorOr<T>): Result<T> {
    return this.run(() => {
      const p = this.alive(process);
      if (!p.ok) return p;
      noteField(this.mm, 'currentProcess');
      this.mm.currentProcess = process;
      return call();
    });
  }

  /** A system call: the syscall entry validates the caller first, and may crash it. */
  private syscall<T>(process: Process, call: () => ErrorOr<T>): Result<T> {
    const entry: { crash: string | null } = { crash: null };
    const result = this.inProcess(process, () => {
      entry.crash = sys.validateSyscallPreconditions(this.mm, process);
      return entry.crash === null ? call() : { ok: false, errno: 'ESRCH' };
    });
    return entry.crash === null ? result : { kind: 'crash', message: entry.crash };
  }

  mmap(process: Process, args: sys.MmapArguments): Result<number> {
    return this.syscall(process, () => sys.sysMmap(this.mm, process, args));
  }
  munmap(process: Process, addr: number, size: number): Result<void> {
    return this.syscall(process, () => sys.sysMunmap(this.mm, process, addr, size));
  }
  mprotect(process: Process, addr: number, size: number, prot: number): Result<void> {
    return this.syscall(process, () => sys.sysMprotect(this.mm, process, addr, size, prot));
  }
  madvise(process: Process, addr: number, size: number, advice: number): Result<number> {
    return this.syscall(process, () => sys.sysMadvise(this.mm, process, addr, size, advice));
  }
  msync(process: Process, addr: number, size: number, flags: number): Result<void> {
    return this.syscall(process, () => sys.sysMsync(this.mm, process, addr, size, flags));
  }
  annotateMapping(process: Process, addr: number, flags: number): Result<void> {
    return this.syscall(process, () => sys.sysAnnotateMapping(this.mm, process, addr, flags));
  }
  setMmapName(process: Process, addr: number, size: number, name: string): Result<void> {
    return this.syscall(process, () => sys.sysSetMmapName(this.mm, process, addr, size, name));
  }
  prctl(process: Process, option: number, arg1 = 0, arg2 = 0): Result<number> {
    return this.syscall(process, () => sys.sysPrctl(process, option, arg1, arg2));
  }

  /**
   * Moves the process's user stack pointer (a register: any value is accepted). The next user
   * page fault or syscall validates it. Only a process with a thread stack has one to move.
   */
  setStackPointer(process: Process, sp: number): Result<void> {
    return this.run(() => {
      const p = this.alive(process);
      if (!p.ok) return p;
      if (process.stackRegion === null) return { ok: false, errno: 'EINVAL' };
      noteField(process, 'explicitStackPointer');
      process.explicitStackPointer = sp;
      return { ok: true, value: undefined };
    });
  }
  open(process: Process, path: string, flags: OpenFlags): Result<number> {
    return this.syscall(process, () => sys.sysOpen(this.mm, process, path, flags));
  }
  pwrite(process: Process, fd: number, offset: number, bytes: Uint8Array): Result<number> {
    return this.syscall(process, () => sys.sysPwrite(this.mm, process, fd, offset, bytes));
  }
  purge(mode: number): Result<number> {
    return this.run(() => sys.sysPurge(this.mm, mode));
  }

  /** AddressSpace::allocate_region (a non-mmap anonymous region). */
  allocateRegion(
    process: Process,
    randomize: boolean,
    vaddr: number,
    size: number,
    alignment: number,
    name: string,
    prot = sys.PROT_READ | sys.PROT_WRITE,
    strategy: AllocationStrategy = 'Reserve',
  ): Result<Region> {
    return this.inProcess(process, () =>
      process.space.allocateRegion(randomize, vaddr, size, alignment, name, prot, strategy),
    );
  }

  // Files ----------------------------------------------------------------------------------------

  /** Creates (or replaces) a file of `size` bytes, each `fill`. */
  createFile(path: string, size: number, fill = 0): Inode {
    return this.mm.fs.createFile(path, size, fill);
  }

  /** The file's stored bytes (null past its end). */
  filePeek(path: string, offset: number, width: Width = 1): bigint | null {
    const inode = this.mm.fs.lookup(path);
    if (inode === null || offset < 0 || offset + width > inode.size) return null;
    let value = 0n;
    for (let i = width - 1; i >= 0; i--) value = (value << 8n) | BigInt(inode.byteAt(offset + i));
    return value;
  }

  // Kernel memory manager API (Kernel/Memory/MemoryManager.h) ----------------------------------------------

  allocateKernelRegion(
    size: number,
    name: string,
    access: number,
    strategy: AllocationStrategy = 'Reserve',
    type: MemoryType = 'Normal',
  ): Result<Region> {
    return this.run(() => this.mm.allocateKernelRegion(size, name, access, strategy, type));
  }
  allocateContiguousKernelRegion(
    size: number,
    name: string,
    access: number,
    type: MemoryType = 'Normal',
  ): Result<Region> {
    return this.run(() => this.mm.allocateContiguousKernelRegion(size, name, access, type));
  }
  allocateDmaBufferPage(name: string, access: number, type: MemoryType = 'NonCacheable'): Result<Region> {
    return this.run(() => this.mm.allocateDmaBufferPage(name, access, type));
  }
  allocateDmaBufferPages(
    size: number,
    name: string,
    access: number,
    type: MemoryType = 'NonCacheable',
  ): Result<Region> {
    return this.run(() => this.mm.allocateDmaBufferPages(size, name, access, type));
  }
  allocateMmioKernelRegion(
    paddr: number,
    size: number,
    name: string,
    access: number,
    type: MemoryType = 'IO',
  ): Result<Region> {
    return this.run(() => this.mm.allocateMmioKernelRegion(paddr, size, name, access, type));
  }
  /** Unmaps and destroys a kernel region the scenario holds. */
  releaseKernelRegion(region: Region): Result<void> {
    return this.run(() => {
      if (!this.mm.kernelRegionTree.regions.includes(region)) return { ok: false, errno: 'EINVAL' };
      this.mm.releaseKernelRegion(region);
      return { ok: true, value: undefined };
    });
  }

  /** MM.allocate_physical_page(): the scenario holds the returned page's reference. */
  allocatePhysicalPage(zeroFill = true): Result<number> {
    return this.run(() => {
      const frame = this.mm.allocatePhysicalPage(zeroFill, 'scenario', KERNEL_SPACE_ID);
      if (frame < 0) return { ok: false, errno: 'ENOMEM' };
      this.holdPage(frame);
      return { ok: true, value: frame * PAGE_SIZE };
    });
  }

  private holdPage(frame: number): void {
    noteMapKey(this.mm.heldPages, frame);
    this.mm.heldPages.set(frame, (this.mm.heldPages.get(frame) ?? 0) + 1);
  }

  /** Drops the scenario's reference to a page it allocated. */
  releasePhysicalPage(paddr: number): Result<void> {
    return this.run(() => {
      const frame = paddr / PAGE_SIZE;
      const held = this.mm.heldPages.get(frame) ?? 0;
      if (held === 0) return { ok: false, errno: 'EINVAL' };
      noteRemoval(this.mm.heldPages);
      if (held === 1) this.mm.heldPages.delete(frame);
      else this.mm.heldPages.set(frame, held - 1);
      this.mm.unrefPage(frame);
      return { ok: true, value: undefined };
    });
  }

  /** MM.commit_physical_pages(count): a CommittedSet held by the scenario. */
  commitPhysicalPages(count: number): Result<CommittedPhysicalPageSet> {
    return this.run(() => {
      const set = this.mm.commitPhysicalPages(count);
      if (set.ok) {
        noteSetMember(this.mm.heldCommitments, set.value);
        this.mm.heldCommitments.add(set.value);
      }
      return set;
    });
  }

  /** CommittedSet.take_one(): the page is held by the scenario. */
  takeOneCommitted(set: CommittedPhysicalPageSet): Result<number> {
    return this.run(() => {
      const frame = set.takeOne('scenario', KERNEL_SPACE_ID);
      this.holdPage(frame);
      return { ok: true, value: frame * PAGE_SIZE };
    });
  }

  uncommitOne(set: CommittedPhysicalPageSet): Result<void> {
    return this.run(() => {
      set.uncommitOne();
      return { ok: true, value: undefined };
    });
  }

  /** Drops a CommittedSet: what is left is uncommitted. */
  releaseCommitted(set: CommittedPhysicalPageSet): Result<void> {
    return this.run(() => {
      set.release();
      noteRemoval(this.mm.heldCommitments);
      this.mm.heldCommitments.delete(set);
      return { ok: true, value: undefined };
    });
  }

  quickmapPage(paddr: number, type: MemoryType = 'Normal', cpu = 0): Result<number> {
    return this.run(() => ({ ok: true, value: this.mm.quickmapPage(paddr, type, cpu) }));
  }

  unquickmapPage(cpu = 0): Result<void> {
    return this.run(() => {
      this.mm.unquickmapPage(cpu);
      return { ok: true, value: undefined };
    });
  }

  // Accesses -------------------------------------------------------------------------------------

  read(target: AccessTarget, vaddr: number, width: Width = 1, options?: AccessOptions): AccessResult {
    return this.access(target, vaddr, width, 'read', null, 0, options);
  }

  /** Stores `value` (little endian, `width` bytes) or the given bytes. */
  write(
    target: AccessTarget,
    vaddr: number,
    value: number | bigint | Uint8Array,
    width: Width = 1,
    options?: AccessOptions,
  ): AccessResult {
    // The common case, a user-mode byte store that the MMU lets through, without detours.
    if (
      width === 1 &&
      options === undefined &&
      typeof value === 'number' &&
      typeof target !== 'string' &&
      target.alive &&
      this.mm.halted === null &&
      value >= 0 &&
      value < 256 &&
      (value | 0) === value
    ) {
      const pd = target.space.pageDirectory;
      const contents = this.mm.contents;
      const frame = contents.walkFromDirectory(pd.directoryPages, true, vaddr, this.permissions);
      // Writable (2) and user (1) at every level.
      if (frame >= 0 && (this.permissions[0]! & 3) === 3 && Number.isInteger(vaddr)) {
        if (contents.markAccessed(pd, vaddr, true, this.permissions)) this.noteAccessed(pd, vaddr, true);
        contents.writeByte(frame, pageOffset(vaddr), value);
        return OK_NO_FAULTS;
      }
    }
    if (value instanceof Uint8Array)
      return this.access(target, vaddr, value.length, 'write', value, 0, options);
    if (
      typeof value === 'number'
        ? !Number.isInteger(value) || value < 0 || value >= (width === 1 ? 256 : 2 ** (8 * width))
        : value < 0n || value >= 1n << BigInt(8 * width)
    )
      throw new RangeError(`value ${value} does not fit in ${width} bytes`);
    return this.access(target, vaddr, width, 'write', null, value, options);
  }

  exec(target: AccessTarget, vaddr: number, options?: AccessOptions): AccessResult {
    return this.access(target, vaddr, 1, 'execute', null, 0, options);
  }

  private access(
    target: AccessTarget,
    vaddr: number,
    length: number,
    kind: AccessKind,
    data: Uint8Array | null,
    value: number | bigint,
    options: AccessOptions | undefined,
  ): AccessResult {
    const mm = this.mm;
    if (mm.halted !== null) return { status: 'panic', handled: NO_FAULTS, value: null, message: mm.halted };
    if (!Number.isInteger(vaddr) || vaddr < 0 || vaddr + length > 2 ** 64 || length < 1)
      throw new RangeError(`bad access: ${vaddr} + ${length}`);
    const process = typeof target === 'string' ? null : target;
    if (process !== null && !process.alive) throw new RangeError(`process ${process.pid} is not alive`);
    const state = this.accessState;
    state.process = process;
    state.pd = this.pageDirectoryOf(target);
    state.kind = kind;
    state.userMode = process !== null && options?.mode !== 'kernel';
    state.smapDisabled = options?.smapDisabled === true;
    state.handled = null;
    state.failure = null;
    try {
      const offset = pageOffset(vaddr);
      // Within one page (nearly every access): no list of pages.
      if (offset + length <= PAGE_SIZE) {
        const pagePaddr = this.resolvePage(vaddr);
        if (pagePaddr < 0) return state.failure!;
        const frame = pagePaddr / PAGE_SIZE;
        let loaded: bigint | null = null;
        if (data !== null) this.mm.contents.writeBytes(frame, offset, data);
        else if (kind === 'write') this.storeValueInPage(frame, offset, value, length);
        else if (kind === 'read') loaded = this.loadValueInPage(pagePaddr + offset, length);
        return { status: 'ok', handled: state.handled ?? NO_FAULTS, value: loaded, message: null };
      }
      const firstPage = vaddr - offset;
      const lastPage = vaddr + length - 1 - pageOffset(vaddr + length - 1);
      const pageCount = (lastPage - firstPage) / PAGE_SIZE + 1;
      const paddrs = new Array<number>(pageCount);
      for (let p = 0; p < pageCount; p++) {
        const pagePaddr = this.resolvePage(p === 0 ? vaddr : firstPage + p * PAGE_SIZE);
        if (pagePaddr < 0) return state.failure!;
        paddrs[p] = pagePaddr;
      }
      let loaded: bigint | null = null;
      if (data !== null) this.storeBytes(paddrs, vaddr, data);
      else if (kind === 'write') this.storeValue(paddrs, vaddr, value, length);
      else if (kind === 'read') loaded = this.loadValue(paddrs, vaddr, length);
      return { status: 'ok', handled: state.handled ?? NO_FAULTS, value: loaded, message: null };
    } catch (e) {
      if (e instanceof KernelPanic)
        return {
          status: 'panic',
          handled: state.handled ?? NO_FAULTS,
          value: null,
          message: this.panic(e.message),
        };
      throw e;
    }
  }

  /**
   * Runs the MMU check for the page holding `at` and handles its faults until the access goes
   * through: the page's physical address, or -1 when the access ends (accessState.failure says how).
   */
  private resolvePage(at: number): number {
    const mm = this.mm;
    const state = this.accessState;
    const { process, pd, kind, userMode, smapDisabled } = state;
    for (let attempts = 0; ; attempts++) {
      const verdict = checkAccess(
        mm.contents,
        pd!,
        at,
        kind,
        userMode,
        mm.options.smap,
        smapDisabled,
        this.walkState,
      );
      if (verdict === ACCESS_OK) {
        // The hardware's part of an access that goes through: Accessed (and Dirty for a write).
        if (mm.contents.markAccessed(pd!, at, kind === 'write', walkedEntries))
          this.noteAccessed(pd!, at, kind === 'write');
        return this.walkState.pagePaddr;
      }
      if (attempts >= MAX_FAULT_RETRIES)
        throw new KernelPanic(`page fault at 0x${at.toString(16)} keeps recurring after Continue`);
      const fault: PageFault = {
        vaddr: at,
        access: kind,
        notPresent: verdict === FAULT_NOT_PRESENT,
        userMode,
        smapDisabled: smapDisabled || !mm.options.smap,
      };
      const response = mm.handlePageFault(process, fault);
      if (response === 'Continue') {
        const handler = mm.lastFaultHandler;
        if (handler !== 'none') {
          const handled = handler === 'zero' ? 'zero_fault' : handler === 'cow' ? 'cow_fault' : 'inode_fault';
          // A literal, not push() onto []: growing an empty array is a runtime call.
          if (state.handled === null) state.handled = [handled];
          else state.handled.push(handled);
        }
        continue;
      }
      if (!userMode)
        throw new KernelPanic(`kernel-mode page fault at 0x${at.toString(16)} (${kind}): ${response}`);
      const status: AccessStatus =
        response === 'OutOfMemory' ? 'oom' : response === 'BusError' ? 'bus_error' : 'crash';
      sys.killProcess(mm, process!, status === 'crash' ? 'crash' : status);
      state.failure = { status, handled: state.handled ?? NO_FAULTS, value: null, message: null };
      return -1;
    }
  }

  /** Reports the Accessed/Dirty bits an access set (a kernel address's PTE is the kernel's). */
  private noteAccessed(pd: PageDirectory, vaddr: number, dirty: boolean): void {
    if (!this.mm.events.enabled) return;
    const space = vaddr >= KERNEL_MAPPING_BASE ? KERNEL_SPACE_ID : pd.spaceId;
    this.mm.events.push({ kind: 'pte_accessed', space, vaddr: vaddr - pageOffset(vaddr), dirty });
  }

  /** Stores a little-endian number of `width` bytes at `offset` in one frame. */
  private storeValueInPage(frame: number, offset: number, value: number | bigint, width: number): void {
    const contents = this.mm.contents;
    for (let i = 0; i < width; i++) contents.writeByte(frame, offset + i, byteOf(value, i, width));
  }

  /** Loads a little-endian number of `length` bytes starting at `paddr`, within one frame. */
  private loadValueInPage(paddr: number, length: number): bigint {
    const contents = this.mm.contents;
    let value = 0n;
    for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(contents.readByte(paddr + i));
    return value;
  }

  private storeBytes(paddrs: number[], vaddr: number, data: Uint8Array): void {
    const contents = this.mm.contents;
    let offset = pageOffset(vaddr);
    let done = 0;
    for (let p = 0; done < data.length; p++) {
      const n = Math.min(PAGE_SIZE - offset, data.length - done);
      const frame = paddrs[p]! / PAGE_SIZE;
      if (n === 1) contents.writeByte(frame, offset, data[done]!);
      else contents.writeBytes(frame, offset, data, done, n);
      done += n;
      offset = 0;
    }
  }

  /** Stores a little-endian number of `width` bytes without building a byte array. */
  private storeValue(paddrs: number[], vaddr: number, value: number | bigint, width: number): void {
    const contents = this.mm.contents;
    const firstPage = Math.floor(vaddr / PAGE_SIZE);
    for (let i = 0; i < width; i++) {
      const at = vaddr + i;
      const frame = paddrs[Math.floor(at / PAGE_SIZE) - firstPage]! / PAGE_SIZE;
      contents.writeByte(frame, pageOffset(at), byteOf(value, i, width));
    }
  }

  private loadValue(paddrs: number[], vaddr: number, length: number): bigint {
    let value = 0n;
    for (let i = length - 1; i >= 0; i--) {
      const at = vaddr + i;
      const page = Math.floor(at / PAGE_SIZE) - Math.floor(vaddr / PAGE_SIZE);
      value = (value << 8n) | BigInt(this.mm.contents.readByte(paddrs[page]! + pageOffset(at)));
    }
    return value;
  }

  // Inspection (side-effect free) ----------------------------------------------------------------

  /** The page directory an inspection of `target` walks, or null for a dead process. */
  private pageDirectoryOf(target: AccessTarget): PageDirectory | null {
    // `typeof`, not `=== 'kernel'`: optimized code compares a Process with a string constant
    // through a generic builtin call, and translation is an inspection hot path.
    // `=== true`: a plain truth test of a field is a generic ToBoolean in optimized code.
    if (typeof target === 'string') return this.mm.kernelPageDirectory;
    return target.alive === true ? target.space.pageDirectory : null;
  }

  /** The physical address an access would reach without faulting, or null. */
  translate(target: AccessTarget, vaddr: number): number | null {
    const pd = this.pageDirectoryOf(target);
    if (pd === null) return null;
    const paddr = this.mm.contents.translate(pd, vaddr);
    return paddr < 0 ? null : paddr;
  }

  /** The decoded PTE for vaddr, or null when no page table covers it. */
  pte(target: AccessTarget, vaddr: number): DecodedPte | null {
    const pd = this.pageDirectoryOf(target);
    if (pd === null) return null;
    const found = this.mm.lookupPte(pd, vaddr);
    return found === null ? null : decodePte(found[0], found[1]);
  }

  /** Region.physical_page(i): the physical address in the slot behind page i, null for none. */
  regionPhysicalPage(region: Region, i: number): number | null {
    if (i < 0 || i >= region.pageCount) return null;
    const frame = region.physicalPage(i);
    return frame === NULL_FRAME ? null : frame * PAGE_SIZE;
  }

  regionAt(target: AccessTarget, vaddr: number): Region | null {
    if (target === 'kernel') return this.mm.kernelRegionTree.findRegionContaining(vaddr);
    return target.alive ? target.space.regionTree.findRegionContaining(vaddr) : null;
  }

  /**
   * The value a load would see (a fault that would be handled is assumed handled: a file page
   * reads the file), or null where the load would crash (or hit a bus error).
   */
  peek(target: AccessTarget, vaddr: number, width: Width = 1, options?: AccessOptions): bigint | null {
    let value = 0n;
    for (let i = width - 1; i >= 0; i--) {
      const byte = this.peekByte(target, vaddr + i, options);
      if (byte === null) return null;
      value = (value << 8n) | BigInt(byte);
    }
    return value;
  }

  private peekByte(target: AccessTarget, vaddr: number, options?: AccessOptions): number | null {
    const mm = this.mm;
    const pd = this.pageDirectoryOf(target);
    if (pd === null) return null;
    const process = target === 'kernel' ? null : target;
    const userMode = process !== null && options?.mode !== 'kernel';
    const verdict = checkAccess(
      mm.contents,
      pd,
      vaddr,
      'read',
      userMode,
      mm.options.smap,
      options?.smapDisabled === true,
      this.walkState,
    );
    if (verdict === ACCESS_OK) return mm.contents.readByte(this.walkState.pagePaddr + (vaddr % PAGE_SIZE));
    // What would the fault handler do?
    if (
      userMode &&
      process !== null &&
      process.userStackPointer !== null &&
      !mm.validateUserStack(process, process.userStackPointer)
    )
      return null;
    const region = this.regionAt(process === null || !isUserAddress(vaddr) ? 'kernel' : process, vaddr);
    if (region === null || region.vmobject === null || !region.isReadable()) return null;
    if (userMode && region.isKernel()) return null;
    if (!userMode && region.isUser() && mm.options.smap && options?.smapDisabled !== true) return null;
    const object = region.vmobject;
    const i = region.pageIndexFromAddress(vaddr);
    if (object.kind === 'MMIO') return null;
    const frame = object.pages[region.firstPageIndex + i]!;
    if (frame !== NULL_FRAME) return mm.contents.readByte(frame * PAGE_SIZE + (vaddr % PAGE_SIZE));
    if (!object.isInode()) return null;
    const inode = (object as unknown as { inode: Inode }).inode;
    const pageStart = (region.firstPageIndex + i) * PAGE_SIZE;
    if (pageStart >= inode.size) return null;
    const at = pageStart + (vaddr % PAGE_SIZE);
    return at < inode.size ? inode.byteAt(at) : 0;
  }

  /** Physical memory as stored (zeros where a frame holds no buffer). */
  ppeek(paddr: number, width: Width = 1): bigint {
    let value = 0n;
    for (let i = width - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.mm.contents.readByte(paddr + i));
    return value;
  }

  /** The PhysicalRAMPage at paddr, or null if the frame is not an allocated page. */
  page(paddr: number): PhysicalPageInfo | null {
    const frame = Math.floor(paddr / PAGE_SIZE);
    const entries = this.mm.entries;
    if (frame < 0 || frame >= entries.count || (entries.flags[frame]! & ENTRY_ALLOCATED) === 0) return null;
    return {
      paddr: frame * PAGE_SIZE,
      refCount: entries.refCount[frame]!,
      zone: this.zoneIndexOf(frame),
      isSharedZeroPage: frame === this.mm.sharedZeroFrame,
      isLazyCommittedPage: frame === this.mm.lazyCommittedFrame,
      mayReturnToFreeList: (entries.flags[frame]! & ENTRY_MAY_RETURN) !== 0,
    };
  }

  private zoneIndexOf(frame: number): number | null {
    let index = 0;
    for (const region of this.mm.physicalRegions) {
      for (const zone of region.zones) {
        if (zone.containsFrame(frame)) return index;
        index++;
      }
    }
    return null;
  }

  /** Every (address space, vaddr) whose present PTE maps the physical page of `paddr`. */
  mappingsOf(paddr: number): Mapping[] {
    const mm = this.mm;
    const target = paddr - (paddr % PAGE_SIZE);
    const out: Mapping[] = [];
    const scan = (pd: PageDirectory, regions: readonly Region[]): void => {
      for (const region of regions) {
        if (region.pageDirectory !== pd) continue;
        for (let i = 0; i < region.pageCount; i++) {
          const vaddr = region.base + i * PAGE_SIZE;
          const found = mm.lookupPte(pd, vaddr);
          if (found === null || (found[0] & 1) === 0) continue;
          if (decodePte(found[0], found[1]).paddr === target) out.push({ space: pd.spaceId, vaddr, region });
        }
      }
    };
    scan(mm.kernelPageDirectory, mm.kernelRegionTree.regions);
    for (const slot of ['pt', 'pd', 'page'] as const) {
      for (let cpu = 0; cpu < mm.options.cpus; cpu++) {
        const vaddr = MemoryManager.quickmapVaddr(slot, cpu);
        const found = mm.lookupPte(mm.kernelPageDirectory, vaddr);
        if (found !== null && (found[0] & 1) !== 0 && decodePte(found[0], found[1]).paddr === target)
          out.push({ space: 0, vaddr, region: null });
      }
    }
    for (const process of mm.processes.values())
      if (process.alive) scan(process.space.pageDirectory, process.space.regions);
    return out;
  }

  counters(): MemoryCounters {
    const info = this.mm.info;
    return {
      physicalPages: info.physicalPages,
      physicalPagesUsed: info.physicalPagesUsed,
      physicalPagesCommitted: info.physicalPagesCommitted,
      physicalPagesUncommitted: info.physicalPagesUncommitted,
      freePages: this.mm.freePages(),
    };
  }

  zones(): ZoneInfo[] {
    const out: ZoneInfo[] = [];
    for (const region of this.mm.physicalRegions)
      for (const zone of region.zones)
        out.push({
          base: zone.basePaddr,
          pageCount: zone.pageCount,
          available: zone.available(),
          freeBlocks: (order: number) => zone.freeBlocks(order),
        });
    return out;
  }

  kernelRegions(): readonly Region[] {
    return this.mm.kernelRegionTree.regions;
  }

  // Checking and checkpoints -----------------------------------------------------------------------

  /** Every violated invariant, as sentences; empty when the machine is consistent. */
  verifyInvariants(): string[] {
    return verifyInvariants(this.mm);
  }

  /** A plain, deterministic description of the whole state (for comparisons and debugging). */
  dumpState(): unknown {
    return dumpMachineState(this.mm);
  }

  /**
   * Runs `change` (any operations on this machine) while an undo log records everything they
   * change. Undoing the log later puts the machine back as it was before, keeping every handle
   * (Process, Region) valid; its cost follows what changed, not the machine's size.
   */
  recordUndo(change: () => void): UndoLog {
    return recordUndo(this.mm, change);
  }

  /**
   * Undoes a log recorded on this machine. Logs must be undone newest first, and only while the
   * machine still holds the state they were recorded on (a `restore` starts a new state).
   */
  undo(log: UndoLog): void {
    if (log.owner !== this.mm) throw new Error('this change log belongs to another machine state');
    log.undo();
  }

  /**
   * Undoes a log recorded on this machine and returns the redo log of that undo: `undo(redo)`
   * puts the state from before this call back, with the same objects, and makes `log` usable
   * again. A debugger looks at an earlier step this way without invalidating anyone's handles.
   */
  undoKeepingRedo(log: UndoLog): UndoLog {
    if (log.owner !== this.mm) throw new Error('this change log belongs to another machine state');
    return log.undoKeepingRedo();
  }

  /**
   * A second machine in the state of a checkpoint, with its own event log, and the checkpoint's
   * `extra` with handles into it: a past state to look at while this machine stays as it is.
   */
  static fromCheckpoint<T>(checkpoint: Checkpoint<T>): { machine: Machine; extra: T } {
    const log = new EventLog();
    const cloner = new Cloner();
    cloner.substitute(checkpoint.state.events, log);
    const mm = cloner.clone(checkpoint.state);
    return { machine: new Machine(mm, log), extra: cloner.clone(checkpoint.extra) };
  }

  /**
   * Saves the machine. `extra` (e.g. the interpreter's variables holding Region or Process handles)
   * is copied together with the state so that its handles point into the checkpoint.
   */
  checkpoint<T = undefined>(extra?: T): Checkpoint<T> {
    const cloner = new Cloner();
    const state = cloner.clone(this.mm);
    return { state, extra: cloner.clone(extra as T), bytes: cloner.estimatedBytes };
  }

  /**
   * Puts the machine back to a checkpoint (which stays usable for later restores) and returns the
   * checkpoint's `extra`, whose handles point into the restored machine.
   */
  restore<T>(checkpoint: Checkpoint<T>): T {
    const cloner = new Cloner();
    this.mm = cloner.clone(checkpoint.state);
    return cloner.clone(checkpoint.extra);
  }
}

export { BootError };
