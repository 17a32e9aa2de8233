// Overview (sidebar): the current step and its outcome, the counters, the processes with their
// amounts, the step's events, and buttons that open the panels.
import type { PanelKind, StepInfoDto, SystemCountersDto } from '../../../src/protocol/dto';
import { groupStepEvents, statementCause } from '../../../src/protocol/eventGroups';
import { formatBytes } from '../../../src/protocol/pagingEntry';
import { counterEntityId, spaceEntityId } from '../../../src/protocol/stateDiff';
import { changeMarker, compareControl, emptyState, outcomeBadge, stepWords } from '../components/header';
import { type AttrValue, type Child, clear, h, icon } from '../dom';
import type { Store } from '../store';
import { thingAttrs } from '../thingContext';
import { counterThing } from '../../../src/protocol/things';
import { spaceLabel } from './regionTree';

const PANELS: [Exclude<PanelKind, 'overview' | 'regionTreeView'>, string, string][] = [
  ['regions', 'Regions', 'list-tree'],
  ['pageTables', 'Page tables', 'table'],
  ['zones', 'Zones', 'server'],
  ['dmaMmio', 'DMA/MMIO', 'plug'],
  ['timeline', 'Timeline', 'history'],
  ['memory', 'Memory', 'file-binary'],
];

const COUNTERS: [keyof SystemCountersDto, string][] = [
  ['used', 'Used'],
  ['committed', 'Committed'],
  ['uncommitted', 'Uncommitted'],
  ['freeInZones', 'Free in zones'],
];

export class OverviewView {
  private readonly root = h('div', { class: 'overview-view' });
  /** Runs of events shown one by one (by their first event's index), kept while the step stays. */
  private readonly expanded = new Set<number>();
  private expandedStep = -1;

  constructor(private readonly store: Store) {
    store.subscribe((event) => {
      if (event.kind !== 'reveal') this.render();
    });
  }

  mount(parent: HTMLElement): void {
    parent.appendChild(this.root);
    this.render();
  }

  render(): void {
    clear(this.root);
    const buttons = h(
      'div',
      { class: 'panel-buttons', role: 'group', 'aria-label': 'Open a panel' },
      ...PANELS.map(([panel, title, codicon]) => {
        const button = h('button', { class: 'button secondary', 'data-panel': panel }, icon(codicon), title);
        button.addEventListener('click', () => this.store.post({ type: 'openPanel', panel }));
        return button;
      }),
    );
    const state = this.store.state;
    if (state === null) {
      this.root.append(emptyState(this.store.noSessionReason), buttons);
      return;
    }
    const step = state.step;
    if (step.index !== this.expandedStep) {
      this.expanded.clear();
      this.expandedStep = step.index;
    }
    const c = state.counters;
    const events = h('ol', {
      class: 'events',
      role: 'listbox',
      'aria-label': `Events of step ${step.index}`,
      tabindex: 0,
    });
    this.fillEvents(events, step);
    this.attachListbox(events, (option) => {
      const group = option.dataset['group'];
      if (group !== undefined) {
        // A run's row opens and closes; the events inside it are the ones that link somewhere.
        const first = Number(group);
        if (this.expanded.has(first)) this.expanded.delete(first);
        else this.expanded.add(first);
        this.fillEvents(events, step);
        return;
      }
      const target = step.events[Number(option.dataset['event'])]?.target;
      if (target !== undefined && target !== null) this.store.select(target);
    });
    const processes = h(
      'ul',
      { class: 'processes', 'aria-label': 'Address spaces' },
      ...state.addressSpaces.map((space) => {
        const change = this.store.changeIndex.statusOf(spaceEntityId(space.id));
        return h(
          'li',
          {
            class: `${change === null ? '' : `changed-${change}`}${space.alive ? '' : ' dead'}`,
            title: `CR3 ${space.cr3}`,
          },
          h('span', { class: 'space-name' }, spaceLabel(space)),
          h(
            'span',
            { class: 'amounts' },
            `${formatBytes(space.amounts.virtual)} virt · ${formatBytes(space.amounts.resident)} res · ${formatBytes(space.amounts.shared)} shared`,
          ),
          changeMarker(change),
        );
      }),
    );
    this.root.append(
      h(
        'section',
        { class: 'step-card', 'aria-label': 'Current step' },
        h(
          'div',
          { class: 'step-line' },
          h('strong', {}, stepWords(step)),
          ' ',
          outcomeBadge(step.outcome, step.passed),
        ),
        h('code', { class: 'statement', title: step.statement }, step.statement),
        state.halted
          ? h('p', { class: 'outcome-failed' }, 'The machine halted (panic): no later step runs.')
          : '',
        compareControl(this.store),
      ),
      h(
        'section',
        { 'aria-label': 'Counters' },
        h('h2', {}, 'Memory'),
        h(
          'dl',
          { class: 'counter-list' },
          ...COUNTERS.flatMap(([key, name]) => {
            const change = this.store.changeIndex.statusOf(counterEntityId(key));
            return [
              h('dt', thingAttrs(counterThing(key)), name),
              h(
                'dd',
                {
                  class: change === null ? '' : `changed-${change}`,
                  'data-counter': key,
                  ...thingAttrs(counterThing(key)),
                },
                formatBytes(c[key] * 4096),
                changeMarker(change),
              ),
            ];
          }),
        ),
      ),
      h('section', { 'aria-label': 'Processes' }, h('h2', {}, 'Address spaces'), processes),
      h(
        'section',
        { 'aria-label': 'Events' },
        h('h2', {}, `Events of step ${step.index}`),
        step.events.length > 0 ? events : h('p', { class: 'muted' }, 'This step changed nothing.'),
      ),
      h('section', { 'aria-label': 'Panels' }, h('h2', {}, 'Panels'), buttons),
    );
  }

