// What the CPU's MMU does on every access: walk the four paging levels from CR3 and check the
// combined permission bits (user, writable, no-execute, SMAP/SMEP). No TLB is simulated, so a
// walk always sees the current entries. All functions here are free of side effects: setting the
// Accessed and Dirty bits is left to the caller, once the access is let through.

import { PAGE_SIZE } from './constants';
import type { AccessKind } from './events';
import type { PageContents } from './PageContents';
import type { PageDirectory } from './PageDirectory';

/** The result of the last walk (kept in one reused object: the hot path allocates nothing). */
export class WalkState {
  /** Combined bits of the levels walked so far. */
  user = false;
  writable = false;
  nx = false;
  /** Physical address of the page (valid when the walk succeeded). */
  pagePaddr = 0;
}

/**
 * The last walk's permissions and where its PDE and PTE lie: what `PageContents.markAccessed`
 * needs once the access the walk was for goes through.
 */
export const walkedEntries = new Int32Array(3);

/** Walks the hierarchy; true when every level is present. Fills `out`. */
export function walk(contents: PageContents, pd: PageDirectory, vaddr: number, out: WalkState): boolean {
  const frame = contents.walkFromDirectory(pd.directoryPages, !pd.isKernel, vaddr, walkedEntries);
  if (frame < 0) return false;
  const bits = walkedEntries[0]!;
  out.user = (bits & 1) !== 0;
  out.writable = (bits & 2) !== 0;
  out.nx = (bits & 4) !== 0;
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
