// DMA/MMIO map: the firmware memory map and the ranges the kernel keeps for itself, then each DMA
// buffer and MMIO region with its kernel mapping, memory type, the PTE caching bits that type produced,
// and its frames merged into physically contiguous runs.
import { KERNEL_SPACE, viewSpaceId } from '../../../src/protocol/addressSpaces';
import type { DeviceMappingDto, SelectionTargetDto } from '../../../src/protocol/dto';
import { decodeEntryBits, effectiveCacheType, formatBytes } from '../../../src/protocol/pagingEntry';
import { mappingEntityId } from '../../../src/protocol/stateDiff';
import { changeMarker, emptyState, header, removedList } from '../components/header';
import { clear, h, labelCells } from '../dom';
import type { Store } from '../store';
import { thingAttrs } from '../thingContext';

/** Device mappings are kernel mappings: selecting one selects an address in the kernel's space. */
const KERNEL_VIEW_ID = viewSpaceId(KERNEL_SPACE);

const MAP_TYPE_TEXT: Record<string, string> = {
  Usable: 'RAM the kernel may use',
  Reserved: 'firmware or device memory, not RAM',
  ACPI_Reclaimable: 'ACPI tables, reusable after parsing',
  ACPI_NVS: 'ACPI non-volatile storage',
  BadMemory: 'defective RAM',
  Unknown: 'a type the kernel does not know',
};

const USED_TEXT: Record<string, string> = {
  LowMemory: 'the first MiB, never used on x86_64',
  Kernel: 'the kernel image',
  BootModule: 'a boot module',
  SMBIOS: 'SMBIOS tables',
  PhysicalPages: 'the PhysicalPageEntry array and its page tables',
};

function hexEnd(base: string, length: string): string {
  return `0x${(BigInt(base) + BigInt(length)).toString(16)}`;
}

function table(caption: string, columns: string[], rows: HTMLElement[]): HTMLElement {
  return labelCells(
    h(
      'table',
      { class: 'data-table' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows),
    ),
  );
}

export class DmaMmioView {
  private readonly root = h('div', { class: 'dma-view' });

  constructor(private readonly store: Store) {
    store.subscribe((event) => {
      if (event.kind === 'reveal') this.reveal(event.target);
      else this.render();
    });
  }

  mount(parent: HTMLElement): void {
    parent.appendChild(this.root);
    this.render();
  }

  render(): void {
    clear(this.root);
    this.root.appendChild(header(this.store, 'DMA / MMIO map', ['mapping:']));
    const state = this.store.state;
    if (state === null) {
      this.root.appendChild(emptyState(this.store.noSessionReason));
      return;
    }
    const d = state.dmaMmio;
    const mappings = d.mappings.map((m) => this.mappingRow(m));
    this.root.append(
      h(
        'section',
        { class: 'card' },
        table(
          'Device memory: DMA buffers and MMIO regions',
          ['Kind', 'Name', 'Kernel vaddr', 'Size', 'Memory type', 'PTE caching bits', 'Frames', ''],
          mappings.length > 0
            ? mappings
            : [
                h(
                  'tr',
                  {},
                  h('td', { colspan: 8, class: 'muted' }, 'No DMA buffer or MMIO region is mapped.'),
                ),
              ],
        ),
      ),
      h(
        'section',
        { class: 'card' },
        table(
          'Firmware memory map',
          ['Start', 'End', 'Size', 'Type'],
          d.memoryMap.map((entry) =>
            h(
              'tr',
              { title: MAP_TYPE_TEXT[entry.type] ?? entry.type },
              h('td', { class: 'mono' }, entry.base),
              h('td', { class: 'mono' }, hexEnd(entry.base, entry.length)),
              h('td', {}, formatBytes(Number(BigInt(entry.length)))),
              h('td', {}, h('span', { class: `maptype maptype-${entry.type}` }, entry.type)),
            ),
          ),
        ),
      ),
      h(
        'section',
        { class: 'card' },
        table(
          'Used ranges (kept out of the physical regions)',
          ['Kind', 'Start', 'End', 'Size'],
          d.usedRanges.map((range) =>
            h(
              'tr',
              { title: USED_TEXT[range.kind] ?? range.kind },
              h('td', {}, range.kind),
              h('td', { class: 'mono' }, range.start),
              h('td', { class: 'mono' }, range.end),
              h('td', {}, formatBytes(Number(BigInt(range.end) - BigInt(range.start)))),
            ),
          ),
        ),
      ),
    );
    const removed = removedList(this.store, ['mapping:']);
    if (removed !== null) this.root.appendChild(removed);
  }

