// Renders the API table as Markdown for the language guide, so the guide lists exactly what the
// language knows. `src/cli/updateGuide.ts` writes it into docs/language-guide.md; a test keeps
// the two in step.

import {
  CONSTANTS,
  ConstantKind,
  FUNCTIONS,
  FunctionSpec,
  GLOBALS,
  HandleKind,
  MEMBERS,
  MemberSpec,
  OUTCOMES,
  ReturnSpec,
} from './api';

export const API_TABLE_START =
  '<!-- api-table:start (generated from src/scenario/api.ts; do not edit by hand) -->';
export const API_TABLE_END = '<!-- api-table:end -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function signature(spec: FunctionSpec, prefix = ''): string {
  const params = spec.params.map((p) => (p.default === undefined ? p.name : `${p.name}=${p.default}`));
  return `${prefix}${spec.name}(${params.join(', ')})`;
}

function returns(r: ReturnSpec): string {
  if (r.kind === 'none') return '—';
  const names: Partial<Record<string, string>> = {
    integer: 'integer',
    physical_page: 'PhysicalPage',
    committed_set: 'CommittedSet',
    region: 'Region',
    vmobject: 'VMObject',
    process: 'Process',
    pte: 'PTE entry',
    zone: 'zone',
    zone_list: 'list of zones',
    fd: 'file descriptor',
    bool: 'bool',
    string: 'string',
  };
  const name = names[r.kind] ?? r.kind;
  return r.nullable ? `${name} or null` : name;
}

function memberRow(spec: MemberSpec, prefix: string): string {
  if (spec.kind === 'property') {
    const suffix = spec.callable ? ' (or `()`)' : '';
    return `| \`${prefix}${spec.name}\`${suffix} | ${cell(returns(spec.returns))} | ${cell(spec.description)} |`;
  }
  const errors = spec.errors.length > 0 ? ` Errors: ${spec.errors.join(', ')}.` : '';
  return `| \`${cell(signature(spec, prefix))}\` | ${cell(returns(spec.returns))} | ${cell(spec.description + errors)} |`;
}

const HANDLE_TITLES: readonly [HandleKind, string, string][] = [
  ['mm', 'MM — the memory manager', 'MM.'],
  ['process', 'Process (and its address space)', 'p.'],
  ['region', 'Region', 'r.'],
  ['vmobject', 'VMObject', 'r.vmobject.'],
  ['physical_page', 'PhysicalPage', 'pg.'],
  ['committed_set', 'CommittedSet', 'set.'],
  ['pte', 'Page table entry (from `pte(…)`)', 'e.'],
  ['zone', 'Zone (from `MM.zones[i]`)', 'z.'],
  ['zone_list', 'The zone list (`MM.zones`)', 'MM.zones.'],
];

const CONSTANT_TITLES: readonly [ConstantKind, string][] = [
  ['integer', 'Numbers'],
  ['width', 'Access widths'],
  ['access', 'Region access (`Region::Access::…`)'],
  ['strategy', 'Allocation strategies (`AllocationStrategy::…`)'],
  ['memory_type', 'Memory types (`MemoryType::…`)'],
  ['yes_no', 'Yes / No (`RandomizeVirtualAddress::…`, `ShouldZeroFill::…`)'],
  ['prot', 'Protections'],
  ['map_flags', 'mmap flags'],
  ['advice', 'madvise advice'],
  ['msync_flags', 'msync flags'],
  ['open_flags', 'open flags'],
  ['annotate_flags', 'annotate_mapping flags'],
  ['prctl_option', 'prctl options'],
  ['purge_mode', 'sys_purge modes'],
];

export function renderApiTable(): string {
  const out: string[] = [API_TABLE_START, ''];
  const fnTable = (title: string, specs: FunctionSpec[]): void => {
    out.push(`#### ${title}`, '', '| Call | Returns | What it does |', '|---|---|---|');
    for (const spec of specs) out.push(memberRow(spec, ''));
    out.push('');
  };
  const all = Object.values(FUNCTIONS);
  fnTable(
    'System calls (the first argument is the calling process)',
    all.filter((f) => !f.inspection && f.name !== 'release'),
  );
  fnTable(
    'Releasing a handle',
    all.filter((f) => f.name === 'release'),
  );
  fnTable(
    'Inspection (never faults, never changes anything)',
    all.filter((f) => f.inspection),
  );

  out.push('#### Names bound before the first line', '', '| Name | What it is |', '|---|---|');
  for (const [name, g] of Object.entries(GLOBALS)) out.push(`| \`${name}\` | ${cell(g.description)} |`);
  out.push('');

  for (const [kind, title, prefix] of HANDLE_TITLES) {
    const members = Object.values(MEMBERS[kind]);
    if (members.length === 0) continue;
    out.push(`#### ${title}`, '', '| Member | Gives | Meaning |', '|---|---|---|');
    for (const spec of members) out.push(memberRow(spec, prefix));
    out.push('');
  }

  out.push('#### Constants', '', '| Kind | Constants |', '|---|---|');
  for (const [kind, title] of CONSTANT_TITLES) {
    const names = Object.values(CONSTANTS)
      .filter((c) => c.values[kind] !== undefined)
      .map((c) => `\`${c.name}\` = ${c.values[kind]}`);
    out.push(`| ${cell(title)} | ${cell(names.join(', '))} |`);
  }
  out.push('');

  out.push('#### Outcomes', '', '| Outcome | Meaning |', '|---|---|');
  for (const o of Object.values(OUTCOMES)) out.push(`| \`${o.name}\` | ${cell(o.description)} |`);
  out.push('', API_TABLE_END);
  return out.join('\n');
}

/** Replaces the generated section of a guide with the current table. */
export function updateGuideText(guide: string): string | undefined {
  const start = guide.indexOf(API_TABLE_START);
  const end = guide.indexOf(API_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return guide.slice(0, start) + renderApiTable() + guide.slice(end + API_TABLE_END.length);
}
