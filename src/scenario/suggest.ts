// "Did you mean …?" — the closest known name to a misspelt one. Bounded: a name is only compared
// with candidates whose length is within the distance a suggestion may have, the distance is worked
// out in the band of that width and given up as soon as it exceeds it, and a name longer than any
// sensible identifier gets no suggestion. A 1 MB unknown name costs nothing.

/** Names longer than this are not misspellings of anything the language knows. */
export const MAX_SUGGESTED_NAME = 256;

/**
 * Optimal string alignment distance (Levenshtein with adjacent transpositions) when it is at most
 * `bound`; `bound + 1` otherwise. Only the band |i − j| ≤ bound is computed, three rows at a time.
 */
export function editDistanceWithin(a: string, b: string, bound: number): number {
  const over = bound + 1;
  if (Math.abs(a.length - b.length) > bound) return over;
  const cols = b.length + 1;
  let before = new Array<number>(cols).fill(over);
  let previous = Array.from({ length: cols }, (_, j) => (j <= bound ? j : over));
  let current = new Array<number>(cols).fill(over);
  for (let i = 1; i <= a.length; i++) {
    current.fill(over);
    if (i <= bound) current[0] = i;
    let rowBest = current[0]!;
    const from = Math.max(1, i - bound);
    const to = Math.min(b.length, i + bound);
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, before[j - 2]! + 1);
      current[j] = Math.min(best, over);
      rowBest = Math.min(rowBest, current[j]!);
    }
    if (rowBest > bound) return over;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, over);
}

/** The best candidate within a distance proportional to the name's length, or undefined. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > MAX_SUGGESTED_NAME) return undefined;
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (candidate === name || Math.abs(candidate.length - name.length) > limit) continue;
    const other = candidate.toLowerCase();
    const score = other === lower ? 0.5 : editDistanceWithin(lower, other, limit);
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= limit ? best : undefined;
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : ` Did you mean '${best}'?`;
}

/** The name a diagnostic's "Did you mean" suggests, for a quick fix; undefined without one. */
export function suggestionIn(message: string): string | undefined {
  return / Did you mean '([^']+)'\?$/.exec(message)?.[1];
}
