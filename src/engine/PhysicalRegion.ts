// A contiguous run of usable physical memory, cut into 16 MiB zones and then 1 MiB zones
// (`Kernel/Memory/PhysicalRegion.cpp`). A tail shorter than 1 MiB belongs to no zone and is never handed out.

import { LARGE_ZONE_PAGES, SMALL_ZONE_PAGES, countTrailingZeros, nextPowerOfTwo } from './constants';
import { verify } from './errors';
import type { PhysicalPageEntries } from './PhysicalPageEntry';
import { PhysicalZone } from './PhysicalZone';
import { noteArray } from './UndoLog';

export class PhysicalRegion {
  lowerFrame: number;
  readonly upperFrame: number;
  zones: PhysicalZone[] = [];
  /** Indices into `zones`, in list order (the kernel's intrusive lists). */
  usableZones: number[] = [];
  fullZones: number[] = [];
  largeZones = 0;

  constructor(lowerFrame: number, upperFrame: number) {
    this.lowerFrame = lowerFrame;
    this.upperFrame = upperFrame;
  }

  /** Pages in the region (m_pages), including a tail that belongs to no zone. */
  get pages(): number {
    return this.upperFrame - this.lowerFrame;
  }

  /** Takes pages from the start of the region (only before the zones exist). */
  tryTakePagesFromBeginning(count: number): number | null {
    verify(this.zones.length === 0, 'zones not initialized');
    if (count > this.pages) return null;
    const first = this.lowerFrame;
    this.lowerFrame += count;
    return first;
  }

  initializeZones(entries: PhysicalPageEntries): void {
    let base = this.lowerFrame;
    let remaining = this.pages;
    while (remaining >= LARGE_ZONE_PAGES) {
      this.zones.push(new PhysicalZone(entries, base, LARGE_ZONE_PAGES));
      base += LARGE_ZONE_PAGES;
      remaining -= LARGE_ZONE_PAGES;
      this.largeZones++;
    }
    while (remaining >= SMALL_ZONE_PAGES) {
      this.zones.push(new PhysicalZone(entries, base, SMALL_ZONE_PAGES));
      base += SMALL_ZONE_PAGES;
      remaining -= SMALL_ZONE_PAGES;
    }
    this.usableZones = this.zones.map((_, i) => i);
  }

  containsFrame(frame: number): boolean {
    return frame >= this.lowerFrame && frame < this.upperFrame;
  }

  /** Frame of a freshly taken page, or -1 when no zone has one. */
  takeFreePage(): number {
    if (this.usableZones.length === 0) return -1;
    const zoneIndex = this.usableZones[0]!;
    const zone = this.zones[zoneIndex]!;
    const frame = zone.allocateBlock(0);
    verify(frame >= 0, 'page.has_value()');
    if (zone.isEmpty()) this.moveToFull(0);
    return frame;
  }

  /**
   * First frame of `count` consecutive pages, or -1. The block is rounded up to a power of two and
   * the pages past `count` are never given back (the leaked-tail quirk).
   */
  takeContiguousFreePages(count: number): number {
    const order = countTrailingZeros(nextPowerOfTwo(count));
    for (let listIndex = 0; listIndex < this.usableZones.length; listIndex++) {
      const zone = this.zones[this.usableZones[listIndex]!]!;
      const frame = zone.allocateBlock(order);
      if (frame < 0) continue;
      if (zone.isEmpty()) this.moveToFull(listIndex);
      return frame;
    }
    return -1;
  }

  zoneIndexOf(frame: number): number {
    const largeEnd = this.lowerFrame + this.largeZones * LARGE_ZONE_PAGES;
    if (frame < largeEnd) return Math.floor((frame - this.lowerFrame) / LARGE_ZONE_PAGES);
    return this.largeZones + Math.floor((frame - largeEnd) / SMALL_ZONE_PAGES);
  }

  returnPage(frame: number): void {
    const zoneIndex = this.zoneIndexOf(frame);
    const zone = this.zones[zoneIndex];
    verify(zone !== undefined && zone.containsFrame(frame), 'returned page belongs to a zone');
    zone.deallocateBlock(frame, 0);
    const fullAt = this.fullZones.indexOf(zoneIndex);
    if (fullAt >= 0) {
      noteArray(this.fullZones);
      noteArray(this.usableZones);
      this.fullZones.splice(fullAt, 1);
      this.usableZones.push(zoneIndex);
    }
  }

  private moveToFull(listIndex: number): void {
    noteArray(this.usableZones);
    noteArray(this.fullZones);
    const [zoneIndex] = this.usableZones.splice(listIndex, 1);
    this.fullZones.push(zoneIndex!);
  }

  /** Pages the zones can still hand out. */
  available(): number {
    let sum = 0;
    for (const zone of this.zones) sum += zone.available();
    return sum;
  }
}
