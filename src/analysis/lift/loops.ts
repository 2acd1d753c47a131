/**
 * Loop headers: `for (let i = 0; i < n; i++)`, `for (const row of rows)`, `rows.forEach(cb)`,
 * `rows.map(cb)` and `xs.reduce(cb, init)`. Each binds a new loop variable with its bound, walks
 * the body, and turns the accumulators the body updated into reductions (reductions.ts).
 */
import { caveat } from '../assumptions.js';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isMethodCall, numericLiteral, unwrap } from '../../ast/predicates.js';
import { C, containsAcc, freeVars, type Expr } from '../ir.js';
import { constPoly, hasLoopAtom } from '../poly.js';
import { isConstLike, type TensorInfo, type View } from '../tensors.js';
import { accessExpr, localPoly, rowOf, useView } from './accesses.js';
import {
  newAcc,
  newLoopVar,
  polyOf,
  rankOf,
  sizeOf,
  variableOf,
  type Acc,
  type LiftContext,
  type Row,
  type State,
} from './context.js';
import { Unsupported } from './errors.js';
import { expr } from './expressions.js';
import type { Output, Sink } from './nest.js';
import { note } from './notes.js';
import { accumulatorsOf, prefixSum, reduction, type Carried } from './reductions.js';
import { effect, statement } from './statements.js';
import { enterLoop } from './counters.js';

type LoopStatement = TSESTree.ForStatement | TSESTree.ForOfStatement | TSESTree.ExpressionStatement;
type Header = { v: string; lower: number; body: TSESTree.Node };

/** Lifts one loop; returns the values of the accumulators it updated, declared outside it. */
export function loop(ctx: LiftContext, node: LoopStatement, state: State): Map<Scope.Variable, Expr> {
  const { v, lower, body } =
    node.type === AST_NODE_TYPES.ExpressionStatement ? forEachHeader(ctx, node, state) : header(ctx, node, state);
  const accs = accumulatorsOf(ctx, body, state);
  const placeholders = new Map<Scope.Variable, Acc>();
  for (const [variable] of accs) {
    const ph = newAcc(ctx);
    placeholders.set(variable, ph);
    state.env.set(variable, ph);
  }
  const writesBefore = state.writes.length;
  const leave = enterLoop(ctx, body, v, lower, state);
  state.active.push(v);
  if (body.type === AST_NODE_TYPES.BlockStatement || !isExpression(body))
    statement(ctx, body as TSESTree.Statement, state);
  else effect(ctx, body, state);
  state.active.pop();
  leave(ctx.loops.get(v)!.bound);

  const results = new Map<Scope.Variable, Expr>();
  const updates = new Map<Scope.Variable, Expr>();
  for (const [variable, ph] of placeholders) updates.set(variable, state.env.get(variable) ?? ph);
  const carried: Carried = { placeholders, updates, inits: accs };

  // Prefix sums: a write inside the loop that reads the accumulator it updates.
  for (const w of state.writes.slice(writesBefore)) {
    if (!containsAcc(w.value)) continue;
    w.value = prefixSum(w.value, v, carried);
  }
  if (lower !== 0 && state.writes.length > writesBefore) {
    throw new Unsupported('a loop that skips its first elements writes output');
  }

  for (const [variable, ph] of placeholders) {
    results.set(variable, reduction(ctx, updates.get(variable)!, ph, v, lower, accs.get(variable)!, carried));
  }
  for (const [variable, value] of results) state.env.set(variable, value);
  return results;
}

