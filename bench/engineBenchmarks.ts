// Engine figures. Nothing is measured here until the engine exists: returning no figures makes the
// runner report every engine figure as absent rather than inventing one.
import type { BenchOptions, FigureSet } from './providers';

export function engineBenchmarks(_options?: BenchOptions): FigureSet {
  return {};
}
