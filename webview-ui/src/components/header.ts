// The bar above every view: which step is shown, its outcome, and what to compare it with.
import { append, h, icon } from '../dom';
import type { StepInfoDto } from '../../../src/protocol/dto';
import type { Store } from '../store';

export function outcomeBadge(outcome: string, passed: boolean): HTMLElement {
  const severity = !passed
    ? 'failed'
    : outcome === 'ok'
      ? 'ok'
      : outcome.endsWith('_fault')
        ? 'fault'
        : 'other';
  return h(
    'span',
    {
      class: `badge outcome outcome-${severity}`,
      title: passed ? `Outcome: ${outcome}` : `Step failed: ${outcome}`,
    },
    outcome,
  );
}

/** Beyond this many steps a list of options would be slow to build on every step: type a number instead. */
const MAX_LISTED_STEPS = 200;

/**
 * The compare-with-step control; the steps one may choose are those before the current one, and the
 * bookmarks among them are offered first, by name.
 */
export function compareControl(store: Store): HTMLElement {
  const current = store.state?.step.index ?? 0;
  const bookmarks = store.shared.bookmarks.filter((bookmark) => bookmark.step < current);
  const bookmarkOptions = (): HTMLElement | null =>
    bookmarks.length === 0
      ? null
      : h(
          'optgroup',
          { label: 'Bookmarks' },
          ...bookmarks.map((bookmark) =>
            h(
              'option',
              { value: String(bookmark.step), selected: store.compareStep === bookmark.step },
              `${bookmark.name} (step ${bookmark.step})`,
            ),
          ),
        );
  if (current > MAX_LISTED_STEPS) {
    const input = h('input', {
      type: 'number',
      class: 'compare-step',
      min: 0,
      max: current - 1,
      placeholder: 'previous',
      value: store.compareStep ?? '',
      'aria-label': 'Compare the current step with step number (empty: the previous step)',
    });
    input.addEventListener('change', () => {
      const step = input.value === '' ? null : Number(input.value);
      if (step === null || (Number.isSafeInteger(step) && step >= 0 && step < current))
        store.compareWith(step);
      else input.setAttribute('aria-invalid', 'true');
    });
    const label = h(
      'label',
      { class: 'compare' },
      icon('git-compare'),
      h('span', {}, 'Changes since step'),
      input,
    );
    if (bookmarks.length === 0) return label;
    const picker = h(
      'select',
      { class: 'compare-bookmark', 'aria-label': 'Compare the current step with a bookmark' },
      h('option', { value: '' }, 'or a bookmark…'),
      bookmarkOptions(),
    );
    picker.addEventListener('change', () => {
      if (picker.value !== '') store.compareWith(Number(picker.value));
    });
    return h('span', { class: 'compare' }, label, picker);
  }
  const select = h('select', { class: 'compare-select', 'aria-label': 'Compare the current step with' });
  select.appendChild(h('option', { value: '' }, 'previous step'));
  const marked = new Set(bookmarks.map((bookmark) => bookmark.step));
  const steps = h('optgroup', { label: 'Steps' });
  for (let step = current - 1; step >= 0; step--) {
    const selected = store.compareStep === step && !marked.has(step);
    steps.appendChild(h('option', { value: String(step), selected }, `step ${step}`));
  }
  append(select, [bookmarkOptions(), bookmarks.length === 0 ? null : steps]);
  if (bookmarks.length === 0) select.append(...steps.children);
  select.addEventListener('change', () =>
    store.compareWith(select.value === '' ? null : Number(select.value)),
  );
  return h('label', { class: 'compare' }, icon('git-compare'), h('span', {}, 'Changes since'), select);
}

/** Counts of added / modified / removed entities among those this view shows. */
export function changeSummary(store: Store, prefixes: string[]): HTMLElement {
  const { added, modified, removed } = store.changeIndex.countWith(prefixes);
  const base = store.changeIndex.changes.baseStep;
  return h(
    'span',
    { class: 'change-summary', title: `Compared with step ${base}` },
    h('span', { class: 'change-added', title: `${added} added` }, `+${added}`),
    h('span', { class: 'change-modified', title: `${modified} modified` }, `~${modified}`),
    h('span', { class: 'change-removed', title: `${removed} removed` }, `−${removed}`),
  );
}

export function header(store: Store, title: string, prefixes: string[]): HTMLElement {
  const state = store.state;
  const bar = h('header', { class: 'view-header', role: 'toolbar', 'aria-label': `${title} toolbar` });
  bar.appendChild(h('h1', {}, title));
  if (state !== null) {
    const step = state.step;
    bar.appendChild(
      h(
        'span',
        { class: 'step-info', title: step.statement },
        h('span', { class: 'step-index' }, stepWords(step)),
        outcomeBadge(step.outcome, step.passed),
        state.halted ? h('span', { class: 'badge outcome-failed' }, 'halted') : null,
      ),
    );
    bar.appendChild(compareControl(store));
    bar.appendChild(changeSummary(store, prefixes));
  }
  return bar;
}

/** What the compared step held and the current one no longer does. */
export function removedList(store: Store, prefixes: string[]): HTMLElement | null {
  const removed = store.changeIndex.removedWith(prefixes);
  if (removed.length === 0) return null;
  return h(
    'details',
    { class: 'removed-list' },
    h('summary', {}, `${removed.length} removed since step ${store.changeIndex.changes.baseStep}`),
    h(
      'ul',
      {},
      ...removed.map((item) => h('li', { class: 'changed-removed', 'data-id': item.id }, item.label)),
    ),
  );
}

export function emptyState(message: string): HTMLElement {
  return h('div', { class: 'empty-state', role: 'status' }, icon('debug-alt'), h('p', {}, message));
}

/** Class names for an entity's change, with a letter for those who cannot tell colours apart. */
export function changeMarker(kind: string | null): HTMLElement | null {
  if (kind === null) return null;
  const letter = kind === 'added' ? 'A' : kind === 'removed' ? 'D' : 'M';
  return h(
    'span',
    { class: `change-letter change-${kind}`, title: `${kind} since the compared step` },
    letter,
  );
}

/** "After step 4 (line 16) · next: line 18": what ran last and where the editor's arrow stands. */
export function stepWords(step: StepInfoDto): string {
  const ran =
    step.index === 0
      ? 'After step 0 (boot)'
      : `After step ${step.index}${step.line === null ? '' : ` (line ${step.line})`}`;
  return `${ran} · ${step.nextLine === null ? 'the run is over' : `next: line ${step.nextLine}`}`;
}
