// The machine line's limits are the engine's: a scenario whose machine checks also boots, and one
// whose machine the engine refuses is a check error at the value.
import * as assert from 'assert';
import fc from 'fast-check';
import { checkSource, hasErrors } from './checker';
import { Interpreter } from './interpreter';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

const around = (values: number[]): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(...values),
    fc
      .constantFrom(...values)
      .chain((v) => fc.integer({ min: -2, max: 2 }).map((d) => Math.max(0, v + d * 4 * KiB))),
  );

/** How the limits of machineLimits.ts are said. */
const LIMIT_MESSAGES =
  /is invalid|is out of range|is not a multiple|MMU Lens simulates|MMU Lens boots|no kernel virtual space/;

describe('machine limits', function () {
  this.timeout(60_000);

  it('a machine line that checks boots, or fails only for memory too small for what boot sets up', () => {
    fc.assert(
      fc.property(
        around([0, 2 * MiB, 9 * MiB, 10 * MiB, 128 * MiB, 4 * GiB, 1024 * GiB, 2048 * GiB]),
        fc.integer({ min: 0, max: 66 }),
        around([0, 4 * KiB, 16 * KiB, 8 * MiB, 64 * MiB, 65 * MiB]),
        (ram, cpus, kernelSize) => {
          const text = `machine ram=${ram} cpus=${cpus} kernel_size=${kernelSize}\nprocess p\n`;
          const checked = checkSource(text);
          if (hasErrors(checked.diagnostics)) return;
          const started = Interpreter.start(text, 'machine.mmu');
          if (started.interpreter !== null) return;
          // Memory too small for what boot sets up (the page-entry array, the zones) is found by
          // booting, and said as a boot failure; a limit of the machine line never is.
          const failure = started.diagnostics.find((d) => d.code === 'boot-failed');
          assert.ok(failure, `${text}: ${started.diagnostics.map((d) => d.message).join('; ')}`);
          assert.doesNotMatch(failure.message, LIMIT_MESSAGES, text);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses at the value what the engine would refuse at boot', () => {
    for (const [line, column, pattern] of [
      ['machine kernel_size=4K', 20, /kernel_size=0x1000 is invalid/],
      ['machine cpus=65', 13, /KERNEL_MAX_CPU_COUNT is 64/],
      ['machine ram=2048G', 12, /above the 1 TiB MMU Lens simulates/],
      ['machine ram=1M', 12, /below the 2 MiB/],
      ['machine ram=1024G', 12, /no kernel virtual space for the page-entry array/],
    ] as const) {
      const { diagnostics } = checkSource(`${line}\nprocess p\n`);
      const error = diagnostics.find((d) => d.severity === 'error');
      assert.ok(error, line);
      assert.match(error.message, pattern, line);
      assert.strictEqual(error.range.start.column, column, line);
    }
  });

  it('refuses a memory map whose page-entry array cannot be mapped, at its highest usable line', () => {
    const { diagnostics } = checkSource(
      'memory usable 0x100000+64M\nmemory usable 0xF000000000000+16M\nprocess p\n',
    );
    const error = diagnostics.find((d) => d.severity === 'error');
    assert.match(error?.message ?? '', /page-entry array/);
    assert.strictEqual(error?.range.start.line, 1);
  });
});
