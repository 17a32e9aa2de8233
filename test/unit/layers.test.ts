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
    const session = ['debug/MmuDebugSession', 'debug/ScenarioDebugger', 'debug/Timeline', 'debug/index'];
    assertNoImport(
      'views',
      (m) => session.includes(m) || inLayer('extension', 'vscode', '@vscode/debugadapter')(m),
      'state flows one way: from the stop to the views',
    );
  });

  it('the CLI knows nothing of the debugger, the views or VS Code', () => {
    assertNoImport(
      'cli',
      inLayer('debug', 'views', 'extension', 'vscode'),
      'the CLI runs the interpreter alone',
    );
  });
});
