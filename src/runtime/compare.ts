// Comparing what the original loop and its rewrite returned: same structure, kind, dtype and shape,
// values within a tolerance, NaN against NaN. Tensors are recognised by shape (not instanceof), so the
// comparison works whichever copy of TF.js made them. Used by the runtime's worker and by the tests.
import { DEFAULT_TOLERANCE } from './inputs.js';
import type { Tolerance } from './types.js';

/** What this module needs of a tensor. */
export interface TensorLike {
  dtype: string;
  shape: number[];
  isDisposed: boolean;
  data(): Promise<ArrayLike<unknown>>;
  dispose(): void;
}

export function isTensor(value: unknown): value is TensorLike {
  // Duck-typed: the runtime and a user module may hold different copies of tfjs-core.
  return (
    typeof value === 'object' &&
    value !== null &&
    'dataId' in value &&
    Array.isArray((value as unknown as TensorLike).shape) &&
    typeof (value as unknown as TensorLike).data === 'function'
  );
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** The distinct tensors inside a result (arrays and plain objects are searched). */
export function collectTensors(value: unknown, out = new Set<TensorLike>()): Set<TensorLike> {
  if (isTensor(value)) out.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, out);
  else if (isPlainObject(value)) for (const v of Object.values(value)) collectTensors(v, out);
  return out;
}

/** Disposes the tensors in `value` except those in `keep` (e.g. inputs returned as they are). */
export function disposeTensors(value: unknown, keep: ReadonlySet<unknown> = new Set()): void {
  for (const t of collectTensors(value)) if (!keep.has(t) && !t.isDisposed) t.dispose();
}

/** What a call returned and how many tensors it left alive besides the new ones it returned. */
export interface CountedCall {
  value: unknown;
  /**
   * Tensors alive after the call minus before, not counting the new tensors in the result; inputs it disposed count
   * back.
   */
  leaked: number;
  /** Distinct new tensors in the result. */
  returnedTensors: number;
  ms: number;
}

/** Calls `fn(...inputs)`, awaits it, and counts tensors with `numTensors` (TF.js's `tf.memory().numTensors`). */
export async function callCountingTensors(
  numTensors: () => number,
  fn: (...args: unknown[]) => unknown,
  inputs: readonly unknown[],
): Promise<CountedCall> {
  const inputTensors = inputs.filter(isTensor);
  const disposedBefore = inputTensors.filter((t) => t.isDisposed).length;
  const before = numTensors();
  const start = performance.now();
  const value: unknown = await fn(...inputs);
  const ms = performance.now() - start;
  const after = numTensors();
  const inputSet = new Set<unknown>(inputTensors);
  const returned = [...collectTensors(value)].filter((t) => !inputSet.has(t) && !t.isDisposed).length;
  const disposedInputs = inputTensors.filter((t) => t.isDisposed).length - disposedBefore;
  return { value, leaked: after - before - returned + disposedInputs, returnedTensors: returned, ms };
}

// ───────────────────────────── comparison ─────────────────────────────

type Normal =
  | {
      kind: 'numeric';
      source: 'tensor' | 'typed array' | 'array' | 'number';
      label: string;
      shape: number[];
      values: ArrayLike<unknown>;
    }
  | { kind: 'list'; items: Normal[] }
  | { kind: 'record'; entries: [string, Normal][] }
  | { kind: 'other'; value: unknown };

/** Shape of a rectangular nested array of numbers, or undefined. */
function nestedShape(value: unknown): number[] | undefined {
  if (typeof value === 'number') return [];
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0) return [0];
  const inner = nestedShape(value[0]);
  if (!inner) return undefined;
  for (let i = 1; i < value.length; i++) {
    const s = nestedShape(value[i]);
    if (!s || s.length !== inner.length || s.some((d, k) => d !== inner[k])) return undefined;
  }
  return [value.length, ...inner];
}

async function normalize(value: unknown): Promise<Normal> {
  if (isTensor(value)) {
    if (value.isDisposed)
      return { kind: 'other', value: `<disposed ${value.dtype} tensor [${value.shape.join(', ')}]>` };
    return {
      kind: 'numeric',
      source: 'tensor',
      label: value.dtype,
      shape: [...value.shape],
      values: await value.data(),
    };
  }
  if (typeof value === 'number')
    return { kind: 'numeric', source: 'number', label: 'number', shape: [], values: [value] };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as ArrayLike<unknown>;
    return { kind: 'numeric', source: 'typed array', label: value.constructor.name, shape: [arr.length], values: arr };
  }
  if (Array.isArray(value)) {
    const shape = value.length > 0 ? nestedShape(value) : [0];
    if (shape)
      return { kind: 'numeric', source: 'array', label: 'number', shape, values: (value as unknown[]).flat(Infinity) };
    return { kind: 'list', items: await Promise.all(value.map(normalize)) };
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return {
      kind: 'record',
      entries: await Promise.all(keys.map(async (k) => [k, await normalize(value[k])] as [string, Normal])),
    };
  }
  return { kind: 'other', value };
}

