/**
 * Expression translation: JS expressions of the loop body to IR — literals and constants, loop
 * variables, tracked locals and accumulators, loop-invariant parameters, operators, `Math.*` calls
 * (`Math.max(...row)` included), `buf.get(…)`; indexed reads go to accesses.ts.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isInside, isMethodCall, isStaticMember, isWrittenTo, numericLiteral, unwrap } from '../../ast/predicates.js';
import { C, type CompareOp, type Expr, type UnaryOp } from '../ir.js';
import { hasLoopAtom, parseAtom, type Poly } from '../poly.js';
import { accessExpr, pushSubscript, read, rowOf, useView } from './accesses.js';
import { polyOf, rankOf, variableOf, type LiftContext, type Row, type State } from './context.js';
import { NotVectorizable, Unsupported } from './errors.js';
import { bindElement, filterCount, reduceCall } from './loops.js';
import { extremum } from './reductions.js';
import { note } from './notes.js';
import { caveat } from '../assumptions.js';
import { walk } from '../loop-context.js';
import { sinkOf } from './sinks.js';

const MATH_UNARY: Record<string, UnaryOp> = {
  exp: 'exp',
  log: 'log',
  abs: 'abs',
  sqrt: 'sqrt',
  tanh: 'tanh',
  sin: 'sin',
  cos: 'cos',
  floor: 'floor',
  ceil: 'ceil',
  sign: 'sign',
  round: 'round',
  log1p: 'log1p',
  expm1: 'expm1',
  atan: 'atan',
  trunc: 'trunc',
};
const MATH_CONST: Record<string, number> = {
  PI: Math.PI,
  E: Math.E,
  LN2: Math.LN2,
  LN10: Math.LN10,
  SQRT2: Math.SQRT2,
};
const NUMBER_CONST: Record<string, number> = {
  NEGATIVE_INFINITY: -Infinity,
  POSITIVE_INFINITY: Infinity,
  MAX_VALUE: Number.MAX_VALUE,
  MIN_VALUE: Number.MIN_VALUE,
};
const COMPARE: Record<string, CompareOp> = {
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  '===': '===',
  '!==': '!==',
  '==': '===',
  '!=': '!==',
};

export function isDeclaredInside(variable: Scope.Variable, node: TSESTree.Node): boolean {
  return variable.defs.some((d) => isInside(d.name, node));
}

export function expr(ctx: LiftContext, node: TSESTree.Node, state: State): Expr {
  const n = unwrap(node);
  const lit = numericLiteral(n);
  if (lit !== undefined) return C(lit);
  switch (n.type) {
    case AST_NODE_TYPES.Identifier:
      return identifier(ctx, n, state);
    case AST_NODE_TYPES.MemberExpression: {
      // d.filter((v) => v > t).length: a count
      const object = unwrap(n.object);
      if (
        !n.computed &&
        n.property.type === AST_NODE_TYPES.Identifier &&
        n.property.name === 'length' &&
        object.type === AST_NODE_TYPES.CallExpression &&
        isMethodCall(object, 'filter')
      )
        return filterCount(ctx, object, state);
      return member(ctx, n, state);
    }
    case AST_NODE_TYPES.CallExpression:
      return call(ctx, n, state);
    case AST_NODE_TYPES.UnaryExpression: {
      const arg = expr(ctx, n.argument, state);
      if (n.operator === '-') return arg.kind === 'const' ? C(-arg.value) : { kind: 'unary', op: 'neg', arg };
      if (n.operator === '+') return arg;
      if (n.operator === '!') return { kind: 'not', arg };
      throw new Unsupported(`unary ${n.operator}`);
    }
    case AST_NODE_TYPES.BinaryExpression: {
      if (n.left.type === AST_NODE_TYPES.PrivateIdentifier) throw new Unsupported('private');
      const a = expr(ctx, n.left, state);
      const b = expr(ctx, n.right, state);
      if (n.operator in COMPARE) return { kind: 'compare', op: COMPARE[n.operator], a, b };
      if (n.operator === '+' || n.operator === '-' || n.operator === '*' || n.operator === '/') {
        return { kind: 'binary', op: n.operator, a, b };
      }
      if (n.operator === '**') return { kind: 'binary', op: 'pow', a, b };
      // ToInt32: tf.cast to int32 converts through an Int32Array on cpu and wasm, which is ToInt32.
      if (n.operator === '|' && b.kind === 'const' && b.value === 0) return { kind: 'unary', op: 'int32', arg: a };
      // % is a truncated remainder in JS and a floored one in tf.mod
      throw new Unsupported(`operator ${n.operator}`);
    }
    case AST_NODE_TYPES.LogicalExpression: {
      if (n.operator === '??') throw new Unsupported('??');
      return { kind: 'logical', op: n.operator, a: expr(ctx, n.left, state), b: expr(ctx, n.right, state) };
    }
    case AST_NODE_TYPES.ConditionalExpression: {
      const cond = expr(ctx, n.test, state);
      const a = expr(ctx, n.consequent, state);
      return { kind: 'select', cond, a, b: expr(ctx, n.alternate, state) };
    }
    default:
      throw new Unsupported(`expression ${n.type}`, n);
  }
}

function identifier(ctx: LiftContext, n: TSESTree.Identifier, state: State): Expr {
  if (n.name === 'Infinity') return C(Infinity);
  if (n.name === 'NaN') return C(NaN);
  const variable = variableOf(ctx, n);
  if (!variable) throw new Unsupported(`unresolved ${n.name}`);
  const loopName = ctx.loopNames.get(variable);
  if (loopName !== undefined) {
    if (!state.active.includes(loopName)) throw new Unsupported('a loop variable read outside its loop');
    return { kind: 'index', v: loopName };
  }
  const known = state.env.get(variable);
  if (known) return known;
  // An element of nested data of unknown rank used as a number: it is the innermost axis.
  const row = state.rows.get(variable);
  const rank = row && rankOf(ctx, row.tensor);
  if (row && (rank === undefined || row.axes.length === rank)) return accessExpr(ctx, row);
  if (row || ctx.facts.view(variable)) throw new Unsupported('tensor data used as a value');
  if (ctx.sinks.has(variable) || sinkOf(ctx, n)) throw new NotVectorizable('reads its own output');
  if (isDeclaredInside(variable, ctx.root)) throw new Unsupported('reads a variable the lifter does not track');
  if (variable.references.some((r) => r.isWrite() && isInside(r.identifier, ctx.root))) {
    throw new Unsupported('loop-variant value');
  }
  return { kind: 'param', text: n.name, poly: polyOf(ctx, n) };
}

function member(ctx: LiftContext, n: TSESTree.MemberExpression, state: State): Expr {
  if (!n.computed && n.object.type === AST_NODE_TYPES.Identifier && n.property.type === AST_NODE_TYPES.Identifier) {
    if (n.object.name === 'Math' && n.property.name in MATH_CONST) return C(MATH_CONST[n.property.name]);
    if (n.object.name === 'Number' && n.property.name in NUMBER_CONST) return C(NUMBER_CONST[n.property.name]);
  }
  // x.shape[1] as a value (a mean's divisor)
  if (
    n.computed &&
    n.object.type === AST_NODE_TYPES.MemberExpression &&
    !n.object.computed &&
    n.object.property.type === AST_NODE_TYPES.Identifier &&
    n.object.property.name === 'shape'
  ) {
    const p = polyOf(ctx, n);
    if (p) return { kind: 'param', text: ctx.sourceCode.getText(n), poly: p };
  }
  const invariant = invariantMember(ctx, n);
  if (invariant) return invariant;
  if (n.computed) return read(ctx, n, state);
  const p = polyOf(ctx, n, { rowDepth: (id) => rowOf(ctx, id, state) });
  if (p && !hasLoopAtom(p)) return { kind: 'param', text: sizeText(ctx, p) ?? ctx.sourceCode.getText(n), poly: p };
  throw new Unsupported('member read', n);
}

/**
 * A JS value the loop reads but never changes, taken once where the rewrite goes: an entry at a constant
 * index of a `const` array literal declared outside the loop (`scale[0]` of `const scale = [sx, sy]`),
 * or a field the enclosing class declares (`this.width`, not a getter), reached through arrow functions
 * only. Nothing in the loop writes either (the loop body calls nothing, or it would not lift).
 */
