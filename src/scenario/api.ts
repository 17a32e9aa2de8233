// The API table of the scenario language: every function, member, constant and outcome a scenario
// may name, as data. The checker, the interpreter, completion, signature help, hovers and the
// language guide all read this one table, so a name exists everywhere or nowhere.
//
// Parameter defaults are written as scenario source text (`PROT_READ | PROT_WRITE`); parse them
// with `parseExpression` and evaluate them like any argument.

/** Families of named constants. A constant is typed by the parameter it is passed to. */
export type ConstantKind =
  | 'integer'
  | 'access'
  | 'strategy'
  | 'memory_type'
  | 'prot'
  | 'map_flags'
  | 'advice'
  | 'msync_flags'
  | 'open_flags'
  | 'annotate_flags'
  | 'prctl_option'
  | 'purge_mode'
  | 'width'
  | 'yes_no'
  | 'errno';

/** Every constant kind, for telling a constant parameter from a handle or string parameter. */
export const CONSTANT_KINDS: ReadonlySet<string> = new Set<ConstantKind>([
  'integer',
  'access',
  'strategy',
  'memory_type',
  'prot',
  'map_flags',
  'advice',
  'msync_flags',
  'open_flags',
  'annotate_flags',
  'prctl_option',
  'purge_mode',
  'width',
  'yes_no',
  'errno',
]);

export function isConstantKind(kind: string): kind is ConstantKind {
  return CONSTANT_KINDS.has(kind);
}

/** Handles: values that stand for an object of the simulated machine. */
export type HandleKind =
  | 'process'
  | 'kernel'
  | 'mm'
  | 'region'
  | 'vmobject'
  | 'physical_page'
  | 'committed_set'
  | 'pte'
  | 'zone'
  | 'zone_list'
  | 'fd';

/** What a value is, as far as the checker can tell before running. */
export type ValueKind = ConstantKind | HandleKind | 'string' | 'bool' | 'null' | 'error' | 'none';

/**
 * What a parameter accepts. Constant kinds accept their constants (combined with `|` for flags)
 * or any integer; `address_space` accepts a process or `kernel`; `releasable` accepts a kernel
 * region, a physical page or a committed set; `data` accepts an integer or a string (its bytes);
 * `any` accepts every value.
 */
export type ParamKind =
  ConstantKind | 'string' | 'bool' | 'process' | 'address_space' | 'releasable' | 'data' | 'fd' | 'any';

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  /** Scenario source text of the default; absent when the argument is required. */
  readonly default?: string;
  readonly description: string;
}

export interface ReturnSpec {
  readonly kind: ValueKind;
  /** The call may yield `null` (no page table, no region, no page …). */
  readonly nullable?: boolean;
}

export interface FunctionSpec {
  readonly kind: 'function';
  readonly name: string;
  readonly params: readonly ParamSpec[];
  readonly returns: ReturnSpec;
  readonly description: string;
  /** The errnos the call can end with (its step's outcome); empty for calls that cannot fail. */
  readonly errors: readonly string[];
  /** Inspection functions never fault, never change state and never count as an access. */
  readonly inspection: boolean;
  /** Reference section that defines the behaviour, for hovers. */
  /** The SerenityOS file and function it follows ("Kernel/Syscalls/mmap.cpp sys$mmap"). */
  readonly kernelSource?: string;
}

export interface PropertySpec {
  readonly kind: 'property';
  readonly name: string;
  readonly returns: ReturnSpec;
  readonly description: string;
  /** Also callable with no arguments (`p.amount_resident()` is `p.amount_resident`). */
  readonly callable?: boolean;
}

export type MemberSpec = FunctionSpec | PropertySpec;

export interface ConstantSpec {
  readonly name: string;
  /** The value per kind; `None` has two (Access::None = 0, AllocationStrategy::None = 2). */
  readonly values: Readonly<Partial<Record<ConstantKind, bigint>>>;
  readonly description: string;
}

export interface OutcomeSpec {
  readonly name: string;
  readonly category: 'ok' | 'fault' | 'failure' | 'errno' | 'panic';
  readonly description: string;
}

// -------------------------------------------------------------------------------------------------
// Helpers to keep the table readable

const p = (name: string, kind: ParamKind, description: string, defaultText?: string): ParamSpec =>
  defaultText === undefined ? { name, kind, description } : { name, kind, description, default: defaultText };

interface FnOptions {
  readonly errors?: readonly string[];
  readonly inspection?: boolean;
  readonly nullable?: boolean;
  /** The SerenityOS file and function it follows ("Kernel/Syscalls/mmap.cpp sys$mmap"). */
  readonly kernelSource?: string;
}

