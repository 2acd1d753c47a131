// Inputs of a region: the `// @inputs` notation (shared with the fixture format, fixtures/README.md),
// scaling a declared input set to a benchmark size, synthesising inputs from a function's parameter
// types when nothing is declared, and building the tensors from a seeded generator.
import type { InputSpec, TensorDType, Tolerance } from './types.js';

export const DEFAULT_TOLERANCE: Readonly<Tolerance> = { atol: 1e-3, rtol: 1e-3 };
export const DEFAULT_SEED = 0x5eed;

/** Splits at commas that are not inside brackets. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** A number as written in a directive, NaN and ±Infinity included. */
export function parseNumber(text: string, where: string): number {
  const t = text.trim();
  const special: Record<string, number> = {
    NaN: NaN,
    Infinity: Infinity,
    '+Infinity': Infinity,
    '-Infinity': -Infinity,
  };
  if (t in special) return special[t];
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) throw new Error(`${where}: '${t}' is not a number`);
  return Number(t);
}

/** `x: float32[6, 5], labels: int32[6] < 5, k: number = 3` → specs. Throws with `where` on anything malformed. */
export function parseInputs(arg: string, where: string): InputSpec[] {
  const specs: InputSpec[] = [];
  for (const item of splitTopLevel(arg)) {
    const num = /^([A-Za-z_$][\w$]*)\s*:\s*number\s*=\s*(\S+)$/.exec(item);
    if (num) {
      specs.push({ kind: 'number', name: num[1], value: parseNumber(num[2], where) });
      continue;
    }
    const bool = /^([A-Za-z_$][\w$]*)\s*:\s*boolean\s*=\s*(true|false)$/.exec(item);
    if (bool) {
      specs.push({ kind: 'boolean', name: bool[1], value: bool[2] === 'true' });
      continue;
    }
    const ten =
      /^([A-Za-z_$][\w$]*)\s*:\s*(float32|int32|bool)\s*\[([^\]]*)\]\s*(?:<\s*([^=\s]+))?\s*(?:=\s*\[(.*)\])?$/.exec(
        item,
      );
    if (!ten) {
      throw new Error(
        `${where}: cannot read input '${item}'; expected 'name: float32|int32|bool[d0, d1, …]' with an optional '< K' or '= [values]', 'name: number = 3' or 'name: boolean = true'`,
      );
    }
    const [, name, dtype, dimText, belowText, valuesText] = ten;
    const shape = dimText.trim() === '' ? [] : dimText.split(',').map((d) => d.trim());
    if (shape.some((d) => !/^\d+$/.test(d)))
      throw new Error(`${where}: input ${name} has dims [${dimText}]; dims must be non-negative integers`);
    const spec: InputSpec = { kind: 'tensor', name, dtype: dtype as TensorDType, shape: shape.map(Number) };
    if (belowText !== undefined) {
      const below = parseNumber(belowText, where);
      if (
        dtype === 'bool' ||
        !(below > 0) ||
        !Number.isFinite(below) ||
        (dtype === 'int32' && !Number.isInteger(below))
      ) {
        throw new Error(
          `${where}: input ${name}: '< ${belowText}' needs a positive bound (an integer for int32, none for bool)`,
        );
      }
      spec.below = below;
    }
    if (valuesText !== undefined) {
      const values = splitTopLevel(valuesText).map((v) => parseNumber(v, where));
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (values.length !== size)
        throw new Error(
          `${where}: input ${name} has ${values.length} values for shape [${spec.shape.join(', ')}] (${size} elements)`,
        );
      spec.values = values;
    }
    specs.push(spec);
  }
  const names = specs.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`${where}: input '${dup}' is declared twice`);
  return specs;
}

/** `@tolerance A [R]` → a tolerance; one number sets both. */
export function parseTolerance(arg: string, where: string): Tolerance {
  const parts = arg.split(/\s+/).map(Number);
  if (parts.length < 1 || parts.length > 2 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new Error(`${where}: @tolerance takes one or two non-negative numbers (absolute [relative]), got '${arg}'`);
  }
  return { atol: parts[0], rtol: parts[1] ?? parts[0] };
}

export function describeInputs(specs: readonly InputSpec[]): string {
  if (specs.length === 0) return '(no inputs)';
  return specs
    .map((s) =>
      s.kind !== 'tensor'
        ? `${s.name} = ${s.value}`
        : `${s.name}: ${s.dtype}[${s.shape.join(', ')}]${s.below !== undefined ? ` < ${s.below}` : ''}${s.values ? ' = […]' : ''}`,
    )
    .join(', ');
}

/** mulberry32: a tiny deterministic PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of the `index`-th input set of a file whose seed is `seed`. */
export const inputSetSeed = (seed: number, index: number) => (seed + Math.imul(index, 0x9e3779b9)) >>> 0;

/** The subset of TF.js that building inputs needs (the runtime passes its own TF.js). */
export interface TensorFactory<T> {
  tensor(values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype?: 'float32' | 'int32' | 'bool'): T;
}

