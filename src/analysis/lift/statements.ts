/**
 * The symbolic statement walk: declarations, assignments to scalars and sinks, `push` and `set`
 * into sinks, and `if` statements (both branches run on copies of the state and merge into
 * `Select`s). Loops nested in the body go back to loops.ts.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isMethodCall, unwrap } from '../../ast/predicates.js';
import { C, containsAcc, tensorsRead, type BinaryOp, type Expr } from '../ir.js';
import { constPoly, hasLoopAtom, polyEquals } from '../poly.js';
import { accessExpr, activeLoopAtom, indexPoly, localPoly, read, rowAccess } from './accesses.js';
import { polyOf, rankOf, variableOf, type Builder, type LiftContext, type State, type Write } from './context.js';
import { InPlaceWrite, Unsupported } from './errors.js';
import { expr } from './expressions.js';
import { loop, mapValue } from './loops.js';
import { earlierWrite, inPlaceSink, sinkOf } from './sinks.js';
import { advance, counterPosition } from './counters.js';

/** `s += v` and friends: the binary op of a compound assignment. */
export const COMPOUND_OPS: Readonly<Record<string, BinaryOp>> = { '+=': '+', '-=': '-', '*=': '*', '/=': '/' };

export function statement(ctx: LiftContext, node: TSESTree.Statement, state: State): void {
  switch (node.type) {
    case AST_NODE_TYPES.BlockStatement:
      for (const s of node.body) statement(ctx, s, state);
      return;
    case AST_NODE_TYPES.EmptyStatement:
      return;
    case AST_NODE_TYPES.VariableDeclaration:
      for (const d of node.declarations) declare(ctx, d, state);
      return;
    case AST_NODE_TYPES.ExpressionStatement:
      effect(ctx, node.expression, state);
      return;
    case AST_NODE_TYPES.IfStatement:
      branch(ctx, node, state);
      return;
    case AST_NODE_TYPES.ForStatement:
    case AST_NODE_TYPES.ForOfStatement:
      loop(ctx, node, state);
      return;
    default:
      // break, continue, return, throw, while, try, switch, nested functions…: not a comprehension
      throw new Unsupported(`statement ${node.type}`);
  }
}

function declare(ctx: LiftContext, d: TSESTree.VariableDeclarator, state: State): void {
  if (d.id.type !== AST_NODE_TYPES.Identifier || !d.init) throw new Unsupported('declaration form');
  const variable = variableOf(ctx, d.id);
  if (!variable) throw new Unsupported('unresolved');
  const init = unwrap(d.init);
  // const row = a[i]
  const row = rowAccess(ctx, init, state);
  if (row) {
    if (rankOf(ctx, row.tensor) !== undefined && row.axes.length === rankOf(ctx, row.tensor)) {
      state.env.set(variable, accessExpr(ctx, row));
    } else state.rows.set(variable, row);
    return;
  }
  // const row = [];  (a nested sink built in this iteration)
  if (init.type === AST_NODE_TYPES.ArrayExpression && init.elements.length === 0) {
    state.builders.set(variable, { value: undefined, layout: [], active: [...state.active], sealed: false });
    return;
  }
  const p = polyOf(ctx, init, {
    loopVar: (_n, id) => activeLoopAtom(ctx, id, state),
    local: (id) => localPoly(ctx, id, state),
  });
  if (p && hasLoopAtom(p)) state.polys.set(variable, p);
  state.env.set(variable, expr(ctx, init, state));
}

export function effect(ctx: LiftContext, node: TSESTree.Expression, state: State): void {
  if (advance(ctx, node, state)) return;
  if (node.type === AST_NODE_TYPES.AssignmentExpression) return assign(ctx, node, state);
  if (node.type === AST_NODE_TYPES.UpdateExpression) {
    const target = node.argument;
    if (target.type !== AST_NODE_TYPES.Identifier) throw new Unsupported('update of a member');
    const variable = scalarVar(ctx, target, state);
    const cur = state.env.get(variable)!;
    state.env.set(variable, { kind: 'binary', op: node.operator === '++' ? '+' : '-', a: cur, b: C(1) });
    return;
  }
  if (node.type === AST_NODE_TYPES.CallExpression && isMethodCall(node, 'set')) return setCall(ctx, node, state);
  if (node.type === AST_NODE_TYPES.CallExpression && isMethodCall(node, 'push') && node.arguments.length === 1) {
    return pushCall(ctx, node, state);
  }
  throw new Unsupported('a call or expression with effects');
}