/**
 * The first value of a result that is not a finite number (NaN, ±Infinity), as a difference from what a
 * gradient case expects: the training step the suggestion changes must still give finite numbers.
 * undefined when all are finite.
 */
export async function firstNonFinite(value: unknown): Promise<Difference | undefined> {
  const found = (path: string, index: number | undefined, v: number): Difference => ({
    path,
    what: 'not finite',
    ...(index !== undefined ? { index } : {}),
    expected: 'a finite number (the training step with the suggestion)',
    actual: String(v),
  });
  const visit = (n: Normal, path: string): Difference | undefined => {
    switch (n.kind) {
      case 'numeric':
        for (let i = 0; i < n.values.length; i++) {
          const v = n.values[i];
          if (typeof v === 'number' && !Number.isFinite(v)) return found(path, n.shape.length > 0 ? i : undefined, v);
        }
        return undefined;
      case 'list':
        for (const [k, item] of n.items.entries()) {
          const hit = visit(item, `${path}[${k}]`);
          if (hit) return hit;
        }
        return undefined;
      case 'record':
        for (const [k, item] of n.entries) {
          const hit = visit(item, `${path}.${k}`);
          if (hit) return hit;
        }
        return undefined;
      case 'other':
        return undefined;
    }
  };
  return visit(await normalize(value), 'result');
}

function describeNormal(n: Normal): string {
  switch (n.kind) {
    case 'numeric':
      return n.source === 'number'
        ? 'a number'
        : `${n.source === 'tensor' ? `a ${n.label} tensor` : n.source === 'typed array' ? `a ${n.label}` : 'a nested number array'} of shape [${n.shape.join(', ')}]`;
    case 'list':
      return `an array of ${n.items.length}`;
    case 'record':
      return `an object {${n.entries.map(([k]) => k).join(', ')}}`;
    case 'other':
      return n.value === null
        ? 'null'
        : typeof n.value === 'string'
          ? JSON.stringify(n.value)
          : // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any other value, as JS prints it
            `${typeof n.value} ${String(n.value)}`;
  }
}

export interface Comparison {
  ok: boolean;
  /** Empty when ok; otherwise where and how the results differ. */
  message: string;
  /** Largest |actual − expected| over finite pairs. */
  maxAbsError: number;
  /** Number of elements compared. */
  compared: number;
  /** The first difference, for a one-line report. */
  first?: Difference;
}

/** Where results first differ: `path` is `result`, `result[1]`, `result.loss`; `index` a flat index into it. */
export interface Difference {
  path: string;
  /** `not finite`: a gradient case's training step gave NaN or ±Infinity (firstNonFinite). */
  what: 'structure' | 'shape' | 'value' | 'not finite';
  index?: number;
  expected: string;
  actual: string;
}

/** Tensor dtypes and typed arrays whose values are integers: compared exactly. */
const EXACT_LABELS = new Set([
  'int32',
  'bool',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
]);

type State = { maxAbsError: number; compared: number; failures: string[]; first?: Difference };

function unflatten(index: number, shape: readonly number[]): number[] {
  const idx: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    idx.unshift(index % shape[k]);
    index = Math.floor(index / shape[k]);
  }
  return idx;
}

/**
 * Compares what the original returned (`expected`) with what the fixed version returned (`actual`):
 * same structure, same kind (tensor / typed array / nested array / number) and dtype, same shape, and
 * every value within atol + rtol·|expected| — exactly, for int32 / bool tensors and integer typed
 * arrays. NaN must meet NaN and ±Infinity itself at the same position.
 */
export async function compareResults(
  expected: unknown,
  actual: unknown,
  tolerance: Tolerance = DEFAULT_TOLERANCE,
): Promise<Comparison> {
  const state: State = { maxAbsError: 0, compared: 0, failures: [] };
  compareNormal(await normalize(expected), await normalize(actual), 'result', tolerance, state);
  return {
    ok: state.failures.length === 0,
    message: state.failures.join('\n'),
    maxAbsError: state.maxAbsError,
    compared: state.compared,
    ...(state.first ? { first: state.first } : {}),
  };
}

