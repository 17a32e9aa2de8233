import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  CONSTANTS,
  constantValue,
  FILE_OPTIONS,
  FUNCTIONS,
  GLOBALS,
  MACHINE_KEYS,
  MEMBERS,
  MEMORY_KINDS,
  OUTCOMES,
  PROCESS_OPTIONS,
  STATEMENT_KEYWORDS,
} from './api';
import { API_TABLE_END, API_TABLE_START, renderApiTable } from './apiReference';
import { checkSource } from './checker';
import { parseExpression } from './parser';

const GUIDE = fs.readFileSync(path.resolve(__dirname, '../../../docs/language-guide.md'), 'utf8');

describe('the language guide', () => {
  it('holds the API table generated from the current api.ts (run out/src/cli/updateGuide.js)', () => {
    const start = GUIDE.indexOf(API_TABLE_START);
    const end = GUIDE.indexOf(API_TABLE_END);
    assert.ok(start >= 0 && end > start, 'API table markers missing');
    assert.strictEqual(GUIDE.slice(start, end + API_TABLE_END.length), renderApiTable());
  });

  it('names every function, member, constant, outcome, setting, option and statement of the language', () => {
    const names = [
      ...Object.keys(FUNCTIONS),
      ...Object.values(MEMBERS).flatMap((m) => Object.keys(m)),
      ...Object.keys(CONSTANTS),
      ...Object.keys(OUTCOMES),
      ...Object.keys(GLOBALS),
      ...Object.keys(MACHINE_KEYS),
      ...Object.keys(PROCESS_OPTIONS),
      ...Object.keys(FILE_OPTIONS),
      ...MEMORY_KINDS,
      ...STATEMENT_KEYWORDS,
    ];
    const missing = names.filter((n) => !new RegExp(`\\b${n}\\b`).test(GUIDE));
    assert.deepStrictEqual(missing, []);
  });

  it('shows complete scenarios that check clean', () => {
    const blocks = [...GUIDE.matchAll(/```mmu\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    assert.ok(blocks.length >= 2);
    for (const block of blocks) assert.deepStrictEqual(checkSource(block, 'guide.mmu').diagnostics, []);
  });
});

describe('the API table', () => {
  it('has a description for every entry', () => {
    const entries = [
      ...Object.values(FUNCTIONS),
      ...Object.values(MEMBERS).flatMap((m) => Object.values(m)),
      ...Object.values(CONSTANTS),
      ...Object.values(OUTCOMES),
    ];
    for (const e of entries) assert.ok(e.description.length > 3, `${e.name} has no description`);
  });

  it('has parameter defaults that parse and check as arguments', () => {
    for (const spec of [
      ...Object.values(FUNCTIONS),
      ...Object.values(MEMBERS).flatMap((m) => Object.values(m)),
    ]) {
      if (spec.kind !== 'function') continue;
      for (const param of spec.params) {
        if (param.default === undefined) continue;
        const parsed = parseExpression(param.default);
        assert.deepStrictEqual(parsed.diagnostics, [], `${spec.name}(${param.name}=${param.default})`);
        assert.ok(parsed.expression);
      }
    }
  });

  it('gives None two values, typed by the parameter', () => {
    assert.deepStrictEqual(CONSTANTS['None']?.values, { access: 0n, strategy: 2n });
    assert.strictEqual(constantValue('None', 'strategy'), 2n);
    assert.strictEqual(constantValue('None', 'access'), 0n);
    assert.strictEqual(constantValue('None'), 0n);
    assert.strictEqual(constantValue('None', 'prot'), undefined);
    assert.strictEqual(constantValue('MAP_ANONYMOUS', 'map_flags'), 0x20n);
  });

  it('names no member of a handle like a global function, so hovers are unambiguous', () => {
    for (const members of Object.values(MEMBERS)) {
      for (const name of Object.keys(members)) assert.ok(!(name in GLOBALS), name);
    }
  });
});
