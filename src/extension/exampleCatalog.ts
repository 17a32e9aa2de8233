// Pure helpers of the "Open Example" command: which scenario a name designates, and how a scenario
// introduces itself (the heading and first sentence of its first comment). No VS Code here, so
// they are unit-tested.

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

/** How a scenario introduces itself in the Open Example picker. */
export interface ScenarioIntro {
  /** The heading of its leading comment: a first line underlined by `// =====` or `// -----`. */
  readonly title?: string;
  /** The first sentence of its leading comment after the heading, on one line. */
  readonly summary?: string;
}

/** A comment line that only draws a line under a heading; the picker must never show it. */
const UNDERLINE = /^[=\-~_*#]{3,}$/;
/** Longer summaries are cut: the picker shows one line, and a paragraph there helps nobody. */
const MAX_SUMMARY = 160;

/**
 * The title and the first sentence of a scenario's leading comment (its first `//` or `#` lines).
 * The examples open with a heading, a `// =====` underline, a blank comment line and a paragraph;
 * a scenario without a heading has a summary only.
 */
export function scenarioIntro(text: string): ScenarioIntro {
  const comment: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const match = /^(?:\/\/|#)\s?(.*)$/.exec(line);
    if (match === null) {
      if (line === '' && comment.length === 0) continue;
      break;
    }
    comment.push((match[1] ?? '').trim());
  }
  let body = comment;
  let title: string | undefined;
  const [first, second] = comment;
  if (first !== undefined && first !== '' && second !== undefined && UNDERLINE.test(second)) {
    title = first;
    body = comment.slice(2);
  }
  const paragraph: string[] = [];
  for (const line of body) {
    if (UNDERLINE.test(line)) continue;
    if (line === '') {
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(line);
  }
  const summary = firstSentence(paragraph.join(' '));
  return {
    ...(title === undefined ? {} : { title }),
    ...(summary === undefined ? {} : { summary }),
  };
}

/** Up to the first full stop (or ! or ?) that ends a word, cut to one picker line. */
function firstSentence(paragraph: string): string | undefined {
  if (paragraph === '') return undefined;
  const end = /[.!?](?=\s|$)/.exec(paragraph);
  const sentence = end === null ? paragraph : paragraph.slice(0, end.index + 1);
  return sentence.length <= MAX_SUMMARY ? sentence : `${sentence.slice(0, MAX_SUMMARY - 1).trimEnd()}…`;
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
