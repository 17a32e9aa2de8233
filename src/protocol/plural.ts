// Counts in words, shared by the panels (webview-ui), the report and the debugger's variables, so that
// every place says "1 region" and "2 regions" alike.

/** "1 page", "2 pages": a count with its noun, its digits grouped as the panels show numbers. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}
