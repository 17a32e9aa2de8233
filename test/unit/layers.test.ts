import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

// The layers import downwards only: the engine knows nothing above it, the scenario language knows
// nothing of the debugger, the debugger nothing of the views or VS Code, and the views see the
// timeline's StepView but never the debug session that publishes it. Tests may reach across.

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');

/** Every module a non-test source file of `layer` imports, with the file that imports it. */
function importsOf(layer: string): { file: string; module: string }[] {
  const out: { file: string; module: string }[] = [];
  const dir = path.join(SRC, layer);
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (
      !entry.endsWith('.ts') ||
      entry.endsWith('.test.ts') ||
      /testSupport|TestSupport|randomOperations/.test(entry)
    )
      continue;
    const file = path.join(dir, entry);
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)) {
      const module = match[1]!;
      const resolved = module.startsWith('.')
        ? path.relative(SRC, path.resolve(path.dirname(file), module))
        : module;
      out.push({ file: path.relative(SRC, file), module: resolved });
    }
  }
  return out;
}

function assertNoImport(layer: string, forbidden: (module: string) => boolean, why: string): void {
  const found = importsOf(layer).filter((i) => forbidden(i.module));
  assert.deepStrictEqual(
    found.map((i) => `${i.file} imports ${i.module}`),
    [],
    why,
  );
}

/** An import or re-export, with or without bindings (`import './x'` loads a module too). */
const IMPORT = /^\s*(?:import|export)\s(?:[^'"]*\sfrom\s+)?'([^']+)'/gm;

/** The modules that are the debug session itself, which only the extension and the adapter load. */
const SESSION = ['debug/MmuDebugSession', 'debug/ScenarioDebugger', 'debug/Timeline', 'debug/index'];

/** A module path relative to src, as an import names it, without an index file's name. */
function moduleFile(module: string): string | null {
  for (const candidate of [`${module}.ts`, path.join(module, 'index.ts')]) {
    if (fs.existsSync(path.join(SRC, candidate))) return candidate;
  }
  return null;
}

/**
 * Every module the non-test files of `layer` load, directly or through what they import, as
 * paths relative to src (an index file by its folder's name plus "/index"); packages by name.
 */
function reachableFrom(layer: string): Set<string> {
  const seen = new Set<string>();
  const queue = importsOf(layer).map((i) => i.module);
  while (queue.length > 0) {
    const module = queue.pop()!;
    const file = module.startsWith('.') || module.includes(':') ? null : moduleFile(module);
    const name = file === null ? module : file.replace(/\.ts$/, '');
    if (seen.has(name)) continue;
    seen.add(name);
    if (file === null) continue;
    const text = fs.readFileSync(path.join(SRC, file), 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const imported = match[1]!;
      queue.push(
        imported.startsWith('.')
          ? path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), imported))
          : imported,
      );
    }
  }
  return seen;
}

const inLayer =
  (...layers: string[]) =>
  (module: string): boolean =>
    layers.some((layer) => module === layer || module.startsWith(`${layer}/`));

describe('the layers', () => {
  it('the engine imports nothing but itself', () => {
    assertNoImport(
      'engine',
      (m) => !inLayer('engine')(m) && !m.startsWith('node:'),
      'the engine stands alone',
    );
  });

  it('the scenario language knows nothing of the debugger, the views or VS Code', () => {
    assertNoImport(
      'scenario',
      inLayer('debug', 'views', 'extension', 'cli', 'vscode'),
      'scenario is below them',
    );
  });

  it('the debugger knows nothing of the views or VS Code', () => {
    assertNoImport(
      'debug',
      inLayer('views', 'extension', 'vscode'),
      'the debugger publishes; it does not show',
    );
  });

  it('the views see the StepView, never the session that publishes it', () => {
    assertNoImport(
      'views',
      (m) => SESSION.includes(m) || inLayer('extension', 'vscode', '@vscode/debugadapter')(m),
      'state flows one way: from the stop to the views',
    );
  });

  // The CLI runs the interpreter alone, but `run --report` draws the steps it passes as the panels
  // do, so it may use the views (which read the debugger's StepView type and its describe helpers).
  // Whatever it reaches, directly or through the views, must still run without a debug session,
  // the extension or VS Code: a terminal has none of them.
  it('the CLI knows nothing of the debugger directly, and reaches no debug session or VS Code', () => {
    assertNoImport('cli', inLayer('debug', 'extension', 'vscode'), 'the CLI runs the interpreter alone');
    const reached = reachableFrom('cli');
    assert.deepStrictEqual(
      [...reached].filter(
        (m) => SESSION.includes(m) || inLayer('extension', 'vscode', '@vscode/debugadapter')(m),
      ),
      [],
      'nothing the CLI loads needs a debug session or VS Code',
    );
    assert.ok(reached.has('views/report/index'), 'the CLI draws reports with the views');
  });
});
