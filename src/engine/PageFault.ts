// A page fault as the CPU reports it, and the closed set of answers the fault handler gives.

import type { AccessKind } from './events';

export type PageFaultResponse = 'ShouldCrash' | 'BusError' | 'OutOfMemory' | 'Continue';

export interface PageFault {
  vaddr: number;
  access: AccessKind;
  /** Error-code bit 0: 0 = the page was not present, 1 = protection violation. */
  notPresent: boolean;
  userMode: boolean;
  /** RFLAGS.AC at the time of a kernel-mode fault (always true without SMAP). */
  smapDisabled: boolean;
}

/** `is_read()` of the kernel: an instruction fetch is a read too. */
export function isReadFault(fault: PageFault): boolean {
  return fault.access !== 'write';
}
