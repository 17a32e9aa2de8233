// Debug-console completion: names in scope, API functions, constants and globals, and the members
// of a handle after a dot (`region.` offers `base`, `size`, `vmobject`…).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { CONSTANTS, FUNCTIONS, GLOBALS, type HandleKind, MEMBERS } from '../scenario/api';
import type { ScenarioInterpreter } from './scenarioTypes';

const IDENTIFIER_TAIL = /[A-Za-z_][A-Za-z0-9_]*$/;

/** Completion items for `text` with the cursor at zero-based `column`. */
export function completionsAt(
  interpreter: ScenarioInterpreter,
  text: string,
  column: number,
  frameIndex: number,
): DebugProtocol.CompletionItem[] {
  const before = text.slice(0, Math.max(0, Math.min(column, text.length)));
  const word = IDENTIFIER_TAIL.exec(before)?.[0] ?? '';
  const start = before.length - word.length;
  const prefix = before.slice(0, start);
  const items: DebugProtocol.CompletionItem[] = [];
  const add = (label: string, type: DebugProtocol.CompletionItemType, detail?: string): void => {
    if (!label.startsWith(word)) return;
    items.push({ label, type, start, length: word.length, ...(detail !== undefined ? { detail } : {}) });
  };
  if (prefix.endsWith('.')) {
    const objectText = objectBeforeDot(prefix.slice(0, -1));
    if (objectText === null) return [];
    const result = interpreter.evaluate(objectText, frameIndex);
    if ('error' in result) return [];
    const members = (
      MEMBERS as Record<string, Record<string, { kind: string; description: string }> | undefined>
    )[result.value.kind as HandleKind];
    for (const [name, spec] of Object.entries(members ?? {}))
      add(name, spec.kind === 'function' ? 'method' : 'property', spec.description);
    return items;
  }
  const seen = new Set<string>();
  const frame = interpreter.frames()[frameIndex];
  for (const [name] of [...(frame?.locals ?? []), ...interpreter.globals()]) {
    if (seen.has(name)) continue;
    seen.add(name);
    add(name, 'variable');
  }
  for (const [name, spec] of Object.entries(GLOBALS)) add(name, 'module', spec.description);
  for (const [name, spec] of Object.entries(FUNCTIONS)) add(name, 'function', spec.description);
  for (const [name, spec] of Object.entries(CONSTANTS)) add(name, 'value', spec.description);
  return items;
}

/** The expression just before a dot: a name with members, calls and indexes (`MM.zones[0]`). */
function objectBeforeDot(text: string): string | null {
  let depth = 0;
  let i = text.length;
  while (i > 0) {
    const c = text[i - 1]!;
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && !/[A-Za-z0-9_.:]/.test(c)) break;
    i--;
  }
  const object = text.slice(i).trim();
  return object === '' ? null : object;
}
