/**
 * The tensor IR: a loop nest that computes a tensor is `out[I] = E` over an iteration domain.
 * Loop variables are named by the source identifier (unique within one nest).
 */
import { parseAtom, polyAtoms, type Poly } from './poly.js';

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'abs'
  | 'sqrt'
  | 'tanh'
  | 'sin'
  | 'cos'
  | 'floor'
  | 'ceil'
  | 'sign'
  | 'square'
  | 'sigmoid'
  | 'relu'
  | 'round'
  | 'log1p'
  | 'expm1'
  | 'atan'
  | 'trunc'
  /** `x | 0`: ToInt32 (truncation toward zero, modulo 2^32; NaN and ±Infinity give 0). */
  | 'int32';
export type BinaryOp = '+' | '-' | '*' | '/' | 'pow' | 'max' | 'min';
export type CompareOp = '>' | '>=' | '<' | '<=' | '===' | '!==';
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'logsumexp';

export type Expr =
  /**
   * `x[a0, a1, …]`: each axis is a loop variable or a constant index. `sliced[k]` is the source text
   * of a loop bound that is not provably the axis' size: the loop reads `x[0:bound]` along it.
   */
  | {
      kind: 'access';
      tensor: string;
      axes: (string | number)[];
      sliced?: (string | undefined)[];
      /** `begin[k]`: the loop reads axis k from this loop-invariant offset on (`x[i, n + j]`); with `sliced[k]`. */
      begin?: (string | undefined)[];
    }
  /** `d[v]` over the flat data; `prefix`: over its first `prefix` elements only (a bound not the size). */
  | { kind: 'flat'; tensor: string; v: string; prefix?: string }
  | { kind: 'const'; value: number }
  /** A loop-invariant JS value, emitted by its source text; `poly` when it is a size. */
  | { kind: 'param'; text: string; poly?: Poly }
  /** The value of a loop variable. */
  | { kind: 'index'; v: string }
  | { kind: 'unary'; op: UnaryOp; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; a: Expr; b: Expr }
  | { kind: 'compare'; op: CompareOp; a: Expr; b: Expr }
  | { kind: 'logical'; op: '&&' | '||'; a: Expr; b: Expr }
  | { kind: 'not'; arg: Expr }
  | { kind: 'select'; cond: Expr; a: Expr; b: Expr }
  | { kind: 'reduce'; op: ReduceOp; v: string; body: Expr }
  | {
      kind: 'argreduce';
      op: 'argmax' | 'argmin';
      v: string;
      body: Expr;
      /** Ties go to the last index (`>=` / `<=` updates); else the first, as tf.argMax/argMin. */
      last?: boolean;
      /** The search starts from ∓Infinity and skips NaN values (`if (x > best)` from index 0). */
      skipsNaN?: boolean;
    }
  | { kind: 'cumsum'; v: string; body: Expr; exclusive: boolean }
  /** `exp(body - max_v body) / Σ_v exp(body - max_v body)` (or its log), varying along `v`. */
  | { kind: 'softmax'; v: string; body: Expr; log: boolean }
  /** `x[a0, …, index, …]`: axis `axis` is indexed by a value read from data (a gather); the others as in `access`. */
  | { kind: 'take'; tensor: string; axes: (string | number)[]; axis: number; index: Expr }
  /**
   * A row written out element by element, `rows.map((r) => [e0, e1, e2])`: along the new axis `v`
   * (of length `parts.length`) the value is `parts[k]` at position k (tf.stack).
   */
  | { kind: 'stack'; v: string; parts: Expr[] }
  /** The value an accumulator held at the start of the current iteration (lifting only). */
  | { kind: 'acc'; id: number };

export const C = (value: number): Expr => ({ kind: 'const', value });

/** Loop variables an expression varies with (reductions bind theirs). */
export function freeVars(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'access':
      for (const a of e.axes) if (typeof a === 'string') out.add(a);
      break;
    case 'flat':
    case 'index':
      out.add(e.v);
      break;
    case 'const':
    case 'param':
    case 'acc':
      break;
    case 'unary':
    case 'not':
      freeVars(e.arg, out);
      break;
    case 'binary':
    case 'compare':
    case 'logical':
      freeVars(e.a, out);
      freeVars(e.b, out);
      break;
    case 'select':
      freeVars(e.cond, out);
      freeVars(e.a, out);
      freeVars(e.b, out);
      break;
    case 'reduce':
    case 'argreduce': {
      const inner = freeVars(e.body);
      inner.delete(e.v);
      for (const v of inner) out.add(v);
      break;
    }
    case 'cumsum':
    case 'softmax':
      freeVars(e.body, out);
      break;
    case 'take':
      e.axes.forEach((a, k) => typeof a === 'string' && k !== e.axis && out.add(a));
      freeVars(e.index, out);
      break;
    case 'stack':
      out.add(e.v);
      for (const p of e.parts) freeVars(p, out);
      break;
  }
  return out;
}

