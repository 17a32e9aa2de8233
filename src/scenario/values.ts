// The values a running scenario computes with. Integers are unsigned 64-bit (bigint); handles refer
// straight to engine objects. Interpreter state is checkpointed together with the machine in one
// deep copy, so a handle restored from a checkpoint points into the restored machine.

import type { CommittedPhysicalPageSet, DecodedPte, Process, Region, VMObject } from '../engine';

export type AddressSpaceRef = Process | 'kernel';

export type Value =
  | { readonly kind: 'integer'; readonly value: bigint }
  | { readonly kind: 'string'; readonly value: string; readonly bytes: Uint8Array }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'error'; readonly errno: string }
  | { readonly kind: 'process'; readonly process: Process }
  | { readonly kind: 'kernel' }
  | { readonly kind: 'mm' }
  | { readonly kind: 'region'; readonly region: Region; readonly space: AddressSpaceRef }
  | { readonly kind: 'vmobject'; readonly vmobject: VMObject }
  | { readonly kind: 'physical_page'; readonly paddr: number }
  | { readonly kind: 'committed_set'; readonly set: CommittedPhysicalPageSet }
  | {
      readonly kind: 'pte';
      readonly space: AddressSpaceRef;
      readonly vaddr: number;
      readonly pte: DecodedPte;
    }
  | { readonly kind: 'zone'; readonly index: number }
  | { readonly kind: 'zone_list' }
  | { readonly kind: 'fd'; readonly process: Process; readonly fd: number };

export type ValueKindName = Value['kind'];

export const NULL_VALUE: Value = { kind: 'null' };
export const integer = (value: bigint | number): Value => ({ kind: 'integer', value: BigInt(value) });
export const bool = (value: boolean): Value => ({ kind: 'bool', value });

export function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

/** An integer as people read it here: small ones in decimal, the rest in hex with decimal beside. */
export function formatInteger(value: bigint): string {
  return value < 10n ? value.toString() : `${hex(value)} (${value.toString()})`;
}

/** Access bits as /proc/<pid>/vm shows them: "rw-". */
export function accessText(access: number): string {
  return `${access & 1 ? 'r' : '-'}${access & 2 ? 'w' : '-'}${access & 4 ? 'x' : '-'}`;
}

export function spaceName(space: AddressSpaceRef): string {
  return space === 'kernel' ? 'kernel' : space.name;
}

/** Decoded PTE bits as the views label them. */
export function pteBits(pte: DecodedPte): string {
  const bits: string[] = [];
  if (pte.present) bits.push('P');
  if (pte.writable) bits.push('RW');
  if (pte.user) bits.push('US');
  if (pte.writeThrough) bits.push('PWT');
  if (pte.cacheDisabled) bits.push('PCD');
  if (pte.accessed) bits.push('A');
  if (pte.dirty) bits.push('D');
  if (pte.pat) bits.push('PAT');
  if (pte.global) bits.push('G');
  if (pte.nx) bits.push('NX');
  return bits.length === 0 ? 'none' : bits.join(' ');
}

/** One line describing a value, for `print`, the debug console and failure messages. */
export function formatValue(value: Value): string {
  switch (value.kind) {
    case 'integer':
      return formatInteger(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'error':
      return value.errno;
    case 'process':
      return `process ${value.process.name} (pid ${value.process.pid}, ${value.process.alive ? 'alive' : `dead: ${value.process.deathReason ?? 'gone'}`})`;
    case 'kernel':
      return 'kernel';
    case 'mm':
      return 'MM';
    case 'region': {
      const r = value.region;
      const object = r.vmobject === null ? 'unbacked' : `${r.vmobject.kind} #${r.vmobject.id}`;
      return `Region "${r.name}" ${hex(r.base)}..${hex(r.base + r.size)} ${accessText(r.access)} ${r.memoryType} ${object} in ${spaceName(value.space)}`;
    }
    case 'vmobject':
      return `${value.vmobject.kind}VMObject #${value.vmobject.id} (${value.vmobject.pageCount} pages)`;
    case 'physical_page':
      return `PhysicalPage ${hex(value.paddr)}`;
    case 'committed_set':
      return `CommittedPhysicalPageSet (${value.set.pageCount} pages)`;
    case 'pte':
      return `PTE ${hex(value.pte.raw)} [${pteBits(value.pte)}] → ${hex(value.pte.paddr)}`;
    case 'zone':
      return `zone #${value.index}`;
    case 'zone_list':
      return 'MM.zones';
    case 'fd':
      return `fd ${value.fd} of ${value.process.name}`;
  }
}

/** How a value's kind is named in messages ("expected an integer, got a Region"). */
export function describeValueKind(value: Value): string {
  const names: Record<ValueKindName, string> = {
    integer: 'an integer',
    string: 'a string',
    bool: 'a bool',
    null: 'null',
    error: `the error ${value.kind === 'error' ? value.errno : ''}`,
    process: 'a process',
    kernel: 'kernel',
    mm: 'MM',
    region: 'a Region',
    vmobject: 'a VMObject',
    physical_page: 'a PhysicalPage',
    committed_set: 'a CommittedSet',
    pte: 'a page table entry',
    zone: 'a zone',
    zone_list: 'the zone list',
    fd: 'a file descriptor',
  };
  return names[value.kind];
}
