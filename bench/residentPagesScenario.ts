// The scenario behind the latency figures of the debugger and of the panels: a region of `pages`
// resident pages and a loop writing one of them per turn, so that every step changes one page
// whatever the size of the state. 100,000 pages against 10 shows whether a step's cost follows what
// it changed or the size of the machine.

export function residentPagesScenario(pages: number, ram: string, iterations: number): string {
  return [
    `machine ram=${ram}`,
    'process p',
    `let big = p.allocate_region(No, 0x10000000, ${pages} * PAGE_SIZE, PAGE_SIZE, "big", PROT_READ | PROT_WRITE, AllocateNow)`,
    'let hits = 0',
    `repeat i in 0..${iterations} {`,
    `  write p big + (i % ${pages}) * PAGE_SIZE + 8, 1`,
    '  let hits = hits + 1',
    '}',
    '',
  ].join('\n');
}
