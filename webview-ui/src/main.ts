// Entry point of the webview bundle. One bundle serves every panel and sidebar view: the host page
// names the view in <body data-panel="…">, and the extension's messages fill it.
import { PanelKind } from '../../src/protocol/dto';
import { h } from './dom';
import { DmaMmioView } from './panels/dmaMmio';
import { MemoryView } from './panels/memory';
import { OverviewView } from './panels/overview';
import { PageTablesView } from './panels/pageTables';
import { RegionTreeView } from './panels/regionTree';
import { TimelineView } from './panels/timeline';
import { ZonesView } from './panels/zones';
import { markShownStep, type SettlingView } from './shownStep';
import { Store } from './store';
import { onThemeChange } from './themeColors';
import { connectHost } from './vscodeApi';

interface View extends SettlingView {
  mount(parent: HTMLElement): void;
  render(): void;
}

function createView(store: Store): View {
  switch (store.panel) {
    case 'regions':
      return new RegionTreeView(store, false);
    case 'regionTreeView':
      return new RegionTreeView(store, true);
    case 'pageTables':
      return new PageTablesView(store);
    case 'zones':
      return new ZonesView(store);
    case 'dmaMmio':
      return new DmaMmioView(store);
    case 'timeline':
      return new TimelineView(store);
    case 'overview':
      return new OverviewView(store);
    case 'memory':
      return new MemoryView(store);
  }
}

function start(): void {
  const host = connectHost();
  const requested = document.body.dataset['panel'];
  const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
  if (PanelKind.check(requested, 'data-panel') !== null) {
    const message = `unknown panel kind "${String(requested)}"`;
    app.appendChild(h('p', { class: 'input-error', role: 'alert' }, `MMU Lens: ${message}`));
    host.post({ type: 'error', message });
    return;
  }
  const store = new Store(requested as PanelKind, host);
  window.addEventListener('message', (event: MessageEvent<unknown>) => store.receive(event.data));
  const view = createView(store);
  view.mount(app);
  markShownStep(store, view);
  // Canvases hold concrete colours: draw them again in the new theme's.
  onThemeChange(() => view.render());
  store.ready();
  performance.mark('mmu-lens-mounted');
}

start();
