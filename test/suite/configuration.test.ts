import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEFAULTS } from '../../src/extension/Config';
import { SETTINGS_SECTION, Settings } from '../../src/extension/ids';
import { activatedExtension } from './helpers';

describe('the MMU Lens settings in VS Code', () => {
  before(activatedExtension);

  it('are known to VS Code with the defaults the Config class assumes', () => {
    const section = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    for (const [field, key] of Object.entries(Settings)) {
      const inspected = section.inspect(key);
      assert.ok(inspected, `VS Code does not know ${SETTINGS_SECTION}.${key}`);
      assert.deepStrictEqual(inspected.defaultValue, DEFAULTS[field as keyof typeof DEFAULTS], key);
    }
  });
});
