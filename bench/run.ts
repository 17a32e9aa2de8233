// Benchmark runner: each benchmark prints its figures; `--json` prints one JSON object instead.
const figures: Record<string, number> = {};
const json = process.argv.includes('--json');
if (json) {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name}: ${value}\n`);
}
