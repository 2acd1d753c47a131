/**
 * Names computations the IR spells out element by element: a max-subtracted softmax (and its log)
 * becomes one `softmax` node. Runs on lifted outputs, before blockers and caveats are collected, so
 * that notes about a part the idiom makes irrelevant (the running max of a softmax over an empty
 * row, which never reaches an output element) are dropped with it.
 */
import { children, equalUpTo, freeVars, mapChildren, type Expr } from './ir.js';

/**
 * Rewrites `e` bottom-up. Unchanged subtrees keep their identity; `moved(from, to)` is called for
 * each rebuilt node and for each idiom that keeps the notes of what it replaces (log-sum-exp keeps
 * the empty-axis caveat of its max; softmax does not, since an empty axis has no output element).
 */
export function recognizeIdioms(e: Expr, moved: (from: Expr, to: Expr) => void): Expr {
  const before = children(e);
  const rebuilt = mapChildren(e, (c) => recognizeIdioms(c, moved));
  const after = children(rebuilt);
  const s = after.every((c, k) => c === before[k]) ? e : rebuilt;
  if (s !== e) moved(e, s);
  const sm = softmax(s);
  if (sm) return sm;
  const lse = logSumExp(s);
  if (lse) {
    moved(s, lse);
    collect(s, (n) => moved(n, lse));
    return lse;
  }
  return s;
}

function collect(e: Expr, f: (e: Expr) => void): void {
  f(e);
  children(e).forEach((c) => collect(c, f));
}

/** `max_u X + log(Σ_w exp(X_w - max_u X))` → log-sum-exp of `X` along `w`. */
function logSumExp(e: Expr): Expr | undefined {
  if (e.kind !== 'binary' || e.op !== '+') return undefined;
  for (const [m, l] of [
    [e.a, e.b],
    [e.b, e.a],
  ] as const) {
    if (m.kind !== 'reduce' || m.op !== 'max' || l.kind !== 'unary' || l.op !== 'log') continue;
    const s = l.arg;
    if (s.kind !== 'reduce' || s.op !== 'sum' || s.body.kind !== 'unary' || s.body.op !== 'exp') continue;
    const E = s.body.arg;
    if (E.kind !== 'binary' || E.op !== '-' || (E.b !== m && !equalUpTo(E.b, s.v, m, s.v))) continue;
    if (equalUpTo(E.a, s.v, m.body, m.v)) return { kind: 'reduce', op: 'logsumexp', v: s.v, body: E.a };
  }
  return undefined;
}

/** `X - max_w X` when `X` varies along `u`: returns `X`. */
function maxSubtracted(e: Expr, u: string): Expr | undefined {
  if (e.kind !== 'binary' || e.op !== '-') return undefined;
  const m = e.b;
  if (m.kind !== 'reduce' || m.op !== 'max' || !freeVars(e.a).has(u)) return undefined;
  return equalUpTo(e.a, u, m.body, m.v) ? e.a : undefined;
}

/** `Σ_w exp(E_w)` that equals `Σ_u exp(E)`: the denominator of a softmax of `E` along `u`. */
function sumOfExp(s: Expr, E: Expr, u: string): boolean {
  return (
    s.kind === 'reduce' &&
    s.op === 'sum' &&
    s.body.kind === 'unary' &&
    s.body.op === 'exp' &&
    equalUpTo(E, u, s.body.arg, s.v)
  );
}

function softmax(e: Expr): Expr | undefined {
  // exp(X - max X) / Σ exp(X - max X)
  if (e.kind === 'binary' && e.op === '/' && e.a.kind === 'unary' && e.a.op === 'exp') {
    const E = e.a.arg;
    for (const u of freeVars(E)) {
      const X = maxSubtracted(E, u);
      if (X && sumOfExp(e.b, E, u)) return { kind: 'softmax', v: u, body: X, log: false };
    }
  }
  // X - max X - log(Σ exp(X - max X))
  if (e.kind === 'binary' && e.op === '-' && e.b.kind === 'unary' && e.b.op === 'log') {
    const E = e.a;
    for (const u of freeVars(E)) {
      const X = maxSubtracted(E, u);
      if (X && sumOfExp(e.b.arg, E, u)) return { kind: 'softmax', v: u, body: X, log: true };
    }
  }
  return undefined;
}