function header(ctx: LiftContext, node: TSESTree.ForStatement | TSESTree.ForOfStatement, state: State): Header {
  if (node.type === AST_NODE_TYPES.ForOfStatement) {
    // for (const row of a) — rows of a nested view, or values of a flat view
    if (node.await || node.left.type !== AST_NODE_TYPES.VariableDeclaration || node.left.declarations.length !== 1) {
      throw new Unsupported('for…of form');
    }
    const id = node.left.declarations[0].id;
    if (id.type !== AST_NODE_TYPES.Identifier) throw new Unsupported('destructuring for…of');
    const rowVar = variableOf(ctx, id);
    if (!rowVar) throw new Unsupported('unresolved');
    const v = bindElement(ctx, rowVar, node.right, state);
    return { v, lower: 0, body: node.body };
  }

  // for (let i = 0; i < n; i++)
  const { init, test, update } = node;
  if (init?.type !== AST_NODE_TYPES.VariableDeclaration) throw new Unsupported('loop init');
  const [decl, ...others] = init.declarations;
  // `for (let i = 0, n = d.length; i < n; i++)`: names declared beside the loop variable, each set once to a
  // size (a polynomial of lengths and shapes: no side effect that removing the loop would drop).
  for (const other of others) {
    const otherVar = other.id.type === AST_NODE_TYPES.Identifier ? variableOf(ctx, other.id) : undefined;
    if (!other.init || !otherVar || !isConstLike(otherVar) || !polyOf(ctx, other.init, {}))
      throw new Unsupported('loop init');
  }
  if (decl.id.type !== AST_NODE_TYPES.Identifier || !decl.init) throw new Unsupported('loop init');
  const name = decl.id.name;
  const lower = numericLiteral(decl.init);
  if (lower === undefined || !Number.isInteger(lower) || lower < 0 || lower > 1)
    throw new Unsupported('loop start', decl.init);
  if (test?.type !== AST_NODE_TYPES.BinaryExpression) throw new Unsupported('loop test', test ?? undefined);
  const isName = (n: TSESTree.Node) => {
    const u = unwrap(n);
    return u.type === AST_NODE_TYPES.Identifier && u.name === name;
  };
  let boundNode: TSESTree.Node;
  if (test.operator === '<' && isName(test.left)) boundNode = test.right;
  else if (test.operator === '>' && isName(test.right)) boundNode = test.left;
  else throw new Unsupported('loop test', test);
  if (!update || !isUnitIncrement(update, name)) throw new Unsupported('loop step', update ?? undefined);
  const variable = variableOf(ctx, decl.id);
  // The body must not write the loop variable.
  if (!variable || variable.references.some((r) => r.isWrite() && !r.init && r.identifier !== updateTarget(update))) {
    throw new Unsupported('loop variable written in the body');
  }
  const bound = polyOf(ctx, boundNode, {
    rowDepth: (id) => rowOf(ctx, id, state),
    local: (id) => localPoly(ctx, id, state),
  });
  if (!bound) throw new Unsupported('loop bound', boundNode);
  lengthOfNested(ctx, boundNode, state);
  if (hasLoopAtom(bound)) throw new Unsupported('non-rectangular loop');
  const v = newLoopVar(ctx, name);
  ctx.loopNames.set(variable, v);
  ctx.loops.set(v, { name: v, bound, boundText: ctx.sourceCode.getText(boundNode) });
  return { v, lower, body: node.body };
}

/**
 * A new loop over the first axis of `right` (a nested view, a row of one, or a flat view), with
 * `element` bound to each element: a row, an access, or a flat read. Returns the loop variable.
 */
export function bindElement(
  ctx: LiftContext,
  element: Scope.Variable | undefined,
  right: TSESTree.Node,
  state: State,
  name = `${element?.name ?? 'e'}$`,
): string {
  const r = unwrap(right);
  const v = newLoopVar(ctx, name);
  let tensor: TensorInfo;
  let axes: (string | number)[];
  let take: Row['take'];
  let offsets: Row['offsets'];
  const rowIn = r.type === AST_NODE_TYPES.Identifier ? rowOf(ctx, r, state) : undefined;
  const view = rowIn ? undefined : ctx.facts.viewOf(r, true);
  if (rowIn) {
    tensor = rowIn.tensor;
    axes = [...rowIn.axes, v];
    take = rowIn.take;
    offsets = rowIn.offsets;
  } else if (view?.kind === 'nested') {
    useView(ctx, view);
    tensor = view.tensor;
    axes = [v];
    noteNestedBound(ctx, view);
  } else if (view?.kind === 'flat') {
    useView(ctx, view);
    ctx.loops.set(v, { name: v, bound: sizeOf(ctx, view.tensor), boundText: `${view.tensor.name}.size` });
    if (element) state.env.set(element, { kind: 'flat', tensor: view.tensor.name, v });
    return v;
  } else throw new Unsupported('iterates over something that is not tensor data', r);
  const axis = axes.length - 1;
  ctx.loops.set(v, { name: v, bound: ctx.facts.dimPoly(tensor, axis), boundText: ctx.facts.dimText(tensor, axis) });
  if (element) {
    const rank = rankOf(ctx, tensor);
    if (rank !== undefined && axes.length === rank)
      state.env.set(element, accessExpr(ctx, { tensor, axes, take, offsets }));
    else state.rows.set(element, { tensor, axes, take, offsets });
  }
  return v;
}

