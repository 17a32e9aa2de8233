// The variables tree: scenario bindings, processes → regions → pages, physical memory, the kernel
// and the events of the last step. Every container is a node built on demand when the client
// expands it; large collections are paged (indexedVariables + start/count). References live until
// the next stop, as the protocol says.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Machine, MemoryEvent, Process, Region } from '../engine';
import { PAGE_SIZE } from '../engine';
import { MemoryManager } from '../engine';
import {
  PHYSICAL_MEMORY,
  dataBreakpointId,
  formatMemoryReference,
  processSpace,
  spaceLabel,
  spaceOfEvent,
  virtualMemory,
} from '../protocol/addressSpaces';
import { THING_CONTEXT_KEY } from '../protocol/things';
import { plural } from '../protocol/plural';
import { describeEvent } from '../scenario/describeEvent';
import { describeTarget } from './breakpoints';
import {
  accessText,
  describePhysical,
  describeRegion,
  hex,
  namedSpaceLabel,
  pteBitNames,
  regionFlags,
} from './describe';
import { spaceRefOf, virtualReference } from './memory';
import type { ScenarioInterpreter, Value } from './scenarioTypes';
import type { StepView } from './StepView';
import type { CounterName, Thing } from './watchedThings';

export interface Formatting {
  readonly hex: boolean;
}

/** A data breakpoint a variable offers (its memory range). */
export interface DataOffer {
  readonly dataId: string;
  readonly description: string;
}

interface Node {
  /** Named children, or the slice [start, start+count) of indexed ones. */
  children(format: Formatting, start: number, count: number): DebugProtocol.Variable[];
  readonly indexed?: number;
  /** Data breakpoints offered by children, by child name. */
  dataOffers?: Map<string, DataOffer>;
  /** The things children stand for ("previous / next change", "why is it so?"), by child name. */
  things?: Map<string, Thing>;
}

/** The counters of physical memory by the names its variables have. */
const COUNTER_VARIABLES: Readonly<Record<string, CounterName>> = {
  physical_pages_used: 'used',
  physical_pages_committed: 'committed',
  physical_pages_uncommitted: 'uncommitted',
  free_pages: 'free',
};

/** A variable with VS Code's menu context (a protocol extension the protocol's types do not know). */
type MenuVariable = DebugProtocol.Variable & { readonly __vscodeVariableMenuContext: string };

/** Marks a variable as standing for a thing, and notes the thing under its name. */
function withThing(
  variable: DebugProtocol.Variable,
  thing: Thing,
  things: Map<string, Thing>,
): DebugProtocol.Variable {
  things.set(variable.name, thing);
  const marked: MenuVariable = { ...variable, __vscodeVariableMenuContext: THING_CONTEXT_KEY };
  return marked;
}

const NUMBER_LIMIT = 2 ** 53;

const pageStart = (address: number): number => address - (address % PAGE_SIZE);

export function formatNumber(value: number | bigint, format: Formatting): string {
  return format.hex ? hex(value) : value.toString();
}

/**
 * The variables of one stop: the scenario's bindings and frames from the interpreter, and
 * everything about the machine and the step from the stop's StepView.
 */
export class VariableStore {
  private nodes = new Map<number, Node>();
  private nextReference = 1;
  private view: StepView | null = null;

  constructor(private readonly interpreter: ScenarioInterpreter) {}

  private get machine(): Machine {
    if (this.view === null) throw new Error('no stop to show yet');
    return this.view.inspector.machine;
  }

  /** Forgets every reference: the variables are now those of `view`'s stop. */
  reset(view: StepView): void {
    this.nodes.clear();
    this.nextReference = 1;
    this.view = view;
  }

  private add(node: Node): number {
    const reference = this.nextReference++;
    this.nodes.set(reference, node);
    return reference;
  }

  has(reference: number): boolean {
    return this.nodes.has(reference);
  }

  variables(reference: number, format: Formatting, start = 0, count = 0): DebugProtocol.Variable[] | null {
    const node = this.nodes.get(reference);
    if (node === undefined) return null;
    const total = node.indexed;
    const from = Math.max(0, start);
    const n = total === undefined ? Number.MAX_SAFE_INTEGER : count > 0 ? count : total - from;
    return node.children(format, from, n);
  }

  /** How many indexed children a container has (undefined: named children only, or unknown). */
  indexedCount(reference: number): number | undefined {
    return this.nodes.get(reference)?.indexed;
  }