function invariantMember(ctx: LiftContext, n: TSESTree.MemberExpression): Expr | undefined {
  const object = unwrap(n.object);
  if (n.computed && object.type === AST_NODE_TYPES.Identifier) {
    const k = numericLiteral(n.property);
    const variable = variableOf(ctx, object);
    const def = variable?.defs[0];
    if (k === undefined || !Number.isInteger(k) || k < 0 || !variable || variable.defs.length !== 1) return undefined;
    if (def?.node.type !== AST_NODE_TYPES.VariableDeclarator || def.parent?.type !== AST_NODE_TYPES.VariableDeclaration)
      return undefined;
    const init = def.node.init && unwrap(def.node.init);
    if (def.parent.kind !== 'const' || init?.type !== AST_NODE_TYPES.ArrayExpression) return undefined;
    if (k >= init.elements.length || init.elements.some((e) => !e || e.type === AST_NODE_TYPES.SpreadElement))
      return undefined;
    if (isDeclaredInside(variable, ctx.root)) return undefined;
    // No entry of it is written in the loop (`scale[0] = …`), nor the array handed to anything there.
    const touched = variable.references.some((r) => {
      if (!isInside(r.identifier, ctx.root)) return false;
      const p = r.identifier.parent;
      return !(p?.type === AST_NODE_TYPES.MemberExpression && p.object === r.identifier && !isWrittenTo(p));
    });
    if (touched) return undefined;
    return { kind: 'param', text: ctx.sourceCode.getText(n) };
  }
  if (!n.computed && object.type === AST_NODE_TYPES.ThisExpression && n.property.type === AST_NODE_TYPES.Identifier) {
    const name = n.property.name;
    // `this` here must be the one where the rewrite goes: only arrow functions between.
    let method: TSESTree.Node | undefined;
    for (let p: TSESTree.Node | undefined = n.parent; p; p = p.parent) {
      if (p.type === AST_NODE_TYPES.ArrowFunctionExpression) continue;
      if (p.type === AST_NODE_TYPES.FunctionExpression || p.type === AST_NODE_TYPES.FunctionDeclaration) {
        method = p;
        break;
      }
    }
    if (!method || isInside(method, ctx.root) || method.parent?.type !== AST_NODE_TYPES.MethodDefinition)
      return undefined;
    const holder = method.parent;
    if (holder.static || holder.kind !== 'method') return undefined;
    const fields: TSESTree.Node[] = holder.parent.body.filter(
      (m) =>
        m.type === AST_NODE_TYPES.PropertyDefinition &&
        !m.static &&
        !m.computed &&
        m.key.type === AST_NODE_TYPES.Identifier &&
        m.key.name === name,
    );
    // A constructor parameter property (`constructor(private readonly width: number)`) is a field too.
    const ctor = holder.parent.body.find(
      (m): m is TSESTree.MethodDefinition => m.type === AST_NODE_TYPES.MethodDefinition && m.kind === 'constructor',
    );
    for (const param of ctor?.value.params ?? []) {
      if (param.type !== AST_NODE_TYPES.TSParameterProperty) continue;
      const id = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
      if (id.type === AST_NODE_TYPES.Identifier && id.name === name && !param.static) fields.push(param);
    }
    // A getter or a method of that name is no plain field.
    const others = holder.parent.body.some(
      (m) =>
        m.type === AST_NODE_TYPES.MethodDefinition && m.key.type === AST_NODE_TYPES.Identifier && m.key.name === name,
    );
    if (fields.length !== 1 || others) return undefined;
    // Written in the loop (`this.width = …`)?
    let written = false;
    walk(ctx.root, (x) => {
      if (
        x.type === AST_NODE_TYPES.MemberExpression &&
        !x.computed &&
        unwrap(x.object).type === AST_NODE_TYPES.ThisExpression &&
        x.property.type === AST_NODE_TYPES.Identifier &&
        x.property.name === name &&
        isWrittenTo(x)
      )
        written = true;
    });
    if (written) return undefined;
    return { kind: 'param', text: ctx.sourceCode.getText(n) };
  }
  return undefined;
}