function noteNestedBound(ctx: LiftContext, view: View): void {
  const rank = rankOf(ctx, view.tensor);
  if (view.tensor.literal || rank === 1 || rank === 0) return;
  ctx.nestedBound ??= `${view.tensor.name}.${view.method}()`;
}

/** `rows.length`, `rows[i].length`, `row.length` on nested tensor data. */
function lengthOfNested(ctx: LiftContext, node: TSESTree.Node, state: State, depth = 0): void {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier && depth === 0) {
    // const n = rows.length
    const def = variableOf(ctx, n)?.defs[0];
    if (
      def?.node.type === AST_NODE_TYPES.VariableDeclarator &&
      def.node.init &&
      def.node.id.type === AST_NODE_TYPES.Identifier
    ) {
      lengthOfNested(ctx, def.node.init, state, 1);
    }
    return;
  }
  if (n.type !== AST_NODE_TYPES.MemberExpression || n.computed) return;
  if (n.property.type !== AST_NODE_TYPES.Identifier || n.property.name !== 'length') return;
  let base = unwrap(n.object);
  while (base.type === AST_NODE_TYPES.MemberExpression && base.computed) base = unwrap(base.object);
  if (base.type !== AST_NODE_TYPES.Identifier) return;
  const row = rowOf(ctx, base, state);
  const view = row ? undefined : ctx.facts.viewOf(base);
  if (row) noteNestedBound(ctx, { tensor: row.tensor, method: 'arraySync', kind: 'nested', async: false });
  else if (view?.kind === 'nested') noteNestedBound(ctx, view);
}

type Callback = { params: (Scope.Variable | undefined)[]; body: TSESTree.BlockStatement | TSESTree.Expression };

/** `(row, i) => …` of `forEach` / `map` / `reduce`: identifiers only, at most `max` of them. */
function callback(ctx: LiftContext, call: TSESTree.CallExpression, max: number): Callback {
  const cb = call.arguments[0] && unwrap(call.arguments[0]);
  if (
    !cb ||
    (cb.type !== AST_NODE_TYPES.ArrowFunctionExpression && cb.type !== AST_NODE_TYPES.FunctionExpression) ||
    cb.async ||
    cb.generator
  ) {
    throw new Unsupported('callback form', cb);
  }
  if (cb.params.length > max || cb.params.some((p) => p.type !== AST_NODE_TYPES.Identifier)) {
    throw new Unsupported('callback parameters', cb);
  }
  const params = cb.params.map((p) => variableOf(ctx, p as TSESTree.Identifier));
  if (params.some((p) => !p || p.references.some((r) => r.isWrite())))
    throw new Unsupported('callback parameter reassigned');
  return { params, body: cb.body };
}

/** `rows.forEach((row, i) => { … });` as a loop over the rows. */
function forEachHeader(ctx: LiftContext, node: TSESTree.ExpressionStatement, state: State): Header {
  const call = unwrap(node.expression);
  if (call.type !== AST_NODE_TYPES.CallExpression || !isMethodCall(call, 'forEach') || call.arguments.length !== 1) {
    throw new Unsupported('not a forEach');
  }
  const { params, body } = callback(ctx, call, 2);
  const v = bindElement(ctx, params[0], call.callee.object, state, params[1]?.name);
  if (params[1]) ctx.loopNames.set(params[1], v);
  return { v, lower: 0, body };
}