  private mappingRow(m: DeviceMappingDto): HTMLElement {
    const change = this.store.changeIndex.statusOf(mappingEntityId(m.id));
    const caching = decodeEntryBits(m.pteRaw).filter((bit) => ['PWT', 'PCD', 'PAT'].includes(bit.label));
    const contiguous = m.frameRuns.length <= 1;
    const row = h(
      'tr',
      {
        class: `mapping${change === null ? '' : ` changed-${change}`}`,
        'data-mapping': m.id,
        // A mapping is a kernel region (its id is the region's); a run's button stands for its first frame.
        ...thingAttrs({ kind: 'region', space: KERNEL_VIEW_ID, regionId: m.id }),
        tabindex: 0,
        title: `${m.kind.toUpperCase()} ${m.name}: ${formatBytes(m.size)} at kernel ${m.kernelVaddr}, ${m.memoryType} → ${effectiveCacheType(m.pteRaw)}, PTE ${m.pteRaw}`,
      },
      h('td', {}, h('span', { class: `badge kind-${m.kind}` }, m.kind.toUpperCase())),
      h('td', {}, m.name),
      h('td', { class: 'mono' }, m.kernelVaddr),
      h('td', {}, formatBytes(m.size)),
      h('td', {}, h('span', { class: `memtype memtype-${m.memoryType}` }, m.memoryType)),
      h(
        'td',
        {},
        h(
          'span',
          { class: 'chips' },
          ...caching.map((bit) =>
            h(
              'span',
              {
                class: `chip bit ${bit.set ? 'bit-on' : 'bit-off'}`,
                title: `${bit.label} ${bit.set ? 'set' : 'clear'}: ${bit.meaning}`,
              },
              bit.label,
            ),
          ),
          h('span', { class: 'muted' }, ` ${effectiveCacheType(m.pteRaw)}`),
        ),
      ),
      h(
        'td',
        {},
        h(
          'span',
          { class: `badge ${contiguous ? 'contiguous' : 'scattered'}` },
          contiguous ? 'contiguous' : `${m.frameRuns.length} runs`,
        ),
        ...m.frameRuns.map((run) =>
          h(
            'button',
            {
              class: 'link mono frame-run',
              title: `${run.pages} contiguous frames from ${run.paddr}`,
              'data-paddr': run.paddr,
              ...thingAttrs({ kind: 'frame', paddr: run.paddr }),
            },
            `${run.paddr}×${run.pages}`,
          ),
        ),
      ),
      h('td', {}, changeMarker(change)),
    );
    row.addEventListener('click', (event) => {
      const run = (event.target as HTMLElement).closest<HTMLElement>('.frame-run');
      if (run !== null) this.store.select({ kind: 'frame', paddr: run.dataset['paddr'] ?? '0x0' });
      else this.store.select({ kind: 'address', spaceId: KERNEL_VIEW_ID, vaddr: m.kernelVaddr });
    });
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter')
        this.store.select({ kind: 'address', spaceId: KERNEL_VIEW_ID, vaddr: m.kernelVaddr });
    });
    return row;
  }

  /** Marks the mapping that holds a selected frame or kernel address. */
  private reveal(target: SelectionTargetDto): void {
    const state = this.store.state;
    if (state === null) return;
    for (const old of this.root.querySelectorAll('.revealed')) old.classList.remove('revealed');
    const hit = state.dmaMmio.mappings.find((m) => {
      if (target.kind === 'frame') {
        const paddr = BigInt(target.paddr);
        return m.frameRuns.some(
          (run) => paddr >= BigInt(run.paddr) && paddr < BigInt(run.paddr) + BigInt(run.pages) * 4096n,
        );
      }
      if (target.kind === 'address' || target.kind === 'page') {
        const vaddr = BigInt(target.vaddr);
        return (
          target.spaceId === KERNEL_VIEW_ID &&
          vaddr >= BigInt(m.kernelVaddr) &&
          vaddr < BigInt(m.kernelVaddr) + BigInt(m.size)
        );
      }
      return false;
    });
    if (hit === undefined) return;
    const row = this.root.querySelector<HTMLElement>(`[data-mapping="${CSS.escape(hit.id)}"]`);
    row?.classList.add('revealed');
    row?.scrollIntoView({ block: 'nearest' });
    row?.focus({ preventScroll: true });
  }
}
