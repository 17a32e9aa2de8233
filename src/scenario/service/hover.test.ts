import * as assert from 'assert';
import { hover } from './hover';
import { at } from './testSupport';

function text(source: string): string {
  const { model, position } = at(source);
  return hover(model, position)?.contents ?? '';
}

describe('hover', () => {
  it('on an API function: signature, description, parameters with defaults, errnos and reference', () => {
    const h = text('process p\nlet x = mm‸ap(p, 0, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS)');
    assert.match(h, /mmap\(p, addr, size, prot, flags, fd=null, offset=0, name="", alignment=0\) → integer/);
    assert.match(h, /Maps memory into the process/);
    assert.match(h, /- `offset`: integer: .*\(default `0`\)/);
    assert.match(h, /\*\*Errors:\*\* EINVAL, EFAULT, ENOMEM/);
    assert.match(h, /\*\*In SerenityOS:\*\* `sys\$mmap` in `Kernel\/Syscalls\/mmap.cpp`/);
  });

  it('gives the exact range of the hovered word', () => {
    const { model, position } = at('process p\nlet x = mm‸ap(p, 0, 4096, 1, 2)');
    const result = hover(model, position);
    assert.deepStrictEqual([result?.line, result?.startColumn, result?.endColumn], [1, 8, 12]);
  });

  it('on a member, by the type of its receiver', () => {
    const h = text(
      'let r = MM.allocate_kernel_region(4096, "r", ReadWrite)\nexpect r.vm‸object.is_purgeable',
    );
    assert.match(h, /Region\.vmobject: VMObject/);
    assert.match(text('let r = MM.allocate_ke‸rnel_region(4096, "r", ReadWrite)'), /strategy=Reserve/);
  });

  it('on a constant: its value and kind; None shows both of its kinds', () => {
    assert.match(text('let f = MAP_ANON‸YMOUS'), /MAP_ANONYMOUS = 32 \(0x20\) \(mmap flag \(MAP_\*\)\)/);
    const none = text('let f = No‸ne');
    assert.match(none, /None = 0 \(Region::Access\)/);
    assert.match(none, /None = 2 \(AllocationStrategy\)/);
  });

  it('on a qualified constant, any component', () => {
    assert.match(
      text('let r = MM.allocate_kernel_region(4096, "r", Reg‸ion::Access::ReadWrite)'),
      /ReadWrite = 3/,
    );
  });

  it('on statement keywords and words of statements', () => {
    assert.match(text('proc‸ess p'), /process NAME \[stack=SIZE\]/);
    assert.match(text('process p\nfork p a‸s c'), /name of the child/);
    assert.match(text('TR‸Y(1)'), /TRY\(expr\)/);
  });

  it('on set_sp, prctl, set_mmap_name, the PR_ options, p.stack and the strict W^X options', () => {
    assert.match(text('process p stack=64K\nset_‸sp p 0'), /set_sp PROC ADDR/);
    assert.match(text('process p\npr‸ctl(p, 99)'), /prctl\(p, option, arg1=0, arg2=0\) → integer/);
    assert.match(
      text('process p\nset_mmap_na‸me(p, 0, 4096, "x")'),
      /\*\*Errors:\*\* ENAMETOOLONG, EINVAL, EPERM/,
    );
    assert.match(
      text('process p\nprctl(p, PR_SET_NO_TRANSITION‸_TO_EXECUTABLE_FROM_WRITABLE_PROT)'),
      /= 10 .*prctl option/,
    );
    assert.match(text('process p stack=64K\nexpect p.st‸ack.is_stack'), /stack region/);
    assert.match(text('process p ax_allo‸wed=true'), /default `false`/);
    assert.match(text('process p no_w_to‸_x=false'), /default `true`/);
  });

  it('on fork(p) as a function, not the statement', () => {
    assert.match(text('process p\nlet c = 1\nfo‸rk(p)'), /fork\(p\) → Process/);
  });

  it('on a binding: its type and where it is defined', () => {
    const h = text(
      'process p\nlet buf = mmap(p, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)\nwrite p bu‸f, 1',
    );
    assert.match(h, /let buf: integer/);
    assert.match(h, /Defined on line 2: `let buf = mmap/);
    assert.match(text('process pa‸rent'), /process parent/);
    assert.match(text('proc f(x) {\n  print ‸x\n}'), /parameter of `f`/);
  });

  it('on a binding whose value is known before running: the value', () => {
    assert.match(text('let size = 64K\nprint si‸ze'), /let size: integer = 65536 \(0x10000\), 64 KiB/);
  });

  it('on the latest definition of a rebound name', () => {
    assert.match(text('let a = 1\nlet a = MM.commit_physical_pages(1)\nprint ‸a'), /CommittedSet/);
  });

  it('on settings, named arguments and outcomes', () => {
    assert.match(text('machine ra‸m=64M'), /\*\*machine ram\*\* \(default `128M`\)/);
    assert.match(text('process p st‸ack=64K'), /main-thread stack/);
    assert.match(text('process p\nlet x = mmap(p, 0, 4096, 1, 2, align‸ment=0)'), /parameter of `mmap`/);
    assert.match(text('process p\nwrite p 0, 1 => cra‸sh'), /the process dies/);
    assert.match(text('process p\nlet r = munmap(p, 0, 1) => EIN‸VAL'), /An invalid argument/);
  });

  it('on MM and kernel', () => {
    assert.match(text('print M‸M.free_pages'), /memory manager.*Members: `allocate_kernel_region`/s);
    assert.match(text('expect translate(ker‸nel, 0) == null'), /kernel address space/);
  });

  it('on numbers: decimal, hexadecimal, size and page', () => {
    const h = text('let a = 0x20‸0000');
    assert.match(h, /= 2097152 = 0x200000/);
    assert.match(h, /2 MiB/);
    assert.match(h, /page 512 \(0x200\), offset 0x0/);
  });

  it('says nothing in comments and strings', () => {
    assert.strictEqual(text('# mm‸ap'), '');
    assert.strictEqual(text('let s = "mm‸ap"'), '');
  });
});
