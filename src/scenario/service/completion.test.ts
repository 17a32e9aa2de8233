import * as assert from 'assert';
import { complete, CompletionItem } from './completion';
import { at } from './testSupport';

function items(text: string): CompletionItem[] {
  const { model, position } = at(text);
  return [...complete(model, position).items].sort((a, b) =>
    a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0,
  );
}

const labels = (text: string): string[] => items(text).map((i) => i.label);

/** The labels of the best group (the items sorted first), in order. */
function firstGroup(text: string): string[] {
  const list = items(text);
  const group = list[0]?.sortText.split('_')[0];
  return list.filter((i) => i.sortText.split('_')[0] === group).map((i) => i.label);
}

const PROLOGUE = 'process p\nlet buf = mmap(p, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)\n';

describe('completion', () => {
  describe('at the start of a line', () => {
    it('offers every statement keyword, as snippets', () => {
      const list = items(`${PROLOGUE}‸`);
      for (const keyword of [
        'machine',
        'let',
        'process',
        'fork',
        'write',
        'read',
        'expect',
        'proc',
        'repeat',
      ])
        assert.ok(
          list.some((i) => i.label === keyword && i.kind === 'keyword' && i.snippet),
          keyword,
        );
    });

    it('also offers the API functions, names in scope and procs, since a call is a statement', () => {
      const all = labels(`${PROLOGUE}proc touch(q) {\n}\n‸`);
      for (const name of ['mmap', 'fork', 'buf', 'p', 'touch', 'MM']) assert.ok(all.includes(name), name);
    });

    it('replaces the word being typed', () => {
      const { model, position } = at('process p\nwri‸');
      const result = complete(model, position);
      assert.strictEqual(result.replaceStart, 0);
      assert.strictEqual(result.replaceEnd, 3);
      assert.ok(result.items.some((i) => i.label === 'write'));
    });
  });

  describe('API functions', () => {
    it('insert a snippet with placeholders for the required parameters only', () => {
      const mmap = items(`${PROLOGUE}let x = ‸`).find((i) => i.label === 'mmap');
      assert.ok(mmap);
      assert.strictEqual(mmap.insertText, 'mmap(${1:p}, ${2:addr}, ${3:size}, ${4:prot}, ${5:flags})');
      assert.strictEqual(mmap.snippet, true);
      assert.strictEqual(mmap.triggerSignatureHelp, true);
      assert.match(
        mmap.detail ?? '',
        /^mmap\(p, addr, size, prot, flags, fd=null, offset=0, name="", alignment=0\) → integer$/,
      );
    });
  });

  describe('constants typed by the parameter at the cursor', () => {
    it('offers PROT_* first for the prot parameter of mmap', () => {
      assert.deepStrictEqual(firstGroup(`${PROLOGUE}let x = mmap(p, 0, 4096, ‸`), [
        'PROT_EXEC',
        'PROT_NONE',
        'PROT_READ',
        'PROT_WRITE',
      ]);
    });

    it('offers the PR_* options first for the option of prctl', () => {
      assert.deepStrictEqual(firstGroup(`${PROLOGUE}prctl(p, ‸`), [
        'PR_GET_NO_NEW_SYSCALL_REGION_ANNOTATIONS',
        'PR_SET_NO_NEW_SYSCALL_REGION_ANNOTATIONS',
        'PR_SET_NO_TRANSITION_TO_EXECUTABLE_FROM_WRITABLE_PROT',
      ]);
    });

    it('offers MAP_* first for a map_flags parameter, also after |', () => {
      const first = firstGroup(`${PROLOGUE}let x = mmap(p, 0, 4096, PROT_READ, MAP_PRIVATE | ‸`);
      assert.ok(first.includes('MAP_ANONYMOUS') && first.includes('MAP_FIXED'));
      assert.ok(first.every((l) => l.startsWith('MAP_')));
    });

    it('follows a named argument', () => {
      const first = firstGroup('let r = MM.allocate_kernel_region(4096, "r", ReadWrite, memory_type=‸');
      assert.deepStrictEqual(first, ['IO', 'NonCacheable', 'Normal']);
    });

    it('offers Access constants for access, and strategies for strategy (None in both)', () => {
      const access = firstGroup('let r = MM.allocate_kernel_region(4096, "r", ‸');
      assert.ok(access.includes('ReadWrite') && access.includes('None') && !access.includes('Reserve'));
      const strategy = firstGroup('let r = MM.allocate_kernel_region(4096, "r", ReadWrite, ‸');
      assert.deepStrictEqual(strategy, ['AllocateNow', 'None', 'Reserve']);
    });

    it('offers processes and kernel for an address-space parameter', () => {
      assert.deepStrictEqual(firstGroup(`${PROLOGUE}expect translate(‸`), ['p', 'kernel']);
    });

    it('offers the parameter names not given yet as name= at the start of an argument', () => {
      const all = labels(`${PROLOGUE}let x = mmap(p, 0, 4096, PROT_READ, MAP_SHARED, ‸`);
      assert.ok(all.includes('fd=') && all.includes('alignment='));
      assert.ok(!all.includes('p=') && !all.includes('prot='));
    });

    it('types constants after Region::Access:: by the qualifier', () => {
      assert.deepStrictEqual(firstGroup('let r = MM.allocate_kernel_region(4096, "r", Region::Access::‸'), [
        'Execute', 'None', 'Read', 'ReadOnly', 'ReadWrite', 'ReadWriteExecute', 'Write',
      ]); // prettier-ignore
    });
  });

  describe('members after .', () => {
    it('of MM', () => {
      const all = labels('let r = MM.‸');
      assert.ok(
        all.includes('allocate_kernel_region') &&
          all.includes('physical_pages_used') &&
          all.includes('zones'),
      );
    });

    it('of a binding, by the static type of what it was bound to', () => {
      const all = labels('let r = MM.allocate_kernel_region(4096, "r", ReadWrite)\nexpect r.‸');
      assert.ok(all.includes('vaddr') && all.includes('vmobject') && all.includes('physical_page'));
      assert.ok(!all.includes('allocate_kernel_region'));
    });

    it('of a chain: a member of a member, a call result, an index', () => {
      assert.ok(
        labels('let r = MM.allocate_kernel_region(4096, "r", ReadWrite)\nexpect r.vmobject.‸').includes(
          'is_purgeable',
        ),
      );
      assert.ok(labels('process p\nexpect pte(p, 0x1000).‸').includes('nx'));
      assert.ok(labels('expect MM.zones[0].‸').includes('free_blocks'));
      assert.ok(labels('let s = MM.commit_physical_pages(2)\nlet q = s.take_one().‸').includes('ref_count'));
    });

    it('of a process, with methods as snippets', () => {
      const list = items('process p\nlet r = p.‸');
      const allocate = list.find((i) => i.label === 'allocate_region');
      assert.ok(allocate?.snippet);
      assert.ok(list.some((i) => i.label === 'amount_resident' && i.kind === 'property'));
    });

    it('offers nothing for a receiver of unknown type', () => {
      assert.deepStrictEqual(labels('let x = nothing.‸'), []);
    });
  });

  describe('names in scope', () => {
    it('offers bindings defined before the line, not after', () => {
      const all = labels('let a = 1\nlet b = ‸\nlet c = 3');
      assert.ok(all.includes('a'));
      assert.ok(!all.includes('c'));
    });

    it('inside a proc, offers its parameters and the top-level bindings', () => {
      const all = labels('let g = 1\nproc f(x, y) {\n  print ‸\n}\nlet h = 2');
      for (const name of ['x', 'y', 'g', 'h']) assert.ok(all.includes(name), name);
    });

    it('does not offer a proc parameter outside its proc', () => {
      assert.ok(!labels('proc f(x) {\n}\nprint ‸').includes('x'));
    });
  });

  describe('statement places', () => {
    it('offers outcomes after =>', () => {
      const all = labels(`${PROLOGUE}write p buf, 1 => ‸`);
      for (const o of ['ok', 'zero_fault', 'cow_fault', 'crash', 'ENOMEM']) assert.ok(all.includes(o), o);
    });

    it('offers outcomes after a comma of an assertion', () => {
      assert.ok(labels(`${PROLOGUE}read p buf as u32 => inode_fault, ‸`).includes('cow_fault'));
    });

    it('offers the machine keys not yet given', () => {
      const first = firstGroup('machine ram=64M ‸');
      assert.ok(first.includes('cpus') && first.includes('seed') && !first.includes('ram'));
      assert.strictEqual(items('machine ‸').find((i) => i.label === 'ram')?.insertText, 'ram=');
    });

    it('offers true/false for boolean machine keys and process options', () => {
      assert.deepStrictEqual(labels('machine pat=‸'), ['false', 'true']);
      assert.deepStrictEqual(labels('process p wx_allowed=‸'), ['false', 'true']);
    });

    it('offers process options after the name', () => {
      assert.deepStrictEqual(firstGroup('process p ‸').sort(), [
        'ax_allowed',
        'no_w_to_x',
        'stack',
        'wx_allowed',
      ]);
    });

    it('offers memory kinds after memory', () => {
      assert.ok(labels('memory ‸').includes('acpi_nvs'));
    });

    it('offers processes and kernel after write, read and exec', () => {
      assert.deepStrictEqual(labels(`${PROLOGUE}write ‸`), ['p', 'kernel']);
      assert.deepStrictEqual(labels(`${PROLOGUE}fork ‸`), ['p']);
      assert.deepStrictEqual(labels('process p\nlet c = fork(p)\nlet n = 1\nexit ‸'), ['c', 'p']);
      assert.deepStrictEqual(labels('process p stack=64K\nlet n = 1\nset_sp ‸'), ['p']);
      assert.deepStrictEqual(labels('proc touch(q, a) {\n  write ‸\n}'), ['a', 'q', 'kernel']);
    });

    it('offers widths after as', () => {
      assert.deepStrictEqual(labels(`${PROLOGUE}read p buf as ‸`), ['u16', 'u32', 'u64', 'u8']);
    });

    it('offers nothing where a new name is written', () => {
      assert.deepStrictEqual(labels('let ‸'), []);
      assert.deepStrictEqual(labels('process ‸'), []);
      assert.deepStrictEqual(labels('process p\nfork p as ‸'), []);
      assert.deepStrictEqual(labels('proc ‸'), []);
      assert.deepStrictEqual(labels('repeat ‸'), []);
      assert.deepStrictEqual(labels('repeat i ‸'), ['in']);
    });

    it('offers nothing in comments, strings, numbers or right after an operand', () => {
      assert.deepStrictEqual(labels('# mm‸'), []);
      assert.deepStrictEqual(labels('let s = "he‸'), []);
      assert.deepStrictEqual(labels('let s = 0x1‸'), []);
      assert.deepStrictEqual(labels('let s = foo ‸'), []);
    });

    it('offers expressions after expect, print and repeat … in', () => {
      assert.ok(labels('let a = 1\nexpect ‸').includes('a'));
      assert.ok(labels('let a = 1\nrepeat i in ‸').includes('a'));
    });
  });

  describe('when a space or a comma triggered it', () => {
    const specific = (text: string): string[] => {
      const { model, position } = at(text);
      return complete(model, position, { specificOnly: true }).items.map((i) => i.label);
    };

    it('keeps only what is specific to the place', () => {
      assert.ok(specific(`${PROLOGUE}write p buf, 1 => ‸`).includes('cow_fault'));
      assert.deepStrictEqual(specific(`${PROLOGUE}write ‸`), ['p', 'kernel']);
      assert.deepStrictEqual(specific(`${PROLOGUE}let x = mmap(p, 0, 4096, ‸`).sort(), [
        'PROT_EXEC',
        'PROT_NONE',
        'PROT_READ',
        'PROT_WRITE',
      ]);
    });

    it('offers nothing where any name could come', () => {
      assert.deepStrictEqual(specific(`${PROLOGUE}let x = ‸`), []);
      assert.deepStrictEqual(specific(`${PROLOGUE}let x = mmap(p, ‸`), []);
    });
  });

  describe('more places', () => {
    it('offers the width keyword once an access is complete', () => {
      assert.deepStrictEqual(labels(`${PROLOGUE}read p buf ‸`), ['as']);
      assert.strictEqual(items(`${PROLOGUE}write p buf, 0x4141 ‸`)[0]?.insertText, 'as ${1|u8,u16,u32,u64|}');
      assert.deepStrictEqual(labels(`${PROLOGUE}write p buf ‸`), []);
      assert.deepStrictEqual(labels(`${PROLOGUE}read p buf as u8 ‸`), []);
    });

    it('offers the paths of the scenario files inside the path string of open', () => {
      const { model, position } = at(
        'file "/data/a" size=4096\nfile "/b" size=1\nprocess p\nlet fd = open(p, "/d‸',
      );
      const result = complete(model, position);
      assert.deepStrictEqual(
        result.items.map((i) => i.label),
        ['/data/a', '/b'],
      );
      assert.deepStrictEqual([result.replaceStart, result.replaceEnd], [18, 20]);
      assert.deepStrictEqual(labels('file "/a" size=1\nprocess p\nlet x = mmap(p, 0, 1, 1, 2, name="‸'), []);
    });
  });
});
