import * as vscode from 'vscode';

/** The settings the language features read; the extension's typed configuration has them all. */
export interface LanguageSettings {
  readonly diagnosticsEnabled: boolean;
  readonly diagnosticsDebounceMs: number;
  readonly codeLensEnabled: boolean;
}

export interface LanguageFeatureOptions {
  /**
   * The current settings, read at every use so that a change applies at once (`() => ctx.config`).
   * Defaults to reading `mmuLens.diagnostics.enabled`, `mmuLens.diagnostics.debounceMs` and
   * `mmuLens.codeLens.enabled` from VS Code.
   */
  readonly settings?: () => LanguageSettings;
  /**
   * Fires when the settings may have changed; CodeLens and diagnostics refresh then. Defaults to
   * VS Code's configuration changes of the `mmuLens` section.
   */
  readonly onDidChangeSettings?: vscode.Event<unknown>;
  /** The language of scenario documents; default `mmu`. */
  readonly languageId?: string;
  /** The debug type of scenario sessions, asked for hovers on addresses; default `mmu`. */
  readonly debugType?: string;
  /** The launch configuration attribute naming the scenario file of a session; default `program`. */
  readonly programAttribute?: string;
  /** The command of the "Run" lens, called with the document URI; default `mmuLens.runScenario`. */
  readonly runCommand?: string;
  /** The command of the "Debug" lens, called with the document URI; default `mmuLens.debugScenario`. */
  readonly debugCommand?: string;
}

export const DEFAULT_LANGUAGE_SETTINGS: LanguageSettings = {
  diagnosticsEnabled: true,
  diagnosticsDebounceMs: 250,
  codeLensEnabled: true,
};

export interface ResolvedOptions {
  readonly settings: () => LanguageSettings;
  readonly onDidChangeSettings: vscode.Event<unknown>;
  readonly languageId: string;
  readonly debugType: string;
  readonly programAttribute: string;
  readonly runCommand: string;
  readonly debugCommand: string;
  readonly selector: vscode.DocumentSelector;
}

export function resolveOptions(options: LanguageFeatureOptions): ResolvedOptions {
  const languageId = options.languageId ?? 'mmu';
  const onDidChangeSettings: vscode.Event<unknown> =
    options.onDidChangeSettings ??
    ((listener, thisArgs, disposables) =>
      vscode.workspace.onDidChangeConfiguration(
        (event) => {
          if (event.affectsConfiguration('mmuLens')) listener.call(thisArgs, event);
        },
        undefined,
        disposables,
      ));
  return {
    settings: options.settings ?? readWorkspaceSettings,
    onDidChangeSettings,
    languageId,
    debugType: options.debugType ?? 'mmu',
    programAttribute: options.programAttribute ?? 'program',
    runCommand: options.runCommand ?? 'mmuLens.runScenario',
    debugCommand: options.debugCommand ?? 'mmuLens.debugScenario',
    selector: { language: languageId },
  };
}

/** The settings straight from VS Code's `mmuLens` section, each checked, else its default. */
export function readWorkspaceSettings(): LanguageSettings {
  const section = vscode.workspace.getConfiguration('mmuLens');
  const bool = (key: string, fallback: boolean): boolean => {
    const value: unknown = section.get(key);
    return typeof value === 'boolean' ? value : fallback;
  };
  const ms: unknown = section.get('diagnostics.debounceMs');
  return {
    diagnosticsEnabled: bool('diagnostics.enabled', DEFAULT_LANGUAGE_SETTINGS.diagnosticsEnabled),
    diagnosticsDebounceMs:
      typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 && ms <= 5000
        ? ms
        : DEFAULT_LANGUAGE_SETTINGS.diagnosticsDebounceMs,
    codeLensEnabled: bool('codeLens.enabled', DEFAULT_LANGUAGE_SETTINGS.codeLensEnabled),
  };
}
