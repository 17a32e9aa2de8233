import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { hostileScenario } from '../scenario/hostileTextTestSupport';
import { parseArgs } from './args';
import { runCli, type CliIo, type RunReport } from './cli';
import { stepSectionIds } from '../views/report/reportTestSupport';

const MAIN = path.join(__dirname, 'main.js');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the mmu-lens command line', function () {
  // Each test starts a Node process; allow for a busy machine.
  this.timeout(60_000);

  let dir: string;
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmu-lens-cli-'));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('check FILE', () => {
    it('exits 0 and prints nothing for a clean file', () => {
      const file = write(
        'clean.mmu',
        'process p\nlet a = mmap(p, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)\nwrite p a, 1 => zero_fault\n',
      );
      const r = cli('check', file);
      assert.strictEqual(r.status, 0);
      assert.strictEqual(r.stdout, '');
      assert.strictEqual(r.stderr, '');
    });

    it('prints every diagnostic as FILE:LINE:COL: error: message (1-based) and exits 2', () => {
      const file = write('bad.mmu', 'process p\nlet x = mmapp(p)\nwrite q 0, 1\n');
      const r = cli('check', file);
      assert.strictEqual(r.status, 2);
      const lines = r.stdout.trimEnd().split('\n');
      assert.strictEqual(lines.length, 2);
      assert.strictEqual(
        lines[0],
        `${file}:2:9: error: Unknown function 'mmapp'; expected an API function (mmap, translate, …) or a proc. Did you mean 'mmap'?`,
      );
      assert.ok(lines[1]?.startsWith(`${file}:3:7: error: Unknown process 'q'`));
    });

    it('exits 0 when there are only warnings, and prints them', () => {
      const file = write('warn.mmu', 'let x = 1\nx\n');
      const r = cli('check', file);
      assert.strictEqual(r.status, 0);
      assert.match(r.stdout, /warn\.mmu:2:1: warning: This expression does nothing/);
    });

    it('exits 2 with a message for a missing file', () => {
      const r = cli('check', path.join(dir, 'missing.mmu'));
      assert.strictEqual(r.status, 2);
      assert.match(r.stderr, /cannot read .*missing\.mmu: no such file/);
    });
  });

  describe('usage', () => {
    it('prints help with --help and exits 0', () => {
      const r = cli('--help');
      assert.strictEqual(r.status, 0);
      assert.match(r.stdout, /Usage: mmu-lens <command>/);
      assert.match(cli('help', 'check').stdout, /Usage: mmu-lens check FILE/);
      assert.match(cli('run', '--help').stdout, /Usage: mmu-lens run FILE \[--json\] \[--trace\]/);
    });

    for (const [args, message] of [
      [[], /no command given/],
      [['frob'], /unknown command 'frob'/],
      [['check'], /check needs a FILE/],
      [['check', 'a', 'b'], /check takes exactly one FILE/],
      [['check', '--json', 'a'], /check does not take --json/],
      [['run'], /run needs a FILE/],
      [['run', '--fast', 'a'], /unknown option --fast for run/],
      [['walk'], /walk needs a FILE/],
      [['walk', 'a', '--step', '-1'], /--step takes a step number/],
      [['walk', 'a', '--step', '99999999999'], /--step takes a step number/],
      [['walk', 'a', '--step'], /--step takes a step number/],
      [['walk', 'a', '--space', 'pid;1'], /--space takes kernel, a pid or a process name/],
      [['walk', 'a', '--vmprint=yes'], /unknown option --vmprint=yes for walk/],
      [['run', 'a', '--report'], /--report takes the path of the HTML file to write/],
      [['run', 'a', '--report='], /--report takes the path of the HTML file to write/],
      [['run', 'a', '--report', '--json'], /--report takes the path of the HTML file to write/],
      [['run', 'a', '--report-steps', '1'], /--report-steps needs --report OUT\.html/],
      [
        ['run', 'a', '--report', 'r.html', '--report-steps'],
        /--report-steps: '' is not a comma-separated list/,
      ],
      [['run', 'a', '--report', 'r.html', '--report-steps', '1;2'], /--report-steps: '1;2' is not a/],
      [
        ['run', 'a', '--report', 'r.html', '--report-steps', '2,1,2'],
        /--report-steps: step 2 is listed twice/,
      ],
      [['run', 'a', '--report', 'r.html', 'b'], /run takes exactly one FILE/],
      [
        ['run', 'a', '--reports', 'r.html'],
        /unknown option --reports for run; expected --json, --trace, --report/,
      ],
    ] as const) {
      it(`reports a usage error for '${args.join(' ')}' and exits 2`, () => {
        const r = cli(...args);
        assert.strictEqual(r.status, 2);
        assert.match(r.stderr, message);
        assert.match(r.stderr, /mmu-lens --help/);
      });
    }
  });

  describe('hostile input', () => {
    it('stops an empty loop over 2^64 iterations at the step budget, on the loop’s line', () => {
      const file = write('runaway.mmu', 'process p\nrepeat i in 0..0xFFFFFFFFFFFFFFFF {\n}\nprint 1\n');
      const r = cli('run', file, '--json');
      assert.strictEqual(r.status, 1);
      const report = JSON.parse(r.stdout) as RunReport;
      assert.deepStrictEqual(
        report.failures.map((f) => [f.line, f.column]),
        [[2, 1]],
      );
      assert.match(report.failures[0]!.message, /step budget of 1000000 steps is exhausted/);
    });

    it('answers any deep or huge scenario with one JSON object and a documented exit code', () => {
      fc.assert(
        fc.property(hostileScenario(4, 20_000), (text) => {
          const file = write('hostile.mmu', text);
          const r = cli('run', file, '--json');
          assert.ok(
            r.status === 0 || r.status === 1 || r.status === 2,
            `exit ${r.status}: ${r.stderr.slice(0, 300)}`,
          );
          const report = JSON.parse(r.stdout) as { ok: boolean };
          assert.strictEqual(typeof report.ok, 'boolean');
        }),
        { numRuns: 12 },
      );
    });
  });

  describe('run FILE', () => {
    it('exits 2 with the diagnostics of a file that does not check', () => {
      const file = write('runbad.mmu', 'let x = y\n');
      const r = cli('run', file);
      assert.strictEqual(r.status, 2);
      assert.match(r.stderr, /runbad\.mmu:1:9: error: Unknown name 'y'/);
    });

    it('prints one JSON object with the diagnostics under --json when the file does not check', () => {
      const file = write('runbad2.mmu', 'let x = y\n');
      const r = cli('run', file, '--json');
      assert.strictEqual(r.status, 2);
      const report = JSON.parse(r.stdout) as {
        ok: boolean;
        steps: number;
        diagnostics: { line: number; column: number }[];
      };
      assert.strictEqual(report.ok, false);
      assert.strictEqual(report.steps, 0);
      assert.deepStrictEqual(
        report.diagnostics.map((d) => [d.line, d.column]),
        [[1, 9]],
      );
    });

    it('hands a checked file to the runner and maps its report to exit codes and JSON', () => {
      const out: string[] = [];
      const report = (ok: boolean): RunReport => ({
        ok,
        steps: 3,
        failures: ok ? [] : [{ line: 2, column: 1, message: 'expect failed' }],
        memory: { physical_pages: 10, used: 2, committed: 0, uncommitted: 8 },
        processes: [{ name: 'p', alive: true }],
        output: ['hello'],
      });
      const io = (ok: boolean): CliIo => ({
        readFile: () => 'process p\n',
        stdout: (t) => out.push(t),
        stderr: (t) => out.push(t),
        version: 'test',
        runner: { run: () => report(ok), walk: () => ({ lines: [] }) },
      });
      assert.strictEqual(runCli(['run', 'f.mmu'], io(true)), 0);
      assert.deepStrictEqual(out, ['hello\n', '3 steps, 0 failed\n']);
      out.length = 0;
      assert.strictEqual(runCli(['run', 'f.mmu', '--json'], io(false)), 1);
      assert.strictEqual(out.length, 1);
      const json = JSON.parse(out[0] ?? '') as Record<string, unknown>;
      assert.deepStrictEqual(Object.keys(json), [
        'ok',
        'steps',
        'failures',
        'diagnostics',
        'memory',
        'processes',
      ]);
      assert.strictEqual(json['ok'], false);
    });
  });

  describe('run FILE --report OUT.html', () => {
    const SCENARIO = [
      'machine ram=64M',
      'process p',
      'let buf = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, name="buf")',
      'write p buf, 1',
      'expect 1 == 2',
      'write p buf + PAGE_SIZE, 2',
      '',
    ].join('\n');

    it('runs as run does and writes the report of step 0, the failed steps and the last', () => {
      const file = write('report.mmu', SCENARIO);
      const out = path.join(dir, 'report.html');
      const r = cli('run', file, '--report', out);
      assert.strictEqual(r.status, 1, 'a step failed');
      assert.match(r.stdout, /5 steps, 1 failed\nreport: .*report\.html \(steps 0, 4, 5\)\n$/);
      const html = fs.readFileSync(out, 'utf8');
      assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
      assert.match(html, /<title>MMU Lens step report: report\.mmu<\/title>/);
      assert.deepStrictEqual(stepSectionIds(html), ['step-0', 'step-4', 'step-5']);
      assert.match(html, /made by mmu-lens run 0\.1\.0/);
    });

    it('shows the listed steps, and keeps stdout one JSON object under --json', () => {
      const file = write('report-steps.mmu', SCENARIO);
      const out = path.join(dir, 'report-steps.html');
      const r = cli('run', file, '--json', `--report=${out}`, '--report-steps', '3,1');
      assert.strictEqual(r.status, 1);
      assert.strictEqual((JSON.parse(r.stdout) as { steps: number }).steps, 5);
      assert.deepStrictEqual(stepSectionIds(fs.readFileSync(out, 'utf8')), ['step-1', 'step-3']);
    });

    it('exits 0 when every step passed', () => {
      const file = write('report-ok.mmu', SCENARIO.replace('expect 1 == 2', 'expect 1 == 1'));
      const out = path.join(dir, 'report-ok.html');
      const r = cli('run', file, '--report', out, '--report-steps=0,2');
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(r.stdout, /report: .*report-ok\.html \(steps 0, 2\)/);
    });

    it('refuses a listed step past the end of the run, writing nothing, and exits 2', () => {
      const file = write('report-past.mmu', SCENARIO);
      const out = path.join(dir, 'report-past.html');
      const r = cli('run', file, '--report', out, '--report-steps', '0,6');
      assert.strictEqual(r.status, 2);
      assert.match(r.stderr, /--report-steps: step 6 is past the end of the run, whose last step is 5/);
      assert.match(r.stderr, /mmu-lens --help/);
      assert.ok(!fs.existsSync(out));
    });

    it('says when the report cannot be written, and exits 2', () => {
      const file = write('report-nowhere.mmu', SCENARIO);
      const r = cli('run', file, '--report', path.join(dir, 'no such folder', 'r.html'));
      assert.strictEqual(r.status, 2);
      assert.match(r.stderr, /cannot write .*r\.html: ENOENT/);
    });

    it('writes no report for a file that does not check', () => {
      const file = write('report-bad.mmu', 'let x = y\n');
      const out = path.join(dir, 'report-bad.html');
      assert.strictEqual(cli('run', file, '--report', out).status, 2);
      assert.ok(!fs.existsSync(out));
    });
  });

  describe('walk FILE', () => {
    const SCENARIO = [
      'machine ram=64M seed=1',
      'process parent',
      'let buf = mmap(parent, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)',
      'write parent buf + PAGE_SIZE, 1',
      'print translate(parent, buf + PAGE_SIZE)',
      'exit parent',
      '',
    ].join('\n');

    it("prints the hierarchy in the format of xv6's vmprint, depth first, down to the page written", () => {
      const file = write('walk.mmu', SCENARIO);
      const frame = BigInt(/^0x[0-9a-f]+/.exec(cli('run', file).stdout)![0]) & ~0xfffn;
      const r = cli('walk', file, '--step', '4', '--space', 'parent', '--vmprint');
      assert.strictEqual(r.status, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0]!, /^page table 0x[0-9a-f]{16}$/);
      let depth = 0;
      for (const line of lines.slice(1)) {
        const m = /^((?:\.\. ){0,3})\.\.(\d+): pte 0x[0-9a-f]{16} pa 0x[0-9a-f]{16}$/.exec(line);
        assert.ok(m, `not a vmprint line: ${line}`);
        const level = m[1]!.length / 3;
        assert.ok(level <= depth + 1, `${line} skips a level`);
        depth = level;
        assert.ok(Number(m[2]) < 512);
      }
      const page = `pa 0x${frame.toString(16).padStart(16, '0')}`;
      assert.ok(
        lines.some((line) => line.startsWith('.. .. .. ..') && line.endsWith(page)),
        `no PT entry maps the written page (${page})`,
      );
    });

    it('prints its own listing with the levels, the addresses covered and the bits', () => {
      const file = write('walk-own.mmu', SCENARIO);
      const r = cli('walk', file, '--step=4', '--space=1');
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(r.stdout, /^parent \(pid 1\) after step 4: CR3 0x[0-9a-f]+\n/);
      assert.match(r.stdout, /\n {6}PT\[\d+\] +0x[0-9a-f]+ +→ page 0x[0-9a-f]+ {2}P RW US A D NX\n/);
    });

    it('says when the step or the address space does not exist, and exits 1', () => {
      const file = write('walk-missing.mmu', SCENARIO);
      let r = cli('walk', file, '--step', '40');
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, /the scenario stops after step 5; there is no step 40/);
      r = cli('walk', file, '--space', 'nobody');
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, /there is no process nobody/);
      r = cli('walk', file, '--space', 'parent');
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, /process parent \(pid 1\) has exited: its page tables are gone/);
      r = cli('walk', file, '--step', '0');
      assert.strictEqual(r.status, 0);
      assert.match(r.stdout, /^kernel after step 0: CR3 0x/);
    });
  });

  it('parses arguments in any order', () => {
    assert.deepStrictEqual(parseArgs(['--trace', 'run', 'f', '--json']), {
      command: 'run',
      file: 'f',
      json: true,
      trace: true,
    });
    assert.deepStrictEqual(parseArgs(['run', '--report', 'run', '--report-steps=5,0', 'f']), {
      command: 'run',
      file: 'f',
      json: false,
      trace: false,
      report: { path: 'run', steps: [0, 5] },
    });
  });
});