  dataOffer(reference: number, name: string): DataOffer | null {
    return this.nodes.get(reference)?.dataOffers?.get(name) ?? null;
  }

  /** The thing the child `name` of container `reference` stands for, or null. */
  thingOf(reference: number, name: string): Thing | null {
    return this.nodes.get(reference)?.things?.get(name) ?? null;
  }

  // Scopes ----------------------------------------------------------------------------------------

  scopes(frameIndex: number): DebugProtocol.Scope[] {
    const frames = this.interpreter.frames();
    const frame = frames[frameIndex];
    const scopes: DebugProtocol.Scope[] = [];
    if (frame !== undefined && frame.kind !== 'scenario') {
      const locals = frame.locals;
      scopes.push(this.scope('Locals', 'locals', this.add(this.bindings(() => locals)), locals.length));
    }
    const globals = this.interpreter.globals();
    scopes.push(this.scope('Bindings', 'locals', this.add(this.bindings(() => globals)), globals.length));
    scopes.push(
      this.scope(
        'Processes',
        'registers',
        this.add(this.processList()),
        this.machine.processes().length,
        true,
      ),
    );
    scopes.push(this.scope('Physical memory', 'registers', this.add(this.physicalMemory()), undefined, true));
    scopes.push(this.scope('Kernel', 'registers', this.add(this.kernel()), undefined, true));
    scopes.push(this.scope('This step', 'registers', this.add(this.thisStep()), undefined, true));
    return scopes;
  }

  private scope(
    name: string,
    hint: 'locals' | 'registers',
    reference: number,
    named?: number,
    expensive = false,
  ): DebugProtocol.Scope {
    return {
      name,
      presentationHint: hint,
      variablesReference: reference,
      ...(named !== undefined ? { namedVariables: named } : {}),
      expensive,
    };
  }

  // Scenario values -------------------------------------------------------------------------------

  private bindings(list: () => ReadonlyArray<readonly [string, Value]>): Node {
    const offers = new Map<string, DataOffer>();
    const things = new Map<string, Thing>();
    return {
      dataOffers: offers,
      things,
      children: (format) =>
        list().map(([name, value]) => {
          const offer = this.valueOffer(value);
          if (offer !== null) offers.set(name, offer);
          const variable = this.valueVariable(name, value, format);
          const thing = this.valueThing(value);
          return thing === null ? variable : withThing(variable, thing, things);
        }),
    };
  }

  /** The thing a scenario value stands for: a region, a PTE, a physical page, a zone. */
  private valueThing(value: Value): Thing | null {
    switch (value.kind) {
      case 'region':
        return { kind: 'region', space: spaceRefOf(value.space), regionId: value.region.id };
      case 'pte':
        return { kind: 'pte', space: spaceRefOf(value.space), vaddr: pageStart(value.vaddr) };
      case 'physical_page':
        return { kind: 'frame', paddr: pageStart(value.paddr) };
      case 'zone':
        return this.zoneThing(value.index);
      default:
        return null;
    }
  }

  /** Zone `index` of Machine.zones() as "<physical region>:<zone>". */
  private zoneThing(index: number): Thing | null {
    let i = index;
    const regions = this.machine.memoryManager.physicalRegions;
    for (let r = 0; r < regions.length; r++) {
      const count = regions[r]!.zones.length;
      if (i < count) return { kind: 'zone', physicalRegion: r, zone: i };
      i -= count;
    }
    return null;
  }

  /** A scenario value as a variable; handles expand into the machine object they name. */
  valueVariable(name: string, value: Value, format: Formatting): DebugProtocol.Variable {
    const text = this.formatValue(value, format);
    const variable: DebugProtocol.Variable = {
      name,
      value: text,
      type: value.kind,
      variablesReference: this.expandValue(value),
    };
    const reference = valueMemoryReference(value);
    if (reference !== null) variable.memoryReference = reference;
    return variable;
  }

  formatValue(value: Value, format: Formatting): string {
    if (value.kind === 'integer') return format.hex ? hex(value.value) : this.interpreter.formatValue(value);
    return this.interpreter.formatValue(value);
  }