const fn = (
  name: string,
  params: readonly ParamSpec[],
  returns: ValueKind,
  description: string,
  options: FnOptions = {},
): FunctionSpec => ({
  kind: 'function',
  name,
  params,
  returns: options.nullable ? { kind: returns, nullable: true } : { kind: returns },
  description,
  errors: options.errors ?? [],
  inspection: options.inspection ?? false,
  ...(options.kernelSource === undefined ? {} : { kernelSource: options.kernelSource }),
});

const prop = (
  name: string,
  returns: ValueKind,
  description: string,
  callable = false,
  nullable = false,
): PropertySpec => ({
  kind: 'property',
  name,
  returns: nullable ? { kind: returns, nullable: true } : { kind: returns },
  description,
  ...(callable ? { callable: true } : {}),
});

const table = <T extends { readonly name: string }>(entries: readonly T[]): Readonly<Record<string, T>> =>
  Object.freeze(Object.fromEntries(entries.map((e) => [e.name, e])));

const size = (what = 'size in bytes; a multiple of PAGE_SIZE') => p('size', 'integer', what);
const regionName = p('name', 'string', 'the region name shown in the views');
const access = p(
  'access',
  'access',
  'Read, Write, Execute combined with |, or ReadOnly / ReadWrite / ReadWriteExecute',
);
const proc = p('p', 'process', 'the calling process');
const space = p('space', 'address_space', "a process or 'kernel'");
const vaddr = p('vaddr', 'integer', 'a virtual address');

