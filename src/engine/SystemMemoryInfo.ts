// The four page counters of the memory manager (`Kernel/Memory/MemoryManager.h` SystemMemoryInfo).

export class SystemMemoryInfo {
  physicalPages = 0;
  physicalPagesUsed = 0;
  physicalPagesCommitted = 0;
  physicalPagesUncommitted = 0;
}