  /** The reference that expands a value, or 0 when it is a plain value. */
  expandValue(value: Value): number {
    switch (value.kind) {
      case 'process':
        return this.add(this.process(value.process));
      case 'region':
        return this.add(this.region(value.region, value.space));
      case 'vmobject':
        return this.add(this.fields(() => vmobjectFields(value.vmobject)));
      case 'physical_page':
        return this.add(this.fields(() => this.physicalPageFields(value.paddr)));
      case 'pte':
        return this.add(this.fields(() => pteFields(value.pte)));
      case 'zone':
        return this.add(this.zone(value.index));
      case 'zone_list':
        return this.add(this.zoneList());
      case 'committed_set':
        return this.add(this.fields(() => [['page_count', value.set.pageCount]]));
      case 'mm':
        return this.add(this.physicalMemory());
      case 'kernel':
        return this.add(this.kernel());
      default:
        return 0;
    }
  }

  private valueOffer(value: Value): DataOffer | null {
    if (value.kind === 'region') return regionOffer(value.region, value.space);
    if (value.kind === 'physical_page') {
      const target = { space: PHYSICAL_MEMORY, start: value.paddr, length: PAGE_SIZE };
      return { dataId: dataBreakpointId(target), description: describeTarget(target) };
    }
    return null;
  }

  // Generic field lists ---------------------------------------------------------------------------

  private fields(list: () => [string, number | bigint | string | boolean | null][]): Node {
    return {
      children: (format) =>
        list().map(([name, value]) => ({
          name,
          value:
            value === null
              ? 'null'
              : typeof value === 'number' || typeof value === 'bigint'
                ? formatField(name, value, format)
                : typeof value === 'string'
                  ? value
                  : String(value),
          variablesReference: 0,
        })),
    };
  }

  private physicalPageFields(paddr: number): [string, number | bigint | string | boolean | null][] {
    const page = this.machine.page(paddr);
    if (page === null)
      return [
        ['paddr', paddr],
        ['state', 'not an allocated page'],
      ];
    return [
      ['paddr', page.paddr],
      ['ref_count', page.refCount],
      ['zone', page.zone],
      ['is_shared_zero_page', page.isSharedZeroPage],
      ['is_lazy_committed_page', page.isLazyCommittedPage],
      ['may_return_to_freelist', page.mayReturnToFreeList],
      [
        'mapped at',
        this.machine
          .mappingsOf(paddr)
          .map((m) => `${spaceLabel(spaceOfEvent(m.space))} ${hex(m.vaddr)}`)
          .join(', ') || 'nowhere',
      ],
    ];
  }

  // Processes -------------------------------------------------------------------------------------

  private processList(): Node {
    return {
      children: (format) => this.machine.processes().map((p) => this.processVariable(p, format)),
    };
  }

  private processVariable(process: Process, _format: Formatting): DebugProtocol.Variable {
    const state = process.alive ? 'alive' : `dead (${process.deathReason ?? 'gone'})`;
    const variable: DebugProtocol.Variable = {
      name: process.name,
      value: `${spaceLabel(spaceRefOf(process))}, ${state}, ${plural(process.alive ? process.space.regions.length : 0, 'region')}`,
      type: 'process',
      variablesReference: this.add(this.process(process)),
    };
    const first = process.alive ? process.space.regions[0] : undefined;
    if (first !== undefined) variable.memoryReference = virtualReference(process, first.base);
    return variable;
  }

  private process(process: Process): Node {
    return {
      children: (format) => {
        const out: DebugProtocol.Variable[] = [];
        const field = (name: string, value: string): void => {
          out.push({ name, value, variablesReference: 0 });
        };
        field('pid', String(process.pid));
        field('alive', process.alive ? 'true' : `false (${process.deathReason ?? 'gone'})`);
        if (process.parentPid !== null) field('parent', spaceLabel(processSpace(process.parentPid)));
        if (process.alive) {
          const space = process.space;
          field('amount_virtual', formatNumber(space.amountVirtual(), format));
          field('amount_resident', formatNumber(space.amountResident(), format));
          field('amount_shared', formatNumber(space.amountShared(), format));
          field('amount_dirty_private', formatNumber(space.amountDirtyPrivate(), format));
          field('amount_clean_inode', formatNumber(space.amountCleanInode(), format));
          field('amount_purgeable_volatile', formatNumber(space.amountPurgeableVolatile(), format));
          field('amount_purgeable_nonvolatile', formatNumber(space.amountPurgeableNonvolatile(), format));
          const regions = space.regions;
          out.push({
            name: 'regions',
            value: plural(regions.length, 'region'),
            variablesReference: this.add(this.regionList(() => process.space.regions, process)),
            indexedVariables: regions.length,
          });
        }
        field('zero_faults', String(process.counters.zeroFaults));
        field('cow_faults', String(process.counters.cowFaults));
        field('inode_faults', String(process.counters.inodeFaults));
        return out;
      },
    };
  }

