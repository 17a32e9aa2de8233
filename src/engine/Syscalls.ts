// The memory system calls of a process (`Kernel/Syscalls/mmap.cpp`, `fork.cpp`, `prctl.cpp`) with their errno order, plus the
// process lifecycle (creation with an optional main-thread stack, fork, exit), the checks every
// syscall entry runs, prctl, and the two file calls the scenarios need (open, pwrite).

import { AddressSpace } from './AddressSpace';
import type { AnonymousVMObject } from './AnonymousVMObject';
import { AnonymousVMObject as Anonymous } from './AnonymousVMObject';
import {
  PAGE_SIZE,
  PATH_MAX,
  expandRangeToPageBoundaries,
  isUserAddress,
  isUserRange,
  pageRoundUp,
} from './constants';
import { type Errno, type ErrorOr, err, ok, verify } from './errors';
import { OpenFileDescription, type OpenFlags } from './FileSystem';
import type { MemoryManager } from './MemoryManager';
import { PrivateInodeVMObject } from './PrivateInodeVMObject';
import { type DeathReason, Process, type ProcessOptions } from './Process';
import { ACCESS_EXECUTE, ACCESS_NONE, ACCESS_READ, ACCESS_WRITE, type Region } from './Region';
import { SharedInodeVMObject } from './SharedInodeVMObject';
import type { VMObject } from './VMObject';
import { noteField, noteMapKey, noteObject, noteRemoval } from './UndoLog';

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_STACK = 0x40;
export const MAP_NORESERVE = 0x80;
export const MAP_RANDOMIZED = 0x100;
export const MAP_PURGEABLE = 0x200;
export const MAP_FIXED_NOREPLACE = 0x400;
export const MADV_SET_VOLATILE = 1;
export const MADV_SET_NONVOLATILE = 2;
export const MS_SYNC = 1;
export const MS_ASYNC = 2;
export const MS_INVALIDATE = 4;
export const VIRTUAL_MEMORY_RANGE_SYSCALL_CODE = 1;
export const VIRTUAL_MEMORY_RANGE_IMMUTABLE = 2;
export const PURGE_ALL_VOLATILE = 1;
export const PURGE_ALL_CLEAN_INODE = 2;
// Kernel/API/prctl_numbers.h
export const PR_SET_DUMPABLE = 1;
export const PR_GET_DUMPABLE = 2;
export const PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS = 3;
export const PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS = 4;
export const PR_SET_COREDUMP_METADATA_VALUE = 5;
export const PR_SET_PROCESS_NAME = 6;
export const PR_GET_PROCESS_NAME = 7;
export const PR_SET_THREAD_NAME = 8;
export const PR_GET_THREAD_NAME = 9;
export const PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT = 10;
export const PR_SET_JAILED_UNTIL_EXIT = 11;
export const PR_SET_JAILED_UNTIL_EXEC = 12;

export interface MmapArguments {
  addr: number;
  size: number;
  prot: number;
  flags: number;
  fd?: number | null;
  offset?: number;
  name?: string;
  alignment?: number;
}

/** validate_mmap_prot: the W^X policy. */
export function validateMmapProt(
  process: Process,
  prot: number,
  mapStack: boolean,
  mapAnonymous: boolean,
  region: Region | null,
): Errno | null {
  const exec = (prot & PROT_EXEC) !== 0;
  const write = (prot & PROT_WRITE) !== 0;
  if (mapAnonymous && exec && !process.options.axAllowed) return 'EINVAL';
  if (mapStack && exec) return 'EINVAL';
  if (process.options.wxAllowed) return null;
  if (write && exec) return 'EINVAL';
  if (region !== null) {
    if (write && region.hasBeenExecutable) return 'EINVAL';
    if (exec && region.hasBeenWritable && process.rejectTransitionToExecutableFromWritableProt)
      return 'EINVAL';
  }
  return null;
}

/** validate_inode_mmap_prot. */
export function validateInodeMmapProt(
  prot: number,
  readable: boolean,
  writable: boolean,
  shared: boolean,
): Errno | null {
  if ((prot & PROT_READ) !== 0 && !readable) return 'EACCES';
  if (shared && (prot & PROT_WRITE) !== 0 && !writable) return 'EACCES';
  return null;
}

