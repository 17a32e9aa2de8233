// The things of the memory manager one can follow through the recorded history, as every client
// spells them (plain JSON, addresses in the protocol's hex): the debug adapter parses them strictly
// (src/debug/watchedThings.ts), the webviews put them on their rows for VS Code's context menus, and
// the extension's commands take them as their argument.

export const THING_KINDS = ['pte', 'page', 'region', 'frame', 'zone', 'counter'] as const;
export type ThingKind = (typeof THING_KINDS)[number];

/** The system's page counters (SystemMemoryInfo, and the pages the zones can still hand out). */
export const COUNTER_NAMES = ['used', 'committed', 'uncommitted', 'free'] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

/**
 * A thing as a client names it: a PTE or a virtual page by address space ("kernel", "pid:<n>") and
 * page address, a region by the engine's region id within its space, a physical frame by its
 * address, a zone by "<physical region>:<zone>", a page counter by name.
 */
export type ThingRef =
  | { readonly kind: 'pte'; readonly space: string; readonly vaddr: string }
  | { readonly kind: 'page'; readonly space: string; readonly vaddr: string }
  | { readonly kind: 'region'; readonly space: string; readonly regionId: string }
  | { readonly kind: 'frame'; readonly paddr: string }
  | { readonly kind: 'zone'; readonly zoneId: string }
  | { readonly kind: 'counter'; readonly name: CounterName };

/**
 * The context key that marks what stands for a thing: a webview element's `data-vscode-context`
 * property (holding the ThingRef as JSON, since context keys hold plain values) and a variable's
 * `__vscodeVariableMenuContext`. Menus show the thing's commands where it is set.
 */
export const THING_CONTEXT_KEY = 'mmuLensThing';

/**
 * The `data-vscode-context` of an element that stands for a thing. Its menu is about the thing:
 * VS Code's default Cut, Copy and Paste are left out of it.
 */
export function thingContext(thing: ThingRef): string {
  return JSON.stringify({
    webviewSection: 'thing',
    preventDefaultContextMenuItems: true,
    [THING_CONTEXT_KEY]: JSON.stringify(thing),
  });
}

/**
 * The thing in what VS Code hands a command from a webview's context menu (the merged
 * `data-vscode-context` of the element and its ancestors, plus `webview`); undefined when the
 * argument is no such context. The ThingRef itself is checked by whoever uses it.
 */
export function thingInWebviewContext(argument: unknown): unknown {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const json = (argument as Record<string, unknown>)[THING_CONTEXT_KEY];
  if (typeof json !== 'string') return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

/** The page counters by the names the panels' counters have (SystemCountersDto). */
const COUNTERS_BY_DTO_KEY: Readonly<Record<string, CounterName>> = {
  used: 'used',
  committed: 'committed',
  uncommitted: 'uncommitted',
  freeInZones: 'free',
};

/** The thing a panel's counter stands for; null for a figure that is no counter one can follow. */
export function counterThing(dtoKey: string): ThingRef | null {
  const name = COUNTERS_BY_DTO_KEY[dtoKey];
  return name === undefined ? null : { kind: 'counter', name };
}
