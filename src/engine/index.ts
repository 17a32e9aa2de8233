/**
 * MMU Lens engine: a simulated SerenityOS memory manager (Kernel/Memory), pure TypeScript.
 *
 * Start with `Machine.boot({ ram, cpus, seed, pat, smap, kernelSize, memoryMap })`. Every scenario
 * operation is one call on the Machine:
 * - processes: `createProcess`, `fork`, `exit`; system calls `mmap`, `munmap`, `mprotect`, `madvise`,
 *   `msync`, `annotateMapping`, `open`, `pwrite`, `purge`, and `allocateRegion`;
 * - kernel allocators: `allocateKernelRegion`, `allocateContiguousKernelRegion`, `allocateDmaBufferPage(s)`,
 *   `allocateMmioKernelRegion`, `allocatePhysicalPage`, `commitPhysicalPages`, `quickmapPage`…;
 * - accesses through the MMU and the page-fault handler: `read`, `write`, `exec` → AccessResult;
 * - side-effect-free inspection: `translate`, `pte`, `regionAt`, `peek`, `ppeek`, `filePeek`, `page`,
 *   `mappingsOf`, `counters`, `zones`;
 * - `takeEvents()` hands over what the operations changed (MemoryEvent union);
 * - `checkpoint(extra)` / `restore(checkpoint)` save and restore the whole machine;
 * - `verifyInvariants()` lists every broken consistency rule.
 * Calls return `Result<T>`: `{kind:'ok', value}`, `{kind:'errno', errno}` or `{kind:'panic', message}`;
 * after a panic the machine is halted and every later call returns the same panic.
 */

export { Machine, BootError } from './Machine';
export type {
  AccessOptions,
  AccessResult,
  AccessStatus,
  AccessTarget,
  Checkpoint,
  HandledFault,
  Mapping,
  MemoryCounters,
  PhysicalPageInfo,
  Result,
  Width,
  ZoneInfo,
} from './Machine';
export { DEFAULT_MACHINE_OPTIONS, defaultMemoryMap, MemoryManager } from './MemoryManager';
export type { MachineOptions, MemoryKind, MemoryMapEntry } from './MemoryManager';
export type { MemoryEvent, AccessKind, FaultHandlerKind, PagePurpose } from './events';
export { KERNEL_SPACE_ID, MEMORY_EVENT_KINDS, PAGE_PURPOSES } from './events';
export type { Errno } from './errors';
export type { UndoLog } from './UndoLog';
export type { PageFaultResponse } from './PageFault';
export type { DecodedPte, MemoryType } from './PageTableEntry';
export { rawEntry } from './PageTableEntry';
export type { AllocationStrategy } from './AnonymousVMObject';
export type { Process, ProcessOptions } from './Process';
export { DEFAULT_PROCESS_OPTIONS } from './Process';
export type { Region, DeviceMemory } from './Region';
export { ACCESS_NONE, ACCESS_READ, ACCESS_WRITE, ACCESS_EXECUTE } from './Region';
export type { VMObject, VMObjectKind } from './VMObject';
export type { AnonymousVMObject } from './AnonymousVMObject';
export type { InodeVMObject } from './InodeVMObject';
export type { SharedInodeVMObject } from './SharedInodeVMObject';
export type { PrivateInodeVMObject } from './PrivateInodeVMObject';
export type { MMIOVMObject } from './MMIOVMObject';
export type { AddressSpace } from './AddressSpace';
export type { PageDirectory } from './PageDirectory';
export type { Inode } from './FileSystem';
export type { ThreadCounters, DeathReason } from './Process';
export type { CommittedPhysicalPageSet } from './CommittedPhysicalPageSet';
export type { OpenFlags } from './FileSystem';
export { KernelPanic, SimulationLimit } from './errors';
export type { MmapArguments } from './Syscalls';
export * from './constants';
export {
  PROT_NONE,
  PROT_READ,
  PROT_WRITE,
  PROT_EXEC,
  MAP_SHARED,
  MAP_PRIVATE,
  MAP_FIXED,
  MAP_ANONYMOUS,
  MAP_STACK,
  MAP_NORESERVE,
  MAP_RANDOMIZED,
  MAP_PURGEABLE,
  MAP_FIXED_NOREPLACE,
  MADV_SET_VOLATILE,
  MADV_SET_NONVOLATILE,
  MS_SYNC,
  MS_ASYNC,
  MS_INVALIDATE,
  VIRTUAL_MEMORY_RANGE_SYSCALL_CODE,
  VIRTUAL_MEMORY_RANGE_IMMUTABLE,
  PURGE_ALL_VOLATILE,
  PURGE_ALL_CLEAN_INODE,
} from './Syscalls';