/**
 * `d.length` of a read-back is the tensor's own size (`x.size`, `x.shape[0]`): spelled so, the rewrite
 * does not keep the read-back alive only for its length. Undefined for any other polynomial.
 */
function sizeText(ctx: LiftContext, p: Poly): string | undefined {
  if (p.size === 0 || [...p.values()].some((c) => c !== 1) || p.size !== 1) return undefined;
  const factors = [...p.keys()][0].split('*').map(parseAtom);
  const tensor = factors[0].kind === 'dim' || factors[0].kind === 'size' ? factors[0].tensor : undefined;
  if (!tensor || !factors.every((f) => (f.kind === 'dim' || f.kind === 'size') && f.tensor === tensor))
    return undefined;
  if (factors.length === 1 && factors[0].kind === 'size') return `${tensor}.size`;
  if (factors.length === 1 && factors[0].kind === 'dim') return `${tensor}.shape[${factors[0].axis}]`;
  // d:x:0 · d:x:1 of a tensor known to be rank 2
  const info = ctx.infos.get(tensor) ?? ctx.tensors.get(tensor);
  const axes = new Set(factors.map((f) => (f.kind === 'dim' ? f.axis : -1)));
  const rank = info && rankOf(ctx, info);
  if (rank === factors.length && axes.size === rank && [...axes].every((a) => a >= 0 && a < rank))
    return `${tensor}.size`;
  return undefined;
}