// -------------------------------------------------------------------------------------------------
// Functions called by bare name

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = table([
  // System calls: the first argument is the calling process.
  fn(
    'mmap',
    [
      proc,
      p('addr', 'integer', 'the address; only a hint (ignored) without MAP_FIXED or MAP_FIXED_NOREPLACE'),
      p('size', 'integer', 'the length in bytes, rounded up to whole pages'),
      p('prot', 'prot', 'PROT_NONE or PROT_READ | PROT_WRITE | PROT_EXEC'),
      p('flags', 'map_flags', 'MAP_SHARED or MAP_PRIVATE, with MAP_ANONYMOUS, MAP_FIXED, … combined with |'),
      p('fd', 'fd', 'a file descriptor from open(); null for anonymous memory', 'null'),
      p('offset', 'integer', 'the offset in the file; a multiple of PAGE_SIZE', '0'),
      p('name', 'string', 'the region name', '""'),
      p('alignment', 'integer', 'the alignment of the placement; 0 means PAGE_SIZE', '0'),
    ],
    'integer',
    'Maps memory into the process and returns the address of the new region.',
    {
      errors: ['EINVAL', 'EFAULT', 'ENOMEM', 'EPERM', 'EACCES', 'EBADF', 'ENODEV', 'ENAMETOOLONG', 'EOVERFLOW'],
      kernelSource: 'Kernel/Syscalls/mmap.cpp sys$mmap',
    },
  ),
  fn(
    'munmap',
    [proc, p('addr', 'integer', 'the start of the range'), p('size', 'integer', 'the length in bytes')],
    'integer',
    'Unmaps a range; regions that are cut in two keep their VMObject, so partial unmaps free nothing.',
    { errors: ['EINVAL', 'EFAULT', 'EPERM'], kernelSource: 'Kernel/Memory/AddressSpace.cpp unmap_mmap_range' },
  ),
  fn(
    'mprotect',
    [proc, p('addr', 'integer', 'the start of the range'), p('size', 'integer', 'the length'), p('prot', 'prot', 'the new protection')],
    'integer',
    'Changes the protection of a range, splitting regions at its edges; obeys the W^X rules.',
    { errors: ['EINVAL', 'EFAULT', 'EPERM', 'EACCES', 'ENOMEM'], kernelSource: 'Kernel/Syscalls/mmap.cpp sys$mprotect' },
  ),
  fn(
    'madvise',
    [proc, p('addr', 'integer', 'the base of an exact region'), p('size', 'integer', 'its size'), p('advice', 'advice', 'MADV_SET_VOLATILE or MADV_SET_NONVOLATILE')],
    'integer',
    'Makes a purgeable region volatile or non-volatile; returns 1 when it had been purged, else 0.',
    { errors: ['EINVAL', 'EFAULT', 'EPERM', 'ENOMEM'], kernelSource: 'Kernel/Syscalls/mmap.cpp sys$madvise' },
  ),
  fn(
    'msync',
    [proc, p('addr', 'integer', 'the start of the range; page aligned'), p('size', 'integer', 'the length'), p('flags', 'msync_flags', 'MS_SYNC or MS_ASYNC, optionally | MS_INVALIDATE')],
    'integer',
    'Writes the dirty pages of shared file mappings in the range back to the file.',
    { errors: ['EINVAL', 'ENOMEM'], kernelSource: 'Kernel/Syscalls/mmap.cpp sys$msync' },
  ),
  fn(
    'annotate_mapping',
    [proc, p('addr', 'integer', 'an address inside an mmap region'), p('flags', 'annotate_flags', 'SyscallCode and/or Immutable')],
    'integer',
    'Marks the region holding addr as a syscall region or as immutable (sticky). SyscallCode is EPERM once PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS was set.',
    { errors: ['EINVAL', 'EFAULT', 'EPERM'], kernelSource: 'Kernel/Syscalls/mmap.cpp sys$annotate_mapping' },
  ),
  fn(
    'set_mmap_name',
    [proc, p('addr', 'integer', 'the base of an exact mmap region'), p('size', 'integer', 'its size'), p('name', 'string', 'the new name (at most PATH_MAX bytes)')],
    'integer',
    'Renames an mmap region; the range must be exactly one region, which must not be immutable.',
    { errors: ['ENAMETOOLONG', 'EINVAL', 'EPERM'], kernelSource: 'Kernel/Syscalls/mmap.cpp sys$set_mmap_name' },
  ),
  fn(
    'prctl',
    [proc, p('option', 'prctl_option', 'PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT, PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS or PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS'), p('arg1', 'integer', 'the first argument (0 for the options here)', '0'), p('arg2', 'integer', 'the second argument (unused by the options here)', '0')],
    'integer',
    "Sets a process-wide memory policy for good (or reads one back); an option the kernel does not know is EINVAL.",
    { errors: ['EINVAL'], kernelSource: 'Kernel/Syscalls/prctl.cpp sys$prctl' },
  ),
  fn(
    'open',
    [proc, p('path', 'string', 'the path given to a file statement'), p('flags', 'open_flags', 'O_RDONLY, O_WRONLY or O_RDWR')],
    'fd',
    'Opens a file of the simulated file system and returns a file descriptor.',
    { errors: ['ENOENT', 'EINVAL'] },
  ),
  fn(
    'pwrite',
    [proc, p('fd', 'fd', 'a file descriptor opened for writing'), p('offset', 'integer', 'the offset in the file'), p('value', 'data', 'a byte (integer) or a "string" of bytes')],
    'integer',
    'Writes bytes into the file only: pages already loaded from it keep their old bytes.',
    { errors: ['EBADF'] },
  ),
  fn('fork', [proc], 'process', 'Forks the process: shared regions are shared, private ones become copy-on-write.', {
    errors: ['ENOMEM'],
    kernelSource: 'Kernel/Syscalls/fork.cpp sys$fork',
  }),
  fn(
    'sys_purge',
    [p('mode', 'purge_mode', 'PURGE_ALL_VOLATILE and/or PURGE_ALL_CLEAN_INODE')],
    'integer',
    'Purges every volatile purgeable VMObject and/or drops clean file pages; returns the pages freed.',
    { kernelSource: 'Kernel/Syscalls/purge.cpp sys$purge' },
  ),
  fn('release', [p('handle', 'releasable', 'a kernel region, a physical page or a committed set')], 'none',
    "Drops the scenario's reference: a kernel region is unmapped and destroyed, a page unref'd, a committed set uncommitted."),
  // Inspection: side-effect free.
  fn('translate', [space, vaddr], 'integer', 'The physical address the MMU would use for vaddr, or null.', {
    inspection: true,
    nullable: true,
  }),
  fn('pte', [space, vaddr], 'pte', 'The page table entry for vaddr, or null when no page table covers it.', {
    inspection: true,
    nullable: true,
    kernelSource: 'Kernel/Arch/x86_64/PageDirectory.h PageTableEntry',
  }),
  fn('region_at', [space, vaddr], 'region', 'The region containing vaddr, or null.', { inspection: true, nullable: true }),
  fn('peek', [space, vaddr, p('width', 'width', 'u8, u16, u32 or u64', 'u8')], 'integer',
    'The value a load would see at vaddr, without faulting; null where a load would crash.', { inspection: true, nullable: true }),
  fn('ppeek', [p('paddr', 'integer', 'a physical address'), p('width', 'width', 'u8, u16, u32 or u64', 'u8')], 'integer',
    'The value stored in physical memory at paddr.', { inspection: true }),
  fn('page', [p('paddr', 'integer', 'a physical address')], 'physical_page', 'The physical page at paddr, or null when none is allocated there.', {
    inspection: true,
    nullable: true,
  }),
  fn('file_peek', [p('path', 'string', 'the path of a file'), p('offset', 'integer', 'the offset in the file'), p('width', 'width', 'u8, u16, u32 or u64', 'u8')],
    'integer', "The file's stored bytes at offset (what the disk holds, not a mapping).", { inspection: true }),
  // C++ spellings accepted so kernel snippets run verbatim.
  fn('VirtualAddress', [p('value', 'integer', 'an address')], 'integer', 'The address itself (a C++ spelling).', { inspection: true }),
  fn('PhysicalAddress', [p('value', 'integer', 'an address')], 'integer', 'The address itself (a C++ spelling).', { inspection: true }),
]); // prettier-ignore

