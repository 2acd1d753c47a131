/**
 * Tensor reads: an access (constant subscripts select, a sliced bound reads a prefix), a lookup
 * table turned into a tensor, and gathers by an index read from data.
 */
import type { Expr } from '../../analysis/ir.js';
import { LowerError, type DType, type LowerSteps, type TV } from './values.js';

/** The tensor a name stands for: itself, or a lookup table turned into a tensor. */
function source(s: LowerSteps, name: string): { code: string; ops: number; dtype: DType; float: boolean } {
  const literal = s.nest.tensors.get(name)?.literal;
  if (!literal) return { code: name, ops: 0, dtype: 'float', float: false };
  return {
    code: `${s.tf('tensor')}(${name}${literal.ints ? ", undefined, 'int32'" : ''})`,
    ops: 1,
    dtype: literal.ints ? 'int' : 'float',
    float: !literal.ints,
  };
}

export function access(s: LowerSteps, e: Extract<Expr, { kind: 'access' }>): TV {
  s.lowered.add(e);
  const src = source(s, e.tensor);
  let code = src.code;
  let ops = src.ops;
  if (e.sliced?.some((b) => b !== undefined)) {
    const begin = e.axes.map((_, k) => e.begin?.[k] ?? 0);
    code = `${s.tf('slice')}(${code}, [${begin.join(', ')}], [${e.sliced.map((b) => b ?? -1).join(', ')}])`;
    ops++;
  }
  const axes: string[] = [];
  // Constant indices select along their axis (gather with a scalar index drops the axis).
  let removed = 0;
  e.axes.forEach((a, k) => {
    if (typeof a === 'number') {
      code = `${s.tf('gather')}(${code}, ${a}, ${k - removed})`;
      ops++;
      removed++;
    } else axes.push(a);
  });
  return { code, tensor: true, axes, dtype: src.dtype, ops, float: src.float };
}

/**
 * `x[i, idx[i]]` → `tf.gatherND(x, tf.stack([tf.range(0, n, 1, 'int32'), idx], 1))` (the leading
 * axis is a batch axis shared with the index); `p[idx[i], c]` → `tf.gather(p, idx, 0)` (the index's
 * axes replace the gathered one).
 */
export function take(s: LowerSteps, e: Extract<Expr, { kind: 'take' }>): TV {
  const idx = s.lower(e.index);
  if (!idx.tensor) throw new LowerError('gather with a constant index');
  if (e.axes.some((a, k) => k !== e.axis && typeof a !== 'string'))
    throw new LowerError('gather with constant subscripts');
  const before = e.axes.slice(0, e.axis) as string[];
  const after = e.axes.slice(e.axis + 1) as string[];
  const ints = idx.dtype === 'int' ? idx : { ...idx, code: `${s.tf('cast')}(${idx.code}, 'int32')`, ops: idx.ops + 1 };
  const src = source(s, e.tensor);
  const ops = ints.ops + src.ops + 1;
  const top = 'a gather';
  // Batch form: the index varies exactly along the one axis before the gathered one. It becomes
  // tf.gatherND with (row, index) pairs, not tf.gather(x, idx, 1, 1): TF.js 4.22's wasm backend
  // computes batched gathers wrongly (found by `vectorize verify --backend wasm`).
  if (before.length === 1 && idx.axes.length === 1 && idx.axes[0] === before[0] && !after.includes(before[0])) {
    s.caveats.add('tf.gatherND fails when the batch is empty', 'non-empty');
    // The row count as the tensor's own dimension: the loop bound's variable may be dead scaffolding.
    const info = s.nest.tensors.get(e.tensor);
    const n = info?.literal ? String(info.literal.shape[0]) : `${e.tensor}.shape[0]`;
    const rows = `${s.tf('range')}(0, ${n}, 1, 'int32')`;
    const code = `${s.tf('gatherND')}(${src.code}, ${s.tf('stack')}([${rows}, ${ints.code}], 1))`;
    return { code, tensor: true, axes: [...before, ...after], dtype: src.dtype, ops: ops + 2, top };
  }
  if (before.length > 1 && idx.axes.length === before.length && idx.axes.every((a, k) => a === before[k]))
    throw new LowerError('a gather with several batch axes');
  if (idx.axes.some((a) => before.includes(a) || after.includes(a)))
    throw new LowerError('gather whose index shares axes with the data');
  const code = `${s.tf('gather')}(${src.code}, ${ints.code}${e.axis === 0 ? '' : `, ${e.axis}`})`;
  return { code, tensor: true, axes: [...before, ...idx.axes, ...after], dtype: src.dtype, ops, top };
}
