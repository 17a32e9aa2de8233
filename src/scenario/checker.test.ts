import * as assert from 'assert';
import { checkSource } from './checker';

/** The diagnostics of a scenario as `line:column code` (1-based), for compact assertions. */
function problems(text: string): string[] {
  return checkSource(text, 't.mmu').diagnostics.map(
    (d) => `${d.range.start.line + 1}:${d.range.start.column + 1} ${d.code}`,
  );
}

function messages(text: string): string[] {
  return checkSource(text, 't.mmu').diagnostics.map((d) => d.message);
}

const DESIGN_NOTES = `let size = 64K
let device_address = 0xFEB00000
let device_size = 0x1000
process p
let address_space = p.address_space
auto region = TRY(MM.allocate_kernel_region(PAGE_SIZE * 4, "MyRegion"sv, Region::Access::ReadWrite, AllocationStrategy::AllocateNow));
auto* region2 = TRY(address_space.allocate_region(RandomizeVirtualAddress::No, VirtualAddress(0x1000000), size, PAGE_SIZE, "heap"sv, PROT_READ | PROT_WRITE, AllocationStrategy::Reserve));
auto mmio_region = TRY(MM.allocate_mmio_kernel_region(PhysicalAddress(device_address), device_size, "DeviceMMIO"sv, Region::Access::ReadWrite, MemoryType::IO));
expect pte(kernel, mmio_region.vaddr).cache_disabled
expect translate(kernel, mmio_region.vaddr + 0x10) == device_address + 0x10
`;

const COPY_ON_WRITE = `machine ram=64M
process parent
let buf = mmap(parent, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
write parent buf, "A"                        => zero_fault
fork parent as child
write child buf, "!"                         => cow_fault
expect peek(parent, buf) == 0x41
expect translate(parent, buf) != translate(child, buf)
write parent buf + 1, "B"                    => cow_fault   # refcount is 1 now: no copy, bit cleared
write parent 0, 1                            => crash
`;

