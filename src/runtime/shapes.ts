// What the lifter found about a loop's tensors, for synthesising inputs: each parameter tensor's rank,
// the axes the loop bounds with a literal (a channel count), and the tensors whose values index
// another tensor's axis (labels, actions), which must be drawn in range. The same analysis as the
// rule (liftNest, src/analysis/lift/index.ts), run again on the node the rule reported; nothing runs
// user code.
import type { TSESLint } from '@typescript-eslint/utils';
import { children, type Expr } from '../analysis/ir.js';
import { liftNest, type LiftedNest, type NestRoot } from '../analysis/lift/index.js';
import { polyConstant } from '../analysis/poly.js';
import { TensorFacts, type TensorInfo } from '../analysis/tensors.js';
import { findTfBinding } from '../analysis/tf-binding.js';

export interface ParamShape {
  /** The rank the loop reads it with (a `Tensor2D` annotation, `const [n, m] = x.shape`, two indices). */
  rank?: number;
  /** axis → length, where the loop's bound is a literal. */
  literal: Map<number, number>;
  /** Its values index an axis of another tensor: drawn in [0, that axis' length); `length` when it is a literal. */
  indexes?: { tensor: string; axis: number; length?: number };
}

/** Facts per parameter name of the function that holds the loop. */
export type ShapeFacts = Map<string, ParamShape>;

/**
 * Shape facts for the loop nest at `root` (the node the rule reported: ./reported.ts), or an empty map
 * when it does not lift or the file does not import TF.js.
 */
export function shapeFacts(sourceCode: Readonly<TSESLint.SourceCode>, root: NestRoot): ShapeFacts {
  const out: ShapeFacts = new Map();
  const binding = findTfBinding(sourceCode.ast);
  if (!binding) return out;
  let result;
  try {
    // Fresh facts per loop: nothing one lift guessed leaks into the next.
    result = liftNest(new TensorFacts(sourceCode, binding), root);
  } catch {
    // liftNest rethrows what it does not classify (a lifter bug): that costs the facts, not the case.
    return out;
  }
  if (result.kind !== 'lifted') return out;
  const nest: LiftedNest = result.nest;
  const infos = new Map<string, TensorInfo>(nest.tensors);
  const paramOf = (tensor: string): string | undefined => {
    const def = infos.get(tensor)?.variable.defs[0];
    return def?.type === 'Parameter' ? tensor : undefined;
  };
  const entry = (tensor: string): ParamShape | undefined => {
    const name = paramOf(tensor);
    if (!name) return undefined;
    let e = out.get(name);
    if (!e) {
      e = { literal: new Map(), ...(infos.get(tensor)?.rank !== undefined ? { rank: infos.get(tensor)!.rank } : {}) };
      out.set(name, e);
    }
    return e;
  };
  const axisLength = (tensor: string, axis: number): number | undefined =>
    infos.get(tensor)?.literal?.shape[axis] ?? out.get(tensor)?.literal.get(axis);
  const axes = (tensor: string, list: (string | number)[]) => {
    const e = entry(tensor);
    if (!e) return;
    e.rank ??= list.length;
    list.forEach((a, k) => {
      const bound = typeof a === 'string' ? nest.loops.get(a)?.bound : undefined;
      const c = bound && polyConstant(bound);
      if (c !== undefined && Number.isInteger(c) && c > 0) e.literal.set(k, c);
    });
  };
  const takes: Extract<Expr, { kind: 'take' }>[] = [];
  const walk = (e: Expr): void => {
    if (e.kind === 'access') axes(e.tensor, e.axes);
    if (e.kind === 'take') {
      axes(e.tensor, e.axes);
      takes.push(e);
    }
    if (e.kind === 'flat') entry(e.tensor);
    children(e).forEach(walk);
  };
  for (const o of nest.outputs) walk(o.value);
  for (const t of takes) {
    const index = t.index.kind === 'access' || t.index.kind === 'flat' ? t.index.tensor : undefined;
    const e = index !== undefined ? entry(index) : undefined;
    if (e)
      e.indexes = {
        tensor: t.tensor,
        axis: t.axis,
        ...(axisLength(t.tensor, t.axis) !== undefined ? { length: axisLength(t.tensor, t.axis) } : {}),
      };
  }
  return out;
}
