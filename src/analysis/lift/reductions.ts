/**
 * Reductions: the accumulators a loop updates (`let s = 0; … s += …`), and what their update says
 * over the whole loop — a sum or product, an extremum, an arg-extremum paired with its extremum,
 * or (for a write that reads the accumulator) a prefix sum.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { forEachChild, isInside } from '../../ast/predicates.js';
import { caveat } from '../assumptions.js';
import { C, containsAcc, exprEquals, freeVars, mapChildren, type CompareOp, type Expr } from '../ir.js';
import { variableOf, type Acc, type LiftContext, type State } from './context.js';
import { NotVectorizable, Unsupported } from './errors.js';
import { expr, isDeclaredInside } from './expressions.js';
import { note } from './notes.js';

/** The accumulators of one loop: placeholder, value after one iteration, and value on entry. */
export interface Carried {
  placeholders: Map<Scope.Variable, Acc>;
  updates: Map<Scope.Variable, Expr>;
  inits: Map<Scope.Variable, Expr>;
}

/** Variables declared outside the loop body `loop` and assigned inside it, with their value on entry. */
export function accumulatorsOf(ctx: LiftContext, loop: TSESTree.Node, state: State): Map<Scope.Variable, Expr> {
  const out = new Map<Scope.Variable, Expr>();
  const scopeVars = new Set<Scope.Variable>();
  const visit = (node: TSESTree.Node): void => {
    if (node.type === AST_NODE_TYPES.AssignmentExpression || node.type === AST_NODE_TYPES.UpdateExpression) {
      const target = node.type === AST_NODE_TYPES.AssignmentExpression ? node.left : node.argument;
      if (target.type === AST_NODE_TYPES.Identifier) {
        const variable = variableOf(ctx, target);
        if (variable && !isDeclaredInside(variable, loop) && !ctx.counters.has(variable)) scopeVars.add(variable);
      }
    }
    forEachChild(node, visit);
  };
  visit(loop);
  const { root } = ctx;
  for (const variable of scopeVars) {
    const current = state.env.get(variable);
    if (current) {
      out.set(variable, current);
      continue;
    }
    // Declared outside the whole nest: `let s = 0;` before the loop, in the same function.
    const def = variable.defs[0];
    if (
      variable.defs.length !== 1 ||
      def.node.type !== AST_NODE_TYPES.VariableDeclarator ||
      def.node.id.type !== AST_NODE_TYPES.Identifier
    ) {
      throw new Unsupported('assigns an outer variable');
    }
    if (def.parent?.type !== AST_NODE_TYPES.VariableDeclaration || def.parent.kind === 'const') {
      throw new Unsupported('assigns a const');
    }
    if (!def.node.init) throw new Unsupported('accumulator without an initial value');
    if (def.node.range[1] > root.range[0]) throw new Unsupported('accumulator declared after the loop');
    // Written only by its initialiser and inside the nest.
    if (variable.references.some((r) => r.isWrite() && !r.init && !isInside(r.identifier, root))) {
      throw new Unsupported('accumulator written elsewhere');
    }
    const declEnd = def.node.range[1];
    const readBefore = (r: Scope.Reference) =>
      !r.isWrite() && r.identifier.range[1] < root.range[0] && r.identifier.range[0] > declEnd;
    if (variable.references.some(readBefore)) throw new Unsupported('accumulator read before the loop');
    const init = expr(ctx, def.node.init, state);
    if (freeVars(init).size > 0) throw new Unsupported('accumulator init');
    ctx.sinks.set(variable, { kind: 'scalar', variable, statement: def.parent, declarator: def.node });
    out.set(variable, init);
  }
  return out;
}

/**
 * Nested guards of one update, merged into one: `if (a) { if (b) s += E; }` (select(a, select(b, s + E, s), s))
 * is `if (a && b) s += E`, and `if (a) {…} else if (b) s += E` is `if (!a && b) s += E`. The conditions are
 * whole `if` tests, so their truth is all that counts; the lowering takes `&&` only on booleans.
 */
