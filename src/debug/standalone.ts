// Standalone debug adapter over stdio; the session itself arrives with the debug adapter issue.
process.stderr.write('mmu-lens debug adapter: not built yet\n');
process.exitCode = 1;