function call(ctx: LiftContext, n: TSESTree.CallExpression, state: State): Expr {
  const callee = n.callee;
  if (isStaticMember(callee, 'Math')) return mathCall(ctx, n, callee.property.name, state);
  if (isMethodCall(n, 'reduce')) return reduceCall(ctx, n, state);
  const search = indexOfExtremum(n);
  if (search) return argExtremumOfSpread(ctx, search, state);
  if (isMethodCall(n, 'get')) {
    const view = ctx.facts.viewOf(n.callee.object);
    if (view?.kind === 'buffer') {
      useView(ctx, view);
      const row: Row = { tensor: view.tensor, axes: [] };
      for (const a of n.arguments) pushSubscript(ctx, row, a, state);
      return accessExpr(ctx, row, view.tensor, n.arguments.length);
    }
  }
  throw new Unsupported('a call in the loop body', n);
}

function mathCall(ctx: LiftContext, n: TSESTree.CallExpression, fn: string, state: State): Expr {
  // Math.max(...row): the max of a row, -Infinity when it is empty
  if (
    (fn === 'max' || fn === 'min') &&
    n.arguments.length === 1 &&
    n.arguments[0].type === AST_NODE_TYPES.SpreadElement
  ) {
    const { v, body } = spreadLoop(ctx, n.arguments[0].argument, state);
    return extremum(ctx, fn, body, v, 0, C(fn === 'max' ? -Infinity : Infinity), false);
  }
  const args = n.arguments.map((a) => expr(ctx, a, state));
  if (fn in MATH_UNARY && args.length === 1) {
    const e: Expr = { kind: 'unary', op: MATH_UNARY[fn], arg: args[0] };
    return e;
  }
  if ((fn === 'max' || fn === 'min') && args.length >= 2)
    return args.reduce((a, b) => ({ kind: 'binary', op: fn, a, b }));
  if (fn === 'pow' && args.length === 2) return { kind: 'binary', op: 'pow', a: args[0], b: args[1] };
  // Math.random and friends: not a function of the data
  throw new Unsupported(`Math.${fn}`);
}

