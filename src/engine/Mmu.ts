// What the CPU's MMU does on every access: walk the four paging levels from CR3 and check the
// combined permission bits (user, writable, no-execute, SMAP/SMEP). No TLB is simulated, so a
// walk always sees the current entries. All functions here are free of side effects.

import { PAGE_SIZE } from './constants';
import type { AccessKind } from './events';
import type { PageContents } from './PageContents';
import type { PageDirectory } from './PageDirectory';
import { PTE_HIGH_NX, PTE_PRESENT, PTE_READ_WRITE, PTE_USER_SUPERVISOR, entryPaddr } from './PageTableEntry';

const TWO_39 = 2 ** 39;
const TWO_30 = 2 ** 30;
const TWO_21 = 2 ** 21;
const CANONICAL_LIMIT = 2 ** 47;

/** The result of the last walk (kept in one reused object: the hot path allocates nothing). */
export class WalkState {
  /** Combined bits of the levels walked so far. */
  user = false;
  writable = false;
  nx = false;
  /** Physical address of the page (valid when the walk succeeded). */
  pagePaddr = 0;
}

/** Walks the hierarchy; true when every level is present. Fills `out`. */
export function walk(contents: PageContents, pd: PageDirectory, vaddr: number, out: WalkState): boolean {
  if (vaddr >= CANONICAL_LIMIT || vaddr < 0) return false;
  let user = true;
  let writable = true;
  let nx = false;
  let frame = pd.pml4Frame;
  let index = Math.floor(vaddr / TWO_39);
  for (let level = 0; level < 4; level++) {
    const words = contents.tableWords(frame);
    if (words === undefined) return false;
    const low = words[2 * index]!;
    if ((low & PTE_PRESENT) === 0) return false;
    const high = words[2 * index + 1]!;
    if ((low & PTE_USER_SUPERVISOR) === 0) user = false;
    if ((low & PTE_READ_WRITE) === 0) writable = false;
    if ((high & PTE_HIGH_NX) !== 0) nx = true;
    frame = entryPaddr(low, high) / PAGE_SIZE;
    if (level === 0) index = Math.floor(vaddr / TWO_30) % 512;
    else if (level === 1) index = Math.floor(vaddr / TWO_21) % 512;
    else if (level === 2) index = Math.floor(vaddr / PAGE_SIZE) % 512;
  }
  out.user = user;
  out.writable = writable;
  out.nx = nx;
  out.pagePaddr = frame * PAGE_SIZE;
  return true;
}

export const ACCESS_OK = 0;
export const FAULT_NOT_PRESENT = 1;
export const FAULT_PROTECTION = 2;

/**
 * The MMU's verdict for an access: ACCESS_OK (out.pagePaddr is the page), FAULT_NOT_PRESENT or
 * FAULT_PROTECTION. Kernel mode honours CR0.WP, SMEP always and SMAP unless `smapDisabled`.
 */
export function checkAccess(
  contents: PageContents,
  pd: PageDirectory,
  vaddr: number,
  kind: AccessKind,
  userMode: boolean,
  smap: boolean,
  smapDisabled: boolean,
  out: WalkState,
): number {
  if (!walk(contents, pd, vaddr, out)) return FAULT_NOT_PRESENT;
  if (kind === 'write' && !out.writable) return FAULT_PROTECTION;
  if (kind === 'execute' && out.nx) return FAULT_PROTECTION;
  if (userMode) {
    if (!out.user) return FAULT_PROTECTION;
  } else if (out.user) {
    if (kind === 'execute') return FAULT_PROTECTION;
    if (smap && !smapDisabled) return FAULT_PROTECTION;
  }
  return ACCESS_OK;
}