export function sysMmap(mm: MemoryManager, process: Process, args: MmapArguments): ErrorOr<number> {
  const { prot, flags } = args;
  const alignment = args.alignment === undefined || args.alignment === 0 ? PAGE_SIZE : args.alignment;
  const name = args.name ?? '';
  const offset = args.offset ?? 0;
  const shared = (flags & MAP_SHARED) !== 0;
  const isPrivate = (flags & MAP_PRIVATE) !== 0;
  const fixed = (flags & MAP_FIXED) !== 0;
  const noReplace = (flags & MAP_FIXED_NOREPLACE) !== 0;
  const anonymous = (flags & MAP_ANONYMOUS) !== 0;
  const stack = (flags & MAP_STACK) !== 0;
  const randomized = (flags & MAP_RANDOMIZED) !== 0;

  if (alignment % PAGE_SIZE !== 0) return err('EINVAL');
  if (args.size === 0) return err('EINVAL');
  const roundedSize = pageRoundUp(args.size);
  if (roundedSize === null) return err('EINVAL');
  let addr = args.addr;
  if (fixed || noReplace) {
    if (!isUserRange(addr, roundedSize)) return err('EFAULT');
    if (addr % PAGE_SIZE !== 0) return err('EINVAL');
  }
  if (name.length > PATH_MAX) return err('ENAMETOOLONG');
  if (shared && isPrivate) return err('EINVAL');
  if (!shared && !isPrivate) return err('EINVAL');
  if ((fixed || noReplace) && randomized) return err('EINVAL');
  const protError = validateMmapProt(process, prot, stack, anonymous, null);
  if (protError !== null) return err(protError);
  if (stack && !(isPrivate && anonymous)) return err('EINVAL');
  if (!fixed && !noReplace) addr = 0;

  let object: VMObject;
  let fdReadable = false;
  let fdWritable = false;
  if (anonymous) {
    const strategy = (flags & MAP_NORESERVE) !== 0 ? 'None' : 'Reserve';
    const created = Anonymous.tryCreateWithSize(
      mm,
      roundedSize,
      strategy,
      process.pid,
      (flags & MAP_PURGEABLE) !== 0,
    );
    if (!created.ok) return err(created.errno);
    object = created.value;
  } else {
    if (offset < 0) return err('EINVAL');
    if (offset % PAGE_SIZE !== 0) return err('EINVAL');
    const description = args.fd == null ? undefined : process.fds.get(args.fd);
    if (description === undefined) return err('EBADF');
    if (!description.readable) return err('EACCES');
    if (shared && (prot & PROT_WRITE) !== 0 && !description.writable) return err('EACCES');
    const inodeError = validateInodeMmapProt(prot, description.readable, description.writable, shared);
    if (inodeError !== null) return err(inodeError);
    fdReadable = description.readable;
    fdWritable = description.writable;
    const created = shared
      ? SharedInodeVMObject.forInode(mm, description.inode, offset + roundedSize)
      : PrivateInodeVMObject.create(mm, description.inode, offset + roundedSize);
    if (!created.ok) return err(created.errno);
    object = created.value;
  }

  if (fixed) {
    const unmapped = object.holdDuring(() => unmapMmapRange(mm, process, addr, args.size));
    if (!unmapped.ok) {
      object.releaseIfUnused();
      return err(unmapped.errno);
    }
  }
  const region = process.space.allocateRegionWithVMObject(
    randomized,
    addr,
    roundedSize,
    alignment,
    object,
    offset,
    name,
    prot,
    shared,
  );
  if (!region.ok) return err(region.errno);
  const r = region.value;
  r.mmap = true;
  r.mmappedFromReadable = fdReadable;
  r.mmappedFromWritable = fdWritable;
  if (stack) r.stack = true;
  return ok(r.base);
}

function intersection(region: Region, base: number, size: number): { base: number; size: number } {
  const start = Math.max(region.base, base);
  const end = Math.min(region.end, base + size);
  return { base: start, size: end - start };
}

/** Maps freshly split pieces; the first failure is the result. */
function mapPieces(process: Process, pieces: Region[]): ErrorOr<void> {
  for (const piece of pieces) {
    const mapped = piece.map(process.space.pageDirectory);
    if (!mapped.ok) return mapped;
  }
  return ok(undefined);
}

