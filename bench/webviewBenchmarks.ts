// Webview figures (first paint of the page-table panel, measured in headless Chromium). Nothing is
// measured here until the panels exist: no figures means the runner reports them absent.
import type { BenchOptions, FigureSet } from './providers';

export function webviewBenchmarks(_options?: BenchOptions): Promise<FigureSet> {
  return Promise.resolve({});
}
