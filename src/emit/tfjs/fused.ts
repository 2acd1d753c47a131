/**
 * Single ops recognised while lowering, where the IR's element-wise form has a TF.js op of its own:
 * matrix products (`Σ_k a·b` → matMul / dot), one-hot encodings, two-pass variances (`tf.moments`).
 */
import { equalUpTo, freeVars, type Expr } from '../../analysis/ir.js';
import { constPoly, polyConstant, polyEquals, type Poly } from '../../analysis/poly.js';
import { formatNumber, type LowerSteps, type TV } from './values.js';

/** Matrix-vector, vector-matrix, matrix-matrix and dot products. */
export function contraction(s: Pick<LowerSteps, 'tf'>, v: string, p: TV, q: TV): TV | undefined {
  if (!p.tensor || !q.tensor || !p.axes.includes(v) || !q.axes.includes(v) || p.axes.length > 2 || q.axes.length > 2)
    return undefined;
  const po = p.axes.filter((a) => a !== v);
  const qo = q.axes.filter((a) => a !== v);
  if (po.some((a) => qo.includes(a))) return undefined;
  const ops = p.ops + q.ops + 1;
  if (po.length === 0 && qo.length === 0)
    return {
      code: `${s.tf('dot')}(${p.code}, ${q.code})`,
      tensor: true,
      axes: [],
      dtype: 'float',
      ops,
      top: 'a dot product',
    };
  if (po.length === 1 && qo.length === 0) {
    const code = p.axes[1] === v ? `${s.tf('dot')}(${p.code}, ${q.code})` : `${s.tf('dot')}(${q.code}, ${p.code})`;
    return { code, tensor: true, axes: po, dtype: 'float', ops, top: 'a matrix-vector product' };
  }
  if (po.length === 0 && qo.length === 1) return contraction(s, v, q, p);
  const ta = p.axes[0] === v;
  const tb = q.axes[1] === v;
  const flags = ta || tb ? `, ${ta}, ${tb}` : '';
  return {
    code: `${s.tf('matMul')}(${p.code}, ${q.code}${flags})`,
    tensor: true,
    axes: [po[0], qo[0]],
    dtype: 'float',
    ops,
    top: 'a matrix product',
  };
}

/** `k === idx[…] ? on : off` along a new axis `k` → `tf.oneHot(idx, depth)`. */
export function oneHot(s: LowerSteps, e: Extract<Expr, { kind: 'select' }>): TV | undefined {
  const c = e.cond;
  if (c.kind !== 'compare' || c.op !== '===' || e.a.kind !== 'const' || e.b.kind !== 'const') return undefined;
  const [k, E] = c.a.kind === 'index' ? [c.a.v, c.b] : c.b.kind === 'index' ? [c.b.v, c.a] : [undefined, undefined];
  if (!k || !E || freeVars(E).has(k)) return undefined;
  const idx = s.lower(E);
  if (!idx.tensor) return undefined;
  const ints = idx.dtype === 'int' ? idx : { ...idx, code: `${s.tf('cast')}(${idx.code}, 'int32')`, ops: idx.ops + 1 };
  const depth = s.nest.loops.get(k)!.boundText;
  const constant = polyConstant(s.nest.loops.get(k)!.bound);
  // tf.oneHot refuses a depth below 2: a constant one gets the plain where(equal(…)) form instead.
  if (constant !== undefined && constant < 2) return undefined;
  if (constant === undefined) s.caveats.add(`tf.oneHot throws when \`${depth}\` is less than 2`);
  const plain = e.a.value === 1 && e.b.value === 0;
  const code = `${s.tf('oneHot')}(${ints.code}, ${depth}${plain ? '' : `, ${formatNumber(e.a.value)}, ${formatNumber(e.b.value)}, 'float32'`})`;
  return {
    code,
    tensor: true,
    axes: [...idx.axes, k],
    dtype: plain ? 'int' : 'float',
    ops: ints.ops + 1,
    top: 'a one-hot encoding',
  };
}

/** `Σ_v (A - Σ_w A_w / n)² / n` → `tf.moments(A, k).variance` (the same two-pass algorithm). */
export function variance(s: LowerSteps, v: string, body: Expr, count: Poly): TV | undefined {
  if (body.kind !== 'unary' || body.op !== 'square' || body.arg.kind !== 'binary' || body.arg.op !== '-')
    return undefined;
  const [A, mu] = [body.arg.a, body.arg.b];
  if (mu.kind !== 'binary' || mu.op !== '/' || mu.a.kind !== 'reduce' || mu.a.op !== 'sum') return undefined;
  const d = mu.b.kind === 'param' ? mu.b.poly : mu.b.kind === 'const' ? constPoly(mu.b.value) : undefined;
  if (!d || !polyEquals(d, count) || !equalUpTo(A, v, mu.a.body, mu.a.v)) return undefined;
  const a = s.lower(A);
  const k = a.axes.indexOf(v);
  if (!a.tensor || k < 0) return undefined;
  const rest = a.axes.filter((x) => x !== v);
  const where =
    rest.length === 0 ? 'all elements' : a.axes.length === 2 ? (k === 1 ? 'each row' : 'each column') : `axis ${k}`;
  const code = `${s.tf('moments')}(${a.code}${rest.length === 0 ? '' : `, ${k}`}).variance`;
  s.caveats.add('over an empty axis the loop gives NaN (0 / 0), tf.moments gives 0', 'non-empty');
  // moments also computes the mean: two tensors, so the caller's tidy disposes it.
  return {
    code,
    tensor: true,
    axes: rest,
    dtype: 'float',
    ops: a.ops + 2,
    top: `the variance over ${where}`,
    float: true,
  };
}
