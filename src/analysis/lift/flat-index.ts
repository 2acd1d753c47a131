/**
 * Reads of flat data (`d = x.dataSync()`): the index `d[i * m + j]` is a polynomial in the loop
 * variables, decomposed into axes with row-major strides of the tensor's (known or guessed) rank,
 * another tensor's strides, or a constant channel stride; `d[i * c + lab[i]]` is a gather.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { unwrap } from '../../ast/predicates.js';
import { containsAcc, tensorsRead, type Expr } from '../ir.js';
import {
  addPoly,
  atomPoly,
  constPoly,
  dimAtom,
  dimTensorOf,
  loopVarOf,
  mulPoly,
  parseAtom,
  polyAtoms,
  polyConstant,
  polyEquals,
  renameAtoms,
  sliceSize,
  splitByLoopVars,
  type Poly,
} from '../poly.js';
import type { TensorInfo } from '../tensors.js';
import { accessExpr, activeLoopAtom, indexPoly, localPoly, rowOf } from './accesses.js';
import { caveat } from '../assumptions.js';
import { assumeRank, polyOf, rankOf, sizeOf, variableOf, type LiftContext, type Row, type State } from './context.js';
import { Unsupported } from './errors.js';
import { expr } from './expressions.js';
import { note } from './notes.js';

/** Axes from `decompose` (loop atoms or constants) as access axes (loop variables or constants). */
const axesOf = (axes: (string | number)[]): (string | number)[] =>
  axes.map((a) => (typeof a === 'string' ? loopVarOf(a) : a));

/** `d[index]` on the flat data of `t`. */
export function flatRead(ctx: LiftContext, index: TSESTree.Node, t: TensorInfo, state: State): Expr {
  const gathered = flatTake(ctx, index, t, state);
  if (gathered) return gathered;
  const p = indexPoly(ctx, index, state);
  const split = splitByLoopVars(p);
  if (!split) throw new Unsupported('non-affine index');
  const single = split.coefs.size === 1 && split.rest.size === 0 ? [...split.coefs][0] : undefined;
  // d[i] over the whole data
  if (single) {
    const [atom, coef] = single;
    const v = loopVarOf(atom);
    if (polyConstant(coef) === 1 && polyEquals(ctx.loops.get(v)!.bound, sizeOf(ctx, t))) {
      return rankOf(ctx, t) === 1 ? accessExpr(ctx, { tensor: t, axes: [v] }) : { kind: 'flat', tensor: t.name, v };
    }
  }
  // d[i] with i bounded by something else than d's size (another tensor's size): a flat read of
  // a prefix, not of d's first row.
  const rank = rankOf(ctx, t);
  if (single && (rank === undefined || rank >= 2) && !t.foreign) {
    const [atom, coef] = single;
    const v = loopVarOf(atom);
    if (polyConstant(coef) === 1) {
      const lv = ctx.loops.get(v)!;
      // `isWord[i]` for i below `indices.length`: two read-backs walked together, one giving the bound.
      // Nothing shows that they have one size (data read with another tensor's strides at least shares
      // the indexing), so this is said, not assumed: a suggestion, never an autofix.
      const other = [...ctx.tensors.values()].find(
        (u) => u !== t && !u.foreign && !u.literal && polyEquals(lv.bound, sizeOf(ctx, u)),
      );
      if (other) {
        return note(
          ctx,
          { kind: 'flat', tensor: t.name, v },
          {
            caveat: caveat(
              `\`${t.name}\` is read over the size of \`${other.name}\`: where their sizes differ the op ` +
                `broadcasts or throws while the loop reads other elements (or undefined)`,
            ),
          },
        );
      }
      const blocker = `the bound \`${lv.boundText}\` of \`${v}\` is not provably \`${t.name}.size\``;
      if (t.literal) return note(ctx, { kind: 'flat', tensor: t.name, v }, { blocker });
      // `d[i]` for i below a bound nothing ties to d's size: the loop reads a prefix of the flat data,
      // which tf.slice reads exactly while the bound is at most the size.
      return note(
        ctx,
        { kind: 'flat', tensor: t.name, v, prefix: sliceSize(lv) },
        {
          caveat: caveat(
            `the loop reads the first \`${lv.boundText}\` elements of \`${t.name}\`, which tf.slice does when ` +
              `\`${lv.boundText}\` ≤ \`${t.name}.size\`; past that the loop reads undefined where tf.slice throws`,
            'in-bounds',
          ),
        },
      );
    }
  }
  // Data passed into a helper: its shape is unknown, so take the loops' own row-major layout.
  if (t.foreign) {
    const axes = loopMajor(ctx, split.coefs, split.rest);
    if (!axes || (rank !== undefined && rank !== axes.length)) {
      throw new Unsupported('flat index does not match a row-major layout');
    }
    assumeRank(ctx, t, axes.length);
    return accessExpr(ctx, { tensor: t, axes });
  }
  // d[i * m + j]: decompose with row-major strides of the (known or inferred) rank.
  for (const r of rank !== undefined ? [rank] : [1, 2, 3, 4]) {
    const axes = decompose(split.coefs, split.rest, t.name, r);
    if (axes) {
      assumeRank(ctx, t, r);
      return accessExpr(ctx, { tensor: t, axes: axesOf(axes), flat: true });
    }
  }
  return otherStrides(ctx, t, split) ?? channelStride(ctx, t, split);
}

