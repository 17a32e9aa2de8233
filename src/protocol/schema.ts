// A tiny runtime-checked schema language. Each message and DTO of the protocol is written once as a
// schema; its TypeScript type is inferred from it, so the checks and the types cannot drift apart.
// A check returns null when the value fits, or a message naming the path of the first misfit.

export interface Schema<T> {
  /** Returns null when `value` fits, else a sentence naming where it does not. */
  check(value: unknown, path: string): string | null;
  /** Never set: carries the type for `Infer`. */
  readonly _type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function schema<T>(check: (value: unknown, path: string) => string | null): Schema<T> {
  return { check };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeof value;
}

export const str: Schema<string> = schema((v, p) =>
  typeof v === 'string' ? null : `${p}: expected a string, got ${describe(v)}`,
);

export const bool: Schema<boolean> = schema((v, p) =>
  typeof v === 'boolean' ? null : `${p}: expected a boolean, got ${describe(v)}`,
);

/** A finite number (counts, sizes and indices are also checked to be integers). */
export const num: Schema<number> = schema((v, p) =>
  typeof v === 'number' && Number.isFinite(v) ? null : `${p}: expected a number, got ${describe(v)}`,
);

/** A non-negative safe integer: counts, page numbers, byte amounts, step indices. */
export const count: Schema<number> = schema((v, p) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
    ? null
    : `${p}: expected a non-negative integer, got ${describe(v)}`,
);

/** Addresses and raw entries travel as lower-case hexadecimal strings: "0x1f000". */
export type Hex = string;
const hexPattern = /^0x[0-9a-f]{1,16}$/;
export const hex: Schema<Hex> = schema((v, p) =>
  typeof v === 'string' && hexPattern.test(v)
    ? null
    : `${p}: expected a hex string like "0x1000", got ${describe(v)}`,
);

export interface LiteralSchema<L> extends Schema<L> {
  readonly expected: L;
}

export function literal<const L extends string | number | boolean>(expected: L): LiteralSchema<L> {
  return {
    expected,
    check: (v, p) =>
      v === expected ? null : `${p}: expected ${JSON.stringify(expected)}, got ${describe(v)}`,
  };
}

export function oneOf<const L extends readonly string[]>(values: L): Schema<L[number]> {
  const allowed = new Set<unknown>(values);
  return schema((v, p) =>
    allowed.has(v) ? null : `${p}: expected one of ${values.join(', ')}, got ${describe(v)}`,
  );
}

export function pattern(re: RegExp, what: string): Schema<string> {
  return schema((v, p) =>
    typeof v === 'string' && re.test(v) ? null : `${p}: expected ${what}, got ${describe(v)}`,
  );
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema((v, p) => (v === null ? null : inner.check(v, p)));
}

export function arr<T>(item: Schema<T>, maxLength = 50_000_000): Schema<T[]> {
  return schema((v, p) => {
    if (!Array.isArray(v)) return `${p}: expected an array, got ${describe(v)}`;
    if (v.length > maxLength) return `${p}: more than ${maxLength} items`;
    for (let i = 0; i < v.length; i++) {
      const error = item.check(v[i], `${p}[${i}]`);
      if (error !== null) return error;
    }
    return null;
  });
}

type Shape = Record<string, Schema<unknown>>;
export type InferShape<S extends Shape> = { [K in keyof S]: Infer<S[K]> };

export interface ObjectSchema<S extends Shape> extends Schema<InferShape<S>> {
  readonly shape: S;
}

/** An object with exactly these properties (extra properties are tolerated and ignored). */
export function obj<S extends Shape>(shape: S): ObjectSchema<S> {
  const entries = Object.entries(shape);
  return {
    shape,
    check(v, p) {
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        return `${p}: expected an object, got ${describe(v)}`;
      const record = v as Record<string, unknown>;
      for (const [key, inner] of entries) {
        if (!(key in record)) return `${p}.${key}: missing`;
        const error = inner.check(record[key], `${p}.${key}`);
        if (error !== null) return error;
      }
      return null;
    },
  };
}

/**
 * A discriminated union over the string property `tag`: the tag picks the one variant to check, so an
 * error names the variant's misfit instead of every variant's.
 */
export function tagged<K extends string, V extends ObjectSchema<Shape>[]>(
  tag: K,
  variants: V,
): Schema<Infer<V[number]>> {
  const byTag = new Map<unknown, Schema<unknown>>();
  for (const variant of variants) {
    const tagSchema: Partial<LiteralSchema<unknown>> | undefined = variant.shape[tag];
    const value = tagSchema?.expected;
    if (value === undefined) throw new Error(`tagged(): a variant lacks a literal "${tag}"`);
    byTag.set(value, variant);
  }
  return schema((v, p) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return `${p}: expected an object, got ${describe(v)}`;
    const tagValue = (v as Record<string, unknown>)[tag];
    const variant = byTag.get(tagValue);
    if (variant === undefined) {
      return `${p}.${tag}: unknown ${tag} ${describe(tagValue)} (known: ${[...byTag.keys()].join(', ')})`;
    }
    return variant.check(v, p);
  });
}
