import { strict as assert } from 'node:assert';
import { PAGE_SIZE } from './constants';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from './Syscalls';
import { boot, spawn, unwrap } from './testSupport';
import { pagingEntries, vmprint } from './vmprint';

describe('the paging structures entry by entry (vmprint)', () => {
  it('meets every present entry depth first, and each page it maps is where the walk goes', () => {
    const m = boot();
    const p = spawn(m);
    const base = unwrap(
      m.mmap(p, {
        addr: 0,
        size: 8 * PAGE_SIZE,
        prot: PROT_READ | PROT_WRITE,
        flags: MAP_PRIVATE | MAP_ANONYMOUS,
      }),
    );
    for (const i of [0, 3, 7]) m.write(p, base + i * PAGE_SIZE, 1);
    const pd = p.space.pageDirectory;
    const entries = [...pagingEntries(m.memoryManager.contents, pd)];
    let level = -1;
    for (const e of entries) {
      assert.ok(e.level <= level + 1, 'depth first: no level skipped');
      level = e.level;
    }
    const pages = entries.filter((e) => e.leaf && e.vaddr >= base && e.vaddr < base + 8 * PAGE_SIZE);
    assert.deepEqual(
      pages.map((e) => (e.vaddr - base) / PAGE_SIZE),
      [0, 1, 2, 3, 4, 5, 6, 7],
      'every page of the mapping has a PTE (the untouched ones on the shared zero page)',
    );
    for (const e of pages) assert.equal(e.paddr, m.translate(p, e.vaddr), `the walk of ${e.vaddr}`);
    const lines = vmprint(m.memoryManager.contents, pd);
    assert.equal(lines[0], `page table 0x${pd.cr3.toString(16).padStart(16, '0')}`);
    assert.equal(lines.length, entries.length + 1);
    const written = pages.find((e) => e.vaddr === base)!;
    assert.ok(
      lines.includes(
        `.. .. .. ..${written.index}: pte 0x8${(written.paddr + 0x67).toString(16).padStart(15, '0')} pa 0x${written.paddr.toString(16).padStart(16, '0')}`,
      ),
      'the written page: present, writable, user, accessed, dirty, no-execute',
    );
  });
});
