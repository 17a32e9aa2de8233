import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  Commands,
  DEBUG_TYPE,
  EXTENSION_ID,
  LANGUAGE_ID,
  SETTINGS_SECTION,
  settingId,
  Settings,
  ViewContainers,
  Views,
  WALKTHROUGH_ID,
  PanelViewTypes,
} from './ids';
import { DEFAULTS } from './Config';

interface Manifest {
  name: string;
  publisher: string;
  activationEvents?: string[];
  contributes: {
    languages?: { id: string }[];
    grammars?: { language: string }[];
    snippets?: { language: string }[];
    breakpoints?: { language: string }[];
    debuggers?: { type: string; languages?: string[] }[];
    commands?: { command: string }[];
    menus?: Record<string, { command: string }[]>;
    keybindings?: { command: string }[];
    configuration?: { properties: Record<string, unknown> };
    viewsContainers?: Record<string, { id: string }[]>;
    views?: Record<string, { id: string }[]>;
    walkthroughs?: { id: string; steps: { description: string; completionEvents?: string[] }[] }[];
  };
}

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes;

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** Every `command:ID` link and `onCommand:ID` event of the walkthroughs. */
function walkthroughCommands(): string[] {
  const ids: string[] = [];
  for (const walkthrough of contributes.walkthroughs ?? []) {
    for (const step of walkthrough.steps) {
      for (const match of step.description.matchAll(/\(command:([\w.]+)/g)) {
        ids.push(match[1] ?? '');
      }
      for (const event of step.completionEvents ?? []) {
        if (event.startsWith('onCommand:')) {
          ids.push(event.slice('onCommand:'.length));
        }
      }
    }
  }
  return ids;
}

describe('the ids module and package.json', () => {
  it('agree on the extension id', () => {
    assert.strictEqual(EXTENSION_ID, `${manifest.publisher}.${manifest.name}`);
  });

  it('agree on the language id, in every contribution that names a language', () => {
    assert.deepStrictEqual(sorted((contributes.languages ?? []).map((language) => language.id)), [
      LANGUAGE_ID,
    ]);
    const named = [
      ...(contributes.grammars ?? []).map((grammar) => grammar.language),
      ...(contributes.snippets ?? []).map((snippet) => snippet.language),
      ...(contributes.breakpoints ?? []).map((breakpoint) => breakpoint.language),
      ...(contributes.debuggers ?? []).flatMap((debuggerEntry) => debuggerEntry.languages ?? []),
    ];
    for (const language of named) {
      assert.strictEqual(language, LANGUAGE_ID);
    }
  });

  it('contribute every command the module declares as registered by the extension', () => {
    const contributed = new Set((contributes.commands ?? []).map((command) => command.command));
    for (const id of Object.values(Commands)) {
      assert.ok(contributed.has(id), `${id} is declared in ids.ts but not contributed`);
    }
  });

  it('contribute no command the module does not declare', () => {
    const declared = new Set<string>(Object.values(Commands));
    for (const command of contributes.commands ?? []) {
      assert.ok(
        declared.has(command.command),
        `${command.command} is contributed but not declared in ids.ts`,
      );
    }
  });

  it('refer only to declared commands from menus, keybindings and the walkthrough', () => {
    const declared = new Set<string>(Object.values(Commands));
    const referenced = [
      ...Object.values(contributes.menus ?? {}).flatMap((entries) => entries.map((entry) => entry.command)),
      ...(contributes.keybindings ?? []).map((binding) => binding.command),
      ...walkthroughCommands().filter((id) => id.startsWith('mmuLens.')),
    ];
    for (const id of referenced) {
      assert.ok(declared.has(id), `${id} is used by package.json but not declared in ids.ts`);
    }
  });

  it('contribute exactly the settings the module declares', () => {
    const contributed = Object.keys(contributes.configuration?.properties ?? {});
    assert.deepStrictEqual(sorted(contributed), sorted(Object.values(Settings).map(settingId)));
    for (const key of contributed) {
      assert.ok(key.startsWith(`${SETTINGS_SECTION}.`), `${key} is outside the ${SETTINGS_SECTION} section`);
    }
  });

  it('give every setting the default the Config class assumes', () => {
    const properties = (contributes.configuration?.properties ?? {}) as Record<string, { default?: unknown }>;
    for (const [field, key] of Object.entries(Settings)) {
      assert.deepStrictEqual(
        properties[settingId(key)]?.default,
        DEFAULTS[field as keyof typeof DEFAULTS],
        key,
      );
    }
  });

  it('contribute exactly the views and view containers the module declares', () => {
    const views = Object.values(contributes.views ?? {}).flatMap((entries) => entries.map((view) => view.id));
    const containers = Object.values(contributes.viewsContainers ?? {}).flatMap((entries) =>
      entries.map((c) => c.id),
    );
    assert.deepStrictEqual(sorted(views), sorted(Object.values<string>(Views)));
    assert.deepStrictEqual(sorted(containers), sorted(Object.values<string>(ViewContainers)));
  });

  it('contribute exactly one debugger, of the declared debug type, with breakpoints in scenarios', () => {
    assert.deepStrictEqual(
      (contributes.debuggers ?? []).map((d) => d.type),
      [DEBUG_TYPE],
    );
    assert.deepStrictEqual(
      (contributes.breakpoints ?? []).map((b) => b.language),
      [LANGUAGE_ID],
    );
  });

  it('activate on every panel the module declares', () => {
    const events = new Set(manifest.activationEvents ?? []);
    for (const viewType of Object.values(PanelViewTypes)) {
      assert.ok(events.has(`onWebviewPanel:${viewType}`), `no onWebviewPanel:${viewType}`);
    }
  });

  it('contribute no debugger but the declared debug type', () => {
    for (const debuggerEntry of contributes.debuggers ?? []) {
      assert.strictEqual(debuggerEntry.type, DEBUG_TYPE);
    }
    for (const event of manifest.activationEvents ?? []) {
      const debugEvent = /^onDebug\w*:(.+)$/.exec(event);
      if (debugEvent !== null) {
        assert.strictEqual(debugEvent[1], DEBUG_TYPE, event);
      }
      const languageEvent = /^onLanguage:(.+)$/.exec(event);
      if (languageEvent !== null) {
        assert.strictEqual(languageEvent[1], LANGUAGE_ID, event);
      }
    }
  });

  it('agree on the walkthrough id', () => {
    assert.deepStrictEqual(
      (contributes.walkthroughs ?? []).map((walkthrough) => walkthrough.id),
      [WALKTHROUGH_ID],
    );
  });
});
