import * as vscode from 'vscode';
import type { Ctx } from '../Ctx';
import { ExampleEntry, findExample, ScenarioIntro, scenarioIntro, sortExamples } from '../exampleCatalog';
import type { CommandFactory } from './registry';

// "MMU Lens: Open Example…": the scenarios of the workspace and those shipped with the extension,
// in a quick pick that shows each one's title, path and first sentence. With an argument (a relative path such as
// `cow-fork.mmu`, or a Uri) it opens that scenario directly — the walkthrough and the tests use that.

interface LocatedExample extends ExampleEntry {
  readonly uri: vscode.Uri;
}

const MAX_WORKSPACE_FILES = 500;

export const openExample: CommandFactory = (ctx: Ctx) => async (target?: unknown) => {
  if (target instanceof vscode.Uri) {
    return showScenario(target);
  }
  const examples = await listExamples(ctx);
  if (typeof target === 'string') {
    const found = findExample(examples, target);
    if (found === undefined) {
      throw new Error(`no example scenario is named ${JSON.stringify(target)}`);
    }
    return showScenario(found.uri);
  }
  if (examples.length === 0) {
    void vscode.window.showInformationMessage(
      'MMU Lens: no .mmu scenario in this workspace or the extension.',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick<ExampleItem>(await quickPickItems(examples), {
    title: 'MMU Lens: Open Example',
    placeHolder: 'Choose a scenario to open',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked === undefined ? undefined : showScenario(picked.example.uri);
};

async function showScenario(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

async function listExamples(ctx: Ctx): Promise<LocatedExample[]> {
  const workspaceFiles = await vscode.workspace.findFiles(
    '**/*.mmu',
    '**/node_modules/**',
    MAX_WORKSPACE_FILES,
  );
  const inWorkspace = workspaceFiles.map<LocatedExample>((uri) => ({
    uri,
    origin: 'workspace',
    relativePath: vscode.workspace.asRelativePath(uri, false),
  }));
  const bundled = (await listScenarios(ctx.bundledExamplesUri, '')).map<LocatedExample>((found) => ({
    ...found,
    origin: 'bundled',
  }));
  return sortExamples([...inWorkspace, ...bundled]);
}

/** Scenario files under a folder, recursively; a missing folder holds none. */
async function listScenarios(
  folder: vscode.Uri,
  prefix: string,
): Promise<{ uri: vscode.Uri; relativePath: string }[]> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
  const found: { uri: vscode.Uri; relativePath: string }[] = [];
  for (const [name, type] of entries) {
    const uri = vscode.Uri.joinPath(folder, name);
    if (type === vscode.FileType.Directory) {
      found.push(...(await listScenarios(uri, `${prefix}${name}/`)));
    } else if (name.endsWith('.mmu')) {
      found.push({ uri, relativePath: `${prefix}${name}` });
    }
  }
  return found;
}

interface ExampleItem extends vscode.QuickPickItem {
  readonly example: LocatedExample;
}

async function quickPickItems(examples: readonly LocatedExample[]): Promise<ExampleItem[]> {
  return Promise.all(
    examples.map(async (example) => {
      const intro = await introOf(example.uri);
      const where =
        example.origin === 'workspace'
          ? example.relativePath
          : `${example.relativePath} · shipped with MMU Lens`;
      // The title reads better than a file name; the path stays beside it, and filtering matches both.
      const item: ExampleItem = {
        label: intro.title ?? example.relativePath,
        description:
          intro.title === undefined
            ? example.origin === 'workspace'
              ? 'workspace'
              : 'shipped with MMU Lens'
            : where,
        example,
      };
      return intro.summary === undefined ? item : { ...item, detail: intro.summary };
    }),
  );
}

async function introOf(uri: vscode.Uri): Promise<ScenarioIntro> {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return scenarioIntro(new TextDecoder().decode(bytes.subarray(0, 4096)));
  } catch {
    return {};
  }
}
