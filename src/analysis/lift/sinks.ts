/**
 * Sinks and writes: what the nest writes into (`out[k] = v` into a typed array, `buf.set(v, …)`
 * into a `tf.buffer`, `out.push(v)` into a nested array), and how the collected writes become
 * outputs with a layout — each sink covered exactly once, with the loops as its axes.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { isInside, unwrap } from '../../ast/predicates.js';
import { caveat } from '../assumptions.js';
import { C, containsAcc, freeVars, renameVar, tensorsRead, type Expr } from '../ir.js';
import {
  addPoly,
  constPoly,
  loopAtom,
  polyConstant,
  mulPoly,
  polyEquals,
  renameAtoms,
  singleLoopVar,
  splitByLoopVars,
  type Poly,
} from '../poly.js';
import { isConstLike, type TensorFacts, type View } from '../tensors.js';
import { newLoopVar, polyOf, rankOf, sizeOf, variableOf, type LiftContext, type State, type Write } from './context.js';
import { NotVectorizable, Unsupported } from './errors.js';
import { loopMajor } from './flat-index.js';
import type { Output, Sink } from './nest.js';
import { note } from './notes.js';

const SINK_CTORS = new Set([
  'Float32Array',
  'Float64Array',
  'Int32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int8Array',
  'Uint32Array',
  'Array',
]);

/** `out` in `out[k] = v`, `buf.set(v, …)`, `out.push(v)`: declared before the nest, written only in it. */
export function sinkOf(ctx: LiftContext, node: TSESTree.Node): Sink | undefined {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = variableOf(ctx, n);
  if (!variable || variable.defs.length !== 1 || !isConstLike(variable)) return undefined;
  const known = ctx.sinks.get(variable);
  if (known) return known;
  const def = variable.defs[0];
  if (def.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init) return undefined;
  if (def.parent?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
  if (def.node.range[1] > ctx.root.range[0]) return undefined;
  const statement = def.parent;
  const init = unwrap(def.node.init);
  let sink: Sink | undefined;
  if (
    init.type === AST_NODE_TYPES.NewExpression &&
    init.callee.type === AST_NODE_TYPES.Identifier &&
    SINK_CTORS.has(init.callee.name) &&
    init.arguments.length === 1
  ) {
    const size = polyOf(ctx, init.arguments[0]);
    if (init.callee.name === 'Array' || size)
      sink = { kind: 'typed', variable, statement, ctor: init.callee.name, size };
  } else if (init.type === AST_NODE_TYPES.ArrayExpression && init.elements.length === 0) {
    sink = { kind: 'nested', variable, statement };
  } else if (init.type === AST_NODE_TYPES.CallExpression && ctx.facts.binding && isTfBufferCall(ctx.facts, init)) {
    const shapeArg = init.arguments[0];
    if (shapeArg?.type !== AST_NODE_TYPES.ArrayExpression) return undefined;
    const shape = shapeArg.elements.map((e) =>
      e && e.type !== AST_NODE_TYPES.SpreadElement ? polyOf(ctx, e) : undefined,
    );
    if (shape.some((s) => !s)) return undefined;
    const dtypeArg = init.arguments[1];
    const dtype =
      dtypeArg?.type === AST_NODE_TYPES.Literal && typeof dtypeArg.value === 'string'
        ? dtypeArg.value
        : dtypeArg
          ? '?'
          : undefined;
    // A third argument gives initial values: the buffer does not start as zeros.
    if (init.arguments.length > 2) return undefined;
    const shapeText = shapeArg.elements.map((e) => ctx.sourceCode.getText(e!));
    sink = { kind: 'buffer', variable, statement, shape: shape as Poly[], shapeText, dtype };
  }
  if (sink) ctx.sinks.set(variable, sink);
  return sink;
}

/**
 * `p[i] = v` where `p` holds data read back into a fresh array (`await t.array()` of a 1-D tensor,
 * `Array.from(t.dataSync())`): the loop changes the copy in place. Lifted only in the plain form — the
 * element written is the loop variable's, and the loop touches `p` nowhere else than at that element (and
 * its `length`) — so no iteration sees another's write.
 */
export function inPlaceSink(ctx: LiftContext, target: TSESTree.MemberExpression, view: View): Sink | undefined {
  const object = unwrap(target.object);
  const property = unwrap(target.property);
  if (object.type !== AST_NODE_TYPES.Identifier || property.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = view.variable;
  if (!variable || variable !== variableOf(ctx, object) || !view.statement) return undefined;
  const known = ctx.sinks.get(variable);
  if (known) return known.kind === 'inplace' ? known : undefined;
  if (view.statement.range[1] > ctx.root.range[0]) return undefined;
  let size: Poly;
  if (view.kind === 'flat' && view.copy) size = sizeOf(ctx, view.tensor);
  else if (view.kind === 'nested' && rankOf(ctx, view.tensor) === 1) size = ctx.facts.dimPoly(view.tensor, 0);
  else return undefined;
  const inside = variable.references.filter((r) => isInside(r.identifier, ctx.root));
  const plain = inside.every((r) => {
    const m = r.identifier.parent;
    if (m?.type !== AST_NODE_TYPES.MemberExpression || m.object !== r.identifier) return false;
    if (!m.computed) return m.property.type === AST_NODE_TYPES.Identifier && m.property.name === 'length';
    const at = unwrap(m.property);
    return at.type === AST_NODE_TYPES.Identifier && at.name === property.name;
  });
  if (!plain) return undefined;
  const sink: Sink = { kind: 'inplace', variable, statement: view.statement, view, size };
  ctx.sinks.set(variable, sink);
  return sink;
}

function isTfBufferCall(facts: TensorFacts, node: TSESTree.CallExpression): boolean {
  const c = node.callee;
  if (
    c.type === AST_NODE_TYPES.MemberExpression &&
    !c.computed &&
    c.object.type === AST_NODE_TYPES.Identifier &&
    c.property.type === AST_NODE_TYPES.Identifier
  ) {
    return c.object.name === facts.binding.namespace && c.property.name === 'buffer';
  }
  return c.type === AST_NODE_TYPES.Identifier && facts.binding.named.get(c.name) === 'buffer';
}

/**
 * The write of an earlier, finished loop of the current iteration to the element `index` names,
 * with that loop's variables renamed to the current ones (`probs[i*c + j]` then `probs[i*c + j2]`).
 */
export function earlierWrite(
  ctx: LiftContext,
  sink: Sink,
  index: Poly,
  state: State,
): { write: Write; value: Expr } | undefined {
  for (let k = state.writes.length - 1; k >= 0; k--) {
    const w = state.writes[k];
    if (w.sink !== sink || w.kind !== 'index' || w.scatter) continue;
    // A running sum's value mid-loop is not its final value.
    if (w.accumulate) return undefined;
    let shared = 0;
    while (shared < w.active.length && shared < state.active.length && w.active[shared] === state.active[shared])
      shared++;
    const before = w.active.slice(shared);
    const now = state.active.slice(shared);
    const sameBound = (v: string, i: number) => polyEquals(ctx.loops.get(v)!.bound, ctx.loops.get(now[i])!.bound);
    if (before.length !== now.length || !before.every(sameBound)) return undefined;
    const rename = new Map(before.map((v, i) => [loopAtom(v), loopAtom(now[i])]));
    if (!polyEquals(renameAtoms(w.index[0], rename), index)) return undefined;
    let value = w.value;
    before.forEach((v, i) => (value = renameVar(value, v, now[i])));
    return { write: w, value };
  }
  return undefined;
}

/** Turns collected writes into outputs with a layout, checking that each sink is covered exactly once. */
export function finishWrites(ctx: LiftContext, writes: Write[]): Output[] {
  const bySink = new Map<Sink, Write[]>();
  for (const w of writes) bySink.set(w.sink, [...(bySink.get(w.sink) ?? []), w]);
  const outputs: Output[] = [];
  for (const [sink, ws] of bySink) {
    if (ws.length > 1) {
      outputs.push(interleaved(ctx, sink, ws));
      continue;
    }
    const w = ws[0];
    if (containsAcc(w.value)) throw new NotVectorizable('an output depends on earlier iterations');
    let layout: string[];
    let value = w.value;
    if (w.kind === 'push') layout = w.layout!;
    else if (w.kind === 'set' && w.scatter) ({ layout, value } = scatterOutput(ctx, w));
    else if (w.kind === 'set') {
      layout = w.index.map(bufferIndexVar);
      if (sink.kind !== 'buffer' || sink.shape.length !== layout.length) throw new Unsupported('buffer rank');
      layout.forEach((v, k) => {
        if (!polyEquals(sink.shape[k], ctx.loops.get(v)!.bound)) {
          throw new Unsupported('partial write: buffer shape differs from the loop bounds');
        }
      });
    } else layout = stridedLayout(ctx, w.index[0], sink);
    if (w.accumulate) {
      // Σ over the loops the index does not mention, in nest order.
      for (const v of [...w.active].reverse())
        if (!layout.includes(v)) value = { kind: 'reduce', op: 'sum', v, body: value };
    }
    if (new Set(layout).size !== layout.length || !w.active.every((v) => layout.includes(v) || w.accumulate)) {
      throw new Unsupported('the same element is written by several iterations');
    }
    outputs.push({ sink, layout, value });
  }
  return outputs;
}

/**
 * `out[4 * p] = r; out[4 * p + 1] = g; out[4 * p + 2] = b; out[4 * p + 3] = 255;` (or `out[k++]` four
 * times): S writes of one iteration into S consecutive positions of a typed array, each iteration its
 * own S. One output with a new innermost axis of S, the values stacked along it (tf.stack).
 */
function interleaved(ctx: LiftContext, sink: Sink, ws: Write[]): Output {
  const S = ws.length;
  const active = ws[0].active.join();
  if (
    sink.kind !== 'typed' ||
    ws.some((w) => w.kind !== 'index' || w.accumulate || w.scatter || w.active.join() !== active)
  )
    throw new Unsupported('a sink written more than once');
  const deltas = ws.map((w) => polyConstant(addPoly(w.index[0], ws[0].index[0], -1)));
  if (deltas.some((d) => d === undefined)) throw new Unsupported('a sink written more than once');
  const min = Math.min(...(deltas as number[]));
  const slots = (deltas as number[]).map((d) => d - min);
  if (!slots.every((d, k) => Number.isInteger(d) && d < S && slots.indexOf(d) === k))
    throw new Unsupported('writes that are not consecutive positions');
  // The first position is S times a row-major index over the loops.
  const first = ws[slots.indexOf(0)].index[0];
  const base = new Map([...first].map(([k, c]) => [k, c / S]));
  if ([...base.values()].some((c) => !Number.isInteger(c)))
    throw new Unsupported('write positions not a multiple of their count');
  const layout = stridedLayout(ctx, base, sink, S);
  if (new Set(layout).size !== layout.length || !ws[0].active.every((v) => layout.includes(v)))
    throw new Unsupported('the same element is written by several iterations');
  const w = newLoopVar(ctx, `${sink.variable.name}$c`);
  ctx.loops.set(w, { name: w, bound: constPoly(S), boundText: String(S) });
  const parts = slots.map((_, k) => ws[slots.indexOf(k)].value);
  if (parts.some(containsAcc)) throw new NotVectorizable('an output depends on earlier iterations');
  return { sink, layout: [...layout, w], value: { kind: 'stack', v: w, parts } };
}

/** A position of `buf.set(v, …)`: it must be a loop variable. */
function bufferIndexVar(p: Poly): string {
  const v = singleLoopVar(p);
  if (v === undefined) throw new Unsupported('buffer index is not a loop variable');
  return v;
}

/**
 * `buf.set(c, i, idx[i])` into a zero buffer: every element is `c` where the new axis equals the
 * data index and 0 elsewhere — a one-hot (or, with the index varying along more loops than the
 * buffer's other axes, nothing we lift).
 */
function scatterOutput(ctx: LiftContext, w: Write): { layout: string[]; value: Expr } {
  const sink = w.sink;
  const scatter = w.scatter!;
  if (sink.kind !== 'buffer' || sink.shape.length !== w.index.length) throw new Unsupported('buffer rank');
  if (w.value.kind !== 'const' || w.value.value === 0)
    throw new Unsupported('a scatter of values that are not one constant');
  const layout: string[] = [];
  w.index.forEach((p, k) => {
    if (k === scatter.pos) {
      const v = newLoopVar(ctx, `${sink.variable.name}$${k}`);
      ctx.loops.set(v, { name: v, bound: sink.shape[k], boundText: sink.shapeText[k] });
      layout.push(v);
      return;
    }
    const v = bufferIndexVar(p);
    if (!polyEquals(sink.shape[k], ctx.loops.get(v)!.bound)) {
      throw new Unsupported('partial write: buffer shape differs from the loop bounds');
    }
    layout.push(v);
  });
  // Every loop the index varies along must be an axis of the buffer: else several writes land in one row.
  const axes = new Set(layout);
  if (![...freeVars(scatter.index)].every((v) => axes.has(v)) || !w.active.every((v) => axes.has(v))) {
    throw new Unsupported('a scatter that writes one row several times');
  }
  const hot = layout[scatter.pos];
  const cond: Expr = { kind: 'compare', op: '===', a: { kind: 'index', v: hot }, b: scatter.index };
  const value: Expr = { kind: 'select', cond, a: w.value, b: C(0) };
  const labels = tensorsRead(scatter.index)
    .map((t) => `\`${t}\``)
    .join(', ');
  note(ctx, value, {
    caveat: caveat(
      `a label read from ${labels} outside [0, ${sink.shapeText[scatter.pos]}) makes the loop write into another ` +
        `row, while the one-hot row stays all zeros`,
      'in-bounds',
    ),
  });
  return { layout, value };
}

/** `out[i * m + j]` → [i, j] when the strides are the inner bounds and the sink has exactly that size. */
function stridedLayout(ctx: LiftContext, index: Poly, sink: Sink, channels = 1): string[] {
  const split = splitByLoopVars(index);
  if (!split || split.rest.size !== 0) throw new Unsupported('write index has an offset');
  const layout = loopMajor(ctx, split.coefs, split.rest);
  if (!layout) throw new Unsupported('write index is not row-major over the loops');
  const size = layout.reduce((p, v) => mulPoly(p, ctx.loops.get(v)!.bound), constPoly(channels));
  if (sink.kind === 'typed' && sink.size && !polyEquals(sink.size, size)) {
    throw new Unsupported('partial write: the array is larger than what the loop writes');
  }
  if (sink.kind === 'typed' && !sink.size) throw new Unsupported('array size unknown');
  if (sink.kind === 'inplace' && !polyEquals(sink.size, size)) {
    throw new Unsupported('partial write: the loop changes only part of the array in place');
  }
  return layout;
}
