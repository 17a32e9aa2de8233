// A child process of the recording benchmarks: runs one scenario to its end, either under the
// debugger (every step recorded in its timeline) or on the bare interpreter, then reports the
// steps run and the memory still held (JS heap plus array buffers, after full collections). The
// difference between the two runs of a scenario is what recording it costs.
//
//   node --expose-gc out/bench/recordingProbe.js FILE recorded|plain
import * as fs from 'fs';
import { ScenarioDebugger } from '../src/debug/ScenarioDebugger';
import { Interpreter } from '../src/scenario/interpreter';

export interface ProbeResult {
  readonly steps: number;
  readonly heldBytes: number;
  readonly checkpoints: number;
}

function heldBytes(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) collect();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

async function probe(file: string, mode: string): Promise<ProbeResult> {
  const started = Interpreter.start(fs.readFileSync(file, 'utf8'), file, { stepBudget: 10_000_000 });
  const interpreter = started.interpreter;
  if (interpreter === null) throw new Error(started.diagnostics.map((d) => d.message).join('; '));
  if (mode === 'plain') {
    while (!interpreter.finished) interpreter.step();
    return { steps: interpreter.stepCount, heldBytes: heldBytes(), checkpoints: 0 };
  }
  const debug = new ScenarioDebugger(interpreter, () => undefined);
  await debug.run('continue');
  const result = {
    steps: interpreter.stepCount,
    heldBytes: heldBytes(),
    checkpoints: debug.timeline.stats().checkpoints,
  };
  // Held until measured.
  void debug.position;
  return result;
}

if (require.main === module) {
  const [file, mode] = process.argv.slice(2);
  if (file === undefined || (mode !== 'recorded' && mode !== 'plain')) {
    process.stderr.write('usage: recordingProbe FILE recorded|plain\n');
    process.exit(2);
  }
  probe(file, mode).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
