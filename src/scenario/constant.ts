// Folding of expressions made only of integer literals and PAGE_SIZE. The checker uses it to find
// arithmetic that is certain to trap, and to read the `machine` and `memory` lines, which run
// before any binding exists.

import type { Expression } from './ast';
import type { Range } from './source';
import { isArithmeticOperator, u64Binary, u64Negate, u64Not } from './u64';

export type ConstantValue =
  | { readonly kind: 'value'; readonly value: bigint }
  | { readonly kind: 'error'; readonly message: string; readonly range: Range; readonly origin: Expression };

/** The value of a literal expression, an error if it must trap, or undefined if it is not literal. */
export function evaluateConstant(expression: Expression): ConstantValue | undefined {
  switch (expression.kind) {
    case 'integer':
      return { kind: 'value', value: expression.value };
    case 'name':
      return expression.path.length === 1 && expression.name === 'PAGE_SIZE'
        ? { kind: 'value', value: 4096n }
        : undefined;
    case 'unary': {
      const operand = evaluateConstant(expression.operand);
      if (operand === undefined || operand.kind === 'error') return operand;
      if (expression.operator === '~') return { kind: 'value', value: u64Not(operand.value) };
      if (expression.operator === '-') {
        const r = u64Negate(operand.value);
        return 'value' in r
          ? { kind: 'value', value: r.value }
          : { kind: 'error', message: r.error, range: expression.range, origin: expression };
      }
      return undefined;
    }
    case 'binary': {
      if (!isArithmeticOperator(expression.operator)) return undefined;
      const left = evaluateConstant(expression.left);
      if (left === undefined || left.kind === 'error') return left;
      const right = evaluateConstant(expression.right);
      if (right === undefined || right.kind === 'error') return right;
      const r = u64Binary(expression.operator, left.value, right.value);
      return 'value' in r
        ? { kind: 'value', value: r.value }
        : { kind: 'error', message: r.error, range: expression.range, origin: expression };
    }
    case 'call':
      // VirtualAddress(n) and PhysicalAddress(n) are n.
      if (
        expression.callee.kind === 'name' &&
        expression.callee.path.length === 1 &&
        (expression.callee.name === 'VirtualAddress' || expression.callee.name === 'PhysicalAddress') &&
        expression.args.length === 1 &&
        expression.args[0]?.name === undefined
      ) {
        const arg = expression.args[0];
        return arg ? evaluateConstant(arg.value) : undefined;
      }
      return undefined;
    default:
      return undefined;
  }
}