// -------------------------------------------------------------------------------------------------
// Members of each handle

const amount = (name: string, description: string): PropertySpec => prop(name, 'integer', description, true);

export const MEMBERS: Readonly<Record<HandleKind, Readonly<Record<string, MemberSpec>>>> = {
  mm: table<MemberSpec>([
    fn(
      'allocate_kernel_region',
      [size(), regionName, access, p('strategy', 'strategy', 'Reserve, AllocateNow or None', 'Reserve'), p('memory_type', 'memory_type', 'Normal, NonCacheable or IO', 'Normal')],
      'region',
      'Allocates anonymous kernel memory in a new kernel region (first fit in the kernel range).',
      { errors: ['ENOMEM'], kernelSource: 'Kernel/Memory/MemoryManager.cpp allocate_kernel_region' },
    ),
    fn(
      'allocate_contiguous_kernel_region',
      [size(), regionName, access, p('memory_type', 'memory_type', 'Normal, NonCacheable or IO', 'Normal')],
      'region',
      'Allocates physically contiguous kernel memory (one buddy block).',
      { errors: ['ENOMEM'], kernelSource: 'Kernel/Memory/MemoryManager.cpp allocate_contiguous_kernel_region' },
    ),
    fn(
      'allocate_dma_buffer_page',
      [regionName, access, p('memory_type', 'memory_type', 'Normal, NonCacheable or IO', 'NonCacheable')],
      'region',
      'Allocates one page for DMA and maps it in the kernel, uncached by default.',
      { errors: ['ENOMEM'], kernelSource: 'Kernel/Memory/MemoryManager.cpp allocate_dma_buffer_page' },
    ),
    fn(
      'allocate_dma_buffer_pages',
      [size(), regionName, access, p('memory_type', 'memory_type', 'Normal, NonCacheable or IO', 'NonCacheable')],
      'region',
      'Allocates physically contiguous pages for DMA and maps them in the kernel, uncached by default.',
      { errors: ['ENOMEM'], kernelSource: 'Kernel/Memory/MemoryManager.cpp allocate_dma_buffer_pages' },
    ),
    fn(
      'allocate_mmio_kernel_region',
      [p('paddr', 'integer', 'the physical address of the device registers'), size(), regionName, access, p('memory_type', 'memory_type', 'Normal, NonCacheable or IO', 'IO')],
      'region',
      'Maps a device range of physical addresses into the kernel, uncached (IO) by default.',
      { errors: ['ENOMEM'], kernelSource: 'Kernel/Memory/MemoryManager.cpp allocate_mmio_kernel_region' },
    ),
    fn('allocate_physical_page', [p('zero_fill', 'yes_no', 'Yes to zero the page', 'Yes')], 'physical_page',
      'Takes one page from the uncommitted pool (purging volatile memory if none is free).', { errors: ['ENOMEM'], kernelSource: 'Kernel/Memory/MemoryManager.cpp allocate_physical_page' }),
    fn('commit_physical_pages', [p('count', 'integer', 'the number of pages to commit')], 'committed_set',
      'Commits pages without allocating them; take_one() allocates from the commitment.', { errors: ['ENOMEM'], kernelSource: 'Kernel/Memory/MemoryManager.cpp commit_physical_pages' }),
    fn(
      'quickmap_page',
      [p('paddr', 'integer', 'the physical page to map'), p('memory_type', 'memory_type', 'Normal, NonCacheable or IO', 'Normal'), p('cpu', 'integer', 'the CPU whose quickmap slot is used', '0')],
      'integer',
      "Maps a physical page at the CPU's quickmap slot and returns the kernel virtual address.",
      { kernelSource: 'Kernel/Memory/MemoryManager.cpp quickmap_page' },
    ),
    fn('unquickmap_page', [p('cpu', 'integer', 'the CPU whose quickmap slot is cleared', '0')], 'none',
      "Clears the CPU's quickmap slot.", { kernelSource: 'Kernel/Memory/MemoryManager.cpp unquickmap_page' }),
    prop('physical_pages', 'integer', 'Pages managed by the memory manager (used + committed + uncommitted).'),
    prop('physical_pages_used', 'integer', 'Pages allocated to someone.'),
    prop('physical_pages_committed', 'integer', 'Pages promised to someone but not allocated yet.'),
    prop('physical_pages_uncommitted', 'integer', 'Pages neither used nor committed.'),
    prop('free_pages', 'integer', 'Pages the zones can still hand out (sum of zone.available).'),
    prop('zones', 'zone_list', 'The physical zones of the buddy allocator, in address order.'),
  ]), // prettier-ignore
  process: table<MemberSpec>([
    prop('address_space', 'process', 'The address space of the process (the same handle).'),
    fn(
      'allocate_region',
      [
        p('randomize', 'yes_no', 'Yes to place it at a random address'),
        p('vaddr', 'integer', 'a page-aligned address, or 0 to let the address space choose'),
        p('size', 'integer', 'the size in bytes (rounded up to pages)'),
        p('alignment', 'integer', 'the alignment of the placement'),
        regionName,
        p('prot', 'prot', 'the protection', 'PROT_READ | PROT_WRITE'),
        p('strategy', 'strategy', 'Reserve, AllocateNow or None', 'Reserve'),
      ],
      'region',
      'Allocates an anonymous region the way the kernel does for ELF data and stacks (not an mmap region).',
      { errors: ['EINVAL', 'ENOMEM', 'EOVERFLOW'], kernelSource: 'Kernel/Memory/AddressSpace.cpp allocate_region' },
    ),
    amount('amount_virtual', 'Bytes of all regions, PROT_NONE ones included.'),
    amount('amount_resident', 'Bytes of real pages mapped by the regions (not the zero or lazy page).'),
    amount('amount_shared', 'Bytes of resident pages whose reference count is above 1.'),
    amount('amount_dirty_private', 'Dirty bytes of the private regions.'),
    amount('amount_clean_inode', 'Bytes of loaded, clean file pages.'),
    amount('amount_purgeable_volatile', 'Resident bytes of volatile purgeable regions.'),
    amount('amount_purgeable_nonvolatile', 'Resident bytes of non-volatile purgeable regions.'),
    amount('zero_faults', 'Zero faults taken by the process.'),
    amount('cow_faults', 'Copy-on-write faults taken by the process.'),
    amount('inode_faults', 'File (inode) faults taken by the process.'),
    prop('is_alive', 'bool', 'False once the process exited or was killed by a fault.', true),
    prop('name', 'string', 'The name the scenario gave the process.'),
    prop('stack', 'region', "The main thread's stack region (from stack=SIZE), or null without one.", false, true),
    prop('stack_pointer', 'integer', 'The user stack pointer (the top of the stack until set_sp moves it), or null without a stack.', false, true),
  ]), // prettier-ignore
  kernel: table<MemberSpec>([]),
  region: table<MemberSpec>([
    prop('base', 'integer', 'The first address of the region.'),
    prop('vaddr', 'integer', 'The first address of the region (same as base).'),
    prop('size', 'integer', 'The size in bytes.'),
    prop('end', 'integer', 'The address just past the region.'),
    prop('name', 'string', 'The region name.'),
    prop('access', 'access', 'The access bits: Read 1, Write 2, Execute 4.'),
    prop('memory_type', 'memory_type', 'Normal, NonCacheable or IO.'),
    prop('is_shared', 'bool', 'Mapped MAP_SHARED.'),
    prop('is_stack', 'bool', 'A stack region (MAP_STACK or the main thread stack).'),
    prop('is_mmap', 'bool', 'Created by mmap (so munmap, mprotect and madvise may touch it).'),
    prop('is_immutable', 'bool', 'Annotated Immutable.'),
    prop('vmobject', 'vmobject', 'The VMObject the region maps.'),
    amount('amount_resident', "Bytes of real pages in the region's window of its VMObject."),
    amount('amount_dirty', 'Dirty bytes (for a file mapping: of the whole VMObject).'),
    amount('amount_shared', 'Resident bytes whose page is shared (reference count above 1).'),
    amount('cow_pages', 'Pages marked copy-on-write in the VMObject.'),
    fn('physical_page', [p('index', 'integer', 'the page index inside the region')], 'physical_page',
      'The physical page in slot index, or null for an empty slot.', { inspection: true, nullable: true }),
  ]), // prettier-ignore
  vmobject: table<MemberSpec>([
    prop('kind', 'string', '"Anonymous", "SharedInode", "PrivateInode" or "MMIO".'),
    prop('page_count', 'integer', 'The number of page slots.'),
    prop('is_purgeable', 'bool', 'Created with MAP_PURGEABLE.'),
    prop('is_volatile', 'bool', 'Marked volatile by madvise.'),
    prop('was_purged', 'bool', 'Purged since it was last made volatile.'),
  ]),
  physical_page: table<MemberSpec>([
    prop('paddr', 'integer', 'The physical address of the page.'),
    prop('ref_count', 'integer', 'How many holders reference the page.'),
    prop('zone', 'zone', 'The zone the page belongs to.', false, true),
    prop('is_shared_zero_page', 'bool', 'The one shared zero page.'),
    prop(
      'is_lazy_committed_page',
      'bool',
      'The lazy committed page (a tag for "committed but not allocated").',
    ),
  ]),
  committed_set: table<MemberSpec>([
    fn('take_one', [], 'physical_page', 'Allocates one page from the commitment (committed → used).', {
      kernelSource: 'Kernel/Memory/MemoryManager.cpp CommittedPhysicalPageSet::take_one',
    }),
    fn('uncommit_one', [], 'none', 'Gives one page of the commitment back (committed → uncommitted).', {
      kernelSource: 'Kernel/Memory/MemoryManager.cpp CommittedPhysicalPageSet::uncommit_one',
    }),
    prop('page_count', 'integer', 'Pages still committed in the set.'),
  ]),
  pte: table<MemberSpec>([
    prop('raw', 'integer', 'The 64-bit entry.'),
    prop('present', 'bool', 'Present (bit 0).'),
    prop('writable', 'bool', 'ReadWrite (bit 1).'),
    prop('user', 'bool', 'UserSupervisor (bit 2).'),
    prop('write_through', 'bool', 'WriteThrough (bit 3).'),
    prop('cache_disabled', 'bool', 'CacheDisabled (bit 4).'),
    prop('accessed', 'bool', 'Accessed (bit 5): an access went through it (set by the MMU).'),
    prop('dirty', 'bool', 'Dirty (bit 6): a write went through it (set by the MMU).'),
    prop('pat', 'bool', 'PAT (bit 7).'),
    prop('global', 'bool', 'Global (bit 8).'),
    prop('nx', 'bool', 'NoExecute (bit 63).'),
    prop('paddr', 'integer', 'The physical page base (bits 51..12).'),
  ]),
  zone: table<MemberSpec>([
    prop('base', 'integer', 'The first physical address of the zone.'),
    prop('page_count', 'integer', 'Pages in the zone (4096 for a 16 MiB zone, 256 for a 1 MiB zone).'),
    prop('available', 'integer', 'Pages the zone can still hand out.'),
    fn('free_blocks', [p('order', 'integer', 'the buddy order, 0..12 (a block of 2^order pages)')], 'integer',
      'The number of free blocks of that order.', { inspection: true }),
  ]), // prettier-ignore
  zone_list: table<MemberSpec>([prop('size', 'integer', 'The number of zones; index with zones[i].')]),
  fd: table<MemberSpec>([]),
};

