/**
 * Tensor reads: `a[i][j]` and `row[j]` on nested views (rows as partial accesses), subscripts and
 * index polynomials, `x[i, idx[i]]` gathers, and the access node itself with its bound checks
 * (a bound that may be smaller than the axis reads a slice). Flat reads go to flat-index.ts.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { unwrap } from '../../ast/predicates.js';
import { caveat } from '../assumptions.js';
import { containsAcc, tensorsRead, type Expr } from '../ir.js';
import {
  dimTensorOf,
  hasLoopAtom,
  loopAtom,
  sliceSize,
  parseAtom,
  polyAtoms,
  polyConstant,
  polyEquals,
  singleLoopVar,
  type Poly,
} from '../poly.js';
import { foreignNote, type TensorInfo, type View } from '../tensors.js';
import {
  addTensor,
  assumeRank,
  polyOf,
  rankOf,
  variableOf,
  type LiftContext,
  type Note,
  type Row,
  type State,
} from './context.js';
import { NotVectorizable, Unsupported } from './errors.js';
import { expr } from './expressions.js';
import { flatRead } from './flat-index.js';
import { note } from './notes.js';
import { earlierWrite, sinkOf } from './sinks.js';

/** `d[i * m + j]`, `a[i][j]`, `row[j]` */
export function read(ctx: LiftContext, n: TSESTree.MemberExpression, state: State): Expr {
  // p[i] after this iteration changed it in place: the value written.
  const base = unwrap(n.object);
  const own = base.type === AST_NODE_TYPES.Identifier ? ctx.sinks.get(variableOf(ctx, base)!) : undefined;
  if (own?.kind === 'inplace') {
    const earlier = earlierWrite(ctx, own, indexPoly(ctx, n.property, state), state);
    if (earlier) return earlier.value;
  }
  const row = rowAccess(ctx, n, state);
  if (row) {
    const rank = rankOf(ctx, row.tensor);
    if (rank !== undefined && row.axes.length < rank) throw new Unsupported('a row used as a value');
    return accessExpr(ctx, row);
  }
  const view = ctx.facts.viewOf(n.object);
  const ownSink = view ? undefined : sinkOf(ctx, n.object);
  if (ownSink) {
    // Reading back an element this iteration wrote in an earlier loop is its value; anything else is a recurrence.
    const earlier =
      ownSink.kind === 'typed' ? earlierWrite(ctx, ownSink, indexPoly(ctx, n.property, state), state) : undefined;
    if (earlier) return earlier.value;
    throw new NotVectorizable('reads its own output');
  }
  if (view?.kind !== 'flat') throw new Unsupported('indexed read of something that is not tensor data', n.object);
  useView(ctx, view);
  return flatRead(ctx, n.property, view.tensor, state);
}

/** `a[i]`, `a[i][j]`, `row[j]` on a nested view, as a (partial) access. */
export function rowAccess(ctx: LiftContext, node: TSESTree.Node, state: State): Row | undefined {
  const subs: TSESTree.Node[] = [];
  let base = unwrap(node);
  while (base.type === AST_NODE_TYPES.MemberExpression && base.computed) {
    subs.unshift(base.property);
    base = unwrap(base.object);
  }
  if (base.type !== AST_NODE_TYPES.Identifier || (subs.length === 0 && node === base)) return undefined;
  const prefix = rowOf(ctx, base, state);
  let tensor: TensorInfo;
  let axes: (string | number)[];
  if (prefix) {
    tensor = prefix.tensor;
    axes = [...prefix.axes];
  } else {
    const view = ctx.facts.viewOf(base);
    if (view?.kind !== 'nested') return undefined;
    useView(ctx, view);
    tensor = view.tensor;
    axes = [];
  }
  const row: Row = { tensor, axes, take: prefix?.take, offsets: prefix?.offsets && [...prefix.offsets] };
  for (const s of subs) pushSubscript(ctx, row, s, state);
  return row;
}

type RowOf = {
  tensor: TensorInfo;
  depth: number;
  axes: (string | number)[];
  take?: Row['take'];
  offsets?: Row['offsets'];
};

/** The row an identifier holds (`const row = rows[i]`), with its depth. */
export function rowOf(ctx: LiftContext, id: TSESTree.Identifier, state: State): RowOf | undefined {
  const variable = variableOf(ctx, id);
  const row = variable && state.rows.get(variable);
  return row && { tensor: row.tensor, depth: row.axes.length, axes: row.axes, take: row.take, offsets: row.offsets };
}