/** AddressSpace::unmap_mmap_range (what sys$munmap does). */
export function unmapMmapRange(
  mm: MemoryManager,
  process: Process,
  addr: number,
  size: number,
): ErrorOr<void> {
  void mm;
  if (size === 0) return err('EINVAL');
  const range = expandRangeToPageBoundaries(addr, size);
  if (range === null) return err('EINVAL');
  if (!isUserRange(range.base, range.size)) return err('EFAULT');
  const space = process.space;
  const exact = space.findRegionFromRange(range.base, range.size);
  if (exact !== null) {
    if (!exact.mmap || exact.immutable) return err('EPERM');
    space.deallocateRegion(exact);
    return ok(undefined);
  }
  const containing = space.findRegionContaining(range.base, range.size);
  if (containing !== null) {
    if (!containing.mmap || containing.immutable) return err('EPERM');
    space.takeRegion(containing);
    containing.unmap();
    const pieces = space.trySplitRegionAroundRange(containing, range.base, range.size);
    containing.destroy();
    return mapPieces(process, pieces);
  }
  const regions = space.findRegionsIntersecting(range.base, range.size);
  if (regions.length === 0) return ok(undefined);
  for (const region of regions) if (!region.mmap || region.immutable) return err('EPERM');
  const pieces: Region[] = [];
  for (const region of regions) {
    if (region.base >= range.base && region.end <= range.base + range.size) {
      space.deallocateRegion(region);
      continue;
    }
    space.takeRegion(region);
    region.unmap();
    const hole = intersection(region, range.base, range.size);
    pieces.push(...space.trySplitRegionAroundRange(region, hole.base, hole.size));
    region.destroy();
  }
  return mapPieces(process, pieces);
}

export function sysMunmap(mm: MemoryManager, process: Process, addr: number, size: number): ErrorOr<void> {
  return unmapMmapRange(mm, process, addr, size);
}

/** The checks mprotect runs on every region it touches. */
function checkMprotectRegion(process: Process, region: Region, prot: number): Errno | null {
  if (!region.mmap || region.immutable) return 'EPERM';
  const object = region.vmobject;
  const protError = validateMmapProt(
    process,
    prot,
    region.stack,
    object !== null && object.isAnonymous(),
    region,
  );
  if (protError !== null) return protError;
  return null;
}

function checkInodeProt(region: Region, prot: number): Errno | null {
  if (region.vmobject === null || !region.vmobject.isInode()) return null;
  return validateInodeMmapProt(prot, region.mmappedFromReadable, region.mmappedFromWritable, region.shared);
}

export function sysMprotect(
  mm: MemoryManager,
  process: Process,
  addr: number,
  size: number,
  prot: number,
): ErrorOr<void> {
  void mm;
  const range = expandRangeToPageBoundaries(addr, size);
  if (range === null) return err('EINVAL');
  if (range.size === 0) return err('EINVAL');
  if (!isUserRange(range.base, range.size)) return err('EFAULT');
  const space = process.space;
  const access = prot & (ACCESS_READ | ACCESS_WRITE | ACCESS_EXECUTE);

  const exact = space.findRegionFromRange(range.base, range.size);
  if (exact !== null) {
    const e = checkMprotectRegion(process, exact, prot);
    if (e !== null) return err(e);
    if (exact.access === access) return ok(undefined);
    const inodeError = checkInodeProt(exact, prot);
    if (inodeError !== null) return err(inodeError);
    exact.setAccess(access);
    exact.remap();
    return ok(undefined);
  }

  const containing = space.findRegionContaining(range.base, range.size);
  if (containing !== null) {
    const e = checkMprotectRegion(process, containing, prot);
    if (e !== null) return err(e);
    if (containing.access === access) return ok(undefined);
    const inodeError = checkInodeProt(containing, prot);
    if (inodeError !== null) return err(inodeError);
    space.takeRegion(containing);
    containing.unmap();
    const adjacent = space.trySplitRegionAroundRange(containing, range.base, range.size);
    const piece = space.tryAllocateSplitRegion(
      containing,
      range,
      containing.offsetInVMObject + (range.base - containing.base),
    );
    piece.setAccess(access);
    containing.destroy();
    const mapped = mapPieces(process, [...adjacent, piece]);
    return mapped;
  }

  const regions = space.findRegionsIntersecting(range.base, range.size);
  if (regions.length === 0) return err('EINVAL');
  let covered = 0;
  for (const region of regions) {
    const e = checkMprotectRegion(process, region, prot) ?? checkInodeProt(region, prot);
    if (e !== null) return err(e);
    covered += intersection(region, range.base, range.size).size;
  }
  if (covered !== range.size) return err('ENOMEM');
  for (const region of regions) {
    if (region.access === access) continue;
    if (region.base >= range.base && region.end <= range.base + range.size) {
      region.setAccess(access);
      region.remap();
      continue;
    }
    const part = intersection(region, range.base, range.size);
    space.takeRegion(region);
    region.unmap();
    const adjacent = space.trySplitRegionAroundRange(region, part.base, part.size);
    verify(adjacent.length === 1, 'exactly one adjacent piece');
    const piece = space.tryAllocateSplitRegion(
      region,
      part,
      region.offsetInVMObject + (part.base - region.base),
    );
    piece.setAccess(access);
    region.destroy();
    const mapped = mapPieces(process, [...adjacent, piece]);
    if (!mapped.ok) return mapped;
  }
  return ok(undefined);
}