  private regionList(list: () => readonly Region[], space: Process | 'kernel'): Node {
    const offers = new Map<string, DataOffer>();
    const things = new Map<string, Thing>();
    const all = list();
    return {
      indexed: all.length,
      dataOffers: offers,
      things,
      children: (_format, start, count) =>
        all.slice(start, start + count).map((region, i) => {
          const name = `[${start + i}] ${region.name}`;
          offers.set(name, regionOffer(region, space));
          const thing: Thing = { kind: 'region', space: spaceRefOf(space), regionId: region.id };
          return withThing(
            {
              name,
              value: describeRegion(region),
              type: 'Region',
              variablesReference: this.add(this.region(region, space)),
              memoryReference: virtualReference(space, region.base),
            },
            thing,
            things,
          );
        }),
    };
  }

  private region(region: Region, space: Process | 'kernel'): Node {
    return {
      children: (format) => {
        const out: DebugProtocol.Variable[] = [];
        const field = (name: string, value: string, extra: Partial<DebugProtocol.Variable> = {}): void => {
          out.push({ name, value, variablesReference: 0, ...extra });
        };
        field('name', JSON.stringify(region.name));
        field('base', hex(region.base), { memoryReference: virtualReference(space, region.base) });
        field('end', hex(region.end));
        field('size', formatNumber(region.size, format));
        field('access', accessText(region.access));
        field('flags', regionFlags(region).join(', ') || 'none');
        field('memory_type', region.memoryType);
        field('address space', namedSpaceLabel(space));
        if (region.vmobject !== null) {
          out.push({
            name: 'vmobject',
            value: `${region.vmobject.kind}VMObject #${region.vmobject.id} (${plural(region.vmobject.pageCount, 'page')}), offset ${hex(region.offsetInVMObject)}`,
            variablesReference: this.add(this.fields(() => vmobjectFields(region.vmobject!))),
          });
          field('amount_resident', formatNumber(region.amountResident(), format));
          field('cow_pages', String(region.cowPages()));
        } else field('vmobject', 'none (unbacked)');
        out.push({
          name: 'pages',
          value: plural(region.pageCount, 'page'),
          variablesReference: this.add(this.pageList(region, space)),
          indexedVariables: region.pageCount,
        });
        return out;
      },
    };
  }

  private pageList(region: Region, space: Process | 'kernel'): Node {
    const offers = new Map<string, DataOffer>();
    const things = new Map<string, Thing>();
    return {
      indexed: region.pageCount,
      dataOffers: offers,
      things,
      children: (_format, start, count) => {
        const out: DebugProtocol.Variable[] = [];
        const end = Math.min(region.pageCount, start + count);
        for (let i = start; i < end; i++) {
          const vaddr = region.base + i * PAGE_SIZE;
          const name = `[${i}] ${hex(vaddr)}`;
          const target = { space: virtualMemory(spaceRefOf(space)), start: vaddr, length: PAGE_SIZE };
          offers.set(name, { dataId: dataBreakpointId(target), description: describeTarget(target) });
          const page: Thing = { kind: 'page', space: spaceRefOf(space), vaddr };
          out.push(
            withThing(
              {
                name,
                value: this.pageSummary(region, space, i),
                type: 'page',
                variablesReference: this.add(this.pageFieldsNode(region, space, i)),
                memoryReference: virtualReference(space, vaddr),
              },
              page,
              things,
            ),
          );
        }
        return out;
      },
    };
  }

  private pageState(region: Region, i: number): string {
    const mm = this.machine.memoryManager;
    const object = region.vmobject;
    if (object === null) return 'unbacked';
    if (object.kind === 'MMIO') return 'MMIO';
    const frame = object.pages[region.firstPageIndex + i] ?? -1;
    if (frame < 0) return 'not present';
    if (frame === mm.sharedZeroFrame) return 'shared zero';
    if (frame === mm.lazyCommittedFrame) return 'lazy committed';
    const cow = region.shouldCow(i);
    const refCount = mm.entries.refCount[frame] ?? 0;
    return `resident${cow ? ', COW' : ''}${refCount > 1 ? ', shared' : ''}`;
  }