/** Appends one subscript: a loop variable, a constant, or (once per access) an index read from tensor data. */
export function pushSubscript(ctx: LiftContext, row: Row, node: TSESTree.Node, state: State): void {
  let failed: Unsupported;
  try {
    row.axes.push(axisIndex(ctx, node, state));
    return;
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    failed = e;
  }
  const offset = offsetIndex(ctx, node, state);
  if (offset) {
    row.axes.push(offset.v);
    (row.offsets ??= []).push({ axis: row.axes.length - 1, text: offset.text });
    return;
  }
  if (row.take) throw failed;
  const index = expr(ctx, node, state);
  if (tensorsRead(index).length === 0 || containsAcc(index)) throw new Unsupported('subscript is not a loop variable');
  row.take = { axis: row.axes.length, index };
  row.axes.push(0);
}

/**
 * `n + j` (or `j + n`): a loop variable from a loop-invariant offset on — the loop reads a window of the
 * axis, which tf.slice reads from `n`.
 */
function offsetIndex(ctx: LiftContext, node: TSESTree.Node, state: State): { v: string; text: string } | undefined {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.BinaryExpression || n.operator !== '+') return undefined;
  for (const [a, b] of [
    [n.left, n.right],
    [n.right, n.left],
  ] as const) {
    let pa: Poly;
    let pb: Poly;
    try {
      pa = indexPoly(ctx, a, state);
      pb = indexPoly(ctx, b, state);
    } catch {
      return undefined;
    }
    const v = singleLoopVar(pa);
    if (v !== undefined && !hasLoopAtom(pb)) return { v, text: ctx.sourceCode.getText(b) };
  }
  return undefined;
}

/** One subscript of a nested read: a loop variable or a constant. */
function axisIndex(ctx: LiftContext, node: TSESTree.Node, state: State): string | number {
  const p = indexPoly(ctx, node, state);
  const c = polyConstant(p);
  if (c !== undefined) {
    if (c < 0) throw new Unsupported('negative index');
    return c;
  }
  const v = singleLoopVar(p);
  if (v !== undefined) return v;
  throw new Unsupported('subscript is not a loop variable');
}

/** An index as a polynomial in the active loop variables. */
export function indexPoly(ctx: LiftContext, node: TSESTree.Node, state: State): Poly {
  const p = polyOf(ctx, node, {
    loopVar: (_name, id) => activeLoopAtom(ctx, id, state),
    rowDepth: (id) => rowOf(ctx, id, state),
    local: (id) => localPoly(ctx, id, state),
  });
  if (!p) throw new Unsupported('index is not affine in the loop variables');
  return p;
}

export function activeLoopAtom(ctx: LiftContext, id: TSESTree.Identifier, state: State): string | undefined {
  const variable = variableOf(ctx, id);
  const v = variable && ctx.loopNames.get(variable);
  return v !== undefined && state.active.includes(v) ? loopAtom(v) : undefined;
}

/** A nest-local constant that is a polynomial in the loop variables (`const base = i * m`). */
export function localPoly(ctx: LiftContext, id: TSESTree.Identifier, state: State): Poly | undefined {
  const variable = variableOf(ctx, id);
  return variable ? state.polys.get(variable) : undefined;
}