/**
 * `row.indexOf(Math.max(...row))` (also `Array.from(d).indexOf(Math.max(...d))`, and `Math.min`): the
 * data searched and the extremum, where both name the same data.
 */
export function indexOfExtremum(n: TSESTree.Node): { data: TSESTree.Identifier; fn: 'max' | 'min' } | undefined {
  if (!isMethodCall(n, 'indexOf') || n.arguments.length !== 1) return undefined;
  const arg = unwrap(n.arguments[0]);
  if (
    arg.type !== AST_NODE_TYPES.CallExpression ||
    !isStaticMember(arg.callee, 'Math') ||
    (arg.callee.property.name !== 'max' && arg.callee.property.name !== 'min') ||
    arg.arguments.length !== 1 ||
    arg.arguments[0].type !== AST_NODE_TYPES.SpreadElement
  )
    return undefined;
  const spread = unwrap(arg.arguments[0].argument);
  if (spread.type !== AST_NODE_TYPES.Identifier) return undefined;
  let searched = unwrap(n.callee.object);
  // Array.from(d) holds d's values in the same order.
  if (
    searched.type === AST_NODE_TYPES.CallExpression &&
    isStaticMember(searched.callee, 'Array') &&
    searched.callee.property.name === 'from' &&
    searched.arguments.length === 1
  )
    searched = unwrap(searched.arguments[0]);
  if (searched.type !== AST_NODE_TYPES.Identifier || searched.name !== spread.name) return undefined;
  return { data: spread, fn: arg.callee.property.name };
}

/**
 * The index of the first max (min) of the data: `tf.argMax` (`tf.argMin`), which also takes the first of
 * ties. Where the data holds NaN, `Math.max` is NaN and `indexOf` finds nothing (-1) while the op returns an
 * index; over no data `indexOf` gives -1 too.
 */
function argExtremumOfSpread(
  ctx: LiftContext,
  search: { data: TSESTree.Identifier; fn: 'max' | 'min' },
  state: State,
): Expr {
  const { v, body } = spreadLoop(ctx, search.data, state);
  const op = search.fn === 'max' ? 'argmax' : 'argmin';
  const tfOp = search.fn === 'max' ? 'argMax' : 'argMin';
  const result: Expr = { kind: 'argreduce', op, v, body };
  note(ctx, result, {
    caveat: caveat(
      `a NaN makes \`Math.${search.fn}\` NaN and \`indexOf\` -1, where tf.${tfOp} returns an index`,
      'no-nan',
    ),
  });
  return note(ctx, result, {
    caveat: caveat(`over no data \`indexOf\` gives -1, where tf.${tfOp} has no index to give`, 'non-empty'),
  });
}

/** `...row` in `Math.max(...row)`: a loop over the row's elements, and the element at its variable. */
function spreadLoop(ctx: LiftContext, data: TSESTree.Node, state: State): { v: string; body: Expr } {
  const v = bindElement(ctx, undefined, data, state, 'k');
  state.active.push(v);
  try {
    return { v, body: elementAt(ctx, data, v, state) };
  } finally {
    state.active.pop();
  }
}

/** The element of `right` at loop variable `v` (bound by bindElement without a name). */
function elementAt(ctx: LiftContext, right: TSESTree.Node, v: string, state: State): Expr {
  const r = unwrap(right);
  const rowIn = r.type === AST_NODE_TYPES.Identifier ? rowOf(ctx, r, state) : undefined;
  if (rowIn) return accessExpr(ctx, { tensor: rowIn.tensor, axes: [...rowIn.axes, v], take: rowIn.take });
  const view = ctx.facts.viewOf(r);
  if (view?.kind === 'nested') return accessExpr(ctx, { tensor: view.tensor, axes: [v] });
  if (view?.kind === 'flat') return { kind: 'flat', tensor: view.tensor.name, v };
  throw new Unsupported('spread of something that is not tensor data');
}