function compareNormal(e: Normal, a: Normal, where: string, tol: Tolerance, state: State): void {
  const fail = (msg: string, first?: Omit<Difference, 'path'>): void => {
    state.failures.push(`${where}: ${msg}`);
    state.first ??= {
      path: where,
      ...(first ?? { what: 'structure', expected: describeNormal(e), actual: describeNormal(a) }),
    };
  };
  if (
    e.kind !== a.kind ||
    (e.kind === 'numeric' && a.kind === 'numeric' && (e.source !== a.source || e.label !== a.label))
  ) {
    return fail(`expected ${describeNormal(e)}, got ${describeNormal(a)}`);
  }
  if (e.kind === 'list' && a.kind === 'list') {
    if (e.items.length !== a.items.length) return fail(`expected ${describeNormal(e)}, got ${describeNormal(a)}`);
    e.items.forEach((item, i) => compareNormal(item, a.items[i], `${where}[${i}]`, tol, state));
    return;
  }
  if (e.kind === 'record' && a.kind === 'record') {
    const ek = e.entries.map(([k]) => k).join(',');
    if (ek !== a.entries.map(([k]) => k).join(','))
      return fail(`expected ${describeNormal(e)}, got ${describeNormal(a)}`);
    e.entries.forEach(([k, v], i) => compareNormal(v, a.entries[i][1], `${where}.${k}`, tol, state));
    return;
  }
  if (e.kind === 'other' && a.kind === 'other') {
    if (!Object.is(e.value, a.value)) fail(`expected ${describeNormal(e)}, got ${describeNormal(a)}`);
    return;
  }
  if (e.kind !== 'numeric' || a.kind !== 'numeric') return;
  if (e.shape.length !== a.shape.length || e.shape.some((d, i) => d !== a.shape[i])) {
    return fail(
      `shape differs: expected [${e.shape.join(', ')}], got [${a.shape.join(', ')}] (${describeNormal(e)} vs ${describeNormal(a)})`,
      {
        what: 'shape',
        expected: `[${e.shape.join(', ')}]`,
        actual: `[${a.shape.join(', ')}]`,
      },
    );
  }
  let firstBad = -1;
  let bad = 0;
  let worst = -1;
  let worstErr = 0;
  const n = e.values.length;
  // Integer and boolean results (argmax indices, counts, masks) must match exactly: a tolerance for
  // them would hide an off-by-one.
  const exact = EXACT_LABELS.has(e.label);
  for (let i = 0; i < n; i++) {
    const ev = e.values[i];
    const av = a.values[i];
    let ok: boolean;
    if (typeof ev === 'number' && typeof av === 'number') {
      if (Number.isNaN(ev) || Number.isNaN(av)) ok = Number.isNaN(ev) && Number.isNaN(av);
      else if (!Number.isFinite(ev) || !Number.isFinite(av)) ok = ev === av;
      else {
        const err = Math.abs(av - ev);
        if (err > worstErr) {
          worstErr = err;
          worst = i;
        }
        ok = exact ? err === 0 : err <= tol.atol + tol.rtol * Math.abs(ev);
      }
    } else ok = Object.is(ev, av);
    if (!ok) {
      bad++;
      if (firstBad < 0) firstBad = i;
    }
  }
  state.compared += n;
  state.maxAbsError = Math.max(state.maxAbsError, worstErr);
  if (bad === 0) return;
  const idx = (i: number) => (e.shape.length > 1 ? ` (index [${unflatten(i, e.shape).join(', ')}])` : '');
  const ev = e.values[firstBad];
  const av = a.values[firstBad];
  const errText =
    typeof ev === 'number' && typeof av === 'number' && Number.isFinite(ev) && Number.isFinite(av)
      ? ` (abs error ${Math.abs(av - ev)}, allowed ${exact ? `0 for ${e.label}` : tol.atol + tol.rtol * Math.abs(ev)})`
      : '';
  fail(
    `${bad} of ${n} values differ (tolerance ${tol.atol} + ${tol.rtol}·|expected|); ` +
      `first at flat index ${firstBad}${idx(firstBad)}: expected ${String(ev)}, got ${String(av)}${errText}; ` +
      `max abs error ${worstErr}${worst >= 0 ? ` at flat index ${worst}${idx(worst)}` : ''}`,
    { what: 'value', index: firstBad, expected: String(ev), actual: String(av) },
  );
}