/** sys$madvise: 1 if the object had been purged before the call, else 0. */
export function sysMadvise(
  mm: MemoryManager,
  process: Process,
  addr: number,
  size: number,
  advice: number,
): ErrorOr<number> {
  void mm;
  const range = expandRangeToPageBoundaries(addr, size);
  if (range === null) return err('EINVAL');
  if (range.size === 0) return err('EINVAL');
  if (!isUserRange(range.base, range.size)) return err('EFAULT');
  const region = process.space.findRegionFromRange(range.base, range.size);
  if (region === null) return err('EINVAL');
  if (!region.mmap || region.immutable) return err('EPERM');
  if (advice !== MADV_SET_VOLATILE && advice !== MADV_SET_NONVOLATILE) return err('EINVAL');
  const object = region.vmobject;
  if (object === null || object.kind !== 'Anonymous' || !(object as AnonymousVMObject).purgeable)
    return err('EINVAL');
  const result = (object as AnonymousVMObject).setVolatile(advice === MADV_SET_VOLATILE);
  if (!result.ok) return err(result.errno);
  return ok(result.value ? 1 : 0);
}

/**
 * sys$set_mmap_name (Kernel/Syscalls/mmap.cpp): the name's length is checked before the range;
 * unlike madvise there is no check for an empty or non-user range, the range must simply be
 * an exact region.
 */
export function sysSetMmapName(
  mm: MemoryManager,
  process: Process,
  addr: number,
  size: number,
  name: string,
): ErrorOr<void> {
  // The kernel counts the name in bytes.
  if (new TextEncoder().encode(name).length > PATH_MAX) return err('ENAMETOOLONG');
  const range = expandRangeToPageBoundaries(addr, size);
  if (range === null) return err('EINVAL');
  const region = process.space.findRegionFromRange(range.base, range.size);
  if (region === null) return err('EINVAL');
  if (!region.mmap) return err('EPERM');
  if (region.immutable) return err('EPERM');
  void mm;
  region.setName(name);
  return ok(undefined);
}

/**
 * The prctl options the kernel knows but the simulator leaves out (dumpable, coredump metadata,
 * process and thread names, jails): none of them touches memory management.
 */
export const PRCTL_OPTIONS_NOT_SIMULATED: ReadonlySet<number> = new Set([
  PR_SET_DUMPABLE,
  PR_GET_DUMPABLE,
  PR_SET_COREDUMP_METADATA_VALUE,
  PR_SET_PROCESS_NAME,
  PR_GET_PROCESS_NAME,
  PR_SET_THREAD_NAME,
  PR_GET_THREAD_NAME,
  PR_SET_JAILED_UNTIL_EXIT,
  PR_SET_JAILED_UNTIL_EXEC,
]);

/**
 * sys$prctl (Kernel/Syscalls/prctl.cpp) for the options that concern memory. An option the
 * kernel does not know is EINVAL. Callers refuse PRCTL_OPTIONS_NOT_SIMULATED before they get here.
 */
export function sysPrctl(process: Process, option: number, arg1: number, arg2: number): ErrorOr<number> {
  void arg2;
  switch (option) {
    case PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS:
      return ok(process.space.enforcesSyscallRegions ? 1 : 0);
    case PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS:
      // The only option that checks its argument: it must be 0.
      if (arg1 !== 0) return err('EINVAL');
      noteField(process.space, 'enforcesSyscallRegions');
      process.space.enforcesSyscallRegions = true;
      return ok(0);
    case PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT:
      // A SetOnce: the arguments are ignored and nothing can clear it again.
      noteField(process, 'rejectTransitionToExecutableFromWritableProt');
      process.rejectTransitionToExecutableFromWritableProt = true;
      return ok(0);
    default:
      return err('EINVAL');
  }
}

