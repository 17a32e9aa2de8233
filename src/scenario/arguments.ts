// Pairs the arguments of a call with the parameters of what it calls: positional ones in order,
// then named ones by name. The checker reports the problems; the interpreter evaluates the
// pairing (and the defaults of the parameters left out).

import type { Argument } from './ast';

export interface ParameterShape {
  readonly name: string;
  /** False when the parameter has a default and may be left out. */
  readonly required: boolean;
}

export type ArgumentProblem =
  | { readonly kind: 'positional-after-named'; readonly argument: Argument }
  | { readonly kind: 'too-many'; readonly argument: Argument }
  | { readonly kind: 'unknown-name'; readonly argument: Argument }
  | { readonly kind: 'duplicate'; readonly argument: Argument }
  | { readonly kind: 'missing'; readonly names: readonly string[] };

export interface ArgumentBinding {
  /** For each parameter, the argument that gives it, or undefined (use the default). */
  readonly byParameter: readonly (Argument | undefined)[];
  readonly problems: readonly ArgumentProblem[];
}

export function bindArguments(params: readonly ParameterShape[], args: readonly Argument[]): ArgumentBinding {
  const byParameter: (Argument | undefined)[] = params.map(() => undefined);
  const problems: ArgumentProblem[] = [];
  let sawNamed = false;
  let positional = 0;
  for (const argument of args) {
    if (argument.name === undefined) {
      if (sawNamed) {
        problems.push({ kind: 'positional-after-named', argument });
      } else if (positional >= params.length) {
        problems.push({ kind: 'too-many', argument });
      } else {
        byParameter[positional] = argument;
      }
      positional++;
      continue;
    }
    sawNamed = true;
    const name = argument.name.name;
    const index = params.findIndex((p) => p.name === name);
    if (index < 0) problems.push({ kind: 'unknown-name', argument });
    else if (byParameter[index] !== undefined) problems.push({ kind: 'duplicate', argument });
    else byParameter[index] = argument;
  }
  const missing = params.filter((p, i) => p.required && byParameter[i] === undefined).map((p) => p.name);
  if (missing.length > 0) problems.push({ kind: 'missing', names: missing });
  return { byParameter, problems };
}
