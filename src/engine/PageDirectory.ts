// One x86_64 page-table hierarchy (`Kernel/Arch/x86_64/PageDirectory.cpp`). SerenityOS only uses PML4[0]: one PDPT
// whose 512 entries each point to a page directory covering 1 GiB. A user page directory owns its
// PML4, PDPT and 128 PD pages from creation; entry 128 is the kernel's PD, shared by all.

import type { PdeCache } from './PageContents';

export class PageDirectory {
  /** PD frame per PDPT index, -1 where none. */
  readonly directoryPages: Int32Array = new Int32Array(512).fill(-1);

  /**
   * What side-effect-free translation remembers of this hierarchy's page-directory entries (see
   * `PageContents.translate`); derived from the page tables, not state of its own. Created
   * on the first translation.
   */
  pdeCache: PdeCache | null = null;

  constructor(
    /** Address-space id used in events: 0 for the kernel, else the process id. */
    readonly spaceId: number,
    readonly pml4Frame: number,
    readonly pdptFrame: number,
    readonly isKernel: boolean,
  ) {}

  /** CR3: the physical address of the PML4. */
  get cr3(): number {
    return this.pml4Frame * 4096;
  }
}
