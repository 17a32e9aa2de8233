// What each statement keyword does, in one sentence and one syntax line, for completion and hovers.
// The keyword list itself is STATEMENT_KEYWORDS of the API table; a test keeps the two in step.

export interface KeywordDoc {
  readonly syntax: string;
  readonly description: string;
  /** A snippet inserted by completion (VS Code snippet syntax). */
  readonly snippet: string;
}

export const KEYWORD_DOCS: Readonly<Record<string, KeywordDoc>> = {
  machine: {
    syntax: 'machine ram=SIZE cpus=N seed=N pat=BOOL smap=BOOL kernel_size=SIZE',
    description: 'Describes the simulated machine; only before the first step.',
    snippet: 'machine ram=${1:128M}',
  },
  memory: {
    syntax: 'memory KIND START..END ["label"]   or   memory KIND START+SIZE',
    description: 'One entry of the firmware memory map; only before the first step.',
    snippet: 'memory ${1|usable,reserved,acpi_reclaimable,acpi_nvs,bad|} ${2:0x100000}+${3:16M}',
  },
  let: {
    syntax: 'let NAME = EXPR',
    description: 'Binds a name to a value; a later let may rebind it.',
    snippet: 'let ${1:name} = ',
  },
  auto: {
    syntax: 'auto NAME = EXPR   or   auto* NAME = EXPR',
    description: 'The C++ spelling of let, so kernel snippets run verbatim.',
    snippet: 'auto ${1:name} = ',
  },
  process: {
    syntax: 'process NAME [stack=SIZE] [ax_allowed=true] [wx_allowed=true] [no_w_to_x=false]',
    description:
      'Creates a process with its own address space, as strict about W^X as a real SerenityOS program; name an option to relax it.',
    snippet: 'process ${1:p}',
  },
  fork: {
    syntax: 'fork PROC as NAME',
    description: 'Forks a process: shared regions stay shared, private ones become copy-on-write.',
    snippet: 'fork ${1:parent} as ${2:child}',
  },
  exit: {
    syntax: 'exit PROC',
    description: 'Tears the address space of a process down; its memory returns.',
    snippet: 'exit ${1:p}',
  },
  set_sp: {
    syntax: 'set_sp PROC ADDR',
    description:
      'Moves the user stack pointer of a process with a stack; the next page fault or syscall crashes it unless ADDR is in a stack region.',
    snippet: 'set_sp ${1:p} ${2:addr}',
  },
  file: {
    syntax: 'file "PATH" size=SIZE [fill=BYTE]',
    description: 'Creates a file (an inode) in the simulated file system.',
    snippet: 'file "${1:/data}" size=${2:PAGE_SIZE}',
  },
  write: {
    syntax: 'write PROC ADDR, VALUE [as u8|u16|u32|u64]',
    description: 'Stores a value (or the bytes of a "string") through the MMU, faulting as the CPU would.',
    snippet: 'write ${1:p} ${2:addr}, ${3:0x41}',
  },
  read: {
    syntax: 'read PROC ADDR [as u8|u16|u32|u64]',
    description: 'Loads a value through the MMU; it is shown and can be asserted with =>.',
    snippet: 'read ${1:p} ${2:addr}',
  },
  exec: {
    syntax: 'exec PROC ADDR',
    description: 'Fetches an instruction at ADDR: the access needs an executable page.',
    snippet: 'exec ${1:p} ${2:addr}',
  },
  print: {
    syntax: 'print EXPR, …',
    description: 'Prints values to the debug console or the CLI output.',
    snippet: 'print ',
  },
  expect: {
    syntax: 'expect EXPR',
    description: 'The expression must be true, else the step fails.',
    snippet: 'expect ',
  },
  proc: {
    syntax: 'proc NAME(P1, P2) { … }',
    description: 'Defines a procedure; each body line is a step of every call.',
    snippet: 'proc ${1:name}(${2}) {\n\t$0\n}',
  },
  repeat: {
    syntax: 'repeat I in A..B { … }',
    description: 'Runs the body for I from A to B − 1; each body line is a step of every iteration.',
    snippet: 'repeat ${1:i} in ${2:0}..${3:4} {\n\t$0\n}',
  },
};

/** Words that are not statements but still mean something, for hovers. */
export const OTHER_WORDS: Readonly<Record<string, string>> = {
  as: 'In `fork P as NAME`: the name of the child. In `read`/`write`: the access width (u8, u16, u32, u64).',
  in: 'In `repeat I in A..B`: the range of the loop variable (B excluded).',
  TRY: '`TRY(expr)` is `expr`: an error outcome already fails the step unless asserted with =>.',
  true: 'The boolean true.',
  false: 'The boolean false.',
  null: 'No value: what translate, pte, region_at and page give where there is nothing.',
};

export function keywordMarkdown(keyword: string): string | undefined {
  const doc = Object.prototype.hasOwnProperty.call(KEYWORD_DOCS, keyword) ? KEYWORD_DOCS[keyword] : undefined;
  if (doc !== undefined) return ['```mmu', doc.syntax, '```', doc.description].join('\n');
  const other = Object.prototype.hasOwnProperty.call(OTHER_WORDS, keyword) ? OTHER_WORDS[keyword] : undefined;
  return other === undefined ? undefined : `**${keyword}**: ${other}`;
}