type Split = { coefs: Map<string, Poly>; rest: Poly };

/**
 * yd[i * m + j] with m = x.shape[1]: y read with x's strides. As with a bound taken from another
 * tensor's dimension, the op then requires (or broadcasts to) the shapes the loop assumes equal.
 */
function otherStrides(ctx: LiftContext, t: TensorInfo, split: Split): Expr | undefined {
  const dimsOf = [...split.coefs.values()].flatMap((c) => [...polyAtoms(c)]).map(dimTensorOf);
  const others = new Set(dimsOf.filter((u): u is string => u !== undefined && u !== t.name));
  if (others.size !== 1 || t.literal) return undefined;
  const [u] = others;
  const uInfo = ctx.tensors.get(u);
  const uRank = uInfo && rankOf(ctx, uInfo);
  const rank = rankOf(ctx, t) ?? uRank;
  if (rank === undefined || (uRank !== undefined && uRank !== rank)) return undefined;
  const rename = new Map(
    Array.from({ length: rank }, (_, k) => [dimAtom(u, k), dimAtom(t.name, k)] as [string, string]),
  );
  const coefs = new Map([...split.coefs].map(([a, c]) => [a, renameAtoms(c, rename)]));
  const axes = decompose(coefs, split.rest, t.name, rank);
  if (!axes) return undefined;
  assumeRank(ctx, t, rank);
  const e = accessExpr(ctx, { tensor: t, axes: axesOf(axes), flat: true });
  ctx.assumptions.set(
    e,
    caveat(
      `\`${t.name}\` is read with the strides of \`${u}\`: the loop assumes they have one shape; where they do not, ` +
        `the op broadcasts or throws while the loop reads other elements`,
      'same-shape',
    ),
  );
  return e;
}

/** px[(y * w + x) * 4 + c]: the loop strides by a constant channel count the shape does not show. */
function channelStride(ctx: LiftContext, t: TensorInfo, split: Split): Expr {
  let rank = rankOf(ctx, t);
  // Nothing shows the rank: the channel axis comes after the last dimension the index names
  // (`3 * (i * img.shape[2] + j) + c` over [1, h, w, 3]: rank 4, the leading axis read at 0).
  const guessed = rank === undefined;
  if (guessed) {
    const named = [...split.coefs]
      .flatMap(([atom, c]) => [...polyAtoms(c), ...polyAtoms(ctx.loops.get(loopVarOf(atom))!.bound)])
      .map(parseAtom)
      .flatMap((a) => (a.kind === 'dim' && a.tensor === t.name ? [a.axis] : []));
    if (named.length > 0) rank = Math.max(...named) + 2;
  }
  if (rank !== undefined && rank >= 2 && !t.literal) {
    for (const [, coef] of split.coefs) {
      const K = polyConstant(coef);
      if (K === undefined || K < 2) continue;
      const axes = decompose(split.coefs, split.rest, t.name, rank, constPoly(K));
      if (!axes) continue;
      if (guessed) assumeRank(ctx, t, rank);
      const e = accessExpr(ctx, { tensor: t, axes: axesOf(axes), flat: true });
      return note(ctx, e, {
        caveat: caveat(
          `the loop assumes \`${t.name}.shape[${rank - 1}]\` is ${K} (its stride); for another size it reads other ` +
            `elements than the op`,
          'same-shape',
        ),
      });
    }
  }
  throw new Unsupported('flat index does not match the tensor layout');
}

