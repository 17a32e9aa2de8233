// interpreter_steps_per_s: the rate of steps of a `repeat` loop whose body writes to pages that are
// already resident, so each step costs the interpreter's own work plus one fault-free store. The
// second figure, the same stores made straight on the engine, shows what the interpreter adds.
//
// scenario_zero_fault_steps_per_s: the rate of steps of a `repeat` loop whose every step writes one
// byte to a fresh page of a 200,000-page mapping, so each step is a zero fault with events recorded:
// what `mmu-lens run` does for such a scenario, without the reporting around each step.

import { Machine, MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from '../src/engine';
import { Interpreter } from '../src/scenario/interpreter';
import { zeroFaultScenario } from './zeroFaultScenario';

interface Options {
  readonly quick?: boolean;
  /** Whether a figure was asked for; the runs for figures nobody wants are skipped. */
  wants?(figure: string): boolean;
}

function scenario(pages: number, iterations: number): string {
  return [
    'machine ram=256M',
    'process p',
    `let buf = mmap(p, 0, ${pages} * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)`,
    `repeat i in 0..${pages} {`,
    '  write p buf + i * PAGE_SIZE, 1',
    '}',
    `repeat i in 0..${iterations} {`,
    `  write p buf + (i % ${pages}) * PAGE_SIZE, 2`,
    '}',
  ].join('\n');
}

export function interpreterBenchmarks(options: Options = {}): Record<string, number> {
  const wants = (figure: string): boolean => options.wants?.(figure) ?? true;
  return {
    ...(wants('interpreter_steps_per_s') ? residentWriteSteps(options) : {}),
    ...(wants('scenario_zero_fault_steps_per_s')
      ? { scenario_zero_fault_steps_per_s: zeroFaultSteps(options) }
      : {}),
  };
}

function residentWriteSteps(options: Options): Record<string, number> {
  const pages = 64;
  const iterations = options.quick === true ? 20_000 : 200_000;
  const started = Interpreter.start(scenario(pages, iterations), 'bench.mmu', { stepBudget: 10_000_000 });
  const interpreter = started.interpreter;
  if (interpreter === null) throw new Error(started.diagnostics.map((d) => d.message).join('; '));
  // Run up to the measured loop: process, mmap, the first-touch loop (header + one step per page).
  const warmup = 2 + 1 + pages * 2;
  for (let i = 0; i < warmup; i++) interpreter.step();
  const { steps, seconds } = timeRestOfRun(interpreter);
  return {
    interpreter_steps_per_s: Math.round(steps / seconds),
    engine_resident_writes_per_s: engineWrites(pages, iterations),
  };
}

/** The same stores made straight on the engine: what the interpreter's steps drive. */
function engineWrites(pages: number, iterations: number): number {
  const machine = Machine.boot({ ram: 256 * 1024 * 1024 });
  const created = machine.createProcess('p');
  if (created.kind !== 'ok') throw new Error('cannot create a process');
  const p = created.value;
  const mapped = machine.mmap(p, {
    addr: 0,
    size: pages * 4096,
    prot: PROT_READ | PROT_WRITE,
    flags: MAP_PRIVATE | MAP_ANONYMOUS,
  });
  if (mapped.kind !== 'ok') throw new Error('cannot map');
  for (let i = 0; i < pages; i++) machine.write(p, mapped.value + i * 4096, 1);
  machine.takeEvents();
  const begin = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    machine.write(p, mapped.value + (i % pages) * 4096, 2);
    machine.takeEvents();
  }
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
  return Math.round(iterations / seconds);
}

/**
 * Steps per second of the zero-fault loop through Interpreter.step() (events recorded, as in a run),
 * best of a few whole runs like the engine's rounds. The steps before the loop are not timed.
 */
function zeroFaultSteps(options: Options): number {
  const pages = options.quick === true ? 20_000 : 200_000;
  const runs = options.quick === true ? 1 : 3;
  let best = 0;
  for (let run = 0; run < runs; run++) {
    const started = Interpreter.start(zeroFaultScenario(pages), 'zero-faults.mmu');
    const interpreter = started.interpreter;
    if (interpreter === null) throw new Error(started.diagnostics.map((d) => d.message).join('; '));
    // process, mmap and the loop's header.
    for (let i = 0; i < 3; i++) interpreter.step();
    const { steps, seconds } = timeRestOfRun(interpreter);
    if (steps !== pages) throw new Error(`the loop ran ${steps} steps, not ${pages}`);
    best = Math.max(best, steps / seconds);
  }
  return Math.round(best);
}

/** Runs the interpreter to its end, timed; a failed step fails the benchmark. */
function timeRestOfRun(interpreter: Interpreter): { steps: number; seconds: number } {
  const begin = process.hrtime.bigint();
  let steps = 0;
  while (!interpreter.finished) {
    const report = interpreter.step();
    if (report.failed) throw new Error(`step ${report.index} failed: ${report.message ?? ''}`);
    steps++;
  }
  return { steps, seconds: Number(process.hrtime.bigint() - begin) / 1e9 };
}