function mergeGuards(F: Expr, id: number): Expr {
  if (F.kind !== 'select' || containsAcc(F.cond, id)) return F;
  const isAcc = (e: Expr): boolean => e.kind === 'acc' && e.id === id;
  const a = mergeGuards(F.a, id);
  const b = mergeGuards(F.b, id);
  const and = (x: Expr, y: Expr): Expr => ({ kind: 'logical', op: '&&', a: x, b: y });
  const not = (x: Expr): Expr => ({ kind: 'not', arg: x });
  // The guarded side: a select whose other branch leaves the accumulator as it is.
  const inner = (g: Expr): { cond: Expr; value: Expr } | undefined => {
    if (g.kind !== 'select' || containsAcc(g.cond, id)) return undefined;
    if (isAcc(g.b)) return { cond: g.cond, value: g.a };
    if (isAcc(g.a)) return { cond: not(g.cond), value: g.b };
    return undefined;
  };
  const acc = isAcc(b) ? b : isAcc(a) ? a : undefined;
  if (acc) {
    const taken = isAcc(b) ? a : b;
    const g = inner(taken);
    if (g) {
      const cond = isAcc(b) ? F.cond : not(F.cond);
      return { kind: 'select', cond: and(cond, g.cond), a: g.value, b: acc };
    }
  }
  return a === F.a && b === F.b ? F : { ...F, a, b };
}

/** What accumulator `acc`, updated to `F` each iteration of loop `v` from `init`, holds after the loop. */
export function reduction(
  ctx: LiftContext,
  F: Expr,
  acc: Acc,
  v: string,
  lower: number,
  init: Expr,
  carried: Carried,
): Expr {
  if (F.kind === 'acc' && F.id === acc.id) return init;
  F = mergeGuards(F, acc.id);
  if (!containsAcc(F, acc.id)) {
    // Overwritten each iteration (`last = d[i]`): the last element, a loop-carried choice.
    throw new Unsupported('keeps the last value');
  }
  const isAcc = (e: Expr): boolean => e.kind === 'acc' && e.id === acc.id;
  const other = (e: Expr): Expr | undefined => {
    if (e.kind !== 'binary') return undefined;
    if (isAcc(e.a) && !containsAcc(e.b)) return e.b;
    return isAcc(e.b) && !containsAcc(e.a) ? e.a : undefined;
  };
  const full = (body: Expr): Expr => {
    if (lower !== 0) throw new Unsupported('loop skips elements');
    return body;
  };

  // s += E, s -= E, s *= E, s = Math.max(s, E)
  if (F.kind === 'binary') {
    const E = other(F);
    if (E && F.op === '+') return combine('sum', init, { kind: 'reduce', op: 'sum', v, body: full(E) });
    if (E && F.op === '-' && isAcc(F.a)) {
      return combine('sum', init, { kind: 'reduce', op: 'sum', v, body: full({ kind: 'unary', op: 'neg', arg: E }) });
    }
    if (E && F.op === '*') return combine('prod', init, { kind: 'reduce', op: 'prod', v, body: full(E) });
    if (E && (F.op === 'max' || F.op === 'min')) return extremum(ctx, F.op, E, v, lower, init, false);
  }
  if (F.kind === 'select') {
    // if (c) s += E  →  Σ (c ? E : 0)
    if (!containsAcc(F.cond)) {
      const [A, B, flip] = isAcc(F.b)
        ? [F.a, F.b, false]
        : isAcc(F.a)
          ? [F.b, F.a, true]
          : [undefined, undefined, false];
      if (A && B && A.kind === 'binary' && (A.op === '+' || A.op === '*')) {
        const E = other(A);
        if (E) {
          const neutral = C(A.op === '+' ? 0 : 1);
          const body: Expr = flip
            ? { kind: 'select', cond: F.cond, a: neutral, b: E }
            : { kind: 'select', cond: F.cond, a: E, b: neutral };
          const op = A.op === '+' ? 'sum' : 'prod';
          return combine(op, init, { kind: 'reduce', op, v, body: full(body) });
        }
      }
      throw new NotVectorizable('a conditional update that is not a reduction');
    }
    // if (E > s) s = E  →  max
    const ext = selectExtremum(F, isAcc);
    if (ext) return extremum(ctx, ext.op, ext.value, v, lower, init, true);
    // if (E > best) { best = E; at = i }  →  argmax (paired with `best`)
    const arg = argExtremum(ctx, F, isAcc, v, lower, init, carried);
    if (arg) return arg;
  }
  throw new NotVectorizable('each iteration depends on the previous one');
}