/** What an index `list[i]` yields, per indexable handle. */
export const INDEXABLE: Readonly<Partial<Record<HandleKind, ValueKind>>> = { zone_list: 'zone' };

/** Names bound before the first line runs. */
export const GLOBALS: Readonly<Record<string, { readonly kind: HandleKind; readonly description: string }>> =
  {
    MM: { kind: 'mm', description: 'The memory manager: kernel allocators, quickmap and the page counters.' },
    kernel: {
      kind: 'kernel',
      description: 'The kernel address space; as an access target, a kernel-mode access.',
    },
  };

// -------------------------------------------------------------------------------------------------
// Constants

const c = (
  name: string,
  values: Partial<Record<ConstantKind, bigint>>,
  description: string,
): ConstantSpec => ({
  name,
  values,
  description,
});

export const CONSTANTS: Readonly<Record<string, ConstantSpec>> = table([
  c('PAGE_SIZE', { integer: 4096n }, 'The page size, 4096 bytes.'),
  c('u8', { width: 1n }, 'A 1-byte access.'),
  c('u16', { width: 2n }, 'A 2-byte access.'),
  c('u32', { width: 4n }, 'A 4-byte access.'),
  c('u64', { width: 8n }, 'An 8-byte access.'),
  c(
    'None',
    { access: 0n, strategy: 2n },
    'Region::Access::None (0), or AllocationStrategy::None: commit nothing, zero page until written.',
  ),
  c('Read', { access: 1n }, 'Region::Access::Read.'),
  c('Write', { access: 2n }, 'Region::Access::Write.'),
  c('Execute', { access: 4n }, 'Region::Access::Execute.'),
  c('ReadOnly', { access: 1n }, 'Region::Access::ReadOnly (Read).'),
  c('ReadWrite', { access: 3n }, 'Region::Access::ReadWrite (Read | Write).'),
  c('ReadWriteExecute', { access: 7n }, 'Region::Access::ReadWriteExecute.'),
  c('PROT_NONE', { prot: 0n }, 'No access.'),
  c('PROT_READ', { prot: 1n }, 'Readable.'),
  c('PROT_WRITE', { prot: 2n }, 'Writable.'),
  c('PROT_EXEC', { prot: 4n }, 'Executable.'),
  c('MAP_SHARED', { map_flags: 0x01n }, 'Share the mapping with forks and other mappings of the file.'),
  c('MAP_PRIVATE', { map_flags: 0x02n }, 'A private mapping: copy-on-write after fork.'),
  c('MAP_FIXED', { map_flags: 0x10n }, 'Map exactly at addr, replacing what is there.'),
  c('MAP_ANONYMOUS', { map_flags: 0x20n }, 'Anonymous memory, not backed by a file.'),
  c(
    'MAP_STACK',
    { map_flags: 0x40n },
    'A stack region (needs MAP_PRIVATE | MAP_ANONYMOUS, never executable).',
  ),
  c(
    'MAP_NORESERVE',
    { map_flags: 0x80n },
    'Commit nothing: pages are allocated on first write and may run out.',
  ),
  c('MAP_RANDOMIZED', { map_flags: 0x100n }, 'Place the region at a random address.'),
  c('MAP_PURGEABLE', { map_flags: 0x200n }, 'Purgeable anonymous memory (see madvise).'),
  c('MAP_FIXED_NOREPLACE', { map_flags: 0x400n }, 'Map exactly at addr; ENOMEM if something is there.'),
  c('Reserve', { strategy: 0n }, 'Commit every page now, allocate each on its first write.'),
  c('AllocateNow', { strategy: 1n }, 'Commit and allocate every page now.'),
  c('Normal', { memory_type: 0n }, 'Cacheable memory (write-back).'),
  c('NonCacheable', { memory_type: 1n }, 'Uncached, write-combining (PAT bit); for DMA and framebuffers.'),
  c('IO', { memory_type: 2n }, 'Uncached, strongly ordered (PCD bit); for device registers.'),
  c('Yes', { yes_no: 1n }, 'Yes, as in RandomizeVirtualAddress::Yes or ShouldZeroFill::Yes.'),
  c('No', { yes_no: 0n }, 'No, as in RandomizeVirtualAddress::No or ShouldZeroFill::No.'),
  c('MADV_SET_VOLATILE', { advice: 1n }, 'Make a purgeable region volatile: its pages may be purged.'),
  c(
    'MADV_SET_NONVOLATILE',
    { advice: 2n },
    'Make a purgeable region non-volatile again (recommits purged pages).',
  ),
  c('MS_SYNC', { msync_flags: 1n }, 'Write dirty pages back now.'),
  c('MS_ASYNC', { msync_flags: 2n }, 'Treated like MS_SYNC.'),
  c('MS_INVALIDATE', { msync_flags: 4n }, 'Accepted and ignored.'),
  c('O_RDONLY', { open_flags: 1n }, 'Open for reading.'),
  c('O_WRONLY', { open_flags: 2n }, 'Open for writing.'),
  c('O_RDWR', { open_flags: 3n }, 'Open for reading and writing.'),
  c('SyscallCode', { annotate_flags: 1n }, 'Syscalls may be made from this region.'),
  c('Immutable', { annotate_flags: 2n }, 'The region can no longer be unmapped, protected or annotated.'),
  c(
    'PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS',
    { prctl_option: 3n },
    'No region may become a syscall region from now on (arg1 must be 0); inherited by fork.',
  ),
  c(
    'PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS',
    { prctl_option: 4n },
    'Returns 1 once syscall region annotations are refused, else 0.',
  ),
  c(
    'PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT',
    { prctl_option: 10n },
    'mprotect refuses PROT_EXEC on memory that has been writable, for good; not inherited by fork.',
  ),
  c('PURGE_ALL_VOLATILE', { purge_mode: 1n }, 'Purge every volatile purgeable VMObject.'),
  c('PURGE_ALL_CLEAN_INODE', { purge_mode: 2n }, 'Release every clean file page.'),
]);