/** `d[i * m + j]` where m is the bound of j: the loop variables in row-major order, or undefined. */
export function loopMajor(ctx: LiftContext, coefs: Map<string, Poly>, rest: Poly): string[] | undefined {
  if (rest.size !== 0 && polyConstant(rest) !== 0) return undefined;
  const remaining = new Map(coefs);
  const axes: string[] = [];
  let stride = constPoly(1);
  while (remaining.size > 0) {
    const hit = [...remaining].find(([, c]) => polyEquals(c, stride));
    if (!hit) return undefined;
    remaining.delete(hit[0]);
    const v = loopVarOf(hit[0]);
    axes.unshift(v);
    stride = mulPoly(stride, ctx.loops.get(v)!.bound);
  }
  return axes;
}

/** `d[lab[i]]`, `d[i * c + lab[i]]`: row-major strides with the last axis indexed by data. */
/** The expression a callback's element parameter stands for, if `id` is one. */
function envExpr(ctx: LiftContext, id: TSESTree.Identifier, state: State): Expr | undefined {
  const variable = variableOf(ctx, id);
  return variable ? state.env.get(variable) : undefined;
}

function flatTake(ctx: LiftContext, node: TSESTree.Node, t: TensorInfo, state: State): Expr | undefined {
  const terms: TSESTree.Node[] = [];
  const flatten = (e: TSESTree.Node): void => {
    const u = unwrap(e);
    if (u.type === AST_NODE_TYPES.BinaryExpression && u.operator === '+') {
      flatten(u.left);
      flatten(u.right);
    } else terms.push(u);
  };
  flatten(node);
  const affine: Poly[] = [];
  const data: TSESTree.Node[] = [];
  for (const term of terms) {
    // An element of data a callback is handed (`idx.map((i) => d[i])`): an index read from data.
    const bound = term.type === AST_NODE_TYPES.Identifier ? envExpr(ctx, term, state) : undefined;
    if (bound && tensorsRead(bound).length > 0) {
      data.push(term);
      continue;
    }
    const p = polyOf(ctx, term, {
      loopVar: (_n, id) => activeLoopAtom(ctx, id, state),
      rowDepth: (id) => rowOf(ctx, id, state),
      local: (id) => localPoly(ctx, id, state),
    });
    if (p) affine.push(p);
    else data.push(term);
  }
  if (data.length !== 1) return undefined;
  const index = expr(ctx, data[0], state);
  if (tensorsRead(index).length === 0 || containsAcc(index)) return undefined;
  const p = affine.reduce((a, b) => addPoly(a, b, 1), constPoly(0));
  const split = splitByLoopVars(p);
  if (!split || (split.rest.size !== 0 && polyConstant(split.rest) !== 0)) return undefined;
  const known = rankOf(ctx, t);
  for (const rank of known !== undefined ? [known] : [1, 2, 3]) {
    if ([...split.coefs.values()].some((c) => polyConstant(c) === 1 && rank > 1)) continue;
    const axes =
      rank === 1 ? (split.coefs.size === 0 ? [0] : undefined) : decompose(split.coefs, split.rest, t.name, rank);
    if (!axes || (rank > 1 && axes[rank - 1] !== 0)) continue;
    assumeRank(ctx, t, rank);
    const row: Row = { tensor: t, axes: axesOf(axes.slice(0, rank - 1)), take: { axis: rank - 1, index } };
    row.axes.push(0);
    return accessExpr(ctx, row);
  }
  return undefined;
}

/**
 * Row-major axes of a flat index, as loop atoms or constant offsets; `lastDim` stands in for the
 * innermost dimension when the loop assumes one (`* 4 + c`).
 */
function decompose(
  coefs: Map<string, Poly>,
  rest: Poly,
  tensor: string,
  rank: number,
  lastDim?: Poly,
): (string | number)[] | undefined {
  const axes = new Array<string | number | undefined>(rank).fill(undefined);
  let stride = constPoly(1);
  const strides: Poly[] = [];
  for (let k = rank - 1; k >= 0; k--) {
    strides[k] = stride;
    stride = mulPoly(stride, k === rank - 1 && lastDim ? lastDim : atomPoly(dimAtom(tensor, k)));
  }
  for (const [atom, coef] of coefs) {
    const k = strides.findIndex((s) => polyEquals(s, coef));
    if (k < 0 || axes[k] !== undefined) return undefined;
    axes[k] = atom;
  }
  const offset = polyConstant(rest);
  if (offset === undefined || offset < 0) return undefined;
  if (offset !== 0) {
    if (axes[rank - 1] !== undefined) return undefined;
    axes[rank - 1] = offset;
  }
  return axes.map((a) => a ?? 0);
}
