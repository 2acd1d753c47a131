/**
 * The driver: `liftNest` interprets one loop nest symbolically and returns the tensor IR of
 * everything it computes (`out[I] = E`), or says why it cannot, as a tagged result.
 *
 * Values are tracked per variable: nest-local constants and accumulators hold IR expressions,
 * rows of nested views hold partial accesses, and writes into sinks are collected with the loops
 * active at the write (statements.ts). An `if` runs both branches and merges what they assigned
 * into `Select`s.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isMethodCall } from '../../ast/predicates.js';
import { recognizeIdioms } from '../idioms.js';
import { tensorsRead, type Expr } from '../ir.js';
import type { TensorFacts } from '../tensors.js';
import { createContext, newState, type LiftContext } from './context.js';
import { InPlaceWrite, NotVectorizable, Unsupported } from './errors.js';
import { expr, indexOfExtremum } from './expressions.js';
import { filterCount, loop, mapRoot, reduceCall } from './loops.js';
import type { AfterNest, LiftedNest, LiftResult, NestRoot, Output } from './nest.js';
import { moveNotes, nestNotes, notesOf } from './notes.js';
import { finishWrites } from './sinks.js';
import { findCounters } from './counters.js';

export function liftNest(facts: TensorFacts, root: NestRoot): LiftResult {
  const ctx = createContext(facts, root);
  try {
    const nest = lift(ctx);
    return { kind: 'lifted', nest, after: afterNest(ctx), readsTensorData: readsTensorData(ctx) };
  } catch (e) {
    const failed = failure(ctx, e);
    if (failed) return failed;
    throw e;
  }
}

/** The result for an error the lifter threw; undefined for any other error (a bug). */
function failure(ctx: LiftContext, e: unknown): Exclude<LiftResult, { kind: 'lifted' }> | undefined {
  // "Cannot be vectorized" is said of data the code names: data read back from a tensor no variable
  // holds is recognised to describe a loop that lifts, not to flag every loop over a prediction.
  if (e instanceof NotVectorizable)
    return {
      kind: 'notVectorizable',
      reason: e.message,
      readsTensorData: [...ctx.views].some(
        (v) => !v.tensor.literal && !v.tensor.foreign?.unnamed && !v.tensor.introduce,
      ),
    };
  if (e instanceof InPlaceWrite) return { kind: 'inPlace', read: e.message };
  if (e instanceof Unsupported) return { kind: 'unsupported', reason: e.message, error: e };
  return undefined;
}

/** Whether the part of the nest lifted so far read tensor data. */
function readsTensorData(ctx: LiftContext): boolean {
  return [...ctx.views].some((v) => !v.tensor.literal);
}

function lift(ctx: LiftContext): LiftedNest {
  const { root } = ctx;
  const state = newState();
  findCounters(ctx, state);
  let outerAccs = new Map<Scope.Variable, Expr>();
  const mapped: Output[] = [];
  if (root.type === AST_NODE_TYPES.CallExpression && isMethodCall(root, 'reduce')) {
    // Only a reduce over data read in place or held in a view; a reduce over a row is part of a bigger nest.
    if (!ctx.facts.viewOf(root.callee.object, true))
      throw new Unsupported('reduce over something that is not tensor data');
    mapped.push({ sink: { kind: 'reduced', call: root }, layout: [], value: reduceCall(ctx, root, state) });
  } else if (root.type === AST_NODE_TYPES.CallExpression && isMethodCall(root, 'filter') && countOf(root)) {
    // d.filter((v) => v > t).length over data held in a view: a count, read back.
    if (!ctx.facts.viewOf(root.callee.object, true))
      throw new Unsupported('filter over something that is not tensor data');
    const node = countOf(root)!;
    mapped.push({ sink: { kind: 'reduced', call: root, node }, layout: [], value: filterCount(ctx, root, state) });
  } else if (root.type === AST_NODE_TYPES.CallExpression && indexOfExtremum(root)) {
    // d.indexOf(Math.max(...d)) over data held in a view: the index of the max, read back.
    mapped.push({ sink: { kind: 'reduced', call: root }, layout: [], value: expr(ctx, root, state) });
  } else if (root.type === AST_NODE_TYPES.CallExpression) mapped.push(mapRoot(ctx, root, state));
  else outerAccs = loop(ctx, root, state);
  const outputs = [...mapped, ...finishWrites(ctx, state.writes)];
  for (const [variable, value] of outerAccs) {
    const sink = ctx.sinks.get(variable);
    if (sink) outputs.push({ sink, layout: [], value });
  }
  for (const out of outputs) out.value = recognizeIdioms(out.value, (from, to) => moveNotes(ctx, from, to));
  if (outputs.length === 0) throw new Unsupported('the loop computes nothing that leaves it');
  // A loop that only uses data for its size (`idx[i] = i` over `d.length`) does not compute from tensor data.
  if (!outputs.some((o) => tensorsRead(o.value).some((t) => !ctx.tensors.get(t)?.literal))) {
    throw new Unsupported('no output reads tensor data');
  }
  // The maps are the context's own: what the planner lifts after the loop (`afterNest`) joins them.
  return {
    node: root,
    loops: ctx.loops,
    order: ctx.order,
    outputs,
    views: ctx.views,
    tensors: ctx.infos,
    ranks: ctx.ranks,
    ...nestNotes(ctx, outputs),
    assumptions: ctx.assumptions,
  };
}

function afterNest(ctx: LiftContext): AfterNest {
  return {
    valueOf(node: TSESTree.Node, finals: ReadonlyMap<Scope.Variable, Expr>): Expr | undefined {
      try {
        return expr(ctx, node, newState(new Map(finals)));
      } catch (e) {
        if (failure(ctx, e)) return undefined;
        throw e;
      }
    },
    notesOf: (exprs) => notesOf(ctx, exprs),
  };
}

/** `call.length` where `call` is `d.filter(…)`: the member expression that reads the count. */
export function countOf(call: TSESTree.CallExpression): TSESTree.MemberExpression | undefined {
  const p = call.parent;
  return p?.type === AST_NODE_TYPES.MemberExpression &&
    p.object === call &&
    !p.computed &&
    p.property.type === AST_NODE_TYPES.Identifier &&
    p.property.name === 'length'
    ? p
    : undefined;
}