/** Checks each axis against the tensor's dimension and builds the access. */
export function accessExpr(ctx: LiftContext, row: Row, tensor: TensorInfo = row.tensor, rank?: number): Expr {
  addTensor(ctx, tensor);
  if (rankOf(ctx, tensor) === undefined) assumeRank(ctx, tensor, rank ?? row.axes.length);
  if (row.axes.length !== rankOf(ctx, tensor)) throw new Unsupported('reads a row as a value');
  const seen = new Set<string>();
  const take = row.take;
  const notes: Note[] = [];
  let sliced: (string | undefined)[] | undefined;
  let begin: (string | undefined)[] | undefined;
  if (take) {
    const from = tensorsRead(take.index)
      .map((t) => `\`${t}\``)
      .join(', ');
    notes.push({
      caveat: caveat(
        `for an index read from ${from} that is not an integer in [0, ${ctx.facts.dimText(tensor, take.axis)}) ` +
          `the loop reads something else (another row's element, undefined, or it throws), while the TF.js gather ` +
          `truncates it, throws, clamps or reads another element, depending on the op and the backend`,
        'in-bounds',
      ),
    });
  }
  row.axes.forEach((a, k) => {
    // A constant index past a lookup table's end reads undefined, where the op's gather throws.
    if (typeof a === 'number' && tensor.literal && a >= tensor.literal.shape[k])
      throw new Unsupported('constant index past the end of the table');
    // `c[2]` of a row: the entry exists only where the axis is longer than 2 (nothing shows its size).
    if (typeof a === 'number' && a > 0 && !tensor.literal && k !== take?.axis) {
      const size = polyConstant(ctx.facts.dimPoly(tensor, k));
      if (size === undefined || size <= a)
        notes.push({
          caveat: caveat(
            `the loop reads entry ${a} of axis ${k} of \`${tensor.name}\`, which exists where ` +
              `${ctx.facts.dimText(tensor, k)} > ${a}; past that the loop reads undefined where the gather throws or clamps`,
            'in-bounds',
          ),
        });
    }
    if (typeof a === 'number' || k === take?.axis) return;
    if (seen.has(a)) throw new Unsupported('diagonal access');
    seen.add(a);
    const offset = row.offsets?.find((o) => o.axis === k);
    if (offset) {
      // full[i][n + j] for j < k: the window [n, n + k) of the axis, which tf.slice reads.
      if (take || tensor.foreign || tensor.literal) throw new Unsupported('an offset subscript of this data');
      const lv = ctx.loops.get(a)!;
      sliced ??= row.axes.map(() => undefined);
      begin ??= row.axes.map(() => undefined);
      sliced[k] = sliceSize(lv);
      begin[k] = offset.text;
      notes.push({
        caveat: caveat(
          `the loop reads entries \`${offset.text}\` to \`${offset.text} + ${lv.boundText} - 1\` of axis ${k} of ` +
            `\`${tensor.name}\`, which tf.slice does when 0 ≤ \`${offset.text}\` and the window ends within ` +
            `${ctx.facts.dimText(tensor, k)}; outside, the loop reads undefined (NaN) where tf.slice throws or reads other entries`,
          'in-bounds',
        ),
      });
      return;
    }
    const blocker = checkBound(ctx, a, tensor, k);
    if (!blocker) return;
    // A bound that may be smaller than the axis: read a slice (equal when bound ≤ size; past it the loop
    // reads undefined).
    const lv = ctx.loops.get(a)!;
    const bound = polyConstant(lv.bound);
    // `px[i * 3 + c]` for i < h * w read as axis 1 of [h, w, 3]: the bound is that axis times another, so the
    // loop runs past the axis into the next rows (flat data): no access of the axis reads that.
    const dims = [...polyAtoms(lv.bound)].map(parseAtom).filter((x) => x.kind === 'dim' && x.tensor === tensor.name);
    if (dims.length > 1 && dims.some((x) => x.kind === 'dim' && x.axis === k))
      throw new Unsupported('a loop that runs across several axes of the data');
    if (!take && !tensor.foreign && (tensor.literal === undefined || bound !== undefined)) {
      const size = tensor.literal ? tensor.literal.shape[k] : undefined;
      if (size !== undefined && bound !== undefined && bound > size) {
        notes.push({ blocker });
        return;
      }
      sliced ??= row.axes.map(() => undefined);
      sliced[k] = sliceSize(lv);
      if (size === undefined || bound === undefined) {
        notes.push({
          caveat: caveat(
            `the loop reads the first \`${lv.boundText}\` entries of axis ${k} of \`${tensor.name}\`, which tf.slice ` +
              `does when \`${lv.boundText}\` ≤ ${ctx.facts.dimText(tensor, k)}; past that the loop reads ` +
              (row.flat && k > 0
                ? `the next row's entries of the flat data (undefined past its end)`
                : `undefined (NaN)`) +
              ` where tf.slice throws`,
            'in-bounds',
          ),
        });
      }
      return;
    }
    notes.push({ blocker });
  });
  // Built once every axis is checked: IR nodes are never changed after they are made.
  const e: Expr = take
    ? { kind: 'take', tensor: tensor.name, axes: row.axes, axis: take.axis, index: take.index }
    : {
        kind: 'access',
        tensor: tensor.name,
        axes: row.axes,
        ...(sliced ? { sliced } : {}),
        ...(begin ? { begin } : {}),
      };
  for (const n of notes) note(ctx, e, n);
  return e;
}

/** The loop bound must be the dimension it indexes, or another tensor's dimension (shapes agree). */
function checkBound(ctx: LiftContext, v: string, tensor: TensorInfo, axis: number): string | undefined {
  const lv = ctx.loops.get(v)!;
  // The dims of data passed in are what its loops say (and the loop is never fixed).
  if (tensor.foreign) return undefined;
  if (polyEquals(lv.bound, ctx.facts.dimPoly(tensor, axis))) return undefined;
  const atoms = [...polyAtoms(lv.bound)];
  // Bounded by another tensor's dimension: the original reads past the data unless the shapes agree,
  // and the vectorized op checks that they do.
  if (
    lv.bound.size === 1 &&
    atoms.length === 1 &&
    dimTensorOf(atoms[0]) !== undefined &&
    lv.bound.get(atoms[0]) === 1
  ) {
    return undefined;
  }
  return `the bound \`${lv.boundText}\` of \`${v}\` is not provably \`${ctx.facts.dimText(tensor, axis)}\``;
}

/** Records a view the nest reads (data a caller passes in blocks the fix). */
export function useView(ctx: LiftContext, view: View): void {
  if (view.tensor.foreign) ctx.foreign ??= foreignNote(view.tensor);
  ctx.views.add(view);
  addTensor(ctx, view.tensor);
}
