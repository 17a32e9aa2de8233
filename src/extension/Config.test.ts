import * as assert from 'assert';
import { Config, DEFAULTS, SettingsSource } from './Config';

function source(values: Record<string, unknown>): SettingsSource {
  return { get: (key) => values[key] };
}

describe('Config', () => {
  it('uses the defaults when nothing is set', () => {
    const config = new Config(() => source({}));
    assert.strictEqual(config.panelsOpenOnSessionStart, DEFAULTS.panelsOpenOnSessionStart);
    assert.strictEqual(config.diagnosticsDebounceMs, 300);
    assert.deepStrictEqual(config.problems, []);
  });

  it('reads the values the user set', () => {
    const config = new Config(() =>
      source({
        'panels.openOnSessionStart': false,
        'diagnostics.enabled': false,
        'diagnostics.debounceMs': 0,
        'codeLens.enabled': false,
      }),
    );
    assert.strictEqual(config.panelsOpenOnSessionStart, false);
    assert.strictEqual(config.diagnosticsEnabled, false);
    assert.strictEqual(config.diagnosticsDebounceMs, 0);
    assert.strictEqual(config.codeLensEnabled, false);
  });

  it('reports a wrong value and keeps the default instead of guessing', () => {
    const config = new Config(() => source({ 'codeLens.enabled': 'yes', 'diagnostics.debounceMs': 99999 }));
    assert.strictEqual(config.codeLensEnabled, true);
    assert.strictEqual(config.diagnosticsDebounceMs, 300);
    assert.strictEqual(config.problems.length, 2);
    assert.match(
      config.problems[0] ?? '',
      /mmuLens\.diagnostics\.debounceMs: expected an integer from 0 to 5000/,
    );
    assert.match(config.problems[1] ?? '', /mmuLens\.codeLens\.enabled: expected true or false, found "yes"/);
  });

  it('rejects a fractional debounce rather than rounding it', () => {
    const config = new Config(() => source({ 'diagnostics.debounceMs': 12.5 }));
    assert.strictEqual(config.diagnosticsDebounceMs, 300);
    assert.strictEqual(config.problems.length, 1);
  });

  it('sees new values after a reload', () => {
    let values: Record<string, unknown> = {};
    const config = new Config(() => source(values));
    values = { 'diagnostics.enabled': false };
    assert.strictEqual(config.diagnosticsEnabled, true);
    config.reload();
    assert.strictEqual(config.diagnosticsEnabled, false);
  });

  it('recognises a change of its own section only', () => {
    assert.strictEqual(Config.affects({ affectsConfiguration: (section) => section === 'mmuLens' }), true);
    assert.strictEqual(Config.affects({ affectsConfiguration: (section) => section === 'editor' }), false);
  });
});
