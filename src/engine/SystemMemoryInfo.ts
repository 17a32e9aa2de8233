// The four page counters of the memory manager (reference §1.2).

export class SystemMemoryInfo {
  physicalPages = 0;
  physicalPagesUsed = 0;
  physicalPagesCommitted = 0;
  physicalPagesUncommitted = 0;
}
