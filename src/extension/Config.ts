import { SETTINGS_SECTION, SettingKey, settingId, Settings } from './ids';

// The extension's settings, typed. Reading goes through a `SettingsSource` (VS Code's
// WorkspaceConfiguration in the extension, a plain object in tests), and every value is checked:
// a value of the wrong type or out of range is reported and the default is used instead, so a typo
// in settings.json never reaches a feature as garbage.

export interface SettingsSource {
  get(key: string): unknown;
}

export interface ConfigValues {
  readonly panelsOpenOnSessionStart: boolean;
  readonly diagnosticsEnabled: boolean;
  readonly diagnosticsDebounceMs: number;
  readonly codeLensEnabled: boolean;
}

export const DEFAULTS: ConfigValues = {
  panelsOpenOnSessionStart: true,
  diagnosticsEnabled: true,
  diagnosticsDebounceMs: 300,
  codeLensEnabled: true,
};

export const DEBOUNCE_LIMITS = { min: 0, max: 5000 } as const;

export class Config implements ConfigValues {
  private values: ConfigValues = DEFAULTS;
  private problemList: string[] = [];

  /** `read` returns the current `mmuLens` section; it is called again on every `reload`. */
  constructor(private readonly read: () => SettingsSource) {
    this.reload();
  }

  /** Reads every setting again; call it when VS Code reports a change of the section. */
  reload(): void {
    const source = this.read();
    const problems: string[] = [];
    const pick = <T>(
      key: SettingKey,
      fallback: T,
      accept: (value: unknown) => value is T,
      expected: string,
    ): T => {
      const value = source.get(key);
      if (value === undefined || value === null) {
        return fallback;
      }
      if (accept(value)) {
        return value;
      }
      problems.push(
        `${settingId(key)}: expected ${expected}, found ${JSON.stringify(value)}; using ${JSON.stringify(fallback)}`,
      );
      return fallback;
    };
    this.values = {
      panelsOpenOnSessionStart: pick(
        Settings.panelsOpenOnSessionStart,
        DEFAULTS.panelsOpenOnSessionStart,
        isBoolean,
        'true or false',
      ),
      diagnosticsEnabled: pick(
        Settings.diagnosticsEnabled,
        DEFAULTS.diagnosticsEnabled,
        isBoolean,
        'true or false',
      ),
      diagnosticsDebounceMs: pick(
        Settings.diagnosticsDebounceMs,
        DEFAULTS.diagnosticsDebounceMs,
        isDebounce,
        `an integer from ${DEBOUNCE_LIMITS.min} to ${DEBOUNCE_LIMITS.max}`,
      ),
      codeLensEnabled: pick(Settings.codeLensEnabled, DEFAULTS.codeLensEnabled, isBoolean, 'true or false'),
    };
    this.problemList = problems;
  }

  /** What was wrong with the settings at the last reload, one sentence each. */
  get problems(): readonly string[] {
    return this.problemList;
  }

  get panelsOpenOnSessionStart(): boolean {
    return this.values.panelsOpenOnSessionStart;
  }

  get diagnosticsEnabled(): boolean {
    return this.values.diagnosticsEnabled;
  }

  get diagnosticsDebounceMs(): number {
    return this.values.diagnosticsDebounceMs;
  }

  get codeLensEnabled(): boolean {
    return this.values.codeLensEnabled;
  }

  /** Whether a configuration change event concerns this extension's settings. */
  static affects(event: { affectsConfiguration(section: string): boolean }): boolean {
    return event.affectsConfiguration(SETTINGS_SECTION);
  }
}

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

function isDebounce(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= DEBOUNCE_LIMITS.min &&
    value <= DEBOUNCE_LIMITS.max
  );
}
