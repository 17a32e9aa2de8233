// What a panel's elements stand for, for VS Code's webview context menus: an element that shows a
// PTE, page, region, frame, zone or counter carries its ThingRef in `data-vscode-context`, so that
// a right-click on it (or the context-menu key on it) offers "Why Is It So?" and previous / next
// change. VS Code merges the contexts of the element and its ancestors, the innermost winning.
import { type ThingRef, thingContext } from '../../src/protocol/things';

/** The attribute that marks an element built with `h()` as standing for a thing (none for null). */
export function thingAttrs(thing: ThingRef | null): Record<string, string> {
  return thing === null ? {} : { 'data-vscode-context': thingContext(thing) };
}

/** Marks an element as standing for a thing, or for none. */
export function markThing(element: HTMLElement, thing: ThingRef | null): void {
  if (thing === null) element.removeAttribute('data-vscode-context');
  else element.setAttribute('data-vscode-context', thingContext(thing));
}

/** Whether a context menu was asked for with the mouse (rather than from the keyboard, on the focus). */
export function byMouse(event: MouseEvent): boolean {
  return event.button === 2;
}