// -------------------------------------------------------------------------------------------------
// Outcomes

const o = (name: string, category: OutcomeSpec['category'], description: string): OutcomeSpec => ({
  name,
  category,
  description,
});

export const ERRNOS: readonly string[] = [
  'ENOMEM',
  'EINVAL',
  'EFAULT',
  'EPERM',
  'EACCES',
  'ENODEV',
  'EBADF',
  'ENOENT',
  'EOVERFLOW',
  'ENAMETOOLONG',
  'ENOTSUP',
];

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOMEM: 'Out of memory, or no room for the range.',
  EINVAL: 'An invalid argument.',
  EFAULT: 'The range is not a user range.',
  EPERM: 'Not permitted (not an mmap region, or immutable).',
  EACCES: 'The file descriptor does not allow this protection.',
  ENODEV: 'The file cannot be mapped.',
  EBADF: 'Not an open file descriptor.',
  ENOENT: 'No such file.',
  EOVERFLOW: 'An offset or size overflows.',
  ENAMETOOLONG: 'The name is too long.',
  ENOTSUP: 'Not supported (e.g. forking an MMIO mapping).',
};

export const OUTCOMES: Readonly<Record<string, OutcomeSpec>> = table([
  o('ok', 'ok', 'The step completed without a fault or an error.'),
  o(
    'zero_fault',
    'fault',
    'A write hit the zero page or the lazy committed page; a page was allocated (Continue).',
  ),
  o('cow_fault', 'fault', 'A write hit a copy-on-write page; it was copied or made writable (Continue).'),
  o('inode_fault', 'fault', 'A file page was loaded or marked dirty (Continue).'),
  o('crash', 'failure', 'The access crashed the process (ShouldCrash); the process is dead.'),
  o('oom', 'failure', 'No page was available for the fault (OutOfMemory); the process is dead.'),
  o(
    'bus_error',
    'failure',
    'The access was past the end of the mapped file (BusError); the process is dead.',
  ),
  o('panic', 'panic', 'The real kernel would panic here; the machine halts.'),
  ...ERRNOS.map((e) => o(e, 'errno', ERRNO_TEXT[e] ?? 'An error number.')),
]);