/**
 * Builds the values a spec list describes: tensors (floats uniform in [-2, 2], int32 uniform in
 * [-8, 8], `< K` uniform in [0, K), bool fair coins) and plain numbers. The same seed gives the same values.
 */
export function buildInputs<T>(
  tf: TensorFactory<T>,
  specs: readonly InputSpec[],
  seed: number,
): (T | number | boolean)[] {
  const rng = mulberry32(seed);
  return specs.map((spec) => {
    if (spec.kind !== 'tensor') return spec.value;
    const size = spec.shape.reduce((a, b) => a * b, 1);
    // Typed arrays, not number[]: TF.js checks and flattens a JS array element by element, which takes
    // seconds at a benchmark size (10⁶ values), and bench builds fresh inputs for every timed call.
    const values =
      spec.dtype === 'float32'
        ? new Float32Array(size)
        : spec.dtype === 'int32'
          ? new Int32Array(size)
          : new Uint8Array(size);
    const next =
      spec.dtype === 'bool'
        ? () => (rng() < 0.5 ? 1 : 0)
        : spec.dtype === 'int32'
          ? () => (spec.below !== undefined ? Math.floor(rng() * spec.below) : Math.floor(rng() * 17) - 8)
          : () => (spec.below !== undefined ? rng() * spec.below : rng() * 4 - 2);
    for (let i = 0; i < size; i++)
      values[i] = spec.values ? (spec.dtype === 'bool' ? Number(spec.values[i] !== 0) : spec.values[i]) : next();
    return spec.typed ? (values as unknown as T) : tf.tensor(values, spec.shape, spec.dtype);
  });
}

// ───────────────────────────── directives in user files ─────────────────────────────

export interface RegionDirectives {
  inputSets: InputSpec[][];
  tolerance?: Tolerance;
  seed?: number;
}

/**
 * Reads `// @inputs …`, `// @tolerance …` and `// @seed N` from comment lines. The runtime looks at the
 * comments right above the function that holds the loop, and for a fixture-style file at its header.
 * Other `@directives` (a fixture's `@expect`, `@differs`) are not the runtime's and are ignored.
 */
export function readDirectives(commentLines: readonly string[], where: (i: number) => string): RegionDirectives {
  const out: RegionDirectives = { inputSets: [] };
  commentLines.forEach((raw, i) => {
    const m = /^\s*(?:\/\/|\/?\*+)?\s*@(inputs|tolerance|seed)\b(.*)$/.exec(raw);
    if (!m) return;
    const arg = m[2]
      .trim()
      .replace(/\*\/\s*$/, '')
      .trim();
    if (m[1] === 'inputs') out.inputSets.push(parseInputs(arg, where(i)));
    else if (m[1] === 'tolerance') out.tolerance = parseTolerance(arg, where(i));
    else {
      if (!/^\d+$/.test(arg)) throw new Error(`${where(i)}: @seed takes a non-negative integer, got '${arg}'`);
      out.seed = Number(arg) >>> 0;
    }
  });
  return out;
}

// ───────────────────────────── scaling to a benchmark size ─────────────────────────────

/**
 * Scales a declared input set so that its largest tensor has about `size`² elements, keeping the shape
 * relations the set encodes: every occurrence of one dimension value maps to one new value, so axes
 * that were equal stay equal, and a `< K` bound or a `number` input equal to a scaled dimension scales
 * with it (it is a size or a class count). Dimensions that appear as numeric literals in the code
 * (a channel count in `d[i * 4 + c]`), 0 and 1 are kept. Inputs with fixed `= [values]` cannot grow:
 * such a set is returned unchanged with `scaled: false`.
 */
export function scaleInputSet(
  specs: readonly InputSpec[],
  size: number,
  literals: ReadonlySet<number>,
): { specs: InputSpec[]; scaled: boolean } {
  if (specs.some((s) => s.kind === 'tensor' && s.values)) return { specs: [...specs], scaled: false };
  const scalable = (d: number) => d > 1 && !literals.has(d);
  // The most scalable axes any one tensor has decides the per-axis size: n^k ≈ size².
  const most = Math.max(0, ...specs.map((s) => (s.kind === 'tensor' ? s.shape.filter(scalable).length : 0)));
  if (most === 0) return { specs: [...specs], scaled: false };
  const perAxis = Math.max(2, Math.round(size ** (2 / most)));
  const map = (d: number) => (scalable(d) ? perAxis : d);
  const dims = new Set<number>();
  for (const s of specs) if (s.kind === 'tensor') for (const d of s.shape) if (scalable(d)) dims.add(d);
  return {
    scaled: true,
    specs: specs.map((s) => {
      if (s.kind === 'boolean') return { ...s };
      if (s.kind === 'number') return dims.has(s.value) ? { ...s, value: perAxis } : { ...s };
      const out: InputSpec = { ...s, shape: s.shape.map(map) };
      if (s.below !== undefined && dims.has(s.below)) out.below = perAxis;
      return out;
    }),
  };
}