/**
 * MemoryManager::validate_syscall_preconditions, run on every syscall entry before the call
 * itself: a stack pointer outside a stack region crashes the process with SIGSEGV ("Bad stack on
 * syscall entry"). Returns why the process crashed, or null. The other checks of the kernel
 * (the calling instruction's region must exist, not be writable and, once enforced, be a syscall
 * region) need an instruction pointer, which the simulator does not model: every syscall is taken
 * to come from libc's text. A process without a thread stack has nothing to validate.
 */
export function validateSyscallPreconditions(mm: MemoryManager, process: Process): string | null {
  const sp = process.userStackPointer;
  if (sp === null || mm.validateUserStack(process, sp)) return null;
  const why = `Bad stack on syscall entry: the stack pointer 0x${sp.toString(16)} is not in a stack region`;
  killProcess(mm, process, 'crash', why);
  return why;
}

export function sysMsync(
  mm: MemoryManager,
  process: Process,
  addr: number,
  size: number,
  flags: number,
): ErrorOr<void> {
  void mm;
  if ((flags & ~(MS_SYNC | MS_ASYNC | MS_INVALIDATE)) !== 0) return err('EINVAL');
  const sync = (flags & MS_SYNC) !== 0;
  const async = (flags & MS_ASYNC) !== 0;
  if (sync === async) return err('EINVAL');
  if (addr % PAGE_SIZE !== 0) return err('EINVAL');
  const rounded = pageRoundUp(size);
  if (rounded === null) return err('EINVAL');
  const regions = process.space.findRegionsIntersecting(addr, rounded);
  if (regions.length === 0) return err('ENOMEM');
  let total = 0;
  for (const region of regions) {
    if (!region.mmap) return err('ENOMEM');
    total += intersection(region, addr, rounded).size;
  }
  if (total !== size) return err('ENOMEM');
  for (const region of regions) {
    const object = region.vmobject;
    if (object === null || object.kind !== 'SharedInode') continue;
    // The kernel's unsigned arithmetic wraps for a region starting above addr: nothing is synced.
    const offset = region.offsetInVMObject + addr - region.base;
    if (offset < 0) continue;
    (object as SharedInodeVMObject).sync(Math.floor(offset / PAGE_SIZE), rounded / PAGE_SIZE);
  }
  return ok(undefined);
}

export function sysAnnotateMapping(
  mm: MemoryManager,
  process: Process,
  addr: number,
  flags: number,
): ErrorOr<void> {
  void mm;
  if (flags === 0) return err('EINVAL');
  if (addr === 0) return err('EINVAL');
  if (!isUserAddress(addr)) return err('EFAULT');
  const space = process.space;
  if (space.enforcesSyscallRegions && (flags & VIRTUAL_MEMORY_RANGE_SYSCALL_CODE) !== 0) return err('EPERM');
  const region = space.findRegionContaining(addr, 1);
  if (region === null) return err('EINVAL');
  if (!region.mmap && !region.initiallyLoadedExecutableSegment) return err('EINVAL');
  if (region.immutable) return err('EPERM');
  noteObject(region);
  if ((flags & VIRTUAL_MEMORY_RANGE_SYSCALL_CODE) !== 0) region.syscallRegion = true;
  if ((flags & VIRTUAL_MEMORY_RANGE_IMMUTABLE) !== 0) region.immutable = true;
  return ok(undefined);
}

/** sys$purge: pages purged from volatile objects and/or clean inode pages released. */
export function sysPurge(mm: MemoryManager, mode: number): ErrorOr<number> {
  let purged = 0;
  if ((mode & PURGE_ALL_VOLATILE) !== 0) {
    for (const object of [...mm.allVMObjects])
      if (object.kind === 'Anonymous') purged += (object as AnonymousVMObject).purge();
  }
  if ((mode & PURGE_ALL_CLEAN_INODE) !== 0) {
    for (const object of [...mm.allVMObjects])
      if (object.isInode()) purged += (object as SharedInodeVMObject).releaseAllCleanPages();
  }
  return ok(purged);
}

// -------------------------------------------------------------------------------------------------
// Processes