describe('the scenario checker', () => {
  describe('the design-notes and copy-on-write examples, verbatim', () => {
    it('accepts the design-notes snippets without a diagnostic', () => {
      const r = checkSource(DESIGN_NOTES, 'design.mmu');
      assert.deepStrictEqual(r.diagnostics, []);
      assert.strictEqual(r.program.statements.length, 10);
    });

    it('accepts the copy-on-write scenario without a diagnostic', () => {
      const r = checkSource(COPY_ON_WRITE, 'cow.mmu');
      assert.deepStrictEqual(r.diagnostics, []);
      assert.strictEqual(r.machine.ram, 64n << 20n);
    });
  });

  it('accepts the machine and memory block of the language guide', () => {
    const text = [
      'machine ram=256M cpus=2 seed=7 pat=true smap=true kernel_size=8M',
      'memory usable   0x0..0x9F000',
      'memory reserved 0x9F000..0x100000 "legacy"',
      'memory usable   0x100000+255M',
      'memory reserved 0xFFFC0000..0x100000000 "firmware"',
      'process p',
    ].join('\n');
    const r = checkSource(text, 'machine.mmu');
    assert.deepStrictEqual(r.diagnostics, []);
    assert.strictEqual(r.machine.cpus, 2);
    assert.strictEqual(r.machine.seed, 7n);
    assert.strictEqual(r.machine.explicitMemoryMap, true);
    assert.deepStrictEqual(
      r.machine.memoryMap.map((e) => [e.kind, e.start, e.end, e.label]),
      [
        ['usable', 0n, 0x9f000n, undefined],
        ['reserved', 0x9f000n, 0x100000n, 'legacy'],
        ['usable', 0x100000n, 0x10000000n, undefined],
        ['reserved', 0xfffc0000n, 0x100000000n, 'firmware'],
      ],
    );
  });

  describe('names', () => {
    it('reports unknown names, functions, members and arguments with a suggestion', () => {
      const m = messages(
        [
          'process p',
          'let a = mmapp(p, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)',
          'let b = PROT_RAED',
          'let r = MM.allocate_kernel_region(4096, "k", ReadWrite, strategi=Reserve)',
          'print r.vadr',
          'print MM.physical_pages_usd',
          'write q 0, 1',
        ].join('\n'),
      );
      assert.match(m[0] ?? '', /Unknown function 'mmapp'.*Did you mean 'mmap'\?/);
      assert.match(m[1] ?? '', /Unknown name 'PROT_RAED'.*Did you mean 'PROT_READ'\?/);
      assert.match(m[2] ?? '', /Unknown argument 'strategi'.*Did you mean 'strategy'\?/);
      assert.match(m[3] ?? '', /Region has no member 'vadr'.*Did you mean 'vaddr'\?/);
      assert.match(m[4] ?? '', /MM has no member 'physical_pages_usd'.*Did you mean 'physical_pages_used'\?/);
      assert.match(m[5] ?? '', /Unknown process 'q'.*Did you mean 'p'\?/);
    });

    it('reports a binding used before it is defined', () => {
      assert.deepStrictEqual(problems('print x\nlet x = 1\nprint x'), ['1:7 unknown-name']);
    });

    it('reports a qualified name that does not end in a constant', () => {
      assert.deepStrictEqual(problems('let x = 1\nprint Foo::x'), ['2:7 unknown-constant']);
    });

    it('refuses to rebind built-in names, but allows rebinding a let', () => {
      assert.deepStrictEqual(problems('let PAGE_SIZE = 1\nlet mmap = 2\nlet MM = 3\nlet x = 1\nlet x = 2'), [
        '1:5 reserved-name',
        '2:5 reserved-name',
        '3:5 reserved-name',
      ]);
    });

    it('reports two processes with one name', () => {
      assert.deepStrictEqual(problems('process p\nprocess p'), ['2:9 duplicate-process']);
      assert.deepStrictEqual(problems('process p\nfork p as p'), ['2:11 duplicate-process']);
    });

    it('refuses kernel where a process is needed', () => {
      assert.deepStrictEqual(
        problems('fork kernel as c\nexit kernel\nwrite kernel 0x1000, 1\nset_sp kernel 0'),
        ['1:6 kernel-not-process', '2:6 kernel-not-process', '4:8 kernel-not-process'],
      );
      assert.match(
        messages('let x = mmap(kernel, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)')[0] ?? '',
        /Expected a process/,
      );
    });
  });

  describe('calls', () => {
    it('reports missing and surplus arguments with the signature', () => {
      const m = messages('process p\nlet a = mmap(p, 0, 4096)\nlet b = munmap(p, 0, 4096, 1)');
      assert.match(
        m[0] ?? '',
        /Missing arguments 'prot', 'flags'; expected mmap\(p, addr, size, prot, flags, fd=null/,
      );
      assert.match(m[1] ?? '', /Too many arguments: munmap\(p, addr, size\) takes at most 3/);
    });

    it('accepts named arguments after positional ones, and reports the other orders', () => {
      assert.deepStrictEqual(
        problems('process p\nlet a = mmap(p, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, name="x")'),
        [],
      );
      assert.deepStrictEqual(problems('process p\nlet a = mmap(p, size=4096, 0, PROT_READ, MAP_SHARED)'), [
        '2:13 missing-argument',
        '2:28 positional-after-named',
      ]);
      assert.deepStrictEqual(problems('let a = peek(kernel, 0, width=u8, width=u16)'), [
        '1:35 duplicate-argument',
      ]);
    });

    it('still checks the values of arguments that match no parameter', () => {
      assert.deepStrictEqual(
        problems('let a = peek(kernel, 0, u8, nope)\nlet b = peek(kernel, 0, widht=nope2)'),
        ['1:29 unknown-name', '1:29 wrong-arity', '2:25 unknown-argument', '2:31 unknown-name'],
      );
    });

    it('checks set_sp: a known process and an integer stack pointer, no value to assert', () => {
      assert.deepStrictEqual(problems('set_sp p 0'), ['1:8 unknown-process']);
      assert.deepStrictEqual(problems('process p stack=64K\nset_sp p "top"'), ['2:10 type-mismatch']);
      assert.deepStrictEqual(problems('process p stack=64K\nset_sp p p.stack.end => ok, 1'), [
        '2:29 unexpected-value',
      ]);
      assert.deepStrictEqual(
        problems('process p stack=64K\nset_sp p p.stack.end - 8\nset_sp p p.stack_pointer'),
        [],
      );
    });

    it('types prctl options and set_mmap_name names', () => {
      assert.match(
        messages('process p\nprctl(p, PROT_READ)')[0] ?? '',
        /Expected a prctl option .* for 'option' of prctl, but PROT_READ is a protection/,
      );
      assert.match(messages('process p\nset_mmap_name(p, 0, 4096, 7)')[0] ?? '', /'name' of set_mmap_name/);
      assert.deepStrictEqual(
        problems('process p\nprctl(p, PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS, 0)\nprctl(p, 99)'),
        [],
      );
    });

    it('reports a constant of the wrong kind for a parameter', () => {
      const m = messages(
        'process p\nlet a = mmap(p, 0, 4096, MAP_SHARED, PROT_READ)\nlet r = MM.allocate_kernel_region(4096, "k", Reserve)',
      );
      assert.match(m[0] ?? '', /Expected a protection .* for 'prot' of mmap, but MAP_SHARED is mmap flags/);
      assert.match(m[1] ?? '', /Expected mmap flags .* for 'flags' of mmap, but PROT_READ is a protection/);
      assert.match(
        m[2] ?? '',
        /Expected an access .* for 'access' of allocate_kernel_region, but Reserve is an allocation strategy/,
      );
    });

    it('types None by its parameter: an access for access, a strategy for strategy', () => {
      assert.deepStrictEqual(problems('let r = MM.allocate_kernel_region(4096, "k", None, None)'), []);
      assert.deepStrictEqual(problems('let r = MM.allocate_kernel_region(4096, "k", ReadWrite, Normal)'), [
        '1:57 type-mismatch',
      ]);
    });

    it('reports | between constants of different kinds', () => {
      assert.deepStrictEqual(problems('let x = PROT_READ | MAP_SHARED'), ['1:9 mixed-constants']);
    });

    it('reports calls of things that are not functions and uses of functions without a call', () => {
      assert.deepStrictEqual(problems('let x = 1\nlet y = x(2)\nlet z = mmap\nprint MM.zones()'), [
        '2:9 not-callable',
        '3:9 not-a-function'.replace('not-a-function', 'not-called'),
        '4:15 not-callable',
      ]);
    });

    it('accepts amounts both as properties and as zero-argument methods', () => {
      assert.deepStrictEqual(problems('process p\nexpect p.amount_resident == p.amount_resident()'), []);
    });

    it('reports a call without a value where a value is needed', () => {
      assert.deepStrictEqual(problems('let x = MM.unquickmap_page()'), ['1:9 no-value']);
      assert.deepStrictEqual(problems('proc f() {\n}\nlet y = f()'), ['3:9 no-value']);
    });

    it('checks proc calls against the definition, wherever the proc is defined', () => {
      assert.deepStrictEqual(problems('f(1)\nf(1, 2, 3)\nproc f(a, b) {\n  print a + b\n}'), [
        '1:2 missing-argument',
        '2:9 wrong-arity',
      ]);
    });

    it('reports a member of a value that has none, and indexing what is not a list', () => {
      assert.deepStrictEqual(problems('let x = 1\nprint x.y\nprint x[0]\nprint MM.zones[0].available'), [
        '2:9 unknown-member',
        '3:7 not-indexable',
      ]);
    });
  });

  describe('statements', () => {
    it('requires machine and memory lines before every other statement and outside blocks', () => {
      assert.deepStrictEqual(
        problems('machine ram=64M\nmemory usable 0x100000+16M\nprocess p\nmachine cpus=2'),
        ['4:1 misplaced-machine', '4:1 duplicate-machine'].sort(),
      );
      assert.deepStrictEqual(problems('proc f() {\n  memory usable 0..0x1000\n}'), ['2:3 misplaced-machine']);
    });

    it('reports a proc defined inside a block', () => {
      assert.deepStrictEqual(problems('repeat i in 0..2 {\n  proc g() {\n  }\n}'), ['2:3 nested-proc']);
    });

    it('checks process and file options', () => {
      assert.deepStrictEqual(problems('process p stak=1M wx_allowed=1\nfile "/f" fill=300'), [
        '1:11 unknown-option',
        '1:30 type-mismatch',
        '2:1 missing-option',
        '2:16 bad-option',
      ]);
    });

    it('reports a width on a string write and a value too wide for its width', () => {
      assert.deepStrictEqual(
        problems(
          'process p\nwrite p 0x1000, "AB" as u16\nwrite p 0x1000, 0x100\nwrite p 0x1000, 0x100 as u16',
        ),
        ['2:25 width-with-string', '3:17 value-too-wide'],
      );
    });

    it('warns about an expression that has no effect', () => {
      const r = checkSource('let x = 1\nx + 1', 't.mmu');
      assert.deepStrictEqual(
        r.diagnostics.map((d) => [d.severity, d.code]),
        [['warning', 'no-effect']],
      );
    });

    it('reports literal arithmetic that always traps', () => {
      assert.deepStrictEqual(
        problems('let a = 0xFFFF_FFFF_FFFF_FFFF + 1\nlet b = 1 / 0\nlet c = -1\nlet d = 1 << 64'),
        ['1:9 constant-overflow', '2:9 constant-overflow', '3:9 constant-overflow', '4:9 constant-overflow'],
      );
    });

    it('knows processes created inside a proc everywhere', () => {
      assert.deepStrictEqual(
        problems(
          'proc make() {\n  process worker\n  fork worker as helper\n}\nmake()\nwrite worker 0x1000, 1\nexit helper',
        ),
        [],
      );
      assert.deepStrictEqual(problems('proc make() {\n  process worker\n}\nprocess worker'), [
        '4:9 duplicate-process',
      ]);
    });

    it('sees process names created inside a repeat loop later in the file', () => {
      assert.deepStrictEqual(problems('process a\nrepeat i in 0..1 {\n  fork a as b\n}\nexit b'), []);
    });
  });

  describe('outcome assertions', () => {
    it('accepts every outcome and errno name', () => {
      assert.deepStrictEqual(
        problems(
          'process p\nlet a = munmap(p, 0, 0) => EINVAL\nwrite p 0, 1 => crash\nread p 0 => oom\nexec p 0 => bus_error',
        ),
        [],
      );
    });

    it('reports unknown outcome names with a suggestion', () => {
      const m = messages('process p\nwrite p 0, 1 => cow_faul\nwrite p 0, 1 => ENOMEMM');
      assert.match(
        m[0] ?? '',
        /'cow_faul' is neither an outcome nor a known name.*Did you mean 'cow_fault'\?/,
      );
      assert.match(m[1] ?? '', /Unknown outcome 'ENOMEMM'.*Did you mean 'ENOMEM'\?/);
    });

    it('allows a value only where the step has one', () => {
      assert.deepStrictEqual(
        problems('process p\nread p 0 as u32 => ok, 0x41\nwrite p 0, 1 => ok, 1\nlet x = peek(p, 0) => 0'),
        ['3:21 unexpected-value'],
      );
      assert.deepStrictEqual(problems('process p\nread p 0 => 1, 2'), ['2:16 duplicate-value']);
      assert.deepStrictEqual(problems('process p\nread p 0 => ok, ok'), ['2:17 duplicate-outcome']);
    });
  });

  describe('the machine', () => {
    it('reports unknown keys, values out of range and a foreign architecture', () => {
      const m = messages('machine rom=1M cpus=0 arch=arm64 pat=1 kernel_size=100M ram=4097');
      assert.match(m[0] ?? '', /Unknown machine setting 'rom'.*Did you mean 'ram'\?/);
      assert.match(m[1] ?? '', /cpus=0 is out of range; expected 1\.\.64/);
      assert.match(m[2] ?? '', /arch=arm64 is not supported; the only architecture is x86_64/);
      assert.match(m[3] ?? '', /pat must be true or false/);
      assert.match(m[4] ?? '', /kernel_size=0x6400000 is invalid/);
      assert.match(m[5] ?? '', /ram=0x1001 is not a multiple of the page size/);
    });

    it('uses the defaults and the default PC memory map', () => {
      const r = checkSource('process p', 't.mmu');
      assert.strictEqual(r.machine.ram, 128n << 20n);
      assert.strictEqual(r.machine.cpus, 1);
      assert.strictEqual(r.machine.explicitMemoryMap, false);
      assert.deepStrictEqual(
        r.machine.memoryMap.map((e) => [e.kind, e.start, e.end]),
        [
          ['usable', 0n, 0x9f000n],
          ['reserved', 0x9f000n, 0x100000n],
          ['usable', 0x100000n, 128n << 20n],
          ['reserved', 0xfffc0000n, 1n << 32n],
        ],
      );
    });

    it('maps RAM above 3 GiB to 4 GiB and beyond', () => {
      const r = checkSource('machine ram=5G', 't.mmu');
      assert.deepStrictEqual(
        r.machine.memoryMap.filter((e) => e.kind === 'usable').map((e) => [e.start, e.end]),
        [
          [0n, 0x9f000n],
          [0x100000n, 3n << 30n],
          [4n << 30n, 6n << 30n],
        ],
      );
    });

    it('reads memory lines and reports overlaps, empty ranges and bad kinds', () => {
      const text = [
        'memory usable   0x0..0x9F000',
        'memory reserved 0x9F000..0x100000 "legacy"',
        'memory usable   0x100000+255M',
        'memory usable   0x200000..0x300000',
        'memory reserved 0x5000..0x5000',
        'memory rom      0xF0000000+1M',
      ].join('\n');
      const r = checkSource(text, 't.mmu');
      assert.deepStrictEqual(
        r.diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}`),
        ['4 memory-overlap', '5 bad-memory-range', '6 bad-memory-kind'],
      );
      assert.match(
        r.diagnostics[0]?.message ?? '',
        /overlaps the usable range \[0x100000, 0x10000000\) on line 3/,
      );
      assert.strictEqual(r.machine.memoryMap.length, 3);
      assert.strictEqual(r.machine.memoryMap[1]?.label, 'legacy');
    });
  });

  it('never stops at the first error: every bad line is reported', () => {
    const lines = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? `let v${i} = nope${i}` : `write`));
    assert.strictEqual(checkSource(lines.join('\n'), 't.mmu').diagnostics.length, 20);
  });

  it('gives every diagnostic the file, a range and an error severity by default', () => {
    const d = checkSource('let x = y', 'dir/file.mmu').diagnostics[0];
    assert.strictEqual(d?.file, 'dir/file.mmu');
    assert.deepStrictEqual(d?.range, {
      start: { line: 0, column: 8, offset: 8 },
      end: { line: 0, column: 9, offset: 9 },
    });
    assert.strictEqual(d?.severity, 'error');
  });
});