  /**
   * The step's events, a run of one kind as one row with a count (see groupStepEvents); an expanded
   * run lists its events under it. Options carry the event's or the run's index, not their position.
   */
  private fillEvents(list: HTMLElement, step: StepInfoDto): void {
    clear(list);
    let n = 0;
    const option = (attrs: Record<string, AttrValue>, ...children: Child[]): HTMLElement =>
      h('li', { role: 'option', id: `event-${n++}`, 'aria-selected': 'false', ...attrs }, ...children);
    for (const group of groupStepEvents(step.events, statementCause(step.statement))) {
      const first = step.events[group.first]!;
      if (group.summary === null) {
        list.appendChild(
          option(
            { title: first.kind, 'data-kind': first.kind, 'data-event': group.first },
            h('span', { class: 'event-kind' }, first.kind),
            ` ${first.text}`,
          ),
        );
        continue;
      }
      const open = this.expanded.has(group.first);
      list.appendChild(
        option(
          {
            class: 'event-run',
            title: `${group.count} ${group.kind} events in a row: Enter shows ${open ? 'fewer' : 'them'}`,
            'data-kind': group.kind,
            'data-group': group.first,
            'data-count': group.count,
            'aria-expanded': String(open),
          },
          icon(open ? 'chevron-down' : 'chevron-right'),
          h('span', { class: 'event-kind' }, group.kind),
          ` ${group.summary}`,
        ),
      );
      if (!open) continue;
      for (let i = group.first; i < group.first + group.count; i++) {
        const event = step.events[i]!;
        list.appendChild(
          option(
            { class: 'event-member', title: event.kind, 'data-kind': event.kind, 'data-event': i },
            h('span', { class: 'event-kind' }, event.kind),
            ` ${event.text}`,
          ),
        );
      }
    }
  }

  /** Up/Down move the active option; Enter acts on it (reveals an event, opens or closes a run). */
  private attachListbox(list: HTMLElement, activate: (option: HTMLElement) => void): void {
    let active = -1;
    const options = (): HTMLElement[] => [...list.querySelectorAll<HTMLElement>('[role="option"]')];
    const setActive = (index: number): void => {
      const all = options();
      if (all.length === 0) return;
      active = Math.max(0, Math.min(all.length - 1, index));
      all.forEach((option, i) => option.setAttribute('aria-selected', String(i === active)));
      list.setAttribute('aria-activedescendant', all[active]!.id);
      all[active]?.scrollIntoView({ block: 'nearest' });
    };
    const act = (): void => {
      const option = options()[active];
      if (option === undefined) return;
      activate(option);
      // Opening or closing a run rebuilds the options: keep the cursor on the same row.
      setActive(active);
    };
    list.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') setActive(active + 1);
      else if (event.key === 'ArrowUp') setActive(active - 1);
      else if (event.key === 'Home') setActive(0);
      else if (event.key === 'End') setActive(options().length - 1);
      else if (event.key === 'Enter' && active >= 0) act();
      else return;
      event.preventDefault();
    });
    list.addEventListener('click', (event) => {
      const option = (event.target as HTMLElement).closest<HTMLElement>('[role="option"]');
      if (option === null) return;
      setActive(options().indexOf(option));
      act();
    });
  }
}
