/**
 * IR rewrites before lowering: peepholes that name a computation by its op (sigmoid, relu, square),
 * a clip recognised for the message, and chains of one reduction.
 */
import { exprEquals, freeVars, mapChildren, type Expr } from '../../analysis/ir.js';

/** Peepholes that name a computation by its op: sigmoid, relu, square, clip. */
export function simplify(e: Expr): Expr {
  const s = mapChildren(e, simplify);
  if (s.kind === 'binary') {
    // 1 / (1 + exp(-x)) → sigmoid(x)
    if (s.op === '/' && isConst(s.a, 1) && s.b.kind === 'binary' && s.b.op === '+') {
      const [one, ex] = isConst(s.b.a, 1) ? [s.b.a, s.b.b] : [s.b.b, s.b.a];
      if (isConst(one, 1) && ex.kind === 'unary' && ex.op === 'exp' && ex.arg.kind === 'unary' && ex.arg.op === 'neg') {
        return { kind: 'unary', op: 'sigmoid', arg: ex.arg.arg };
      }
    }
    // Math.max(x, 0) → relu(x)   (NaN propagates in both)
    if (s.op === 'max' && (isConst(s.b, 0) || isConst(s.a, 0))) {
      const x = isConst(s.b, 0) ? s.a : s.b;
      if (freeVars(x).size > 0) return { kind: 'unary', op: 'relu', arg: x };
    }
    // Math.min(Math.max(x, lo), hi) → clipByValue is left to maximum/minimum: lo ≤ hi is not always provable.
    if ((s.op === '*' && exprEquals(s.a, s.b)) || (s.op === 'pow' && isConst(s.b, 2)))
      return { kind: 'unary', op: 'square', arg: s.a };
  }
  return s;
}

export function reduceChain(e: Extract<Expr, { kind: 'reduce' }>): { vars: string[]; body: Expr } {
  const vars = [e.v];
  let body = e.body;
  while (body.kind === 'reduce' && body.op === e.op) {
    vars.push(body.v);
    body = body.body;
  }
  return { vars, body };
}

const isConst = (e: Expr, v: number): boolean => e.kind === 'const' && e.value === v;

/** `min(max(x, lo), hi)` or `max(min(x, hi), lo)` with constant bounds lo ≤ hi. */
export function isClip(e: Extract<Expr, { kind: 'binary' }>): boolean {
  if (e.op !== 'min' && e.op !== 'max') return false;
  const inner = e.a.kind === 'binary' ? e.a : e.b.kind === 'binary' ? e.b : undefined;
  const outerBound = inner === e.a ? e.b : e.a;
  if (!inner || outerBound.kind !== 'const' || inner.op !== (e.op === 'min' ? 'max' : 'min')) return false;
  const [x, innerBound] =
    inner.b.kind === 'const'
      ? [inner.a, inner.b]
      : inner.a.kind === 'const'
        ? [inner.b, inner.a]
        : [undefined, undefined];
  if (!x || !innerBound || innerBound.kind !== 'const') return false;
  const [lo, hi] = e.op === 'min' ? [innerBound.value, outerBound.value] : [outerBound.value, innerBound.value];
  return Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi;
}
