import * as assert from 'assert';
import { Interpreter, type StepReport } from './interpreter';
import { formatValue } from './values';

function start(text: string, options: { stepBudget?: number; seed?: number } = {}): Interpreter {
  const started = Interpreter.start(text, 'test.mmu', options);
  assert.ok(started.interpreter, `does not start: ${started.diagnostics.map((d) => d.message).join('; ')}`);
  return started.interpreter;
}

function runAll(interpreter: Interpreter): StepReport[] {
  const reports: StepReport[] = [];
  while (!interpreter.finished) reports.push(interpreter.step());
  return reports;
}

const lines = (...l: string[]): string => l.join('\n');

const DESIGN_NOTES = lines(
  'let size = 64K',
  'let device_address = 0xFEB00000',
  'let device_size = 0x1000',
  'process p',
  'let address_space = p.address_space',
  'auto region = TRY(MM.allocate_kernel_region(PAGE_SIZE * 4, "MyRegion"sv, Region::Access::ReadWrite, AllocationStrategy::AllocateNow));',
  'auto* region2 = TRY(address_space.allocate_region(RandomizeVirtualAddress::No, VirtualAddress(0x1000000), size, PAGE_SIZE, "heap"sv, PROT_READ | PROT_WRITE, AllocationStrategy::Reserve));',
  'auto mmio_region = TRY(MM.allocate_mmio_kernel_region(PhysicalAddress(device_address), device_size, "DeviceMMIO"sv, Region::Access::ReadWrite, MemoryType::IO));',
  'expect pte(kernel, mmio_region.vaddr).cache_disabled',
  'expect translate(kernel, mmio_region.vaddr + 0x10) == device_address + 0x10',
);

const COPY_ON_WRITE = lines(
  'machine ram=64M',
  'process parent',
  'let buf = mmap(parent, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)',
  'write parent buf, "A"                        => zero_fault',
  'fork parent as child',
  'write child buf, "!"                         => cow_fault',
  'expect peek(parent, buf) == 0x41',
  'expect translate(parent, buf) != translate(child, buf)',
  'write parent buf + 1, "B"                    => cow_fault   # refcount is 1 now: no copy, bit cleared',
  'write parent 0, 1                            => crash',
);

