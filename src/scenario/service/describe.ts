// Words shown in completion details, signature help and hovers, all taken from the API table.

import type { ProcStatement } from '../ast';
import {
  CONSTANTS,
  ConstantKind,
  ConstantSpec,
  FunctionSpec,
  MemberSpec,
  OutcomeSpec,
  ParamKind,
  ParamSpec,
  PropertySpec,
} from '../api';
import { describeType, returnType } from './model';

/** `mmap(p, addr, size, prot, flags, fd=null, …)` */
export function signatureLabel(name: string, params: readonly { name: string; default?: string }[]): string {
  return `${name}(${params.map((p) => (p.default === undefined ? p.name : `${p.name}=${p.default}`)).join(', ')})`;
}

export function functionSignature(spec: FunctionSpec, receiver?: string): string {
  const prefix = receiver === undefined ? '' : `${receiver}.`;
  return `${prefix}${signatureLabel(spec.name, spec.params)} → ${describeType(returnType(spec.returns))}`;
}

export function procSignature(proc: ProcStatement): string {
  return `proc ${signatureLabel(
    proc.name.name,
    proc.params.map((p) => ({ name: p.name })),
  )}`;
}

const PARAM_KIND_WORDS: Readonly<Record<ParamKind, string>> = {
  integer: 'integer',
  access: 'Region::Access',
  strategy: 'AllocationStrategy',
  memory_type: 'MemoryType',
  prot: 'PROT_* flags',
  map_flags: 'MAP_* flags',
  advice: 'MADV_* advice',
  msync_flags: 'MS_* flags',
  open_flags: 'O_* flags',
  annotate_flags: 'annotation flags',
  prctl_option: 'PR_* option',
  purge_mode: 'PURGE_* mode',
  width: 'width',
  yes_no: 'Yes/No',
  errno: 'errno',
  string: 'string',
  bool: 'bool',
  process: 'Process',
  address_space: "Process or 'kernel'",
  releasable: 'Region, PhysicalPage or CommittedSet',
  data: 'integer or string',
  fd: 'file descriptor',
  any: 'any value',
};

export function paramKindWords(kind: string | undefined): string {
  return kind === undefined ? 'any value' : (PARAM_KIND_WORDS[kind as ParamKind] ?? kind);
}

export function paramLine(param: ParamSpec): string {
  const def = param.default === undefined ? '' : ` (default \`${param.default}\`)`;
  return `- \`${param.name}\`: ${paramKindWords(param.kind)}: ${param.description}${def}`;
}

/** The markdown of a function or method: signature, description, parameters, errnos, kernel source. */
export function functionMarkdown(spec: FunctionSpec, receiver?: string): string {
  const lines = ['```mmu', functionSignature(spec, receiver), '```', spec.description];
  if (spec.params.length > 0) lines.push('', '**Parameters**', ...spec.params.map(paramLine));
  if (spec.inspection) lines.push('', 'Inspection: never faults, never changes state.');
  if (spec.errors.length > 0) lines.push('', `**Errors:** ${spec.errors.join(', ')}`);
  if (spec.kernelSource !== undefined) {
    const [file, fn] = spec.kernelSource.split(' ');
    lines.push('', `**In SerenityOS:** \`${fn}\` in \`${file}\``);
  }
  return lines.join('\n');
}

export function propertyMarkdown(spec: PropertySpec, receiver?: string): string {
  const prefix = receiver === undefined ? '' : `${receiver}.`;
  const call = spec.callable ? ' (also callable as `' + spec.name + '()`)' : '';
  return [
    '```mmu',
    `${prefix}${spec.name}: ${describeType(returnType(spec.returns))}`,
    '```',
    spec.description + call,
  ].join('\n');
}

export function memberMarkdown(spec: MemberSpec, receiver?: string): string {
  return spec.kind === 'function' ? functionMarkdown(spec, receiver) : propertyMarkdown(spec, receiver);
}

const KIND_WORDS: Readonly<Record<ConstantKind, string>> = {
  integer: 'integer',
  access: 'Region::Access',
  strategy: 'AllocationStrategy',
  memory_type: 'MemoryType',
  prot: 'protection (PROT_*)',
  map_flags: 'mmap flag (MAP_*)',
  advice: 'madvise advice',
  msync_flags: 'msync flag',
  open_flags: 'open flag',
  annotate_flags: 'mapping annotation',
  prctl_option: 'prctl option',
  purge_mode: 'purge mode',
  width: 'access width',
  yes_no: 'Yes/No',
  errno: 'errno',
};

export function constantKindWords(kind: ConstantKind): string {
  return KIND_WORDS[kind];
}

/** `ReadWrite = 3 (Region::Access)`, one line per kind for constants with several. */
export function constantValues(spec: ConstantSpec): string[] {
  return (Object.entries(spec.values) as [ConstantKind, bigint][]).map(
    ([kind, value]) => `${spec.name} = ${formatInteger(value)} (${KIND_WORDS[kind]})`,
  );
}

export function constantMarkdown(spec: ConstantSpec): string {
  return ['```mmu', ...constantValues(spec), '```', spec.description].join('\n');
}

export function constantDetail(spec: ConstantSpec): string {
  return (Object.entries(spec.values) as [ConstantKind, bigint][])
    .map(([kind, value]) => `${KIND_WORDS[kind]} ${formatInteger(value)}`)
    .join(' | ');
}

/** Constants that a parameter of this kind takes, in table order. */
export function constantsOfKind(kind: string): ConstantSpec[] {
  return Object.values(CONSTANTS).filter(
    (c) => Object.prototype.hasOwnProperty.call(c.values, kind) && kind !== 'integer',
  );
}

export function outcomeMarkdown(spec: OutcomeSpec): string {
  const category: Readonly<Record<OutcomeSpec['category'], string>> = {
    ok: 'success',
    fault: 'a handled page fault (the access is retried)',
    failure: 'a failure: the process dies',
    errno: 'an error number returned by a call',
    panic: 'a kernel panic: the machine halts',
  };
  return [`**${spec.name}**: outcome, ${category[spec.category]}`, '', spec.description].join('\n');
}

/** 4096 → `4096 (0x1000)`; small numbers stay decimal only. */
export function formatInteger(value: bigint): string {
  return value < 10n ? value.toString() : `${value.toString()} (0x${value.toString(16).toUpperCase()})`;
}

/** 65536 → `64 KiB`, when the value is a whole number of KiB, MiB or GiB. */
export function formatSize(value: bigint): string | undefined {
  const units: [bigint, string][] = [
    [1n << 30n, 'GiB'],
    [1n << 20n, 'MiB'],
    [1n << 10n, 'KiB'],
  ];
  for (const [unit, name] of units) {
    if (value >= unit && value % unit === 0n) return `${value / unit} ${name}`;
  }
  return undefined;
}