/** A running max or min of `E` over `v`; `skipsNaN` for the `if (E > m) m = E` form. */
export function extremum(
  ctx: LiftContext,
  op: 'max' | 'min',
  E: Expr,
  v: string,
  lower: number,
  init: Expr,
  skipsNaN: boolean,
): Expr {
  const R: Expr = { kind: 'reduce', op, v, body: E };
  const nanCaveat = caveat(`the loop skips NaN values, tf.${op} propagates them`, 'no-nan');
  if (lower === 1) {
    // let m = row[0]; for (j = 1; …) — exact, the reduction starts from the first element
    if (exprEquals(init, substitute(E, v, 0))) return skipsNaN ? note(ctx, R, { caveat: nanCaveat }) : R;
    throw new Unsupported('loop skips elements');
  }
  if (skipsNaN) note(ctx, R, { caveat: nanCaveat });
  const neutral = op === 'max' ? -Infinity : Infinity;
  if (init.kind === 'const' && init.value === neutral) {
    return note(ctx, R, {
      caveat: caveat(`over an empty axis the loop gives ${neutral}, tf.${op} gives NaN`, 'non-empty'),
    });
  }
  // A sentinel start (-1000, Number.MIN_VALUE) is not −Infinity: keep it in the result.
  return { kind: 'binary', op, a: init, b: R };
}

/** `if (E > best) { best = E; at = v }`: `at` is the arg-extremum of `E`, paired with `best`. */
function argExtremum(
  ctx: LiftContext,
  F: Extract<Expr, { kind: 'select' }>,
  isAcc: (e: Expr) => boolean,
  v: string,
  lower: number,
  init: Expr,
  { placeholders, updates, inits }: Carried,
): Expr | undefined {
  if (!isAcc(F.b) || F.a.kind !== 'index' || F.a.v !== v || F.cond.kind !== 'compare') return undefined;
  // Find `best`: the other accumulator the condition compares against, updated to E under the same condition.
  for (const [variable, ph] of placeholders) {
    if (isAcc(ph)) continue;
    const bestF = updates.get(variable)!;
    if (bestF.kind !== 'select' || !exprEquals(bestF.cond, F.cond)) continue;
    const ext = selectExtremum(bestF, (e) => e.kind === 'acc' && e.id === ph.id);
    if (!ext) continue;
    const op = ext.op === 'max' ? 'argmax' : 'argmin';
    const tfOp = op === 'argmax' ? 'argMax' : 'argMin';
    // `>=` keeps the last of equal values: the emitter searches the reversed axis (see Lowerer).
    const result: Extract<Expr, { kind: 'argreduce' }> = { kind: 'argreduce', op, v, body: ext.value };
    if (!ext.strict) result.last = true;
    const bestInit = inits.get(variable)!;
    const startsAtZero = init.kind === 'const' && init.value === 0;
    if (lower === 1) {
      if (!startsAtZero || !exprEquals(bestInit, substitute(ext.value, v, 0)))
        throw new Unsupported('loop skips elements');
      // From the first element, `>` skips later NaN values as tf.argMax does (cpu, wasm): exact. Searching
      // the reversed axis starts from the last element instead.
      if (result.last) {
        note(ctx, result, {
          caveat: caveat(`where a row starts or ends with NaN the loop and the reversed tf.${tfOp} differ`, 'no-nan'),
        });
        note(ctx, result, {
          caveat: caveat(`over an empty axis the loop gives 0, the reversed tf.${tfOp} gives -1`, 'non-empty'),
        });
      }
    } else {
      const neutral = ext.op === 'max' ? -Infinity : Infinity;
      if (!(bestInit.kind === 'const' && bestInit.value === neutral) || !startsAtZero) {
        note(ctx, result, {
          blocker: `the search starts from a sentinel (not ${neutral} at index 0), which tf.${tfOp} cannot express`,
        });
      } else if (result.last) {
        note(ctx, result, {
          caveat: caveat(`the loop skips NaN values, the reversed tf.${tfOp} may return the index of one`, 'no-nan'),
        });
        note(ctx, result, {
          caveat: caveat(`over an empty axis the loop gives 0, the reversed tf.${tfOp} gives -1`, 'non-empty'),
        });
      } else {
        // The emitter searches with NaN replaced by ∓Infinity: exact.
        result.skipsNaN = true;
      }
    }
    return result;
  }
  return undefined;
}

