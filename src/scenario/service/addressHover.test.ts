import * as assert from 'assert';
import { AddressEvaluator, AddressHoverService, addressTargetAt, sessionRunsDocument } from './addressHover';
import { at } from './testSupport';

const PROLOGUE =
  'process p\nlet buf = mmap(p, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)\nlet r = MM.allocate_kernel_region(4096, "r", ReadWrite)\n';

function target(text: string): string | undefined {
  const { model, position } = at(text);
  return addressTargetAt(model, position)?.expression;
}

/** A debug session that answers from a table and records what it was asked. */
class FakeSession implements AddressEvaluator {
  readonly asked: string[] = [];
  constructor(
    private readonly answers: Readonly<Record<string, string>>,
    private readonly stoppedLine = 4,
  ) {}
  evaluate(expression: string): Promise<{ result: string; stoppedLine: number }> {
    this.asked.push(expression);
    const result = this.answers[expression];
    return result === undefined
      ? Promise.reject(new Error(`cannot evaluate ${expression}`))
      : Promise.resolve({ result, stoppedLine: this.stoppedLine });
  }
}

describe('hover on addresses', () => {
  describe('what is under the cursor', () => {
    it('takes numbers as written', () => {
      assert.strictEqual(target(`${PROLOGUE}write p 0x10‸00, 1`), '0x1000');
    });

    it('takes names bound to integers or regions', () => {
      assert.strictEqual(target(`${PROLOGUE}write p b‸uf, 1`), 'buf');
      assert.strictEqual(target(`${PROLOGUE}print ‸r`), 'r');
    });

    it('takes a member chain up to the hovered member when it is an address', () => {
      assert.strictEqual(target(`${PROLOGUE}expect translate(kernel, r.va‸ddr) != null`), 'r.vaddr');
      assert.strictEqual(target(`${PROLOGUE}print r.vmob‸ject`), undefined);
    });

    it('takes the whole arithmetic when on its operator', () => {
      assert.strictEqual(target(`${PROLOGUE}write p buf ‸+ 1, 2`), 'buf + 1');
      assert.strictEqual(target(`${PROLOGUE}expect peek(p, buf + 2 ‸* PAGE_SIZE) == 0`), '2 * PAGE_SIZE');
      assert.strictEqual(target(`${PROLOGUE}expect peek(p, buf) ‸== 0`), undefined);
    });

    it('skips processes, functions, constants, keywords and machine settings', () => {
      assert.strictEqual(target(`${PROLOGUE}write ‸p buf, 1`), undefined);
      assert.strictEqual(target(`${PROLOGUE}print transl‸ate(p, buf)`), undefined);
      assert.strictEqual(target(`${PROLOGUE}print PAGE_S‸IZE`), undefined);
      assert.strictEqual(target(`${PROLOGUE}wri‸te p buf, 1`), undefined);
      assert.strictEqual(target('machine ram=6‸4M'), undefined);
    });

    it('gives the range to highlight', () => {
      const { model, position } = at(`${PROLOGUE}print r.va‸ddr`);
      const t = addressTargetAt(model, position);
      assert.deepStrictEqual([t?.line, t?.startColumn, t?.endColumn], [3, 6, 13]);
    });
  });

  describe('what the hover says', () => {
    const t = { expression: 'buf', line: 3, startColumn: 8, endColumn: 11 };
    const clock = () => new Date('2026-01-02T03:04:05Z');

    it('asks a running session and shows its answer', async () => {
      const session = new FakeSession({
        buf: 'Region "mmap" [0x1000, 0x2000) r--\nPTE 0x8000000000200005 present user nx',
      });
      const text = await new AddressHoverService(clock).describe('file:///a.mmu', t, session);
      assert.deepStrictEqual(session.asked, ['buf']);
      assert.match(text, /live, stopped at line 4/);
      assert.match(text, /Region "mmap" \[0x1000, 0x2000\)/);
      assert.match(text, /PTE 0x8000000000200005/);
    });

    it("shows the session's facts as a table, one row a fact, the value above it", async () => {
      const session = new FakeSession({
        buf: [
          '0x10000 (65536)',
          'address    0x10000 in parent (pid 1)',
          'region     "data" 0x10000..0x12000 rw- [mmap] Normal',
          'VMObject   AnonymousVMObject #3, slot 0, copy-on-write',
          'PTE        0x8000000000200005 [P US NX]',
          'frame      0x200000',
          'ref_count  2',
          'zone       #0 (base 0x100000, 16128 pages)',
        ].join('\n'),
      });
      const text = await new AddressHoverService(clock).describe('file:///a.mmu', t, session);
      const lines = text.split('\n');
      const head = lines.indexOf('| address | 0x10000 in parent (pid 1) |');
      assert.ok(head > 0, text);
      assert.strictEqual(lines[head + 1], '|:--|:--|');
      assert.deepStrictEqual(
        lines.slice(head + 2).map((line) => /^\| (\S+) \|/.exec(line)?.[1]),
        ['region', 'VMObject', 'PTE', 'frame', 'ref_count', 'zone'],
      );
      assert.ok(lines.includes('| region | "data" 0x10000..0x12000 rw- \\[mmap\\] Normal |'), text);
      assert.match(text, /```text\n0x10000 \(65536\)\n```/);
    });

    it('without a session, says how to get a live answer', async () => {
      const text = await new AddressHoverService(clock).describe('file:///a.mmu', t, undefined);
      assert.match(text, /start debugging \(F5\) to resolve this address/);
    });

    it('after the session, says what the last stop knew, per document', async () => {
      const service = new AddressHoverService(clock);
      await service.describe('file:///a.mmu', t, new FakeSession({ buf: 'phys 0x200000' }, 7));
      const after = await service.describe('file:///a.mmu', t, undefined);
      assert.match(after, /When the last debug session was stopped at line 7 \(03:04:05 UTC\)/);
      assert.match(after, /phys 0x200000/);
      assert.match(after, /F5\) for a live answer/);
      assert.doesNotMatch(await service.describe('file:///b.mmu', t, undefined), /phys 0x200000/);
      service.forget('file:///a.mmu');
      assert.doesNotMatch(await service.describe('file:///a.mmu', t, undefined), /phys 0x200000/);
    });

    it("reports the session's refusal with what was known before", async () => {
      const service = new AddressHoverService(clock);
      await service.describe('file:///a.mmu', t, new FakeSession({ buf: 'phys 0x200000' }));
      const text = await service.describe('file:///a.mmu', t, new FakeSession({}));
      assert.match(text, /could not resolve it \(cannot evaluate buf\)/);
      assert.match(text, /phys 0x200000/);
    });
  });

  it('matches a session to its document by the launched program path', () => {
    assert.ok(sessionRunsDocument('/w/a.mmu', '/w/a.mmu'));
    assert.ok(!sessionRunsDocument('/w/a.mmu', '/w/b.mmu'));
    assert.ok(sessionRunsDocument('C:\\W\\a.mmu', 'c:/w/A.mmu'));
    assert.ok(sessionRunsDocument(undefined, '/w/a.mmu'));
  });
});
