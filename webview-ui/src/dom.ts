// A small element builder. Styles are set through classes or the CSSOM only: the content security
// policy forbids inline style attributes.
export type Child = Node | string | null | undefined | false;
export type AttrValue = string | number | boolean | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A codicon from the bundled codicon font; decorative, so hidden from screen readers. */
export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export function clear(element: Element): void {
  element.replaceChildren();
}

/** Sets a CSS length through the CSSOM (allowed by the policy, unlike style attributes). */
export function setStyle(element: HTMLElement, property: string, value: string): void {
  element.style.setProperty(property, value);
}

/**
 * Gives every body cell its column's title as `data-label`: a narrow panel lays a table's rows out as
 * lines of labelled values (CSS shows the label before the value) instead of scrolling sideways.
 */
export function labelCells<T extends HTMLTableElement>(table: T): T {
  // A header may name its column more fully for the label than for the header row ("order 3" for "3").
  const titles = [...table.querySelectorAll<HTMLElement>('thead th')].map(
    (th) => th.dataset['label'] ?? th.textContent ?? '',
  );
  for (const row of table.querySelectorAll('tbody tr'))
    [...row.children].forEach((cell, i) => {
      const title = titles[i];
      if (title !== undefined && title !== '') cell.setAttribute('data-label', title);
    });
  return table;
}
