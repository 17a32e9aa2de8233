// Hosts the MMU Lens webviews: the five editor panels (one of each kind, restored after a reload by a
// serializer) and the two sidebar views. Each webview gets a WebviewConnection; selections made in
// one are revealed in all the others, and what every view shares (the compare step, the marks on the
// run) goes to all of them whenever it changes.
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { PanelViewTypes, Views } from '../ids';
import type { PanelKind } from '../../protocol/dto';
import type { MemoryTargetDto } from '../../protocol/memoryWindow';
import { linkedTargets } from './linkedTargets';
import type { PanelStateSource } from './PanelStateSource';
import type { SharedViewState } from './SharedViewState';
import { renderWebviewHtml } from './webviewHtml';
import { WebviewConnection } from './WebviewConnection';

export type EditorPanelKind = 'regions' | 'pageTables' | 'zones' | 'dmaMmio' | 'timeline' | 'memory';
export type SidebarViewKind = 'overview' | 'regionTreeView';

/** The ids are declared once, in ids.ts, and checked against the manifest there. */
export const PANEL_VIEW_TYPES: Record<EditorPanelKind, string> = PanelViewTypes;
export const SIDEBAR_VIEW_IDS: Record<SidebarViewKind, string> = {
  overview: Views.overview,
  regionTreeView: Views.regionTree,
};
// Tab titles are short: the panels share one editor group, and four or five "MMU Lens: …" tabs
// side by side are truncated to "gions" or "Tables". The command titles keep the long names.
export const TITLES: Record<PanelKind, string> = {
  regions: 'Regions',
  pageTables: 'Page Tables',
  zones: 'Zones',
  dmaMmio: 'DMA/MMIO',
  timeline: 'Timeline',
  memory: 'Memory',
  overview: 'MMU Lens Overview',
  regionTreeView: 'MMU Lens Regions',
};

export interface PanelManagerOptions {
  /** What every view shares. */
  readonly shared: SharedViewState;
  /** Takes the followed debug session to a step it already reached. */
  travel(step: number): PromiseLike<void>;
  log(message: string): void;
}

export class MmuPanelManager implements vscode.Disposable {
  private readonly panels = new Map<EditorPanelKind, vscode.WebviewPanel>();
  private readonly connections = new Set<WebviewConnection>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The Memory panel's connection while it is open. */
  private memoryConnection: WebviewConnection | undefined;
  /** Where the Memory panel should look once its webview is listening (it may still be loading). */
  private pendingMemoryTarget: MemoryTargetDto | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly source: PanelStateSource,
    private readonly options: PanelManagerOptions,
  ) {
    const subscriptions = [
      source.onDidChange(() => {
        for (const connection of this.connections) connection.update();
      }),
      options.shared.onDidChange(() => {
        for (const connection of this.connections) connection.sharedChanged();
      }),
    ];
    this.disposables.push({ dispose: () => subscriptions.forEach((s) => s.dispose()) });
  }

  /** Registers the serializers and sidebar view providers; call once from activate(). */
  register(): vscode.Disposable {
    for (const [kind, viewType] of Object.entries(PANEL_VIEW_TYPES) as [EditorPanelKind, string][]) {
      this.disposables.push(
        vscode.window.registerWebviewPanelSerializer(viewType, {
          deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => this.adoptPanel(kind, panel),
        }),
      );
    }
    for (const [kind, viewId] of Object.entries(SIDEBAR_VIEW_IDS) as [SidebarViewKind, string][]) {
      this.disposables.push(
        vscode.window.registerWebviewViewProvider(viewId, {
          resolveWebviewView: (view: vscode.WebviewView) => {
            this.connect(kind, view.webview, view.onDidDispose);
          },
        }),
      );
    }
    return this;
  }

  /** The step last chosen in any view to compare the current one with; null: the previous step. */
  get comparedStep(): number | null {
    return this.options.shared.compareStep;
  }

  /** Makes `step` the one every view compares the current step with (null: the previous step). */
  compareWith(step: number | null): void {
    this.options.shared.setCompareStep(step);
  }

  /** Shows the panel of this kind, creating it beside the editor if needed. */
  openPanel(kind: EditorPanelKind): void {
    const existing = this.panels.get(kind);
    if (existing !== undefined) {
      existing.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPES[kind],
      TITLES[kind],
      { viewColumn: this.panelColumn(), preserveFocus: true },
      this.webviewOptions(),
    );
    this.adoptPanel(kind, panel);
  }

  /**
   * Shows the Memory panel, looking at `target` when one is given. A webview still loading (or
   * hidden, which drops messages) gets the target when it says it is ready.
   */
  openMemory(target?: MemoryTargetDto): void {
    if (target !== undefined) this.pendingMemoryTarget = target;
    this.openPanel('memory');
    const connection = this.memoryConnection;
    if (target !== undefined && connection !== undefined) {
      void connection.showMemory(target).then((delivered) => {
        if (delivered && this.pendingMemoryTarget === target) this.pendingMemoryTarget = undefined;
      });
    }
  }

  /**
   * The panels share one editor group: the first opens beside the editor, the others join it.
   * (Beside the active group would add a new group for every panel opened from another panel.)
   */
  private panelColumn(): vscode.ViewColumn {
    for (const panel of this.panels.values()) {
      if (panel.viewColumn !== undefined) return panel.viewColumn;
    }
    return vscode.ViewColumn.Beside;
  }

  private adoptPanel(kind: EditorPanelKind, panel: vscode.WebviewPanel): void {
    this.panels.set(kind, panel);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'mmu-lens.svg');
    panel.onDidDispose(() => this.panels.delete(kind));
    this.connect(kind, panel.webview, panel.onDidDispose);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
  }

  private connect(kind: PanelKind, webview: vscode.Webview, onDidDispose: vscode.Event<void>): void {
    webview.options = this.webviewOptions();
    const asUri = (...path: string[]): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    webview.html = renderWebviewHtml({
      panel: kind,
      title: TITLES[kind],
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: asUri('dist', 'webview.js'),
      styleUris: [asUri('dist', 'codicons', 'codicon.css'), asUri('media', 'webview.css')],
    });
    const connection = new WebviewConnection(webview, this.source, {
      selected: (target, from) => {
        const targets = linkedTargets(target, this.source);
        for (const other of this.connections) {
          if (other !== from) for (const linked of targets) other.reveal(linked);
        }
      },
      openPanel: (panel) => this.openPanel(panel),
      travel: (step) => this.options.travel(step),
      shared: this.options.shared,
      log: (message) => this.options.log(message),
      ready: (ready) => {
        const target = this.pendingMemoryTarget;
        if (kind !== 'memory' || target === undefined) return;
        this.pendingMemoryTarget = undefined;
        void ready.showMemory(target);
      },
    });
    this.connections.add(connection);
    if (kind === 'memory') this.memoryConnection = connection;
    const listener = webview.onDidReceiveMessage((message: unknown) => connection.receive(message));
    onDidDispose(() => {
      listener.dispose();
      this.connections.delete(connection);
      if (this.memoryConnection === connection) this.memoryConnection = undefined;
    });
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.connections.clear();
  }
}
