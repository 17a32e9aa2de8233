// The machine a scenario runs on: the `machine` line and the firmware memory map of the `memory`
// lines (or the default PC map). Both are read before boot, so their values must be literals. The
// limits, defaults and default map are the engine's; this reads them off the lines and says where.

import type { Expression, MachineStatement, MemoryStatement, Program, Setting } from './ast';
import { MACHINE_KEYS, MEMORY_KINDS } from './api';
import { evaluateConstant } from './constant';
import { DiagnosticBag, Range } from './source';
import { didYouMean } from './suggest';
import {
  PHYSICAL_ADDRESS_LIMIT as PHYSICAL_LIMIT,
  cpusProblem,
  kernelSizeProblem,
  pageEntryArrayProblem,
  ramProblem,
} from '../engine/machineLimits';
import {
  DEFAULT_MACHINE_OPTIONS,
  type MemoryKind,
  defaultMemoryMap as engineDefaultMemoryMap,
} from '../engine/MemoryManager';

export type { MemoryKind };

export interface MemoryMapEntry {
  readonly kind: MemoryKind;
  /** Physical start address (inclusive). */
  readonly start: bigint;
  /** Physical end address (exclusive). */
  readonly end: bigint;
  readonly label?: string;
  /** The `memory` line this entry came from; absent for the default map. */
  readonly source?: Range;
}

export interface MachineConfig {
  readonly ram: bigint;
  readonly cpus: number;
  readonly seed: bigint;
  readonly pat: boolean;
  readonly smap: boolean;
  readonly kernelSize: bigint;
  readonly arch: 'x86_64';
  readonly memoryMap: readonly MemoryMapEntry[];
  /** True when the map came from `memory` lines rather than the default for `ram`. */
  readonly explicitMemoryMap: boolean;
}

/** x86_64 physical addresses have at most 52 bits (the engine's limit, as a bigint). */
export const PHYSICAL_ADDRESS_LIMIT = BigInt(PHYSICAL_LIMIT);

/** The engine's defaults, in the checker's units. */
export const DEFAULT_MACHINE = {
  ram: BigInt(DEFAULT_MACHINE_OPTIONS.ram),
  cpus: DEFAULT_MACHINE_OPTIONS.cpus,
  seed: BigInt(DEFAULT_MACHINE_OPTIONS.seed),
  pat: DEFAULT_MACHINE_OPTIONS.pat,
  smap: DEFAULT_MACHINE_OPTIONS.smap,
  kernelSize: BigInt(DEFAULT_MACHINE_OPTIONS.kernelSize),
} as const;

