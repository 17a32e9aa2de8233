// Goals: each says how a figure must compare with a reference (a host baseline measured in the same
// run, another figure of the same run, or a fixed bound). Evaluation is pure so it can be unit tested.

export type Relation = '>=' | '<=' | '<';

export type Reference =
  | { readonly kind: 'baseline'; readonly name: string }
  | { readonly kind: 'figure'; readonly name: string }
  | { readonly kind: 'constant'; readonly value: number };

/** `figure relation factor × reference`, e.g. zero_faults_per_s >= 2 × host_anon_faults_per_s. */
export interface Goal {
  readonly id: string;
  /** Where the goal comes from (an issue), so a reader can find its reasoning. */
  readonly source: string;
  readonly figure: string;
  readonly relation: Relation;
  readonly factor: number;
  readonly reference: Reference;
}

export type Verdict = 'pass' | 'miss' | 'absent';

/** A goal's outcome as it appears in the JSON report (snake_case, nulls where nothing was measured). */
export interface GoalResult {
  readonly goal: string;
  readonly source: string;
  readonly figure: string;
  readonly value: number | null;
  readonly relation: Relation;
  readonly factor: number;
  readonly reference: string;
  readonly reference_kind: Reference['kind'];
  readonly reference_value: number | null;
  /** value / reference_value; the verdict compares it with `factor`. */
  readonly ratio: number | null;
  readonly verdict: Verdict;
  readonly reason?: string;
}

export function referenceName(reference: Reference): string {
  return reference.kind === 'constant' ? String(reference.value) : reference.name;
}

/** The goal as a person reads it: `zero_faults_per_s >= 2 x host_anon_faults_per_s`. */
export function describeGoal(goal: Goal): string {
  const scale = goal.factor === 1 ? '' : `${goal.factor} x `;
  return `${goal.figure} ${goal.relation} ${scale}${referenceName(goal.reference)}`;
}

export function compare(ratio: number, relation: Relation, factor: number): boolean {
  switch (relation) {
    case '>=':
      return ratio >= factor;
    case '<=':
      return ratio <= factor;
    case '<':
      return ratio < factor;
  }
}

function lookUp(
  reference: Reference,
  figures: Readonly<Record<string, number>>,
  baselines: Readonly<Record<string, number>>,
): number | undefined {
  switch (reference.kind) {
    case 'constant':
      return reference.value;
    case 'figure':
      return figures[reference.name];
    case 'baseline':
      return baselines[reference.name];
  }
}

/** Judges one goal. Anything unmeasured makes it absent; it is never counted as a pass or a miss. */
export function evaluateGoal(
  goal: Goal,
  figures: Readonly<Record<string, number>>,
  baselines: Readonly<Record<string, number>>,
): GoalResult {
  const value = figures[goal.figure];
  const referenceValue = lookUp(goal.reference, figures, baselines);
  const base = {
    goal: describeGoal(goal),
    source: goal.source,
    figure: goal.figure,
    value: value ?? null,
    relation: goal.relation,
    factor: goal.factor,
    reference: referenceName(goal.reference),
    reference_kind: goal.reference.kind,
    reference_value: referenceValue ?? null,
  };
  if (value === undefined) {
    return { ...base, ratio: null, verdict: 'absent', reason: `${goal.figure} was not measured` };
  }
  if (referenceValue === undefined) {
    const what = goal.reference.kind === 'baseline' ? 'the host baseline' : 'the reference figure';
    return { ...base, ratio: null, verdict: 'absent', reason: `${what} ${base.reference} was not measured` };
  }
  if (!(referenceValue > 0) || !Number.isFinite(referenceValue)) {
    return {
      ...base,
      ratio: null,
      verdict: 'absent',
      reason: `${base.reference} is ${referenceValue}; no ratio`,
    };
  }
  const ratio = value / referenceValue;
  return { ...base, ratio, verdict: compare(ratio, goal.relation, goal.factor) ? 'pass' : 'miss' };
}

export function evaluateGoals(
  goals: readonly Goal[],
  figures: Readonly<Record<string, number>>,
  baselines: Readonly<Record<string, number>>,
): Record<string, GoalResult> {
  const results: Record<string, GoalResult> = {};
  for (const goal of goals) results[goal.id] = evaluateGoal(goal, figures, baselines);
  return results;
}
