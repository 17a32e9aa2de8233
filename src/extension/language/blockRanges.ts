// The `{ … }` blocks of a scenario (proc and repeat bodies), found by matching braces outside strings
// and comments. Folding uses them; nothing here needs the parser, so folding works even in a file
// that does not parse yet. Lines are 0-based.

export interface LineRange {
  readonly start: number;
  readonly end: number;
}

export function blockRanges(text: string): LineRange[] {
  const ranges: LineRange[] = [];
  const open: number[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, lineIndex) => {
    for (const brace of bracesOf(line)) {
      if (brace === '{') {
        open.push(lineIndex);
      } else {
        const start = open.pop();
        // The closing line stays visible, as in C-like languages; a block on one line does not fold.
        if (start !== undefined && lineIndex - 1 > start) {
          ranges.push({ start, end: lineIndex - 1 });
        }
      }
    }
  });
  return ranges.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The braces of one line, in order, skipping strings (with escapes) and `//` or `#` comments. */
function bracesOf(line: string): string[] {
  const braces: string[] = [];
  let inString = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (inString) {
      if (char === '\\') {
        index++;
      } else if (char === '"') {
        inString = false;
      }
    } else if (char === '"') {
      inString = true;
    } else if (char === '#' || (char === '/' && line[index + 1] === '/')) {
      break;
    } else if (char === '{' || char === '}') {
      braces.push(char);
    }
  }
  return braces;
}