export function createProcess(mm: MemoryManager, name: string, options: ProcessOptions): ErrorOr<Process> {
  noteField(mm, 'nextPid');
  const pid = mm.nextPid++;
  const space = AddressSpace.tryCreate(mm, pid, null);
  if (!space.ok) return err(space.errno);
  const process = new Process(pid, name, space.value, options, null);
  noteMapKey(mm.processes, pid);
  mm.processes.set(pid, process);
  if (mm.events.enabled) mm.events.push({ kind: 'process_created', pid, name, parent: null });
  if (options.stackSize > 0) {
    const stack = space.value.allocateRegion(
      true,
      0,
      options.stackSize,
      PAGE_SIZE,
      'Stack (Main thread)',
      PROT_READ | PROT_WRITE,
      'Reserve',
    );
    if (!stack.ok) {
      killProcess(mm, process, 'exit');
      noteRemoval(mm.processes);
      mm.processes.delete(pid);
      return err(stack.errno);
    }
    stack.value.stack = true;
    process.stackRegion = stack.value;
  }
  return ok(process);
}

export function sysFork(mm: MemoryManager, parent: Process, name: string): ErrorOr<Process> {
  noteField(mm, 'nextPid');
  const pid = mm.nextPid++;
  const space = AddressSpace.tryCreate(mm, pid, parent.space);
  if (!space.ok) return err(space.errno);
  const child = new Process(pid, name, space.value, parent.options, parent.pid);
  noteMapKey(mm.processes, pid);
  mm.processes.set(pid, child);
  space.value.enforcesSyscallRegions = parent.space.enforcesSyscallRegions;
  // sys$fork copies a chosen list of the parent's protected data (promises, credentials, umask,
  // dumpable, …); the SetOnce reject_transition_to_executable_from_writable_prot is not on it, so
  // the child starts without it (quirk). The mount flags come with the executable, which the
  // child shares (Process::create_from_fork).
  child.rejectTransitionToExecutableFromWritableProt = false;
  // The child's registers are the parent's: it resumes on the same stack pointer.
  child.explicitStackPointer = parent.explicitStackPointer;
  if (mm.events.enabled) mm.events.push({ kind: 'process_created', pid, name, parent: parent.pid });
  for (const region of parent.space.regions.slice()) {
    const clone = region.tryClone(pid);
    if (!clone.ok) return failFork(mm, child, clone.errno);
    clone.value.spaceId = pid;
    const mapped = clone.value.map(space.value.pageDirectory, false);
    if (!mapped.ok) {
      clone.value.unmap(false);
      clone.value.destroy(false);
      return failFork(mm, child, mapped.errno);
    }
    space.value.insert(clone.value, { base: region.base, size: region.size });
    if (region === parent.stackRegion) child.stackRegion = clone.value;
  }
  return ok(child);
}

function failFork(mm: MemoryManager, child: Process, errno: Errno): ErrorOr<Process> {
  killProcess(mm, child, 'exit');
  noteRemoval(mm.processes);
  mm.processes.delete(child.pid);
  return err(errno);
}

/** Tears a process's address space down; its memory returns. */
export function killProcess(mm: MemoryManager, process: Process, reason: DeathReason, why?: string): void {
  if (!process.alive) return;
  noteObject(process);
  noteRemoval(process.fds);
  process.alive = false;
  process.deathReason = reason;
  process.space.removeAllRegions();
  mm.destroyUserPageDirectory(process.space.pageDirectory);
  process.fds.clear();
  process.stackRegion = null;
  if (mm.events.enabled)
    mm.events.push({ kind: 'process_died', pid: process.pid, reason, ...(why === undefined ? {} : { why }) });
}

export function sysOpen(
  mm: MemoryManager,
  process: Process,
  path: string,
  flags: OpenFlags,
): ErrorOr<number> {
  const inode = mm.fs.lookup(path);
  if (inode === null) return err('ENOENT');
  noteField(process, 'nextFd');
  const fd = process.nextFd++;
  noteMapKey(process.fds, fd);
  process.fds.set(fd, new OpenFileDescription(inode, flags !== 'O_WRONLY', flags !== 'O_RDONLY'));
  return ok(fd);
}

/**
 * pwrite: stores bytes in the file only. Pages already loaded from it (shared or private) keep
 * their old bytes: the kernel's write path ends in Inode::did_modify_contents, which updates
 * timestamps and notifies watchers but leaves the SharedInodeVMObject alone.
 */
export function sysPwrite(
  mm: MemoryManager,
  process: Process,
  fd: number,
  offset: number,
  bytes: Uint8Array,
): ErrorOr<number> {
  const description = process.fds.get(fd);
  if (description === undefined || !description.writable) return err('EBADF');
  if (offset < 0) return err('EINVAL');
  description.inode.writeBytes(offset, bytes);
  if (mm.events.enabled)
    mm.events.push({ kind: 'file_written', path: description.inode.path, offset, length: bytes.length });
  return ok(bytes.length);
}

export { ACCESS_NONE };