describe('the scenario interpreter', () => {
  describe('the examples of the specification', () => {
    it('runs the design-notes kernel snippet verbatim, every step passing', () => {
      const reports = runAll(start(DESIGN_NOTES));
      assert.strictEqual(reports.length, 10);
      assert.deepStrictEqual(
        reports.filter((r) => r.failed).map((r) => r.message),
        [],
      );
    });

    it('runs the copy-on-write example with the outcomes it asserts', () => {
      const reports = runAll(start(COPY_ON_WRITE));
      assert.deepStrictEqual(
        reports.map((r) => r.outcome),
        ['ok', 'ok', 'zero_fault', 'ok', 'cow_fault', 'ok', 'ok', 'cow_fault', 'crash'],
      );
      assert.ok(reports.every((r) => !r.failed));
    });
  });

  describe('what the MMU and the file system do behind the statements', () => {
    it('gives pte(…).accessed and .dirty as the MMU left them, untouched by inspection', () => {
      const reports = runAll(
        start(
          lines(
            'process p',
            'let a = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)',
            'read p a',
            'expect pte(p, a).accessed && !pte(p, a).dirty',
            'write p a + PAGE_SIZE, 1                   => zero_fault',
            'expect pte(p, a + PAGE_SIZE).accessed && pte(p, a + PAGE_SIZE).dirty',
            'expect (pte(p, a + PAGE_SIZE).raw & 0xFFF) == 0x67',
            'fork p as c',
            'expect pte(p, a + PAGE_SIZE).dirty && !pte(p, a + PAGE_SIZE).writable',
            'expect peek(c, a + PAGE_SIZE) == 1',
            'expect !pte(c, a + PAGE_SIZE).accessed',
          ),
        ),
      );
      assert.deepStrictEqual(
        reports.filter((r) => r.failed).map((r) => r.message),
        [],
      );
    });

    it('leaves a loaded page of a file mapping stale after pwrite, and msync writes it all back', () => {
      const reports = runAll(
        start(
          lines(
            'file "/f" size=4096 fill=0x41',
            'process p',
            'let fd = open(p, "/f", O_RDWR)',
            'let m = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)',
            'write p m, "B"',
            'pwrite(p, fd, 1, "C")',
            'expect file_peek("/f", 1) == 0x43 && peek(p, m + 1) == 0x41',
            'msync(p, m, PAGE_SIZE, MS_SYNC)',
            'expect file_peek("/f", 0) == 0x42 && file_peek("/f", 1) == 0x41',
          ),
        ),
      );
      assert.deepStrictEqual(
        reports.filter((r) => r.failed).map((r) => r.message),
        [],
      );
    });

    it('panics on the access through a quickmap of physical address 0, which maps nothing', () => {
      const reports = runAll(
        start(
          lines(
            'let va = MM.quickmap_page(0)',
            'expect !pte(kernel, va).present',
            'read kernel va                              => panic',
          ),
        ),
      );
      assert.deepStrictEqual(
        reports.map((r) => [r.outcome, r.failed]),
        [
          ['ok', false],
          ['ok', false],
          ['panic', false],
        ],
      );
    });
  });

  describe('steps and frames', () => {
    const PROGRAM = lines(
      'process p',
      'let buf = mmap(p, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)',
      'proc touch(q, a) {',
      '  write q a, 7',
      '}',
      'repeat i in 0..2 {',
      '  touch(p, buf + i * PAGE_SIZE)',
      '}',
      'print p.zero_faults',
    );

    it('makes one step of every statement and a frame of every proc call and loop iteration', () => {
      const interpreter = start(PROGRAM);
      const trail: string[] = [];
      while (!interpreter.finished) {
        const frames = interpreter.frames().map((f) => f.name);
        const line = (interpreter.nextStatement()?.range.start.line ?? -1) + 1;
        trail.push(`${line}:${frames.join('<')}`);
        interpreter.step();
      }
      assert.deepStrictEqual(trail, [
        '1:scenario',
        '2:scenario',
        '6:scenario',
        '7:repeat i = 0 (of 0..2)<scenario',
        '4:touch(p, 0x10000)<repeat i = 0 (of 0..2)<scenario',
        '7:repeat i = 1 (of 0..2)<scenario',
        '4:touch(p, 0x11000)<repeat i = 1 (of 0..2)<scenario',
        '9:scenario',
      ]);
    });

    it('shows a waiting frame at its call site and binds proc parameters as locals', () => {
      const interpreter = start(PROGRAM);
      for (let i = 0; i < 4; i++) interpreter.step();
      const [inner, loop, top] = interpreter.frames();
      assert.strictEqual(inner?.kind, 'proc');
      assert.deepStrictEqual(
        inner?.locals.map(([name]) => name),
        ['q', 'a'],
      );
      assert.strictEqual(loop?.statement?.range.start.line, 6, 'the loop frame waits on the call');
      assert.strictEqual(top?.statement?.kind, 'repeat');
    });

    it('prints what print statements print', () => {
      const reports = runAll(start(PROGRAM));
      assert.deepStrictEqual(reports.at(-1)?.output, ['2']);
    });
  });

  describe('outcomes and assertions', () => {
    it('fails a step whose call returns an errno it did not assert, and passes it when asserted', () => {
      const reports = runAll(
        start(
          lines(
            'process p',
            'munmap(p, 0x10000, 0)',
            'munmap(p, 0x10000, 0) => EINVAL',
            'let r = mmap(p, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS) => EINVAL',
            'expect r == EINVAL',
          ),
        ),
      );
      assert.strictEqual(reports[1]?.outcome, 'EINVAL');
      assert.ok(reports[1]?.failed);
      assert.match(reports[1]?.message ?? '', /EINVAL/);
      assert.ok(!reports[2]?.failed);
      assert.ok(!reports[3]?.failed && !reports[4]?.failed);
    });

    it('fails an asserted outcome that did not happen, naming what did', () => {
      const reports = runAll(
        start(
          lines(
            'process p',
            'let b = mmap(p, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)',
            'write p b, 1 => cow_fault',
          ),
        ),
      );
      assert.ok(reports[2]?.failed);
      assert.match(reports[2]?.message ?? '', /Expected cow_fault, but the step ended in zero_fault/);
    });

    it('checks the value of a read', () => {
      const reports = runAll(
        start(
          lines(
            'process p',
            'let b = mmap(p, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)',
            'write p b, 0x1234 as u16',
            'read p b as u16 => 0x1234',
            'read p b as u16 => 0x1235',
          ),
        ),
      );
      assert.ok(!reports[3]?.failed);
      assert.ok(reports[4]?.failed);
      assert.match(reports[4]?.message ?? '', /0x1235/);
    });

    it('halts the machine on a kernel panic: no later step runs', () => {
      const interpreter = start(
        lines('let r = MM.allocate_kernel_region(100, "odd", ReadWrite) => panic', 'process p'),
      );
      const reports = runAll(interpreter);
      assert.strictEqual(reports.length, 1);
      assert.strictEqual(reports[0]?.outcome, 'panic');
      assert.ok(!reports[0]?.failed);
      assert.ok(interpreter.halted);
    });

    it('explains a failed expectation with both sides', () => {
      const reports = runAll(start(lines('let a = 4096', 'expect a + 1 == 2')));
      assert.match(
        reports[1]?.message ?? '',
        /a \+ 1 == 2 — the left side is 0x1001 \(4097\), the right side 2/,
      );
    });
  });

  describe('runtime errors are failed steps, never exceptions', () => {
    it('reports using a dead process', () => {
      const reports = runAll(start(lines('process p', 'write p 0, 1 => crash', 'write p 0x10000, 1')));
      assert.strictEqual(reports[2]?.outcome, 'failed');
      assert.match(reports[2]?.message ?? '', /dead/);
    });

    it('reports an error value used as an address', () => {
      const reports = runAll(
        start(
          lines(
            'process p',
            'let b = mmap(p, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS) => EINVAL',
            'write p b, 1',
          ),
        ),
      );
      assert.match(reports[2]?.message ?? '', /EINVAL/);
      assert.ok(reports[2]?.failureRange);
    });

    it('traps u64 overflow at the expression', () => {
      const reports = runAll(start(lines('let a = 0xFFFFFFFFFFFFFFFF', 'let x = a + 1')));
      assert.match(reports[1]?.message ?? '', /overflows 64 bits/);
    });

    it('stops a runaway loop at the step budget', () => {
      const interpreter = start(lines('repeat i in 0..1000000000 {', '  let x = i', '}'), {
        stepBudget: 500,
      });
      const reports = runAll(interpreter);
      assert.strictEqual(reports.length, 500);
      assert.strictEqual(interpreter.finishedReason, 'budget');
    });
  });

  describe('loops without steps', () => {
    it('run their iterations in bounded chunks, each a step on the repeat line', () => {
      const interpreter = start(lines('let before = 1', 'repeat i in 0..150000 {', '}', 'let after = 2'));
      interpreter.step();
      const loop = interpreter.step();
      assert.strictEqual(loop.statement.kind, 'repeat');
      // The loop is left running part way: the next step goes on with it, and the stack shows where.
      assert.strictEqual(interpreter.nextStatement()?.kind, 'repeat');
      const frame = interpreter.frames()[0]!;
      assert.strictEqual(frame.kind, 'loop');
      assert.strictEqual(frame.statement?.kind, 'repeat');
      const i = frame.locals.find(([name]) => name === 'i')![1];
      assert.ok(i.kind === 'integer' && i.value > 0n && i.value < 150000n, `i = ${formatValue(i)}`);
      const rest = runAll(interpreter);
      assert.deepStrictEqual(
        rest.map((r) => r.statement.kind),
        ['repeat', 'repeat', 'let'],
        'two more chunks of the loop, then the next statement',
      );
      assert.ok(rest.every((r) => !r.failed));
      assert.strictEqual(interpreter.finishedReason, 'end');
    });

    it('count their iterations against the step budget, even an endless one', () => {
      const interpreter = start(lines('repeat i in 0..0xFFFFFFFFFFFFFFFF {', '}', 'let after = 1'), {
        stepBudget: 200_000,
      });
      const reports = runAll(interpreter);
      assert.strictEqual(interpreter.finishedReason, 'budget');
      assert.ok(reports.length >= 3 && reports.length <= 5, `${reports.length} steps`);
      assert.ok(reports.every((r) => r.statement.kind === 'repeat'));
      // Where the run stopped: still in the loop, which the stack shows.
      const frame = interpreter.frames()[0]!;
      assert.strictEqual(frame.kind, 'loop');
      assert.match(frame.name, /^repeat i = \d+ \(of 0\.\.18446744073709551615\)$/);
    });

    it('nest: an inner loop without steps is a step of the outer one', () => {
      const reports = runAll(start(lines('repeat i in 0..3 {', '  repeat j in 0..10 {', '  }', '}')));
      assert.deepStrictEqual(
        reports.map((r) => r.statement.range.start.line),
        [0, 1, 1, 1],
      );
    });
  });

  describe('undo', () => {
    it('takes a step back with its run state, keeping every object, and replays it the same', () => {
      const interpreter = start(
        lines(
          'process p',
          'let buf = mmap(p, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)',
          'proc touch(q, at) {',
          '  write q at, 1',
          '  let seen = peek(q, at)',
          '}',
          'repeat i in 0..3 {',
          '  touch(p, buf + i * PAGE_SIZE)',
          '  repeat j in 0..2 {',
          '  }',
          '}',
          'fork p as child',
          'let done = 1',
        ),
      );
      const describe = (): string =>
        JSON.stringify({
          frames: interpreter
            .frames()
            .map((f) => [
              f.id,
              f.kind,
              f.name,
              f.statement?.range.start.line,
              f.locals.map(([n, v]) => [n, formatValue(v)]),
            ]),
          globals: interpreter.globals().map(([n, v]) => [n, formatValue(v)]),
          next: interpreter.nextStatement()?.range.start.line,
          steps: interpreter.stepCount,
          machine: interpreter.machine.dumpState(),
        });
      while (!interpreter.finished) {
        const before = describe();
        const globals = interpreter.globals();
        const { undo } = interpreter.recordUndoable(() => interpreter.step());
        const after = describe();
        interpreter.undo(undo);
        assert.strictEqual(describe(), before);
        interpreter.globals().forEach(([, value], i) => assert.strictEqual(value, globals[i]![1]));
        interpreter.step();
        assert.strictEqual(describe(), after);
      }
    });
  });

  describe('process options', () => {
    it('are as strict as a real SerenityOS program unless the process line relaxes them', () => {
      const reports = runAll(
        start(
          lines(
            'process loose ax_allowed=true wx_allowed=true no_w_to_x=false',
            'process strict',
            'let a = mmap(loose, 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS)',
            'let b = mmap(strict, 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS) => EINVAL',
            'let c = mmap(strict, 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS) => EINVAL',
          ),
        ),
      );
      assert.deepStrictEqual(
        reports.map((r) => [r.outcome, r.failed]),
        [
          ['ok', false],
          ['ok', false],
          ['ok', false],
          ['EINVAL', false],
          ['EINVAL', false],
        ],
      );
    });
  });

  describe('snapshots', () => {
    it('restores the exact state of an earlier step, and replays it identically', () => {
      const interpreter = start(COPY_ON_WRITE);
      for (let i = 0; i < 4; i++) interpreter.step();
      const snapshot = interpreter.snapshot();
      const state = JSON.stringify(interpreter.machine.dumpState());
      const firstRun = runAll(interpreter).map((r) => `${r.outcome}:${r.events.length}`);
      interpreter.restore(snapshot);
      assert.strictEqual(interpreter.stepCount, 4);
      assert.strictEqual(JSON.stringify(interpreter.machine.dumpState()), state);
      const secondRun = runAll(interpreter).map((r) => `${r.outcome}:${r.events.length}`);
      assert.deepStrictEqual(secondRun, firstRun);
    });
  });

  describe('evaluation', () => {
    it('evaluates inspection expressions in the current scope', () => {
      const interpreter = start(COPY_ON_WRITE);
      for (let i = 0; i < 3; i++) interpreter.step();
      const r = interpreter.evaluate('peek(parent, buf)');
      assert.ok('value' in r);
      assert.strictEqual(interpreter.formatValue(r.value), '0x41 (65)');
    });

    it('refuses calls that would change the machine', () => {
      const interpreter = start(COPY_ON_WRITE);
      interpreter.step();
      const r = interpreter.evaluate('mmap(parent, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)');
      assert.ok('error' in r);
      assert.match(r.error, /changes nothing/);
    });
  });

  it('is deterministic: the same file gives the same addresses and events', () => {
    const text = lines(
      'machine seed=3',
      'process p stack=64K',
      'let a = mmap(p, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_RANDOMIZED)',
      'print a',
    );
    const one = runAll(start(text)).map((r) => JSON.stringify([r.output, r.events]));
    const two = runAll(start(text)).map((r) => JSON.stringify([r.output, r.events]));
    assert.deepStrictEqual(one, two);
  });
});