/** Errno names are also values (a failed call yields one): `expect r == ENOMEM`. */
export function isOutcomeName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(OUTCOMES, name);
}

export function isErrnoName(name: string): boolean {
  return ERRNOS.includes(name);
}

export function lookup<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

/** Statement keywords, for completion and the guide. */
export const STATEMENT_KEYWORDS: readonly string[] = [
  'machine',
  'memory',
  'let',
  'auto',
  'process',
  'fork',
  'exit',
  'set_sp',
  'file',
  'write',
  'read',
  'exec',
  'print',
  'expect',
  'proc',
  'repeat',
];

export const MACHINE_KEYS: Readonly<
  Record<string, { readonly default: string; readonly description: string }>
> = {
  ram: { default: '128M', description: 'Installed RAM; decides the default memory map.' },
  cpus: { default: '1', description: 'Number of CPUs, 1..64 (each has its own quickmap slot).' },
  seed: { default: '0', description: 'Seed of the one PRNG behind every random choice.' },
  pat: { default: 'true', description: 'The CPU has PAT (NonCacheable maps with the PAT bit; else as IO).' },
  smap: { default: 'true', description: 'Kernel accesses to user pages crash (SMAP).' },
  kernel_size: { default: '8M', description: 'Size of the kernel image loaded at 1 MiB.' },
  arch: { default: 'x86_64', description: 'The architecture; only x86_64.' },
};

