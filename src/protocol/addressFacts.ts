// The facts that explain an address all the way down — address → region → VMObject → PTE bits →
// frame → ref_count → zone — travel from the debug session as plain text, one fact a line, because
// that is what the Debug Console, the watch view and VS Code's own debug hover show. The address
// hover of the editor turns the same text into Markdown tables. debug/describe.ts decides what
// the facts are; this module only lays them out, both ways, so that neither side guesses the other's
// format.

export const FACT_LABELS = ['address', 'region', 'VMObject', 'PTE', 'frame', 'ref_count', 'zone'] as const;
export type FactLabel = (typeof FACT_LABELS)[number];

export interface AddressFact {
  readonly label: FactLabel;
  readonly value: string;
}

/** Labels are padded to one width, so that the values of a block line up in the console. */
const LABEL_WIDTH = Math.max(...FACT_LABELS.map((label) => label.length)) + 2;

const FACT_LINE = new RegExp(`^(${FACT_LABELS.join('|')}) {2,}(\\S.*)$`);

/** One fact a line: `PTE        0x8000000001234007 [P US NX]`. */
export function factsText(facts: readonly AddressFact[]): string {
  return facts.map((fact) => `${fact.label.padEnd(LABEL_WIDTH)}${fact.value}`).join('\n');
}

/**
 * Markdown for a session's answer: every run of fact lines becomes a two-column table (its first
 * fact, the address, heads it), and the other lines (the value itself) stay as preformatted text.
 */
export function factsMarkdown(text: string): string {
  const parts: string[] = [];
  let plain: string[] = [];
  let facts: AddressFact[] = [];
  const flushPlain = (): void => {
    while (plain.length > 0 && plain[plain.length - 1] === '') plain.pop();
    if (plain.length > 0) parts.push(codeBlock(plain.join('\n')));
    plain = [];
  };
  const flushFacts = (): void => {
    if (facts.length > 0) parts.push(table(facts));
    facts = [];
  };
  for (const line of text.split('\n')) {
    const match = FACT_LINE.exec(line);
    if (match === null) {
      flushFacts();
      if (line !== '' || plain.length > 0) plain.push(line);
    } else {
      flushPlain();
      facts.push({ label: match[1] as FactLabel, value: match[2] ?? '' });
    }
  }
  flushFacts();
  flushPlain();
  return parts.join('\n\n');
}

function table(facts: readonly AddressFact[]): string {
  const [head, ...rest] = facts;
  const row = (fact: AddressFact): string => `| ${fact.label} | ${escapeCell(fact.value)} |`;
  return [row(head!), '|:--|:--|', ...rest.map(row)].join('\n');
}

/** A table cell shows the value as written: Markdown's own characters are escaped, pipes above all. */
function escapeCell(value: string): string {
  return value.replace(/[\\`*_[\]<>|]/g, (character) => `\\${character}`);
}

function codeBlock(text: string): string {
  const fence = text.includes('```') ? '````' : '```';
  return `${fence}text\n${text}\n${fence}`;
}
