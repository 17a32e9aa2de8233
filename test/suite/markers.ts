// Lines the suite prints around mocha's output, so that the code-server harness can tell mocha's
// report apart from the workbench's own log (both arrive through the same channel).
export const SUITE_STARTED = '@@mmu-lens-suite-started@@';
export const SUITE_FINISHED = '@@mmu-lens-suite-finished@@';
