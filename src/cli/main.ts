// The `mmu-lens` command line; the commands arrive with the scenario language issue.
process.stderr.write('mmu-lens: no commands yet\n');
process.exitCode = 2;
