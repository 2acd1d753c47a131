/**
 * Running indices (induction variables): a `let k = 0` before the nest that the nest only advances by
 * constants, unconditionally, and reads only as a write position —
 *
 *   let k = 0;
 *   for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) { out[k++] = r(i, j); out[k++] = g(i, j); }
 *
 * At every point of the walk the counter's value is a polynomial of the active loop variables: on
 * entering a loop over `v` it is its value at the loop's start plus `v` times what one iteration adds
 * (the increments of the body, an inner loop's multiplied by its trip count). `out[k++]` then writes at
 * a position the sinks can lay out (`4 * (i * w + j) + c`). The counter's final value is not lifted:
 * one read after the nest makes it an ordinary variable (not lifted).
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { FUNCTION_TYPES, isInside, isMethodCall, numericLiteral, unwrap } from '../../ast/predicates.js';
import { walk } from '../loop-context.js';
import { nodesAtText } from '../../ast/names.js';
import { addPoly, atomPoly, constPoly, loopAtom, mulPoly, polyEquals, type Poly } from '../poly.js';
import { polyOf, variableOf, type LiftContext, type State } from './context.js';
import { Unsupported } from './errors.js';

/** What one write reference adds to the counter: `k++`/`++k` 1, `k += 4` 4; undefined for anything else. */
function step(id: TSESTree.Identifier): number | undefined {
  const p = id.parent;
  if (p?.type === AST_NODE_TYPES.UpdateExpression && p.operator === '++') return 1;
  if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === id && p.operator === '+=') {
    const k = numericLiteral(p.right);
    return k !== undefined && Number.isInteger(k) && k > 0 ? k : undefined;
  }
  return undefined;
}

/** Where the counter may appear in the nest: advanced as a statement, or read (or advanced) as a write position. */
function allowedUse(id: TSESTree.Identifier): boolean {
  let n: TSESTree.Node = id;
  if (id.parent?.type === AST_NODE_TYPES.UpdateExpression) n = id.parent;
  const p = n.parent;
  if (!p) return false;
  if (p.type === AST_NODE_TYPES.ExpressionStatement) return n !== id;
  if (p.type === AST_NODE_TYPES.AssignmentExpression && p.left === id)
    return p.parent?.type === AST_NODE_TYPES.ExpressionStatement;
  // out[k] = v, out[k++] = v
  if (p.type === AST_NODE_TYPES.MemberExpression && p.computed && p.property === n)
    return p.parent?.type === AST_NODE_TYPES.AssignmentExpression && p.parent.left === p;
  // buf.set([v], k++)
  return p.type === AST_NODE_TYPES.CallExpression && isMethodCall(p, 'set') && p.arguments[1] === n;
}

/** Nothing between `node` and the nest's root runs conditionally or an unknown number of times. */
function unconditional(node: TSESTree.Node, root: TSESTree.Node): boolean {
  for (let n = node.parent; n && n !== root; n = n.parent) {
    switch (n.type) {
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
      case AST_NODE_TYPES.LogicalExpression:
      case AST_NODE_TYPES.SwitchStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
      case AST_NODE_TYPES.TryStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
        return false;
      default:
        if (FUNCTION_TYPES.has(n.type)) return false;
    }
  }
  return true;
}

/** The nest's running indices, each with its value before the nest, recorded in `state.polys`. */
export function findCounters(ctx: LiftContext, state: State): void {
  const { root } = ctx;
  const candidates = new Set<Scope.Variable>();
  // Only `k++` can advance a counter (`k--` or a `k += 4` with no `k++` beside it makes none): found where
  // `++` occurs in the nest's text, not by a walk of the nest.
  for (const n of nodesAtText(ctx.sourceCode, root, '++')) {
    if (n.type !== AST_NODE_TYPES.UpdateExpression || n.argument.type !== AST_NODE_TYPES.Identifier) continue;
    const v = variableOf(ctx, n.argument);
    if (v) candidates.add(v);
  }
  for (const variable of candidates) {
    const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
    if (
      def?.node.type !== AST_NODE_TYPES.VariableDeclarator ||
      def.parent?.type !== AST_NODE_TYPES.VariableDeclaration ||
      def.parent.kind !== 'let' ||
      !def.node.init ||
      def.node.range[1] > root.range[0]
    )
      continue;
    const init = numericLiteral(def.node.init);
    if (init === undefined || !Number.isInteger(init)) continue;
    const refs = variable.references.filter((r) => !r.init);
    const inside = refs.filter((r) => isInside(r.identifier, root));
    // Written only in the nest, and not read after it (its final value is not lifted).
    if (inside.length !== refs.filter((r) => r.identifier.range[0] >= root.range[0]).length) continue;
    if (refs.some((r) => r.isWrite() && !isInside(r.identifier, root))) continue;
    const ok = inside.every((r) => {
      const id = r.identifier as TSESTree.Identifier;
      if (!allowedUse(id)) return false;
      return !r.isWrite() || (step(id) !== undefined && unconditional(id, root));
    });
    if (!ok) continue;
    ctx.counters.add(variable);
    state.polys.set(variable, constPoly(init));
  }
}

