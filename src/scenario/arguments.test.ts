import * as assert from 'assert';
import { bindArguments } from './arguments';
import { parseExpression } from './parser';

function call(text: string) {
  const e = parseExpression(text).expression;
  assert.ok(e?.kind === 'call');
  return e.args;
}

const PARAMS = [
  { name: 'a', required: true },
  { name: 'b', required: true },
  { name: 'c', required: false },
];

describe('binding arguments to parameters', () => {
  it('takes positional arguments in order and named ones by name', () => {
    const b = bindArguments(PARAMS, call('f(1, c=3, b=2)'));
    assert.deepStrictEqual(b.problems, []);
    assert.deepStrictEqual(
      b.byParameter.map((a) => (a?.value.kind === 'integer' ? a.value.value : undefined)),
      [1n, 2n, 3n],
    );
  });

  it('leaves parameters with defaults unbound', () => {
    const b = bindArguments(PARAMS, call('f(1, 2)'));
    assert.strictEqual(b.byParameter[2], undefined);
    assert.deepStrictEqual(b.problems, []);
  });

  it('names every problem', () => {
    const b = bindArguments(PARAMS, call('f(1, a=2, d=3, 4)'));
    assert.deepStrictEqual(
      b.problems.map((p) => p.kind),
      ['duplicate', 'unknown-name', 'positional-after-named', 'missing'],
    );
    assert.deepStrictEqual(
      bindArguments(PARAMS, call('f(1, 2, 3, 4)')).problems.map((p) => p.kind),
      ['too-many'],
    );
  });
});
