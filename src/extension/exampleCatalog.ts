// Pure helpers of the "Open Example" command: which scenario a name designates, and the sentence a
// scenario introduces itself with (its first comment). No VS Code here, so they are unit-tested.

export interface ExampleEntry {
  /** Path relative to where it was found, with `/` separators (e.g. `fork/cow.mmu`). */
  readonly relativePath: string;
  readonly origin: 'workspace' | 'bundled';
}

/**
 * The example a name designates: an exact relative path first, then a unique path ending with
 * `/name`; workspace files win over bundled ones. Undefined when nothing or several files match.
 */
export function findExample<T extends ExampleEntry>(entries: readonly T[], name: string): T | undefined {
  const wanted = name.replace(/\\/g, '/').replace(/^\.?\//, '');
  const byOrigin = [...entries].sort((a, b) => originRank(a) - originRank(b));
  const exact = byOrigin.find((entry) => entry.relativePath === wanted);
  if (exact !== undefined) {
    return exact;
  }
  for (const origin of ['workspace', 'bundled'] as const) {
    const suffixed = byOrigin.filter(
      (entry) => entry.origin === origin && entry.relativePath.endsWith(`/${wanted}`),
    );
    if (suffixed.length === 1) {
      return suffixed[0];
    }
    if (suffixed.length > 1) {
      return undefined;
    }
  }
  return undefined;
}

/** The first comment of a scenario (its leading `//` or `#` lines, joined), or undefined. */
export function scenarioSummary(text: string): string | undefined {
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const comment = /^(?:\/\/|#)\s?(.*)$/.exec(line);
    if (comment === null) {
      if (line === '' && lines.length === 0) {
        continue;
      }
      break;
    }
    const content = (comment[1] ?? '').trim();
    if (content === '' && lines.length > 0) {
      break;
    }
    if (content !== '') {
      lines.push(content);
    }
  }
  return lines.length === 0 ? undefined : lines.join(' ');
}

/** Workspace examples first, then bundled ones, each sorted by path. */
export function sortExamples<T extends ExampleEntry>(entries: readonly T[]): T[] {
  return [...entries].sort(
    (a, b) => originRank(a) - originRank(b) || a.relativePath.localeCompare(b.relativePath),
  );
}

function originRank(entry: ExampleEntry): number {
  return entry.origin === 'workspace' ? 0 : 1;
}