/** What one run of `node` adds to `counter`: its increments, an inner `for` loop's times its trip count. */
function increments(ctx: LiftContext, node: TSESTree.Node, counter: Scope.Variable): Poly {
  let total = constPoly(0);
  const loops: TSESTree.ForStatement[] = [];
  walk(
    node,
    (n) => {
      if (n.type !== AST_NODE_TYPES.Identifier || variableOf(ctx, n) !== counter) return;
      const k = step(n);
      if (k !== undefined) total = addPoly(total, constPoly(k));
    },
    (n) => n.type === AST_NODE_TYPES.ForStatement && loops.push(n) > 0,
  );
  for (const inner of loops) {
    const per = increments(ctx, inner.body, counter);
    if (per.size > 0) total = addPoly(total, mulPoly(per, tripCount(ctx, inner)));
  }
  return total;
}

/** `for (let j = 0; j < n; j++)`: n (minus the start); the header itself is checked when the loop is lifted. */
function tripCount(ctx: LiftContext, loop: TSESTree.ForStatement): Poly {
  const decl = loop.init?.type === AST_NODE_TYPES.VariableDeclaration ? loop.init.declarations[0] : undefined;
  const lower = decl?.init ? numericLiteral(decl.init) : undefined;
  const test = loop.test;
  const bound =
    test?.type === AST_NODE_TYPES.BinaryExpression && test.operator === '<' ? polyOf(ctx, test.right) : undefined;
  if (lower === undefined || !bound) throw new Unsupported('a running index in a loop of unknown length');
  return addPoly(bound, constPoly(lower), -1);
}

/**
 * On entering the loop over `v` (from `lower`): each counter the body advances runs as
 * start + (v - lower) · step. Returns what to check and set when the loop ends.
 */
export function enterLoop(
  ctx: LiftContext,
  body: TSESTree.Node,
  v: string,
  lower: number,
  state: State,
): (bound: Poly) => void {
  const entries: { counter: Scope.Variable; start: Poly; step: Poly }[] = [];
  for (const counter of ctx.counters) {
    const start = state.polys.get(counter);
    if (!start) continue;
    const per = increments(ctx, body, counter);
    if (per.size === 0) continue;
    entries.push({ counter, start, step: per });
    const offset = addPoly(atomPoly(loopAtom(v)), constPoly(lower), -1);
    state.polys.set(counter, addPoly(start, mulPoly(offset, per)));
  }
  return (bound) => {
    for (const { counter, start, step: per } of entries) {
      // One iteration must have added exactly its step (the walk saw every increment).
      const offset = addPoly(atomPoly(loopAtom(v)), constPoly(lower - 1), -1);
      if (!polyEquals(state.polys.get(counter)!, addPoly(start, mulPoly(offset, per))))
        throw new Unsupported('a running index advanced other than the loop shows');
      state.polys.set(counter, addPoly(start, mulPoly(addPoly(bound, constPoly(lower), -1), per)));
    }
  };
}

/** `k++` / `k += 4` as a statement on a counter: advances it. False when `node` is no such update. */
export function advance(ctx: LiftContext, node: TSESTree.Expression, state: State): boolean {
  const id =
    node.type === AST_NODE_TYPES.UpdateExpression
      ? node.argument
      : node.type === AST_NODE_TYPES.AssignmentExpression
        ? node.left
        : undefined;
  if (id?.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = variableOf(ctx, id);
  if (!variable || !ctx.counters.has(variable)) return false;
  const k = step(id);
  if (k === undefined) throw new Unsupported('a running index changed other than by a constant step');
  state.polys.set(variable, addPoly(state.polys.get(variable)!, constPoly(k)));
  return true;
}

/** A write position that advances a counter (`k++`, `++k`): its value there, the counter advanced. */
export function counterPosition(ctx: LiftContext, node: TSESTree.Node, state: State): Poly | undefined {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.UpdateExpression || n.argument.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = variableOf(ctx, n.argument);
  if (!variable || !ctx.counters.has(variable)) return undefined;
  const before = state.polys.get(variable)!;
  const after = addPoly(before, constPoly(1));
  state.polys.set(variable, after);
  return n.prefix ? after : before;
}
