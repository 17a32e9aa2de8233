// Finding nodes by position, for breakpoints (which step is on this line?), hovers and completion
// (which expression is under the cursor?).

import type { Expression, Program, Statement } from './ast';

/** The direct sub-expressions of an expression, in source order. */
export function childExpressions(expression: Expression): Expression[] {
  switch (expression.kind) {
    case 'unary':
      return [expression.operand];
    case 'binary':
      return [expression.left, expression.right];
    case 'member':
      return [expression.object];
    case 'index':
      return [expression.object, expression.index];
    case 'call':
      return [expression.callee, ...expression.args.map((a) => a.value)];
    case 'try':
      return [expression.inner];
    default:
      return [];
  }
}

/** The expressions that appear directly in a statement (not those of a block's body), in source order. */
export function statementExpressions(statement: Statement): Expression[] {
  const own: Expression[] = (() => {
    switch (statement.kind) {
      case 'machine':
        return statement.settings.map((x) => x.value);
      case 'process':
        return statement.options.map((x) => x.value);
      case 'file':
        return [statement.path, ...statement.options.map((x) => x.value)];
      case 'memory':
        return statement.span.form === 'span'
          ? [statement.span.start, statement.span.end]
          : [statement.span.start, statement.span.size];
      case 'let':
        return [statement.value];
      case 'expression':
        return [statement.expression];
      case 'write':
        return [statement.address, statement.value];
      case 'read':
      case 'exec':
      case 'set_sp':
        return [statement.address];
      case 'print':
        return [...statement.values];
      case 'expect':
        return [statement.condition];
      case 'repeat':
        return [statement.from, statement.to];
      case 'fork':
      case 'exit':
      case 'proc':
        return [];
    }
  })();
  const asserted = statement.assertion?.items.flatMap((i) => (i.kind === 'value' ? [i.value] : [])) ?? [];
  return [...own, ...asserted];
}

/** Every statement of the program, blocks' bodies included, in source order. */
export function allStatements(program: Program): Statement[] {
  const out: Statement[] = [];
  const walk = (statements: readonly Statement[]): void => {
    for (const s of statements) {
      out.push(s);
      if (s.kind === 'proc' || s.kind === 'repeat') walk(s.body);
    }
  };
  walk(program.statements);
  return out;
}

/** The statement whose first line is `line` (zero-based), innermost first; undefined on a blank line. */
export function statementStartingOnLine(program: Program, line: number): Statement | undefined {
  return allStatements(program).find((s) => s.range.start.line === line);
}

/**
 * The statement on or after `line` where a breakpoint set on that line should stop: the first
 * step starting there or later (a breakpoint on a comment or blank line moves down, as editors expect).
 */
export function breakpointStatement(program: Program, line: number): Statement | undefined {
  return allStatements(program)
    .filter(
      (s) => s.kind !== 'proc' && s.kind !== 'machine' && s.kind !== 'memory' && s.range.start.line >= line,
    )
    .sort((a, b) => a.range.start.offset - b.range.start.offset)[0];
}

const contains = (range: { start: { offset: number }; end: { offset: number } }, offset: number): boolean =>
  range.start.offset <= offset && offset <= range.end.offset;

/** The innermost statement containing `offset`. */
export function statementAt(program: Program, offset: number): Statement | undefined {
  let found: Statement | undefined;
  for (const s of allStatements(program)) {
    if (
      contains(s.range, offset) &&
      (found === undefined || s.range.start.offset >= found.range.start.offset)
    )
      found = s;
  }
  return found;
}

/** The chain of expressions containing `offset`, outermost first (the last is the innermost). */
export function expressionsAt(program: Program, offset: number): Expression[] {
  const statement = statementAt(program, offset);
  if (statement === undefined) return [];
  const chain: Expression[] = [];
  let candidates = statementExpressions(statement);
  for (;;) {
    const hit = candidates.find((e) => contains(e.range, offset));
    if (hit === undefined) return chain;
    chain.push(hit);
    candidates = childExpressions(hit);
  }
}
