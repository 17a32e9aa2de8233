// Overview (sidebar): the current step and its outcome, the counters, the processes with their
// amounts, the step's events, and buttons that open the panels.
import type { PanelKind, SystemCountersDto } from '../../../src/protocol/dto';
import { formatBytes } from '../../../src/protocol/pagingEntry';
import { counterEntityId, spaceEntityId } from '../../../src/protocol/stateDiff';
import { changeMarker, compareControl, emptyState, outcomeBadge } from '../components/header';
import { clear, h, icon } from '../dom';
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
    const c = state.counters;
    const events = h(
      'ol',
      { class: 'events', role: 'listbox', 'aria-label': `Events of step ${step.index}`, tabindex: 0 },
      ...step.events.map((event, i) =>
        h(
          'li',
          {
            role: 'option',
            id: `event-${i}`,
            'aria-selected': 'false',
            title: event.kind,
            'data-kind': event.kind,
          },
          h('span', { class: 'event-kind' }, event.kind),
          ` ${event.text}`,
        ),
      ),
    );
    this.attachListbox(events, (index) => {
      const target = step.events[index]?.target;
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
          h('strong', {}, `Step ${step.index}`),
          step.line === null ? '' : ` · line ${step.line}`,
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

  /** Up/Down move the active option; Enter reveals what it concerns in the panels. */
  private attachListbox(list: HTMLElement, activate: (index: number) => void): void {
    let active = -1;
    const options = (): HTMLElement[] => [...list.querySelectorAll<HTMLElement>('[role="option"]')];
    const setActive = (index: number): void => {
      const all = options();
      if (all.length === 0) return;
      active = Math.max(0, Math.min(all.length - 1, index));
      all.forEach((option, i) => option.setAttribute('aria-selected', String(i === active)));
      list.setAttribute('aria-activedescendant', `event-${active}`);
      all[active]?.scrollIntoView({ block: 'nearest' });
    };
    list.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown') setActive(active + 1);
      else if (event.key === 'ArrowUp') setActive(active - 1);
      else if (event.key === 'Home') setActive(0);
      else if (event.key === 'End') setActive(options().length - 1);
      else if (event.key === 'Enter' && active >= 0) activate(active);
      else return;
      event.preventDefault();
    });
    list.addEventListener('click', (event) => {
      const option = (event.target as HTMLElement).closest<HTMLElement>('[role="option"]');
      if (option === null) return;
      const index = options().indexOf(option);
      setActive(index);
      activate(index);
    });
  }
}
