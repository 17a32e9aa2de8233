// A VMObject standing for a device's physical address range (`Kernel/Memory/MMIOVMObject.cpp`). Its slots exist
// only for sizing and stay null; regions map it at consecutive physical addresses.

import type { MemoryManager } from './MemoryManager';
import { VMObject } from './VMObject';

export class MMIOVMObject extends VMObject {
  readonly kind = 'MMIO' as const;

  constructor(
    mm: MemoryManager,
    readonly basePaddr: number,
    pageCount: number,
  ) {
    super(mm, pageCount);
  }
}
