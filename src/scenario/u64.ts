// Unsigned 64-bit arithmetic that traps instead of wrapping, as AK's Checked<u64> would.
// The checker folds literal expressions with it; the interpreter evaluates with it.

import type { BinaryOperator } from './ast';
import { U64_MAX } from './lexer';

export { U64_MAX };

export type U64Result = { readonly value: bigint } | { readonly error: string };

export type ArithmeticOperator = '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '&' | '^' | '|';

/** Asked on every binary operation a scenario evaluates: a switch, with no list made per question. */
export function isArithmeticOperator(op: BinaryOperator): op is ArithmeticOperator {
  switch (op) {
    case '*':
    case '/':
    case '%':
    case '+':
    case '-':
    case '<<':
    case '>>':
    case '&':
    case '^':
    case '|':
      return true;
    default:
      return false;
  }
}

const hex = (v: bigint): string => `0x${v.toString(16).toUpperCase()}`;

export function u64Binary(op: ArithmeticOperator, a: bigint, b: bigint): U64Result {
  switch (op) {
    case '+': {
      const v = a + b;
      return v > U64_MAX ? { error: `${hex(a)} + ${hex(b)} overflows 64 bits` } : { value: v };
    }
    case '-':
      return b > a
        ? { error: `${hex(a)} - ${hex(b)} is below zero (values are unsigned)` }
        : { value: a - b };
    case '*': {
      const v = a * b;
      return v > U64_MAX ? { error: `${hex(a)} * ${hex(b)} overflows 64 bits` } : { value: v };
    }
    case '/':
      return b === 0n ? { error: 'division by zero' } : { value: a / b };
    case '%':
      return b === 0n ? { error: 'remainder by zero' } : { value: a % b };
    case '<<': {
      if (b >= 64n) return { error: `shift by ${b}: the count must be below 64` };
      const v = a << b;
      return v > U64_MAX ? { error: `${hex(a)} << ${b} overflows 64 bits` } : { value: v };
    }
    case '>>':
      return b >= 64n ? { error: `shift by ${b}: the count must be below 64` } : { value: a >> b };
    case '&':
      return { value: a & b };
    case '|':
      return { value: a | b };
    case '^':
      return { value: a ^ b };
  }
}

export function u64Not(a: bigint): bigint {
  return U64_MAX ^ a;
}

export function u64Negate(a: bigint): U64Result {
  return a === 0n ? { value: 0n } : { error: `-${a} is below zero (values are unsigned)` };
}
