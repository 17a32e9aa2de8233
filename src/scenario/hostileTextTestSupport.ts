// Generated hostile scenarios for property tests: lines of language fragments repeated thousands of
// times (deep nesting, huge lines, unbalanced brackets and strings, blocks opened and closed).
import fc from 'fast-check';

const PIECE = fc.constantFrom(
  '(', ')', '-', '~', '!', ' + ', '[0]', '.a', 'f(', 'TRY(', '1', 'x', ', ', '{', '}', '"',
); // prettier-ignore

const HEADER = fc.constantFrom('let v = ', 'repeat i in 0..2 {', '}', 'write p ', 'expect ', 'print ', '');

/** A scenario of up to `lines` hostile lines after `process p`, each piece repeated up to `repeat` times. */
export function hostileScenario(lines: number, repeat: number): fc.Arbitrary<string> {
  const line = fc
    .tuple(HEADER, fc.array(PIECE, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: repeat }))
    .map(([header, pieces, times]) => header + pieces.join('').repeat(times));
  return fc.array(line, { maxLength: lines }).map((body) => ['process p', ...body].join('\n'));
}