export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'unary':
    case 'not':
      return [e.arg];
    case 'binary':
    case 'compare':
    case 'logical':
      return [e.a, e.b];
    case 'select':
      return [e.cond, e.a, e.b];
    case 'reduce':
    case 'argreduce':
    case 'cumsum':
    case 'softmax':
      return [e.body];
    case 'take':
      return [e.index];
    case 'stack':
      return e.parts;
    default:
      return [];
  }
}

export function someNode(e: Expr, pred: (e: Expr) => boolean): boolean {
  return pred(e) || children(e).some((c) => someNode(c, pred));
}

export const containsAcc = (e: Expr, id?: number): boolean =>
  someNode(e, (n) => n.kind === 'acc' && (id === undefined || n.id === id));

export function exprEquals(a: Expr, b: Expr): boolean {
  return JSON.stringify(a, polyReplacer) === JSON.stringify(b, polyReplacer);
}

function polyReplacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? [...value].sort() : value;
}

/** Tensors read by an expression, in first-read order. */
export function tensorsRead(e: Expr, out: string[] = []): string[] {
  if ((e.kind === 'access' || e.kind === 'flat' || e.kind === 'take') && !out.includes(e.tensor)) out.push(e.tensor);
  for (const c of children(e)) tensorsRead(c, out);
  return out;
}

/** Rebuilds an expression with each child mapped by `f`. */
export function mapChildren(e: Expr, f: (e: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'unary':
    case 'not':
      return { ...e, arg: f(e.arg) };
    case 'binary':
    case 'compare':
    case 'logical':
      return { ...e, a: f(e.a), b: f(e.b) };
    case 'select':
      return { ...e, cond: f(e.cond), a: f(e.a), b: f(e.b) };
    case 'reduce':
    case 'argreduce':
    case 'cumsum':
    case 'softmax':
      return { ...e, body: f(e.body) };
    case 'take':
      return { ...e, index: f(e.index) };
    case 'stack':
      return { ...e, parts: e.parts.map(f) };
    default:
      return e;
  }
}

/** Renames loop variable `from` to `to` (free occurrences and binders alike: names are unique in a nest). */
export function renameVar(e: Expr, from: string, to: string): Expr {
  const r = (a: string | number) => (a === from ? to : a);
  switch (e.kind) {
    case 'access':
      return { ...e, axes: e.axes.map(r) };
    case 'take':
      return { ...e, axes: e.axes.map(r), index: renameVar(e.index, from, to) };
    case 'flat':
    case 'index':
      return e.v === from ? { ...e, v: to } : e;
    case 'reduce':
    case 'argreduce':
    case 'cumsum':
    case 'softmax':
      return { ...e, v: e.v === from ? to : e.v, body: renameVar(e.body, from, to) };
    case 'stack':
      return { ...e, v: e.v === from ? to : e.v, parts: e.parts.map((c) => renameVar(c, from, to)) };
    default:
      return mapChildren(e, (c) => renameVar(c, from, to));
  }
}

/** `a` and `b` are the same expression once `b`'s variable `bv` is called `av`. */
export function equalUpTo(a: Expr, av: string, b: Expr, bv: string): boolean {
  return exprEquals(a, av === bv ? b : renameVar(b, bv, av));
}

/**
 * Whether float32 arithmetic gives exactly what JS computes in float64 from the same float32 data: only
 * reads, float32 constants, truth values, selections and ops that round nothing (neg, abs, max, floor, …).
 * A sum or a product is rounded to float32 on the backend where JS keeps 53 bits.
 */
export function exactInFloat32(e: Expr): boolean {
  switch (e.kind) {
    case 'access':
    case 'flat':
    case 'index':
      return true;
    case 'const':
      return Math.fround(e.value) === e.value || Number.isNaN(e.value);
    case 'param':
      // A size (tensor dimensions, integer constants) is an integer; any other JS value may need more than 24 bits.
      return e.poly !== undefined && [...polyAtoms(e.poly)].every((a) => parseAtom(a).kind !== 'opaque');
    case 'acc':
    case 'cumsum':
    case 'softmax':
      return false;
    case 'take':
      return exactInFloat32(e.index);
    case 'unary':
      return EXACT_UNARY.has(e.op) && exactInFloat32(e.arg);
    case 'binary':
      return (e.op === 'max' || e.op === 'min') && exactInFloat32(e.a) && exactInFloat32(e.b);
    case 'compare':
    case 'logical':
    case 'not':
      // A truth value (which branch a comparison picks is the lowering's own business).
      return true;
    case 'select':
      return exactInFloat32(e.a) && exactInFloat32(e.b);
    case 'reduce':
      return (e.op === 'max' || e.op === 'min') && exactInFloat32(e.body);
    case 'argreduce':
      return exactInFloat32(e.body);
    case 'stack':
      return e.parts.every(exactInFloat32);
  }
}

const EXACT_UNARY = new Set<UnaryOp>(['neg', 'abs', 'floor', 'ceil', 'sign', 'relu', 'round', 'trunc', 'int32']);
