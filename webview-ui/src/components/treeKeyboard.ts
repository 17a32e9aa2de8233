// Keyboard navigation of an ARIA tree with a roving tabindex: Up/Down move between visible items,
// Right expands or enters, Left collapses or goes to the parent, Home/End jump, Enter activates.

export interface TreeHandlers {
  /** Enter or a click on an item. */
  activate(item: HTMLElement): void;
  /** Lets an item consume a key first (the page strip uses Left/Right); true when handled. */
  itemKey?(item: HTMLElement, event: KeyboardEvent): boolean;
  /** Called after an item is expanded or collapsed, so the view can remember it. */
  toggled?(item: HTMLElement, expanded: boolean): void;
}

function visibleItems(tree: HTMLElement): HTMLElement[] {
  return [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')].filter((item) => {
    for (let parent = item.parentElement; parent !== null && parent !== tree; parent = parent.parentElement) {
      if (parent.getAttribute('role') === 'treeitem' && parent.getAttribute('aria-expanded') === 'false')
        return false;
    }
    return true;
  });
}

export function focusTreeItem(tree: HTMLElement, item: HTMLElement): void {
  for (const other of tree.querySelectorAll<HTMLElement>('[role="treeitem"][tabindex="0"]'))
    other.tabIndex = -1;
  item.tabIndex = 0;
  item.focus({ preventScroll: true });
  item.scrollIntoView({ block: 'nearest' });
}

export function setExpanded(item: HTMLElement, expanded: boolean, handlers?: TreeHandlers): void {
  if (!item.hasAttribute('aria-expanded')) return;
  item.setAttribute('aria-expanded', String(expanded));
  handlers?.toggled?.(item, expanded);
}

export function attachTreeKeyboard(tree: HTMLElement, handlers: TreeHandlers): void {
  tree.addEventListener('keydown', (event) => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (item === null) return;
    if (handlers.itemKey?.(item, event) === true) {
      event.preventDefault();
      return;
    }
    const items = visibleItems(tree);
    const index = items.indexOf(item);
    const expanded = item.getAttribute('aria-expanded');
    let next: HTMLElement | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = items[index + 1];
        break;
      case 'ArrowUp':
        next = items[index - 1];
        break;
      case 'Home':
        next = items[0];
        break;
      case 'End':
        next = items[items.length - 1];
        break;
      case 'ArrowRight':
        if (expanded === 'false') setExpanded(item, true, handlers);
        else if (expanded === 'true') next = items[index + 1];
        break;
      case 'ArrowLeft':
        if (expanded === 'true') setExpanded(item, false, handlers);
        else next = item.parentElement?.closest<HTMLElement>('[role="treeitem"]') ?? undefined;
        break;
      case 'Enter':
      case ' ':
        handlers.activate(item);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (next !== undefined) focusTreeItem(tree, next);
  });
  tree.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    const item = target.closest<HTMLElement>('[role="treeitem"]');
    if (item === null) return;
    if (target.closest('.twistie') !== null)
      setExpanded(item, item.getAttribute('aria-expanded') !== 'true', handlers);
    focusTreeItem(tree, item);
    if (target.closest('button') === null) handlers.activate(item);
  });
}
