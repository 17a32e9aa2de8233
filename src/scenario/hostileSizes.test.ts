// Sizes from a scenario are checked before anything is allocated: statically where they are
// constants, by the kernel's errno or a clear failed step where they are not.
import * as assert from 'assert';
import { checkSource } from './checker';
import { Interpreter, type StepReport } from './interpreter';

function run(text: string): StepReport[] {
  const started = Interpreter.start(text, 'sizes.mmu');
  assert.ok(started.interpreter, started.diagnostics.map((d) => d.message).join('; '));
  const reports: StepReport[] = [];
  while (!started.interpreter.finished) reports.push(started.interpreter.step());
  return reports;
}

const arrayBytes = (): number => process.memoryUsage().arrayBuffers;

describe('sizes from a scenario', () => {
  it('a 4 GiB file filled with a byte costs what was written', () => {
    const before = arrayBytes();
    const reports = run(
      [
        'file "/big" size=4G fill=0x41',
        'process p',
        'let fd = open(p, "/big", O_RDWR)',
        'let m = mmap(p, 0, 0x2000, PROT_READ, MAP_PRIVATE, fd, 0x7FFFE000)',
        'read p m + 0x1FFF => 0x41',
      ].join('\n'),
    );
    assert.ok(
      reports.every((r) => r.outcome !== 'failed'),
      JSON.stringify(reports.map((r) => r.outcome)),
    );
    assert.ok(arrayBytes() - before < 64 * 1024 * 1024, `${arrayBytes() - before} bytes held`);
  });

  it('a constant file size above the largest simulated is a check error at its value', () => {
    const { diagnostics } = checkSource('file "/f" size=0x1000000000000\nprocess p\n');
    const error = diagnostics.find((d) => d.code === 'bad-option');
    assert.ok(error, JSON.stringify(diagnostics));
    assert.match(error.message, /above the largest file MMU Lens simulates/);
    assert.deepStrictEqual([error.range.start.line, error.range.start.column], [0, 15]);
  });

  it('a computed one fails its step with the same reason', () => {
    const reports = run('let big = 0x1000000000000\nfile "/f" size=big\nprocess p\n');
    const failed = reports.find((r) => r.outcome === 'failed');
    assert.match(failed?.message ?? '', /above the largest file MMU Lens simulates/);
  });

  it('a file mapping of 1 TiB returns ENOMEM at once', () => {
    const before = arrayBytes();
    const reports = run(
      [
        'file "/f" size=4096',
        'process p',
        'let fd = open(p, "/f", O_RDWR)',
        'mmap(p, 0, 1024G, PROT_READ, MAP_SHARED, fd, 0) => ENOMEM',
      ].join('\n'),
    );
    assert.ok(reports.every((r) => r.outcome !== 'failed'));
    assert.ok(arrayBytes() - before < 16 * 1024 * 1024);
  });

  it('a mapping larger than the simulation holds fails its step and says why', () => {
    const reports = run(
      [
        'machine ram=2G',
        'process p',
        'mmap(p, 0, 256G, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, null, 0)',
      ].join('\n'),
    );
    const failed = reports.find((r) => r.outcome === 'failed');
    assert.match(failed?.message ?? '', /beyond the 16,777,216 pages \(64 GiB\) MMU Lens simulates/);
  });
});
