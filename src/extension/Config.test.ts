import * as assert from 'assert';
import { Config, DEFAULTS, SettingsSource } from './Config';

function source(values: Record<string, unknown>): SettingsSource {
  return { get: (key) => values[key] };
}

describe('Config', () => {
  it('uses the defaults when nothing is set', () => {
    const config = new Config(() => source({}));
    assert.strictEqual(config.numberFormat, DEFAULTS.numberFormat);
    assert.strictEqual(config.panelsOpenOnSessionStart, true);
    assert.strictEqual(config.diagnosticsDebounceMs, 300);
    assert.deepStrictEqual(config.problems, []);
  });

  it('reads the values the user set', () => {
    const config = new Config(() =>
      source({
        numberFormat: 'decimal',
        'panels.openOnSessionStart': false,
        'diagnostics.enabled': false,
        'diagnostics.debounceMs': 0,
        'codeLens.enabled': false,
      }),
    );
    assert.strictEqual(config.numberFormat, 'decimal');
    assert.strictEqual(config.panelsOpenOnSessionStart, false);
    assert.strictEqual(config.diagnosticsEnabled, false);
    assert.strictEqual(config.diagnosticsDebounceMs, 0);
    assert.strictEqual(config.codeLensEnabled, false);
  });

  it('reports a wrong value and keeps the default instead of guessing', () => {
    const config = new Config(() => source({ numberFormat: 'octal', 'diagnostics.debounceMs': 99999 }));
    assert.strictEqual(config.numberFormat, 'hex');
    assert.strictEqual(config.diagnosticsDebounceMs, 300);
    assert.strictEqual(config.problems.length, 2);
    assert.match(
      config.problems[0] ?? '',
      /mmuLens\.numberFormat: expected "hex" or "decimal", found "octal"/,
    );
    assert.match(
      config.problems[1] ?? '',
      /mmuLens\.diagnostics\.debounceMs: expected an integer from 0 to 5000/,
    );
  });

  it('rejects a fractional debounce rather than rounding it', () => {
    const config = new Config(() => source({ 'diagnostics.debounceMs': 12.5 }));
    assert.strictEqual(config.diagnosticsDebounceMs, 300);
    assert.strictEqual(config.problems.length, 1);
  });

  it('sees new values after a reload', () => {
    let values: Record<string, unknown> = {};
    const config = new Config(() => source(values));
    values = { numberFormat: 'decimal' };
    assert.strictEqual(config.numberFormat, 'hex');
    config.reload();
    assert.strictEqual(config.numberFormat, 'decimal');
  });

  it('formats numbers as the user asked, whole 64-bit values included', () => {
    const hex = new Config(() => source({}));
    const decimal = new Config(() => source({ numberFormat: 'decimal' }));
    assert.strictEqual(hex.formatNumber(4096), '0x1000');
    assert.strictEqual(decimal.formatNumber(4096), '4096');
    assert.strictEqual(hex.formatNumber(0x8000_0000_0000_0001n), '0x8000000000000001');
  });

  it('recognises a change of its own section only', () => {
    assert.strictEqual(Config.affects({ affectsConfiguration: (section) => section === 'mmuLens' }), true);
    assert.strictEqual(Config.affects({ affectsConfiguration: (section) => section === 'editor' }), false);
  });
});