/** `buf.set(value, i, j)` */
function setCall(
  ctx: LiftContext,
  node: TSESTree.CallExpression & { callee: TSESTree.MemberExpression },
  state: State,
): void {
  const sink = sinkOf(ctx, node.callee.object);
  if (!sink) {
    if (ctx.facts.viewOf(node.callee.object)?.kind === 'buffer') inPlace(ctx, node.callee.object);
    throw new Unsupported('set on something that is not a sink');
  }
  // out.set([v], k): one element of a typed array, stored as `out[k] = v` stores it.
  if (sink.kind === 'typed' && sink.ctor !== 'Array') {
    const [values, offset] = node.arguments;
    const only =
      values?.type === AST_NODE_TYPES.ArrayExpression && values.elements.length === 1 ? values.elements[0] : null;
    if (!only || only.type === AST_NODE_TYPES.SpreadElement || node.arguments.length > 2)
      throw new Unsupported('set form');
    const value = expr(ctx, only, state);
    const at = offset ? (counterPosition(ctx, offset, state) ?? indexPoly(ctx, offset, state)) : constPoly(0);
    state.writes.push({ sink, kind: 'index', index: [at], value, active: [...state.active] });
    return;
  }
  if (sink.kind !== 'buffer' || node.arguments.length < 2) throw new Unsupported('set form');
  const [value, ...idx] = node.arguments;
  let scatter: Write['scatter'];
  const index = idx.map((node, pos) => {
    try {
      return indexPoly(ctx, node, state);
    } catch (e) {
      if (!(e instanceof Unsupported) || scatter) throw e;
      const data = expr(ctx, node, state);
      if (tensorsRead(data).length === 0 || containsAcc(data)) throw e;
      scatter = { pos, index: data };
      return constPoly(0);
    }
  });
  state.writes.push({ sink, kind: 'set', index, value: expr(ctx, value, state), active: [...state.active], scatter });
}

/** `out.push(v)` into a nested sink, `row.push(v)` into a row built in this iteration. */
function pushCall(
  ctx: LiftContext,
  node: TSESTree.CallExpression & { callee: TSESTree.MemberExpression },
  state: State,
): void {
  const target = unwrap(node.callee.object);
  const arg = unwrap(node.arguments[0]);
  if (target.type !== AST_NODE_TYPES.Identifier) throw new Unsupported('push target');
  const targetVar = variableOf(ctx, target);
  const builder = targetVar && state.builders.get(targetVar);
  const argVar = arg.type === AST_NODE_TYPES.Identifier ? variableOf(ctx, arg) : undefined;
  const argBuilder = argVar && state.builders.get(argVar);
  let value: Expr;
  let inner: string[] = [];
  if (argBuilder) {
    if (!argBuilder.value || argBuilder.sealed) throw new Unsupported('pushes an empty or reused row');
    argBuilder.sealed = true;
    value = argBuilder.value;
    inner = argBuilder.layout;
  } else if (arg.type === AST_NODE_TYPES.CallExpression && isMethodCall(arg, 'map')) {
    // out.push(row.map((v) => f(v))): a whole row, one more axis
    const mapped = mapValue(ctx, arg, state);
    value = mapped.value;
    inner = mapped.layout;
  } else value = expr(ctx, arg, state);
  if (builder) {
    if (builder.sealed || builder.value) throw new Unsupported('row built by more than one push');
    builder.value = value;
    builder.layout = [...state.active.slice(builder.active.length), ...inner];
    return;
  }
  const sink = sinkOf(ctx, target);
  if (!sink || sink.kind !== 'nested') throw new Unsupported('push into something that is not a sink');
  const layout = [...state.active, ...inner];
  state.writes.push({ sink, kind: 'push', index: [], value, active: [...state.active], layout });
}

function assign(ctx: LiftContext, node: TSESTree.AssignmentExpression, state: State): void {
  const left = node.left;
  if (left.type === AST_NODE_TYPES.Identifier) {
    const variable = scalarVar(ctx, left, state);
    let value = expr(ctx, node.right, state);
    if (node.operator !== '=') {
      const cur = state.env.get(variable)!;
      const op = COMPOUND_OPS[node.operator];
      if (!op) throw new Unsupported(`operator ${node.operator}`);
      value = { kind: 'binary', op, a: cur, b: value };
    }
    state.env.set(variable, value);
    return;
  }
  if (left.type !== AST_NODE_TYPES.MemberExpression || !left.computed) throw new Unsupported('assignment target');
  const written = ctx.facts.viewOf(left.object);
  const sink = written ? inPlaceSink(ctx, left, written) : sinkOf(ctx, left.object);
  if (!sink) {
    // dataSync()/data() may return the tensor's own storage; arraySync()/array() return copies.
    if (written?.kind === 'flat' && !written.copy) inPlace(ctx, left.object);
    throw new Unsupported('writes into something that is not a sink');
  }
  const index = counterPosition(ctx, left.property, state) ?? indexPoly(ctx, left.property, state);
  const active = [...state.active];
  if (sink.kind === 'inplace') {
    // p[i] = v, p[i] *= v: the element's current value is the data's (or this iteration's earlier write).
    let value = expr(ctx, node.right, state);
    if (node.operator !== '=') {
      const op = COMPOUND_OPS[node.operator];
      if (!op) throw new Unsupported(`operator ${node.operator}`);
      value = { kind: 'binary', op, a: read(ctx, left, state), b: value };
    }
    const earlier = earlierWrite(ctx, sink, index, state);
    if (earlier) state.writes.splice(state.writes.indexOf(earlier.write), 1);
    state.writes.push({ sink, kind: 'index', index: [index], value, active, target: left });
    return;
  }
  if (sink.kind !== 'typed') throw new Unsupported('sink write form');
  if (node.operator === '=') {
    state.writes.push({ sink, kind: 'index', index: [index], value: expr(ctx, node.right, state), active });
    return;
  }
  // probs[k] /= s after an earlier loop wrote probs[k] in this iteration: update that element.
  const op = COMPOUND_OPS[node.operator];
  const earlier = op && earlierWrite(ctx, sink, index, state);
  if (!earlier) {
    // colSums[j] += x[i][j]: typed arrays start as zeros (a plain Array does not).
    if ((op !== '+' && op !== '-') || sink.ctor === 'Array' || state.writes.some((w) => w.sink === sink)) {
      throw new Unsupported('sink write form');
    }
    const E = expr(ctx, node.right, state);
    const value: Expr = op === '+' ? E : { kind: 'unary', op: 'neg', arg: E };
    state.writes.push({ sink, kind: 'index', index: [index], value, active, accumulate: true });
    return;
  }
  state.writes.splice(state.writes.indexOf(earlier.write), 1);
  const value: Expr = { kind: 'binary', op, a: earlier.value, b: expr(ctx, node.right, state) };
  state.writes.push({ sink, kind: 'index', index: [index], value, active });
}