  private pageSummary(region: Region, space: Process | 'kernel', i: number): string {
    const vaddr = region.base + i * PAGE_SIZE;
    const state = this.pageState(region, i);
    const pte = this.machine.pte(space, vaddr);
    const pteText =
      pte === null
        ? 'no PTE'
        : pte.present
          ? `PTE [${pteBitNames(pte)}] → ${hex(pte.paddr)}`
          : 'PTE not present';
    const frame = region.physicalPage(i);
    const refs = frame >= 0 ? `, ref ${this.machine.memoryManager.entries.refCount[frame] ?? 0}` : '';
    return `${state}${refs}; ${pteText}`;
  }

  /** A page's fields; its PTE fields stand for the PTE, its frame and ref_count for the frame. */
  private pageFieldsNode(region: Region, space: Process | 'kernel', i: number): Node {
    const node = this.fields(() => this.pageFields(region, space, i));
    const things = new Map<string, Thing>();
    const vaddr = region.base + i * PAGE_SIZE;
    const pte: Thing = { kind: 'pte', space: spaceRefOf(space), vaddr };
    return {
      things,
      children: (format, start, count) =>
        node.children(format, start, count).map((variable) => {
          if (variable.name === 'pte' || variable.name.startsWith('pte.'))
            return withThing(variable, pte, things);
          const frame = region.physicalPage(i);
          if ((variable.name === 'frame' || variable.name === 'ref_count') && frame >= 0)
            return withThing(variable, { kind: 'frame', paddr: frame * PAGE_SIZE }, things);
          return variable;
        }),
    };
  }

  private pageFields(
    region: Region,
    space: Process | 'kernel',
    i: number,
  ): [string, number | bigint | string | boolean | null][] {
    const vaddr = region.base + i * PAGE_SIZE;
    const frame = region.physicalPage(i);
    const pte = this.machine.pte(space, vaddr);
    const rows: [string, number | bigint | string | boolean | null][] = [
      ['vaddr', vaddr],
      ['state', this.pageState(region, i)],
      ['vmobject slot', region.firstPageIndex + i],
      ['frame', frame >= 0 ? frame * PAGE_SIZE : null],
      ['ref_count', frame >= 0 ? (this.machine.memoryManager.entries.refCount[frame] ?? 0) : null],
      ['cow', region.shouldCow(i)],
    ];
    if (pte === null) rows.push(['pte', 'no page table covers it']);
    else
      rows.push(
        ...pteFields(pte).map(
          ([n, v]) => [`pte.${n}`, v] as [string, number | bigint | string | boolean | null],
        ),
      );
    return rows;
  }

  // Physical memory --------------------------------------------------------------------------------

  private physicalMemory(): Node {
    const things = new Map<string, Thing>();
    return {
      things,
      children: (format) => {
        const c = this.machine.counters();
        const mm = this.machine.memoryManager;
        const zones = this.machine.zones();
        const rows: DebugProtocol.Variable[] = [
          { name: 'physical_pages', value: formatNumber(c.physicalPages, format), variablesReference: 0 },
          {
            name: 'physical_pages_used',
            value: formatNumber(c.physicalPagesUsed, format),
            variablesReference: 0,
          },
          {
            name: 'physical_pages_committed',
            value: formatNumber(c.physicalPagesCommitted, format),
            variablesReference: 0,
          },
          {
            name: 'physical_pages_uncommitted',
            value: formatNumber(c.physicalPagesUncommitted, format),
            variablesReference: 0,
          },
          { name: 'free_pages', value: formatNumber(c.freePages, format), variablesReference: 0 },
          {
            name: 'zones',
            value: plural(zones.length, 'zone'),
            variablesReference: this.add(this.zoneList()),
            indexedVariables: zones.length,
          },
          {
            name: 'memory map',
            value: plural(mm.memoryMap.length, 'entry', 'entries'),
            variablesReference: this.add(
              this.fields(() =>
                mm.memoryMap.map((e, i) => [
                  `[${i}]`,
                  `${e.kind} ${hex(e.base)}..${hex(e.base + e.size)}${e.label !== undefined ? ` "${e.label}"` : ''}`,
                ]),
              ),
            ),
          },
          {
            name: 'used ranges',
            value: `${mm.usedRanges.length} ranges`,
            variablesReference: this.add(
              this.fields(() =>
                mm.usedRanges.map((r) => [r.kind, `${hex(r.base)}..${hex(r.base + r.size)}`]),
              ),
            ),
          },
          {
            name: 'shared zero page',
            value: describePhysical(this.machine, mm.sharedZeroFrame * PAGE_SIZE),
            variablesReference: 0,
            memoryReference: formatMemoryReference(PHYSICAL_MEMORY, mm.sharedZeroFrame * PAGE_SIZE),
          },
          {
            name: 'lazy committed page',
            value: describePhysical(this.machine, mm.lazyCommittedFrame * PAGE_SIZE),
            variablesReference: 0,
          },
        ];
        return rows.map((row) => {
          const name = COUNTER_VARIABLES[row.name];
          return name === undefined ? row : withThing(row, { kind: 'counter', name }, things);
        });
      },
    };
  }

