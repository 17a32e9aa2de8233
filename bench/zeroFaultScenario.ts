// The scenario behind the zero-fault figures of the interpreter and memory providers: one byte
// written into each page of a fresh anonymous mapping, so that every step of its loop is a zero
// fault. At 200,000 pages it is the case that once made a run hold a whole 4 KiB per page.

export function zeroFaultScenario(pages: number): string {
  return [
    'machine ram=2G',
    'process p',
    `let b = mmap(p, 0, ${pages} * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)`,
    `repeat i in 0..${pages} {`,
    '  write p b + i * PAGE_SIZE, 1',
    '}',
    '',
  ].join('\n');
}