export const MEMORY_KINDS: readonly string[] = ['usable', 'reserved', 'acpi_reclaimable', 'acpi_nvs', 'bad'];

export interface OptionSpec {
  readonly kind: 'integer' | 'bool';
  /** Scenario source text of the default; absent when the option has none (it is off). */
  readonly default?: string;
  readonly required?: boolean;
  readonly description: string;
}

export const PROCESS_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  stack: {
    kind: 'integer',
    description: 'Give the process a main-thread stack of this size (enables stack-pointer checks).',
  },
  ax_allowed: {
    kind: 'bool',
    default: 'false',
    description:
      'The executable’s mount allows anonymous executable memory (MS_AXALLOWED); /bin is mounted without it.',
  },
  wx_allowed: {
    kind: 'bool',
    default: 'false',
    description:
      'The executable’s mount allows writable+executable memory (MS_WXALLOWED); /bin is mounted without it.',
  },
  no_w_to_x: {
    kind: 'bool',
    default: 'true',
    description:
      'Refuse making once-writable memory executable: the dynamic loader’s prctl, which every dynamically linked program gets.',
  },
};

export const FILE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  size: { kind: 'integer', required: true, description: 'The size of the file in bytes.' },
  fill: { kind: 'integer', default: '0', description: 'The byte every position of the file holds.' },
};

/**
 * The value of a constant for a parameter of kind `kind`, or, without a kind, its first value
 * (`None` alone is Access::None). Undefined when the name is no constant or has no such kind.
 */
export function constantValue(name: string, kind?: ConstantKind): bigint | undefined {
  const constant = lookup(CONSTANTS, name);
  if (constant === undefined) return undefined;
  if (kind !== undefined) return constant.values[kind];
  return Object.values(constant.values)[0];
}