  private zoneList(): Node {
    const zones = this.machine.zones();
    const things = new Map<string, Thing>();
    return {
      indexed: zones.length,
      things,
      children: (format, start, count) =>
        zones.slice(start, start + count).map((zone, i) => {
          const variable: DebugProtocol.Variable = {
            name: `[${start + i}]`,
            value: `base ${hex(zone.base)}, ${formatNumber(zone.pageCount, format)} pages, ${formatNumber(zone.available, format)} available`,
            variablesReference: this.add(this.zone(start + i)),
            memoryReference: formatMemoryReference(PHYSICAL_MEMORY, zone.base),
          };
          const thing = this.zoneThing(start + i);
          return thing === null ? variable : withThing(variable, thing, things);
        }),
    };
  }

  private zone(index: number): Node {
    return {
      children: (format) => {
        const zone = this.machine.zones()[index];
        if (zone === undefined) return [];
        const rows: DebugProtocol.Variable[] = [
          {
            name: 'base',
            value: hex(zone.base),
            variablesReference: 0,
            memoryReference: formatMemoryReference(PHYSICAL_MEMORY, zone.base),
          },
          { name: 'page_count', value: formatNumber(zone.pageCount, format), variablesReference: 0 },
          { name: 'available', value: formatNumber(zone.available, format), variablesReference: 0 },
        ];
        for (let order = 0; order <= 12; order++) {
          const blocks = zone.freeBlocks(order);
          rows.push({
            name: `free_blocks(${order})`,
            value: `${blocks.length} free block${blocks.length === 1 ? '' : 's'} of ${2 ** order} page${order === 0 ? '' : 's'}`,
            variablesReference: 0,
          });
        }
        return rows;
      },
    };
  }

  // Kernel ------------------------------------------------------------------------------------------

  private kernel(): Node {
    return {
      children: (format) => {
        const mm = this.machine.memoryManager;
        const regions = this.machine.kernelRegions();
        const quickmap: [string, string][] = [];
        for (let cpu = 0; cpu < mm.options.cpus; cpu++) {
          for (const slot of ['pt', 'pd', 'page'] as const) {
            const vaddr = MemoryManager.quickmapVaddr(slot, cpu);
            const pte = this.machine.pte('kernel', vaddr);
            const mapped =
              pte !== null && pte.present ? `→ ${hex(pte.paddr)} [${pteBitNames(pte)}]` : 'empty';
            quickmap.push([
              `cpu ${cpu} ${slot} ${hex(vaddr)}`,
              `${mapped}${slot === 'page' && mm.quickmapInUse[cpu] === 1 ? ' (in use)' : ''}`,
            ]);
          }
        }
        return [
          {
            name: 'regions',
            value: plural(regions.length, 'region'),
            variablesReference: this.add(this.regionList(() => this.machine.kernelRegions(), 'kernel')),
            indexedVariables: regions.length,
          },
          {
            name: 'quickmap',
            value: `${mm.options.cpus} CPU(s)`,
            variablesReference: this.add(this.fields(() => quickmap)),
          },
          { name: 'halted', value: mm.halted ?? 'no', variablesReference: 0 },
          { name: 'cpus', value: formatNumber(mm.options.cpus, format), variablesReference: 0 },
        ];
      },
    };
  }

