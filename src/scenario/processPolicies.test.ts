// Scenarios for what a process may do with its memory: the W^X options of its executable, prctl,
// set_mmap_name, and the stack pointer every user page fault and every syscall validates. Each
// scenario is written from the SerenityOS source the behaviour comes from.

import * as assert from 'assert';
import { Interpreter, type StepReport } from './interpreter';

const lines = (...l: string[]): string => l.join('\n');

function run(text: string): StepReport[] {
  const started = Interpreter.start(text, 'policies.mmu', {});
  assert.ok(started.interpreter, `does not start: ${started.diagnostics.map((d) => d.message).join('; ')}`);
  const reports: StepReport[] = [];
  while (!started.interpreter.finished) reports.push(started.interpreter.step());
  return reports;
}

/** Runs a scenario whose every step must pass (its assertions say what each step ends in). */
function passes(...text: string[]): StepReport[] {
  const reports = run(lines(...text));
  assert.deepStrictEqual(
    reports.filter((r) => r.failed).map((r) => `${r.range.start.line + 1}: ${r.message ?? ''}`),
    [],
  );
  return reports;
}

const ANON = 'MAP_PRIVATE | MAP_ANONYMOUS';

describe('process policies in scenarios', () => {
  describe('W^X (validate_mmap_prot in Kernel/Syscalls/mmap.cpp)', () => {
    it('anonymous PROT_EXEC mmap is refused with EINVAL unless the process is ax_allowed', () => {
      passes(
        'process p',
        `let a = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_EXEC, ${ANON}) => EINVAL`,
        'process jit ax_allowed=true',
        `let b = mmap(jit, 0, PAGE_SIZE, PROT_READ | PROT_EXEC, ${ANON})`,
        'exec jit b',
      );
    });

    it('writable and executable at once is refused unless the mount is wx_allowed', () => {
      passes(
        'process jit ax_allowed=true',
        `let a = mmap(jit, 0, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, ${ANON}) => EINVAL`,
        'process wx ax_allowed=true wx_allowed=true',
        `let b = mmap(wx, 0, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, ${ANON})`,
        // wx_allowed skips the history checks too: back to writable after executable.
        'mprotect(wx, b, PAGE_SIZE, PROT_READ | PROT_WRITE)',
      );
    });

    it('once-writable memory cannot become executable, as after the loader’s prctl, unless no_w_to_x=false', () => {
      passes(
        'file "/lib/libfoo.so" size=2 * PAGE_SIZE fill=0x90',
        'process p',
        'let fd = open(p, "/lib/libfoo.so", O_RDONLY)',
        'let text = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd)',
        'mprotect(p, text, PAGE_SIZE, PROT_READ | PROT_EXEC)          => EINVAL',
        'process static no_w_to_x=false',
        'let fd2 = open(static, "/lib/libfoo.so", O_RDONLY)',
        'let text2 = mmap(static, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd2)',
        'mprotect(static, text2, PAGE_SIZE, PROT_READ | PROT_EXEC)',
        'read static text2 => inode_fault, 0x90',
        // Once executable, never writable again (has_been_executable).
        'mprotect(static, text2, PAGE_SIZE, PROT_READ | PROT_WRITE)   => EINVAL',
      );
    });

    it('a fork child keeps the mount flags but not the no-transition rule (sys$fork in Kernel/Syscalls/fork.cpp)', () => {
      passes(
        'process p ax_allowed=true',
        `let a = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, ${ANON})`,
        'fork p as child',
        `let b = mmap(child, 0, PAGE_SIZE, PROT_READ | PROT_EXEC, ${ANON})`,
        `let c = mmap(child, 0, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC, ${ANON}) => EINVAL`,
        'mprotect(p, a, PAGE_SIZE, PROT_READ | PROT_EXEC)      => EINVAL',
        'mprotect(child, a, PAGE_SIZE, PROT_READ | PROT_EXEC)',
      );
    });
  });

  describe('prctl (Kernel/Syscalls/prctl.cpp)', () => {
    it('PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT sets the rule for good and returns 0', () => {
      passes(
        'process p ax_allowed=true no_w_to_x=false',
        `let a = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, ${ANON})`,
        `let b = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, ${ANON})`,
        'mprotect(p, a, PAGE_SIZE, PROT_READ | PROT_EXEC)',
        'let r = prctl(p, PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT) => 0',
        'mprotect(p, b, PAGE_SIZE, PROT_READ | PROT_EXEC)      => EINVAL',
      );
    });

    it('PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS wants arg1 = 0; then annotate_mapping(…, SyscallCode) is EPERM', () => {
      passes(
        'process p',
        `let code = mmap(p, 0, PAGE_SIZE, PROT_READ, ${ANON})`,
        'expect prctl(p, PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS) == 0',
        'prctl(p, PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS, 1)      => EINVAL',
        'prctl(p, PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS)',
        'expect prctl(p, PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS) == 1',
        'annotate_mapping(p, code, SyscallCode)                   => EPERM',
        'annotate_mapping(p, code, SyscallCode | Immutable)       => EPERM',
        'annotate_mapping(p, code, Immutable)',
        'fork p as child',
        'expect prctl(child, PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS) == 1',
      );
    });

    it('an option the kernel does not know is EINVAL; the option is the low 32 bits, as an int', () => {
      passes(
        'process p',
        'prctl(p, 0)                              => EINVAL',
        'prctl(p, 13)                             => EINVAL',
        'prctl(p, 0x1_0000_000A)',
        'expect prctl(p, 0xFFFF_FFFF_0000_0004) == 0',
      );
    });

    it('an option that does not concern memory fails its step as not simulated', () => {
      const [, step] = run(lines('process p', 'prctl(p, 1, 1)'));
      assert.strictEqual(step?.outcome, 'failed');
      assert.match(step?.message ?? '', /prctl option 1 .* not simulated/);
    });
  });

  describe('set_mmap_name (sys$set_mmap_name in Kernel/Syscalls/mmap.cpp)', () => {
    it('renames an exact mmap region, which the views then show', () => {
      const reports = passes(
        'process p',
        `let a = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, ${ANON}, name="old")`,
        'let r = set_mmap_name(p, a, 2 * PAGE_SIZE, "new") => 0',
        'expect region_at(p, a).name == "new"',
      );
      assert.ok(reports[2]?.events.some((e) => e.kind === 'region_renamed' && e.name === 'new'));
    });

    it('checks the name length first, then the exact region (EINVAL), mmap and immutable (EPERM)', () => {
      passes(
        'process p stack=64K',
        `let a = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, ${ANON})`,
        // PATH_MAX (4096) bytes is still a name; one more byte is not, even for a range that is no region.
        `let max = "${'x'.repeat(4096)}"`,
        `let over = "${'x'.repeat(4097)}"`,
        'set_mmap_name(p, 0x2000_0000_0000, PAGE_SIZE, over)       => ENAMETOOLONG',
        'set_mmap_name(p, a, PAGE_SIZE, max)                       => EINVAL',
        'set_mmap_name(p, a + PAGE_SIZE, PAGE_SIZE, "x")           => EINVAL',
        'set_mmap_name(p, a, 0, "x")                               => EINVAL',
        'set_mmap_name(p, p.stack.base, p.stack.size, "x")         => EPERM',
        'annotate_mapping(p, a, Immutable)',
        'set_mmap_name(p, a, 2 * PAGE_SIZE, "x")                   => EPERM',
        'set_mmap_name(p, a, 2 * PAGE_SIZE, over)                  => ENAMETOOLONG',
      );
    });
  });

  describe('the stack pointer (validate_user_stack in Kernel/Memory/MemoryManager.cpp)', () => {
    it('p.stack is the main thread stack, null without stack=', () => {
      passes(
        'process p stack=64K',
        'expect p.stack.is_stack && !p.stack.is_mmap && p.stack.size == 64K',
        'expect p.stack.name == "Stack (Main thread)"',
        'expect p.stack_pointer == p.stack.end',
        'process q',
        'expect q.stack == null && q.stack_pointer == null',
      );
    });

    it('a user page fault with the stack pointer outside a stack region crashes: Bad stack on page fault', () => {
      passes(
        'process p stack=64K',
        `let a = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, ${ANON})`,
        'write p a, 1                          => zero_fault',
        'set_sp p a + 8',
        'expect p.stack_pointer == a + 8',
        'write p a, 2',
        'read p a                              => 2',
        'write p a + PAGE_SIZE, 3              => crash',
        'expect !p.is_alive',
      );
    });

    it('every syscall validates the stack pointer first: Bad stack on syscall entry', () => {
      const reports = passes(
        'process p stack=64K',
        `let a = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, ${ANON})`,
        'set_sp p 0',
        'let r = munmap(p, a, 0)              => crash',
        'expect !p.is_alive',
        'expect MM.physical_pages_committed == 0',
      );
      assert.strictEqual(reports[3]?.outcome, 'crash');
      const died = reports[3]?.events.find((e) => e.kind === 'process_died');
      assert.match(died?.kind === 'process_died' ? (died.why ?? '') : '', /^Bad stack on syscall entry/);
    });

    it('a syscall crash fails a step that does not assert it, and says why', () => {
      const reports = run(
        lines(
          'process p stack=64K',
          'set_sp p 0x2000_0000_0000',
          `let a = mmap(p, 0, PAGE_SIZE, PROT_READ, ${ANON})`,
          'print a',
        ),
      );
      assert.strictEqual(reports[2]?.outcome, 'crash');
      assert.match(reports[2]?.message ?? '', /Bad stack on syscall entry.*add '=> crash'/);
      // The call never returned, so nothing was bound.
      assert.strictEqual(reports[3]?.failed, true);
    });

    it('the stack pointer may sit anywhere in a stack region or at its very end', () => {
      passes(
        'process p stack=64K',
        `let t = mmap(p, 0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK)`,
        'set_sp p p.stack.base',
        `let a = mmap(p, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, ${ANON})`,
        'set_sp p t + 4 * PAGE_SIZE',
        'write p a, 1                          => zero_fault',
        'set_sp p p.stack.end + 1',
        'munmap(p, a, PAGE_SIZE)               => crash',
      );
    });

    it('a fork child resumes on its parent stack pointer', () => {
      passes(
        'process p stack=64K',
        'set_sp p p.stack.base + 0x100',
        'fork p as child',
        'expect child.stack_pointer == p.stack.base + 0x100',
        'expect child.stack.base == p.stack.base',
      );
    });

    it('set_sp needs a process with a thread stack; without one nothing is validated', () => {
      const reports = run(
        lines(
          'process q',
          'set_sp q 0x1000',
          `let a = mmap(q, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, ${ANON})`,
          'write q a, 1 => zero_fault',
        ),
      );
      assert.deepStrictEqual(
        reports.map((r) => r.failed),
        [false, true, false, false],
      );
      assert.match(reports[1]?.message ?? '', /no thread stack/);
    });
  });
});
