import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const MAIN = path.join(__dirname, 'main.js');

function run(text: string, ...flags: string[]): { status: number | null; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmu-lens-run-'));
  const file = path.join(dir, 'scenario.mmu');
  fs.writeFileSync(file, text);
  try {
    const r = spawnSync(process.execPath, [MAIN, 'run', file, ...flags], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const COPY_ON_WRITE = `machine ram=64M
process parent
let buf = mmap(parent, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
write parent buf, "A"                        => zero_fault
fork parent as child
write child buf, "!"                         => cow_fault
expect peek(parent, buf) == 0x41
expect translate(parent, buf) != translate(child, buf)
write parent buf + 1, "B"                    => cow_fault
write parent 0, 1                            => crash
`;

describe('mmu-lens run', () => {
  it('exits 0 when every step passes and reports the machine in one JSON object', () => {
    const r = run(COPY_ON_WRITE, '--json');
    assert.strictEqual(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      steps: number;
      failures: unknown[];
      diagnostics: unknown[];
      memory: Record<string, number>;
      processes: { name: string; alive: boolean; amount_resident?: number }[];
    };
    assert.strictEqual(report.ok, true);
    assert.strictEqual(report.steps, 9);
    assert.deepStrictEqual(report.failures, []);
    assert.deepStrictEqual(report.diagnostics, []);
    const m = report.memory;
    assert.strictEqual(
      m['physical_pages'],
      (m['used'] ?? 0) + (m['committed'] ?? 0) + (m['uncommitted'] ?? 0),
    );
    assert.deepStrictEqual(
      report.processes.map((p) => [p.name, p.alive]),
      [
        ['parent', false],
        ['child', true],
      ],
    );
    assert.strictEqual(report.processes[1]?.amount_resident, 4096);
  });

  it('exits 1 and names the line, column and reason of every failed step, running on to the end', () => {
    const r = run('process p\nexpect 1 == 2\nmunmap(p, 0, 0)\nprint "still here"\n');
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /scenario\.mmu:2:8: failed: Expectation failed: 1 == 2/);
    assert.match(r.stdout, /scenario\.mmu:3:1: failed: The step ended in EINVAL/);
    assert.match(r.stdout, /still here/);
    assert.match(r.stdout, /4 steps, 2 failed/);
  });

  it('traces every step with its outcome and what changed', () => {
    const r = run(COPY_ON_WRITE, '--trace');
    assert.strictEqual(r.status, 0);
    assert.match(r.stdout, /#3 +line 4 +zero_fault +write parent buf, "A"/);
    assert.match(r.stdout, /counters +used \d+→\d+ \(\+1\), committed 3→2 \(-1\)/);
    assert.match(r.stdout, /pte +pid 1 0x10000: 0x[0-9a-f]+ \[P US NX\] → 0x[0-9a-f]+ \[P RW US NX\]/);
    assert.match(r.stdout, /fault +pid 2 write 0x10000 \(protection, user\) → cow handler, Continue/);
  });
});