/** The value a callback returns: its expression body, or declarations followed by one `return`. */
function callbackResult(ctx: LiftContext, body: Callback['body'], state: State): TSESTree.Expression {
  if (body.type !== AST_NODE_TYPES.BlockStatement) return body;
  const last = body.body[body.body.length - 1];
  if (last?.type !== AST_NODE_TYPES.ReturnStatement || !last.argument) {
    throw new Unsupported('callback without a final return');
  }
  for (const st of body.body.slice(0, -1)) {
    if (st.type !== AST_NODE_TYPES.VariableDeclaration) throw new Unsupported('callback statement');
    statement(ctx, st, state);
  }
  return last.argument;
}

/** `rows.map((row, i) => E)` (E may map again): the output array, one axis per map. */
export function mapRoot(ctx: LiftContext, call: TSESTree.CallExpression, state: State): Output {
  let holder = call as TSESTree.Node;
  while (
    holder.parent &&
    (holder.parent.type === AST_NODE_TYPES.TSAsExpression || holder.parent.type === AST_NODE_TYPES.TSNonNullExpression)
  ) {
    holder = holder.parent;
  }
  const decl = holder.parent;
  let sink: Sink = { kind: 'mapped', call };
  if (
    decl?.type === AST_NODE_TYPES.VariableDeclarator &&
    decl.init === holder &&
    decl.id.type === AST_NODE_TYPES.Identifier &&
    decl.parent.type === AST_NODE_TYPES.VariableDeclaration
  ) {
    const variable = variableOf(ctx, decl.id);
    if (!variable || !isConstLike(variable)) throw new Unsupported('mapped array reassigned');
    sink = { kind: 'mapped', call, variable, statement: decl.parent };
  }
  const { value, layout } = mapValue(ctx, call, state);
  return { sink, layout, value };
}

export function mapValue(
  ctx: LiftContext,
  call: TSESTree.CallExpression,
  state: State,
): { value: Expr; layout: string[] } {
  if (!isMethodCall(call, 'map') || call.arguments.length !== 1) throw new Unsupported('not a map');
  const object = unwrap(call.callee.object);
  // A typed array's map returns the same typed array type: an int32 tensor's data would truncate. A copy
  // (`Array.from(x.dataSync())`) is a plain array, whose map returns a plain array.
  const flat = ctx.facts.viewOf(object, true);
  if (flat?.kind === 'flat' && !flat.copy) throw new Unsupported('map over flat data');
  const { params, body } = callback(ctx, call, 2);
  const v = bindElement(ctx, params[0], object, state, params[1]?.name);
  if (params[1]) ctx.loopNames.set(params[1], v);
  state.active.push(v);
  try {
    const result = unwrap(callbackResult(ctx, body, state));
    if (result.type === AST_NODE_TYPES.CallExpression && isMethodCall(result, 'map')) {
      const inner = mapValue(ctx, result, state);
      return { value: inner.value, layout: [v, ...inner.layout] };
    }
    // rows.map((c) => [c[0] / w, c[1] / h, c[2]]): a row per element, its entries stacked on a new axis.
    if (result.type === AST_NODE_TYPES.ArrayExpression) {
      const entries = result.elements;
      if (entries.length === 0 || entries.some((e) => !e || e.type === AST_NODE_TYPES.SpreadElement))
        throw new Unsupported('row literal with holes or spreads', result);
      const w = newLoopVar(ctx, `${v}col`);
      ctx.loops.set(w, { name: w, bound: constPoly(entries.length), boundText: String(entries.length) });
      const parts = entries.map((e) => expr(ctx, e as TSESTree.Expression, state));
      return { value: { kind: 'stack', v: w, parts }, layout: [v, w] };
    }
    return { value: expr(ctx, result, state), layout: [v] };
  } finally {
    state.active.pop();
  }
}