/** A write in loop `v` that reads an accumulator `s += E` updates: an inclusive or exclusive prefix sum. */
export function prefixSum(value: Expr, v: string, { placeholders, updates, inits }: Carried): Expr {
  for (const [variable, ph] of placeholders) {
    if (!containsAcc(value, ph.id)) continue;
    const F = updates.get(variable)!;
    const isPh = (e: Expr) => e.kind === 'acc' && e.id === ph.id;
    const E = F.kind === 'binary' && F.op === '+' ? (isPh(F.a) ? F.b : isPh(F.b) ? F.a : undefined) : undefined;
    if (!E || containsAcc(E)) break;
    const init = inits.get(variable)!;
    // out[i] = s after `s += E` is inclusive; before it, exclusive.
    const exclusive = isPh(value);
    if (!exclusive && !exprEquals(value, F)) break;
    if (freeVars(init).size > 0) break;
    return combine('sum', init, { kind: 'cumsum', v, body: E, exclusive });
  }
  throw new NotVectorizable('an output element depends on earlier iterations');
}

function combine(op: 'sum' | 'prod', init: Expr, R: Expr): Expr {
  const neutral = op === 'sum' ? 0 : 1;
  if (init.kind === 'const' && init.value === neutral) return R;
  return { kind: 'binary', op: op === 'sum' ? '+' : '*', a: init, b: R };
}

const MIRROR: Record<string, CompareOp> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=' };

/** `E > s ? E : s` and its mirror forms. */
function selectExtremum(
  F: Extract<Expr, { kind: 'select' }>,
  isAcc: (e: Expr) => boolean,
): { op: 'max' | 'min'; value: Expr; strict: boolean } | undefined {
  const c = F.cond;
  if (c.kind !== 'compare') return undefined;
  let value: Expr | undefined;
  let op: 'max' | 'min' | undefined;
  // normalise to `value OP acc`
  let cmp = c.op;
  let lhs = c.a;
  let rhs = c.b;
  if (isAcc(lhs) && !isAcc(rhs)) {
    [lhs, rhs] = [rhs, lhs];
    cmp = MIRROR[cmp] ?? cmp;
  }
  if (!isAcc(rhs) || containsAcc(lhs)) return undefined;
  if (isAcc(F.b) && exprEquals(F.a, lhs)) {
    value = lhs;
    if (cmp === '>' || cmp === '>=') op = 'max';
    if (cmp === '<' || cmp === '<=') op = 'min';
  }
  if (!value || !op) return undefined;
  return { op, value, strict: cmp === '>' || cmp === '<' };
}

/**
 * Replaces loop variable `v` by the constant `c` (for "starts from the first element" checks).
 * Rebuilt node by node, so that `param` polynomials stay `Poly` maps and `exprEquals` holds.
 */
export function substitute(e: Expr, v: string, c: number): Expr {
  if (e.kind === 'access') return { ...e, axes: e.axes.map((a) => (a === v ? c : a)) };
  if (e.kind === 'index' && e.v === v) return C(c);
  return mapChildren(e, (child) => substitute(child, v, c));
}
