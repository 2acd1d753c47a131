/**
 * Broadcasting: operands aligned to the iteration axes (transpose, expandDims) and the element-wise
 * and single-op calls built on them.
 */
import { FLOAT_RESULT, type DType, type LowerSteps, type TV } from './values.js';

/** Element-wise op over operands broadcast to the union of their axes (in nest order). */
export function elementwise(s: Pick<LowerSteps, 'nest' | 'tf'>, op: string, operands: TV[], dtype: DType): TV {
  const union = s.nest.order.filter((v) => operands.some((o) => o.tensor && o.axes.includes(v)));
  const codes = operands.map((o) => {
    if (!o.tensor) return o.code;
    const ordered = union.filter((v) => o.axes.includes(v));
    return broadcastTo(s, transposeTo(s, o, ordered), union).code;
  });
  const ops =
    operands.reduce((n, o) => n + o.ops, 0) + 1 + operands.reduce((n, o) => n + (o.tensor ? alignOps(o, union) : 0), 0);
  return {
    code: `${s.tf(op)}(${codes.join(', ')})`,
    tensor: true,
    axes: union,
    dtype,
    ops,
    top: operands.find((o) => o.top)?.top,
  };
}

function alignOps(o: TV, union: string[]): number {
  const ordered = union.filter((v) => o.axes.includes(v));
  return (ordered.some((v, k) => o.axes[k] !== v) ? 1 : 0) + missingInner(ordered, union).length;
}

export function call(
  s: Pick<LowerSteps, 'tf'>,
  op: string,
  args: TV[],
  axes: string[],
  dtype: DType,
  top?: string,
  extra: string[] = [],
): TV {
  const ops = args.reduce((n, a) => n + a.ops, 0) + 1;
  const float = FLOAT_RESULT.has(op) || (args.length > 0 && args.every((a) => a.float === true));
  return {
    code: `${s.tf(op)}(${[...args.map((a) => a.code), ...extra].join(', ')})`,
    tensor: true,
    axes,
    dtype,
    ops,
    top: top ?? args.find((a) => a.top)?.top,
    float,
  };
}

export function transposeTo(s: Pick<LowerSteps, 'tf'>, tv: TV, order: string[]): TV {
  if (tv.axes.every((a, k) => a === order[k])) return tv;
  const perm = order.map((v) => tv.axes.indexOf(v));
  return { ...tv, code: `${s.tf('transpose')}(${tv.code}, [${perm.join(', ')}])`, axes: order, ops: tv.ops + 1 };
}

/** Axes of `union` missing from `ordered` after its first axis: they need a size-1 dimension. */
function missingInner(ordered: string[], union: string[]): number[] {
  // A tensor with no axes (a constant-index read) broadcasts as it is.
  if (ordered.length === 0) return [];
  const first = union.indexOf(ordered[0]);
  const out: number[] = [];
  union.forEach((v, k) => {
    if (k > first && !ordered.includes(v)) out.push(k - first);
  });
  return out;
}

export function broadcastTo(s: Pick<LowerSteps, 'tf'>, tv: TV, union: string[]): TV {
  let code = tv.code;
  for (const k of missingInner(tv.axes, union)) code = `${s.tf('expandDims')}(${code}, ${k})`;
  return { ...tv, code };
}