/** `xs.reduce((acc, x) => acc + f(x), init)` over a row or flat data: a reduction along a new loop. */
export function reduceCall(
  ctx: LiftContext,
  n: TSESTree.CallExpression & { callee: TSESTree.MemberExpression },
  state: State,
): Expr {
  if (n.arguments.length < 1 || n.arguments.length > 2) throw new Unsupported('reduce form');
  const { params, body } = callback(ctx, n, 3);
  const [accVar, elem, idx] = params;
  if (!accVar || !elem) throw new Unsupported('reduce callback');
  const ph = newAcc(ctx);
  state.env.set(accVar, ph);
  const { v, value: F } = perElement(ctx, n, elem, idx, body, state);
  let init: Expr;
  let noInit = false;
  if (n.arguments[1]) {
    init = expr(ctx, n.arguments[1], state);
    if (freeVars(init).size > 0 || containsAcc(init)) throw new Unsupported('reduce init varies');
  } else {
    // Without an initial value reduce starts from the first element and throws on an empty array.
    noInit = true;
    const op = F.kind === 'binary' ? F.op : undefined;
    const neutral =
      op === '+' || op === '-' ? 0 : op === '*' ? 1 : op === 'max' ? -Infinity : op === 'min' ? Infinity : NaN;
    if (Number.isNaN(neutral)) throw new Unsupported('reduce without an initial value');
    init = C(neutral);
  }
  const carried: Carried = {
    placeholders: new Map([[accVar, ph]]),
    updates: new Map([[accVar, F]]),
    inits: new Map([[accVar, init]]),
  };
  const result = reduction(ctx, F, ph, v, 0, init, carried);
  if (noInit)
    note(ctx, result, {
      caveat: caveat('`reduce` without an initial value throws on an empty array, the op does not', 'non-empty'),
    });
  return result;
}

/** A callback's value for one element of the array a method walks (`reduce`, `filter`): a loop over it. */
function perElement(
  ctx: LiftContext,
  n: TSESTree.CallExpression & { callee: TSESTree.MemberExpression },
  elem: Scope.Variable,
  idx: Scope.Variable | undefined,
  body: Callback['body'],
  state: State,
): { v: string; value: Expr } {
  const v = bindElement(ctx, elem, n.callee.object, state, idx?.name);
  if (idx) ctx.loopNames.set(idx, v);
  state.active.push(v);
  try {
    return { v, value: expr(ctx, callbackResult(ctx, body, state), state) };
  } finally {
    state.active.pop();
  }
}

/**
 * `d.filter((v) => v > t).length`: how many elements pass a test — the sum of a 0/1 mask. The test is a
 * condition as an `if` reads it: a comparison, `&&` / `||` / `!`, or a value's JS truth (`filter((v) => v)`).
 */
export function filterCount(
  ctx: LiftContext,
  n: TSESTree.CallExpression & { callee: TSESTree.MemberExpression },
  state: State,
): Expr {
  if (n.arguments.length !== 1) throw new Unsupported('filter form');
  const { params, body } = callback(ctx, n, 2);
  const [elem, idx] = params;
  if (!elem) throw new Unsupported('filter callback');
  const { v, value: test } = perElement(ctx, n, elem, idx, body, state);
  // Any other value is kept where it is truthy (not 0, not NaN), as the select's condition tests it.
  return { kind: 'reduce', op: 'sum', v, body: { kind: 'select', cond: test, a: C(1), b: C(0) } };
}

function isUnitIncrement(update: TSESTree.Expression, name: string): boolean {
  if (update.type === AST_NODE_TYPES.UpdateExpression) {
    return (
      update.operator === '++' && update.argument.type === AST_NODE_TYPES.Identifier && update.argument.name === name
    );
  }
  if (
    update.type === AST_NODE_TYPES.AssignmentExpression &&
    update.left.type === AST_NODE_TYPES.Identifier &&
    update.left.name === name
  ) {
    if (update.operator === '+=') return numericLiteral(update.right) === 1;
    if (
      update.operator === '=' &&
      update.right.type === AST_NODE_TYPES.BinaryExpression &&
      update.right.operator === '+'
    ) {
      const r = update.right;
      return r.left.type === AST_NODE_TYPES.Identifier && r.left.name === name && numericLiteral(r.right) === 1;
    }
  }
  return false;
}

function updateTarget(update: TSESTree.Expression): TSESTree.Node | undefined {
  if (update.type === AST_NODE_TYPES.UpdateExpression) return update.argument;
  if (update.type === AST_NODE_TYPES.AssignmentExpression) return update.left;
  return undefined;
}

function isExpression(node: TSESTree.Node): node is TSESTree.Expression {
  return !node.type.endsWith('Statement') && !node.type.endsWith('Declaration');
}