export function inPlace(ctx: LiftContext, node: TSESTree.Node): never {
  const view = ctx.facts.viewOf(unwrap(node));
  throw new InPlaceWrite(view ? `${view.tensor.name}.${view.method}()` : ctx.sourceCode.getText(node));
}

/** A scalar variable the nest may assign: nest-local or an accumulator. */
function scalarVar(ctx: LiftContext, id: TSESTree.Identifier, state: State): Scope.Variable {
  const variable = variableOf(ctx, id);
  if (!variable || !state.env.has(variable)) throw new Unsupported('assigns a variable the lifter does not track');
  return variable;
}

function branch(ctx: LiftContext, node: TSESTree.IfStatement, state: State): void {
  const cond = expr(ctx, node.test, state);
  const run = (s: TSESTree.Statement | null): State => {
    const builders = new Map([...state.builders].map(([k, bl]) => [k, { ...bl, layout: [...bl.layout] }]));
    const copy: State = {
      ...state,
      env: new Map(state.env),
      polys: new Map(state.polys),
      rows: new Map(state.rows),
      builders,
      writes: [],
    };
    if (s) statement(ctx, s, copy);
    return copy;
  };
  const a = run(node.consequent);
  const b = run(node.alternate);
  for (const [variable, before] of state.env) {
    const va = a.env.get(variable) ?? before;
    const vb = b.env.get(variable) ?? before;
    if (va !== before || vb !== before)
      state.env.set(variable, va === vb ? va : { kind: 'select', cond, a: va, b: vb });
  }
  // A row built in this iteration: `if (c) row.push(a); else row.push(b);` pushes a select.
  for (const [variable, before] of state.builders) {
    const [ba, bb] = [a.builders.get(variable)!, b.builders.get(variable)!];
    const same = (x: Builder) => x.value === before.value && x.sealed === before.sealed;
    if (same(ba) && same(bb)) continue;
    if (before.value || ba.sealed !== bb.sealed || !ba.value || !bb.value || ba.layout.join() !== bb.layout.join()) {
      throw new Unsupported('partial push: the branches build the row differently');
    }
    before.value = ba.value === bb.value ? ba.value : { kind: 'select', cond, a: ba.value, b: bb.value };
    before.layout = ba.layout;
    before.sealed = ba.sealed;
  }
  // An in-place write in one branch only: the other leaves the element as it is (`if (p[i] < 0) p[i] = 0;`).
  if (b.writes.length === 0 && a.writes.length > 0 && a.writes.every((w) => w.target))
    b.writes = a.writes.map((w) => ({ ...w, value: read(ctx, w.target!, state) }));
  else if (a.writes.length === 0 && b.writes.length > 0 && b.writes.every((w) => w.target))
    a.writes = b.writes.map((w) => ({ ...w, value: read(ctx, w.target!, state) }));
  // Writes must pair up: the same sink and index on both sides, else the output is partial.
  if (a.writes.length !== b.writes.length) throw new Unsupported('partial write: only one branch writes');
  a.writes.forEach((wa, k) => {
    if (!sameElement(wa, b.writes[k])) throw new Unsupported('branches write different elements');
    state.writes.push({ ...wa, value: { kind: 'select', cond, a: wa.value, b: b.writes[k].value } });
  });
}

/** Two writes of the branches of an `if` to the same element of the same sink, in the same way. */
function sameElement(wa: Write, wb: Write): boolean {
  return (
    wa.sink === wb.sink &&
    wa.kind === wb.kind &&
    wa.index.length === wb.index.length &&
    wa.index.every((p, i) => polyEquals(p, wb.index[i])) &&
    (wa.layout ?? []).join() === (wb.layout ?? []).join() &&
    !!wa.accumulate === !!wb.accumulate &&
    !!wa.scatter === !!wb.scatter
  );
}
