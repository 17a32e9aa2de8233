// Every identifier the extension shares with its manifest (package.json), declared once. The test
// beside this file checks both directions: whatever the manifest contributes is declared here, and
// whatever is declared here is contributed. Add an id here and in package.json in the same change.

export const EXTENSION_ID = 'mmu-lens.mmu-lens';

/** The language of scenario scripts (`.mmu`). */
export const LANGUAGE_ID = 'mmu';

/** The debug type of scenario sessions; the debug adapter registers its factory and providers. */
export const DEBUG_TYPE = 'mmu';

export const Commands = {
  openExample: 'mmuLens.openExample',
  showOutput: 'mmuLens.showOutput',
  getStarted: 'mmuLens.getStarted',
  runScenario: 'mmuLens.runScenario',
  debugScenario: 'mmuLens.debugScenario',
  openRegionsPanel: 'mmuLens.openRegionsPanel',
  openPageTablesPanel: 'mmuLens.openPageTablesPanel',
  openZonesPanel: 'mmuLens.openZonesPanel',
  openDmaMmioPanel: 'mmuLens.openDmaMmioPanel',
  /**
   * Take the thing to follow as their argument (a ThingRef, or a panel row's or a variable's menu
   * context); reached from those menus, hidden from the palette.
   */
  previousChange: 'mmuLens.previousChange',
  nextChange: 'mmuLens.nextChange',
  explain: 'mmuLens.explain',
  exportStepReport: 'mmuLens.exportStepReport',
  openTimelinePanel: 'mmuLens.openTimelinePanel',
  bookmarkStep: 'mmuLens.bookmarkStep',
  goToBookmark: 'mmuLens.goToBookmark',
  compareWithBookmark: 'mmuLens.compareWithBookmark',
  renameBookmark: 'mmuLens.renameBookmark',
  deleteBookmark: 'mmuLens.deleteBookmark',
  openMemory: 'mmuLens.openMemory',
  /** Takes a thing (a region, page or frame) and opens the Memory panel at its address. */
  showInMemory: 'mmuLens.showInMemory',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/**
 * Sidebar views and their container: webview views (see panels/MmuPanelManager.ts) and the
 * bookmarks' tree view (see bookmarks/BookmarksTree.ts).
 */
export const ViewContainers = { mmuLens: 'mmuLens' } as const;
export const Views = {
  overview: 'mmuLens.overview',
  regionTree: 'mmuLens.regionTree',
  bookmarks: 'mmuLens.bookmarks',
} as const;

/** The editor panels' webview types (each has an `onWebviewPanel:` activation event). */
export const PanelViewTypes = {
  regions: 'mmuLens.panel.regions',
  pageTables: 'mmuLens.panel.pageTables',
  zones: 'mmuLens.panel.zones',
  dmaMmio: 'mmuLens.panel.dmaMmio',
  timeline: 'mmuLens.panel.timeline',
  memory: 'mmuLens.panel.memory',
} as const;

export const WALKTHROUGH_ID = 'mmuLens.gettingStarted';

export const SETTINGS_SECTION = 'mmuLens';

/** Keys of the settings, relative to the `mmuLens` section. */
export const Settings = {
  panelsOpenOnSessionStart: 'panels.openOnSessionStart',
  diagnosticsEnabled: 'diagnostics.enabled',
  diagnosticsDebounceMs: 'diagnostics.debounceMs',
  codeLensEnabled: 'codeLens.enabled',
} as const;
export type SettingKey = (typeof Settings)[keyof typeof Settings];

/** The full name of a setting, as it appears in settings.json and the manifest. */
export function settingId(key: SettingKey): string {
  return `${SETTINGS_SECTION}.${key}`;
}

export const OUTPUT_CHANNEL_NAME = 'MMU Lens';