/** The default PC memory map for `ram` bytes of RAM: the engine's, in the checker's units. */
export function defaultMemoryMap(ram: bigint): MemoryMapEntry[] {
  return engineDefaultMemoryMap(Number(ram))
    .map((entry) => {
      const range = { kind: entry.kind, start: BigInt(entry.base), end: BigInt(entry.base + entry.size) };
      return entry.label === undefined ? range : { ...range, label: entry.label };
    })
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

const hex = (v: bigint): string => `0x${v.toString(16).toUpperCase()}`;

/**
 * Reads the machine configuration of a program, reporting every problem of the `machine` and
 * `memory` lines. Placement (these lines must come first) is the checker's concern.
 */
export function resolveMachine(program: Program, diagnostics: DiagnosticBag): MachineConfig {
  const machines = program.statements.filter((s): s is MachineStatement => s.kind === 'machine');
  const memories = program.statements.filter((s): s is MemoryStatement => s.kind === 'memory');
  let config: Config = { ...DEFAULT_MACHINE };
  machines.forEach((machine, i) => {
    if (i > 0) {
      diagnostics.error(
        machine.keywordRange,
        'duplicate-machine',
        "Only one 'machine' line is allowed; merge its settings into the first.",
      );
    }
    config = readMachineSettings(machine.settings, config, diagnostics);
  });
  const memoryMap: MemoryMapEntry[] = [];
  for (const line of memories) {
    const entry = readMemoryLine(line, diagnostics);
    if (entry === undefined) continue;
    const overlapping = memoryMap.find((e) => e.start < entry.end && entry.start < e.end);
    if (overlapping) {
      const other = overlapping.source ? ` on line ${overlapping.source.start.line + 1}` : '';
      diagnostics.error(
        line.span.range,
        'memory-overlap',
        `This range [${hex(entry.start)}, ${hex(entry.end)}) overlaps the ${overlapping.kind} range ` +
          `[${hex(overlapping.start)}, ${hex(overlapping.end)})${other}; expected ranges that do not overlap.`,
      );
      continue;
    }
    memoryMap.push(entry);
  }
  if (
    memories.length > 0 &&
    !memoryMap.some((e) => e.kind === 'usable') &&
    memoryMap.length === memories.length
  ) {
    const first = memories[0];
    if (first) {
      diagnostics.error(
        first.keywordRange,
        'no-usable-memory',
        "The memory map has no 'usable' range; the machine would have no RAM.",
      );
    }
  }
  const explicit = memories.length > 0;
  const map = explicit
    ? memoryMap.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
    : defaultMemoryMap(config.ram);
  checkPageEntryArray(map, config.kernelSize, explicit ? undefined : ramRange(machines), diagnostics);
  return { ...config, arch: 'x86_64', memoryMap: map, explicitMemoryMap: explicit };
}

/** Where the `ram` setting's value is, if a machine line gives one. */
function ramRange(machines: readonly MachineStatement[]): Range | undefined {
  for (const machine of machines)
    for (const setting of machine.settings) if (setting.key.name === 'ram') return setting.value.range;
  return undefined;
}

/** The boot's page-entry array must fit in kernel space: said at the highest usable range (or ram). */
function checkPageEntryArray(
  map: readonly MemoryMapEntry[],
  kernelSize: bigint,
  ram: Range | undefined,
  diagnostics: DiagnosticBag,
): void {
  let highest: MemoryMapEntry | undefined;
  for (const entry of map)
    if (entry.kind === 'usable' && (highest === undefined || entry.end > highest.end)) highest = entry;
  if (highest === undefined) return;
  const problem = pageEntryArrayProblem(Number(highest.end), Number(kernelSize));
  const range = highest.source ?? ram;
  if (problem !== null && range !== undefined) diagnostics.error(range, 'bad-machine-value', problem);
}

type Config = { ram: bigint; cpus: number; seed: bigint; pat: boolean; smap: boolean; kernelSize: bigint };

function readMachineSettings(
  settings: readonly Setting[],
  start: Config,
  diagnostics: DiagnosticBag,
): Config {
  const config: Config = { ...start };
  const seen = new Set<string>();
  let ramSetting: Setting | undefined;
  for (const setting of settings) {
    const key = setting.key.name;
    if (!Object.prototype.hasOwnProperty.call(MACHINE_KEYS, key)) {
      diagnostics.error(
        setting.key.range,
        'unknown-machine-key',
        `Unknown machine setting '${key}'; expected one of ${Object.keys(MACHINE_KEYS).join(', ')}.` +
          didYouMean(key, Object.keys(MACHINE_KEYS)),
      );
      continue;
    }
    if (seen.has(key)) {
      diagnostics.error(setting.key.range, 'duplicate-setting', `'${key}' is set twice on the machine line.`);
      continue;
    }
    seen.add(key);
    switch (key) {
      case 'ram': {
        const v = integerSetting(setting, diagnostics);
        if (v === undefined) break;
        const problem = ramProblem(Number(v));
        if (problem !== null) diagnostics.error(setting.value.range, 'bad-machine-value', problem);
        else {
          config.ram = v;
          ramSetting = setting;
        }
        break;
      }
      case 'cpus': {
        const v = integerSetting(setting, diagnostics);
        if (v === undefined) break;
        const problem = cpusProblem(Number(v));
        if (problem !== null) diagnostics.error(setting.value.range, 'bad-machine-value', problem);
        else config.cpus = Number(v);
        break;
      }
      case 'seed': {
        const v = integerSetting(setting, diagnostics);
        if (v !== undefined) config.seed = v;
        break;
      }
      case 'pat':
      case 'smap': {
        const v = booleanSetting(setting, diagnostics);
        if (v !== undefined) config[key] = v;
        break;
      }
      case 'kernel_size': {
        const v = integerSetting(setting, diagnostics);
        if (v === undefined) break;
        const problem = kernelSizeProblem(Number(v));
        if (problem !== null) diagnostics.error(setting.value.range, 'bad-machine-value', problem);
        else config.kernelSize = v;
        break;
      }
      case 'arch':
        checkArch(setting.value, diagnostics);
        break;
    }
  }
  if (ramSetting && config.ram <= 0x100000n + config.kernelSize) {
    diagnostics.error(
      ramSetting.value.range,
      'bad-machine-value',
      `ram=${hex(config.ram)} leaves no memory above the kernel image [0x100000, ${hex(0x100000n + config.kernelSize)}); ` +
        'expected more RAM or a smaller kernel_size.',
    );
  }
  return config;
}

function checkArch(value: Expression, diagnostics: DiagnosticBag): void {
  const text = value.kind === 'name' ? value.name : value.kind === 'string' ? value.value : undefined;
  if (text === 'x86_64') return;
  diagnostics.error(
    value.range,
    'bad-machine-value',
    `arch=${text ?? '…'} is not supported; the only architecture is x86_64.`,
  );
}

function integerSetting(setting: Setting, diagnostics: DiagnosticBag): bigint | undefined {
  const v = evaluateConstant(setting.value);
  if (v === undefined) {
    diagnostics.error(
      setting.value.range,
      'bad-machine-value',
      `${setting.key.name} needs an integer made of literals (such as 256M or 0x1000); the machine is set up before anything else runs.`,
    );
    return undefined;
  }
  if (v.kind === 'error') {
    diagnostics.error(v.range, 'constant-overflow', `This arithmetic traps: ${v.message}.`);
    return undefined;
  }
  return v.value;
}

function booleanSetting(setting: Setting, diagnostics: DiagnosticBag): boolean | undefined {
  if (setting.value.kind === 'boolean') return setting.value.value;
  diagnostics.error(setting.value.range, 'bad-machine-value', `${setting.key.name} must be true or false.`);
  return undefined;
}

function readMemoryLine(line: MemoryStatement, diagnostics: DiagnosticBag): MemoryMapEntry | undefined {
  const kind = line.memoryKind.name;
  let ok = true;
  if (!MEMORY_KINDS.includes(kind)) {
    diagnostics.error(
      line.memoryKind.range,
      'bad-memory-kind',
      `Unknown memory kind '${kind}'; expected one of ${MEMORY_KINDS.join(', ')}.` +
        didYouMean(kind, MEMORY_KINDS),
    );
    ok = false;
  }
  const literal = (e: Expression, what: string): bigint | undefined => {
    const v = evaluateConstant(e);
    if (v === undefined) {
      diagnostics.error(
        e.range,
        'bad-memory-range',
        `The ${what} of a memory range must be an integer made of literals.`,
      );
      return undefined;
    }
    if (v.kind === 'error') {
      diagnostics.error(v.range, 'constant-overflow', `This arithmetic traps: ${v.message}.`);
      return undefined;
    }
    return v.value;
  };
  const start = literal(line.span.start, 'start');
  let end: bigint | undefined;
  if (line.span.form === 'span') {
    end = literal(line.span.end, 'end');
  } else {
    const size = literal(line.span.size, 'size');
    if (start !== undefined && size !== undefined) end = start + size;
  }
  if (start === undefined || end === undefined) return undefined;
  if (end <= start) {
    diagnostics.error(
      line.span.range,
      'bad-memory-range',
      `The range ends at ${hex(end)}, not after its start ${hex(start)}; expected START..END with END > START.`,
    );
    return undefined;
  }
  if (end > PHYSICAL_ADDRESS_LIMIT) {
    diagnostics.error(
      line.span.range,
      'bad-memory-range',
      `The range ends at ${hex(end)}, beyond the 52-bit physical address space.`,
    );
    return undefined;
  }
  if (!ok) return undefined;
  const base = { kind: kind as MemoryKind, start, end, source: line.range };
  return line.label ? { ...base, label: line.label.value } : base;
}