  // This step ---------------------------------------------------------------------------------------

  private thisStep(): Node {
    return {
      children: (format) => {
        const report = this.view?.report ?? null;
        if (report === null) return [{ name: 'step', value: 'no step has run yet', variablesReference: 0 }];
        const rows: DebugProtocol.Variable[] = [
          { name: 'step', value: String(report.index), variablesReference: 0 },
          { name: 'line', value: String(report.range.start.line + 1), variablesReference: 0 },
          { name: 'outcome', value: report.outcome, variablesReference: 0 },
          { name: 'faults', value: report.faults.join(', ') || 'none', variablesReference: 0 },
        ];
        if (report.message !== null)
          rows.push({ name: 'message', value: report.message, variablesReference: 0 });
        if (report.value !== null) rows.push(this.valueVariable('value', report.value, format));
        const events = report.events;
        rows.push({
          name: 'events',
          value: plural(events.length, 'event'),
          variablesReference: this.add(this.eventList(events)),
          indexedVariables: events.length,
        });
        return rows;
      },
    };
  }

  private eventList(events: readonly MemoryEvent[]): Node {
    return {
      indexed: events.length,
      children: (format, start, count) =>
        events.slice(start, start + count).map((event, i) => ({
          name: `[${start + i}] ${event.kind}`,
          // The one wording of events: the overview, the trace and the hovers say the same.
          value: describeEvent(event).text,
          variablesReference: this.add(
            this.fields(() =>
              Object.entries(event)
                .filter(([k]) => k !== 'kind')
                .map(([k, v]) => [
                  k,
                  typeof v === 'object' ? JSON.stringify(v) : (v as number | string | boolean),
                ]),
            ),
          ),
          ...(format.hex ? {} : {}),
        })),
    };
  }
}

function regionOffer(region: Region, space: Process | 'kernel'): DataOffer {
  const target = { space: virtualMemory(spaceRefOf(space)), start: region.base, length: region.size };
  return { dataId: dataBreakpointId(target), description: `${region.name}: ${describeTarget(target)}` };
}

/** Addresses read better in hex; counts and sizes follow the client's format. */
function formatField(name: string, value: number | bigint, format: Formatting): string {
  if (/addr|base|frame|raw|^pte\.paddr|^end$/.test(name)) return hex(value);
  if (typeof value === 'number' && Math.abs(value) >= NUMBER_LIMIT) return hex(value);
  return formatNumber(value, format);
}

function vmobjectFields(object: NonNullable<Region['vmobject']>): [string, number | string | boolean][] {
  const rows: [string, number | string | boolean][] = [
    ['id', object.id],
    ['kind', object.kind],
    ['page_count', object.pageCount],
    ['regions', object.regions.length],
  ];
  const anonymous = object as unknown as { purgeable?: boolean; volatile?: boolean; wasPurged?: boolean };
  if (object.kind === 'Anonymous') {
    rows.push(['is_purgeable', anonymous.purgeable === true]);
    rows.push(['is_volatile', anonymous.volatile === true]);
    rows.push(['was_purged', anonymous.wasPurged === true]);
  }
  return rows;
}

function pteFields(pte: import('../engine').DecodedPte): [string, number | bigint | string | boolean][] {
  return [
    ['raw', pte.raw],
    ['bits', pteBitNames(pte)],
    ['present', pte.present],
    ['writable', pte.writable],
    ['user', pte.user],
    ['write_through', pte.writeThrough],
    ['cache_disabled', pte.cacheDisabled],
    ['accessed', pte.accessed],
    ['dirty', pte.dirty],
    ['pat', pte.pat],
    ['global', pte.global],
    ['nx', pte.nx],
    ['paddr', pte.paddr],
  ];
}

/** The memory reference of a value that denotes memory. */
export function valueMemoryReference(value: Value): string | null {
  switch (value.kind) {
    case 'region':
      return virtualReference(value.space, value.region.base);
    case 'process': {
      const first = value.process.alive ? value.process.space.regions[0] : undefined;
      return first === undefined ? null : virtualReference(value.process, first.base);
    }
    case 'physical_page':
      return formatMemoryReference(PHYSICAL_MEMORY, value.paddr);
    case 'pte':
      return virtualReference(value.space, value.vaddr - (value.vaddr % PAGE_SIZE));
    case 'zone':
      return null;
    default:
      return null;
  }
}
