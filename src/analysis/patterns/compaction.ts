/**
 * Compaction in async code: the indices (or values) of tensor data that pass a threshold, collected in
 * order —
 *
 *   for (let i = 0; i < d.length; i++) if (d[i] > t) keep.push(i);
 *   scores.map((score, i) => ({ score, i })).filter((c) => c.score > t).map((c) => c.i);
 *
 * — is `await tf.whereAsync(tf.greater(x, t))` (the indices, in row-major order) or
 * `await tf.booleanMaskAsync(x, tf.greater(x, t))` (the values). TF.js has these only as async ops, so
 * the rule reports compaction only in an async function, where an `await` can take the loop's place; in
 * synchronous code it stays quiet (fixtures/never/filter-push.ts).
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { forEachChild, isInside, isMethodCall, unwrap } from '../../ast/predicates.js';
import { enclosingFunction, walk } from '../loop-context.js';
import { findVariable, isConstLike, type TensorFacts, type View } from '../tensors.js';
import { countingLoop, coversView, elementOf, mappedPairs, simpleCallback } from './sorted-topk.js';

export interface Compaction {
  /** The loop, or the `filter` call of a chain. */
  node: TSESTree.ForStatement | TSESTree.CallExpression;
  view: View;
  /** Indices (`push(i)`) or values (`push(d[i])`). */
  keeps: 'indices' | 'values';
  /** The TF.js comparison op and its other operand's source text, in the order `x op other`. */
  op: string;
  other: string;
  /** The condition as written, for the message. */
  condition: string;
  /** The other operand's node. */
  otherNode: TSESTree.Node;
  /** For the loop form: the array the loop pushes into, declared empty before it. */
  list?: { variable: Scope.Variable; declarator: TSESTree.VariableDeclarator };
  /** For the chain form: the statement the whole chain is the value of (`const kept = d.map(…)…;`, `return …;`). */
  declared?:
    | { statement: TSESTree.VariableDeclaration; variable: Scope.Variable; declarator: TSESTree.VariableDeclarator }
    | { statement: TSESTree.ReturnStatement; variable?: undefined; declarator?: undefined };
}

const OPS: Record<string, string> = {
  '>': 'greater',
  '>=': 'greaterEqual',
  '<': 'less',
  '<=': 'lessEqual',
  '===': 'equal',
  '!==': 'notEqual',
};
const FLIPPED: Record<string, string> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '===': '===', '!==': '!==' };

/** `for (let i = 0; i < d.length; i++) if (d[i] > t) keep.push(i);` in an async function. */
export function loopCompaction(facts: TensorFacts, loop: TSESTree.ForStatement): Compaction | undefined {
  if (!inAsyncFunction(loop)) return undefined;
  const v = countingLoop(loop);
  if (!v) return undefined;
  const only = single(loop.body);
  if (only?.type !== AST_NODE_TYPES.IfStatement || only.alternate) return undefined;
  const push = single(only.consequent);
  const call = push?.type === AST_NODE_TYPES.ExpressionStatement ? push.expression : undefined;
  if (!call || !isMethodCall(call, 'push') || call.arguments.length !== 1) return undefined;
  const cond = comparison(facts, only.test, (n) => elementOf(facts, n, v.name), loop);
  if (!cond || !coversView(facts, v.bound, cond.view)) return undefined;
  // What is pushed: the index, or the element the condition reads.
  const arg = unwrap(call.arguments[0]);
  let keeps: Compaction['keeps'];
  if (arg.type === AST_NODE_TYPES.Identifier && arg.name === v.name) keeps = 'indices';
  else if (elementOf(facts, arg, v.name)?.variable === cond.view.variable) keeps = 'values';
  else return undefined;
  // Into an array declared empty before the loop, which nothing else touches until the loop ends.
  const target = unwrap(call.callee.object);
  if (target.type !== AST_NODE_TYPES.Identifier) return undefined;
  const list = findVariable(facts.sourceCode, target);
  const def = list?.defs[0];
  if (!list || list.defs.length !== 1 || def?.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
  const init = def.node.init && unwrap(def.node.init);
  if (init?.type !== AST_NODE_TYPES.ArrayExpression || init.elements.length !== 0) return undefined;
  if (def.node.range[1] > loop.range[0]) return undefined;
  const early = list.references.filter((r) => !r.init && r.identifier.range[0] < loop.range[1]);
  if (early.length !== 1 || early[0].identifier !== target) return undefined;
  return { node: loop, view: cond.view, keeps, ...cond.compare, list: { variable: list, declarator: def.node } };
}

/** `data.map((v, i) => ({ v, i })).filter((c) => c.v > t).map((c) => c.i)` in an async function. */
export function chainCompaction(facts: TensorFacts, filter: TSESTree.CallExpression): Compaction | undefined {
  if (!isMethodCall(filter, 'filter') || filter.arguments.length !== 1 || !inAsyncFunction(filter)) return undefined;
  const pairs = mappedPairs(facts, unwrap(filter.callee.object));
  if (!pairs) return undefined;
  const test = simpleCallback(filter.arguments[0], 1);
  if (!test) return undefined;
  const [c] = test.params;
  const cond = comparison(
    facts,
    test.body,
    (n) => {
      const u = unwrap(n);
      return u.type === AST_NODE_TYPES.MemberExpression &&
        !u.computed &&
        u.object.type === AST_NODE_TYPES.Identifier &&
        u.object.name === c &&
        u.property.type === AST_NODE_TYPES.Identifier &&
        u.property.name === pairs.valueKey
        ? pairs.view
        : undefined;
    },
    filter,
  );
  if (!cond) return undefined;
  // .map((c) => c.i) / .map(({ i }) => i): the indices.
  const member = filter.parent;
  const next = member?.type === AST_NODE_TYPES.MemberExpression && member.object === filter ? member.parent : undefined;
  if (!next || !isMethodCall(next, 'map') || next.arguments.length !== 1) return undefined;
  const fn = next.arguments[0];
  if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression || fn.params.length !== 1) return undefined;
  const body = unwrap(fn.body);
  const p = fn.params[0];
  const takesIndex =
    p.type === AST_NODE_TYPES.Identifier
      ? body.type === AST_NODE_TYPES.MemberExpression &&
        !body.computed &&
        body.object.type === AST_NODE_TYPES.Identifier &&
        body.object.name === p.name &&
        body.property.type === AST_NODE_TYPES.Identifier &&
        body.property.name === pairs.indexKey
      : p.type === AST_NODE_TYPES.ObjectPattern &&
        p.properties.length === 1 &&
        p.properties[0].type === AST_NODE_TYPES.Property &&
        p.properties[0].key.type === AST_NODE_TYPES.Identifier &&
        p.properties[0].key.name === pairs.indexKey &&
        p.properties[0].value.type === AST_NODE_TYPES.Identifier &&
        body.type === AST_NODE_TYPES.Identifier &&
        body.name === p.properties[0].value.name;
  if (!takesIndex) return undefined;
  // `const kept = data.map(…).filter(…).map(…);` or `return data.map(…)…;`: the statement the chain is all of.
  const holder = next.parent;
  let declared: Compaction['declared'];
  if (
    holder?.type === AST_NODE_TYPES.VariableDeclarator &&
    holder.init === next &&
    holder.id.type === AST_NODE_TYPES.Identifier &&
    holder.parent.declarations.length === 1
  ) {
    const variable = findVariable(facts.sourceCode, holder.id);
    if (variable) declared = { statement: holder.parent, variable, declarator: holder };
  } else if (holder?.type === AST_NODE_TYPES.ReturnStatement && holder.argument === next) {
    declared = { statement: holder };
  }
  return { node: filter, view: pairs.view, keeps: 'indices', ...cond.compare, ...(declared ? { declared } : {}) };
}

/** `d[i] > t` or `t < d[i]` with `t` the same on every iteration (a literal, or a name nothing reassigns). */
function comparison(
  facts: TensorFacts,
  node: TSESTree.Node,
  element: (n: TSESTree.Node) => View | undefined,
  scope: TSESTree.Node,
): { view: View; compare: { op: string; other: string; condition: string; otherNode: TSESTree.Node } } | undefined {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.BinaryExpression || !(n.operator in OPS)) return undefined;
  const left = element(n.left);
  const right = left ? undefined : element(n.right);
  const view = left ?? right;
  const other = left ? n.right : n.left;
  if (!view || !invariant(facts, other, scope)) return undefined;
  const op = OPS[left ? n.operator : FLIPPED[n.operator]];
  const text = facts.sourceCode.getText(other);
  return { view, compare: { op, other: text, condition: facts.sourceCode.getText(n), otherNode: other } };
}

/** A number literal, or a name declared outside `scope` and never reassigned. */
function invariant(facts: TensorFacts, node: TSESTree.Node, scope: TSESTree.Node): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Literal) return typeof n.value === 'number';
  if (n.type === AST_NODE_TYPES.UnaryExpression && n.operator === '-') return invariant(facts, n.argument, scope);
  if (n.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = findVariable(facts.sourceCode, n);
  return !!variable && isConstLike(variable) && variable.defs.every((d) => !isInside(d.name, scope));
}

function single(node: TSESTree.Statement): TSESTree.Statement | undefined {
  if (node.type !== AST_NODE_TYPES.BlockStatement) return node;
  return node.body.length === 1 ? node.body[0] : undefined;
}

function inAsyncFunction(node: TSESTree.Node): boolean {
  const fn = enclosingFunction(node);
  return !!fn && fn.type !== AST_NODE_TYPES.Program && fn.async;
}

export interface IndexGather {
  node: TSESTree.CallExpression;
  view: View;
  /** The source text of the array of indices. */
  indices: string;
  /** Whether the indices are a plain JS array (then `map` returns one: `number[]`, as the rewrite's read-back). */
  plain: boolean;
}

/** Methods of a JS array that return a new JS array. */
const ARRAY_RESULTS = new Set(['map', 'filter', 'slice', 'concat', 'flat']);

/**
 * Whether `node` evaluates to a plain JS array: an array literal, `Array.from(…)`, an array method's
 * result on one, a name declared `number[]` / `Array<number>` or holding one.
 */
export function isPlainArray(facts: TensorFacts, node: TSESTree.Node, depth = 0): boolean {
  const u = unwrap(node);
  if (depth > 8) return false;
  if (u.type === AST_NODE_TYPES.ArrayExpression) return true;
  if (u.type === AST_NODE_TYPES.CallExpression && u.callee.type === AST_NODE_TYPES.MemberExpression) {
    const { object, property } = u.callee;
    if (u.callee.computed || property.type !== AST_NODE_TYPES.Identifier) return false;
    if (object.type === AST_NODE_TYPES.Identifier && object.name === 'Array' && property.name === 'from')
      return !findVariable(facts.sourceCode, object)?.defs.length;
    return ARRAY_RESULTS.has(property.name) && isPlainArray(facts, object, depth + 1);
  }
  if (u.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = findVariable(facts.sourceCode, u);
  const def = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || !def || def.name.type !== AST_NODE_TYPES.Identifier) return false;
  const annotation = def.name.typeAnnotation?.typeAnnotation;
  if (annotation)
    return (
      annotation.type === AST_NODE_TYPES.TSArrayType ||
      (annotation.type === AST_NODE_TYPES.TSTypeReference &&
        annotation.typeName.type === AST_NODE_TYPES.Identifier &&
        annotation.typeName.name === 'Array')
    );
  return (
    isConstLike(variable) &&
    def.node.type === AST_NODE_TYPES.VariableDeclarator &&
    !!def.node.init &&
    isPlainArray(facts, def.node.init, depth + 1)
  );
}

/**
 * `idx.map((i) => d[i])`: the elements of tensor data at indices a JS array holds (the indices a
 * compaction or NMS kept) — `tf.gather(x, idx)`.
 */
export function indexGather(facts: TensorFacts, map: TSESTree.CallExpression): IndexGather | undefined {
  if (!isMethodCall(map, 'map') || map.arguments.length !== 1) return undefined;
  const fn = simpleCallback(map.arguments[0], 1);
  if (!fn) return undefined;
  const indices = unwrap(map.callee.object);
  // Over tensor data itself the element loop is the lifter's business.
  if (indices.type !== AST_NODE_TYPES.Identifier || facts.viewOf(indices)) return undefined;
  const view = elementOf(facts, fn.body, fn.params[0]);
  if (!view || view.tensor.foreign) return undefined;
  return { node: map, view, indices: indices.name, plain: isPlainArray(facts, indices) };
}

export interface BufferGather {
  loop: TSESTree.ForStatement;
  /** The buffer read at positions read from data, and the buffers those positions come from. */
  source: string;
  positions: string[];
  /** The function of this module that reads `source`, where the loop hands it the positions. */
  through?: string;
}

/**
 * `const y = coords.get(k, 0); const x = coords.get(k, 1); out[k] = scores.get(y, x, k);` — a
 * `TensorBuffer` read at positions that are themselves read from a buffer in the same iteration: a
 * gather (`tf.gatherND` with the positions stacked into an index tensor). The buffers are
 * `tf.TensorBuffer` parameters (a helper handed them) or `bufferSync()` reads.
 */
export function bufferGather(facts: TensorFacts, loop: TSESTree.ForStatement): BufferGather | undefined {
  const v = countingLoop(loop);
  if (!v) return undefined;
  const body = loop.body.type === AST_NODE_TYPES.BlockStatement ? loop.body.body : [loop.body];
  const isBuffer = (n: TSESTree.Node): n is TSESTree.Identifier => {
    const u = unwrap(n);
    if (u.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = findVariable(facts.sourceCode, u);
    if (!variable || variable.defs.length !== 1) return false;
    if (facts.view(variable)?.kind === 'buffer') return true;
    const def = variable.defs[0];
    const ann =
      def.type === 'Parameter' && def.name.type === AST_NODE_TYPES.Identifier ? def.name.typeAnnotation : undefined;
    const t = ann?.typeAnnotation;
    if (t?.type !== AST_NODE_TYPES.TSTypeReference) return false;
    const name = facts.sourceCode.getText(t.typeName);
    return /(^|\.)TensorBuffer(\dD)?$/.test(name);
  };
  /** `buf.get(…)` (also `.valueOf()` of it) with the loop variable among its arguments. */
  const readAt = (n: TSESTree.Node | null | undefined): string | undefined => {
    if (!n) return undefined;
    let u = unwrap(n);
    if (isMethodCall(u, 'valueOf') && u.arguments.length === 0) u = unwrap(u.callee.object);
    if (!isMethodCall(u, 'get') || !isBuffer(u.callee.object)) return undefined;
    const usesV = u.arguments.some(
      (a) => unwrap(a).type === AST_NODE_TYPES.Identifier && (unwrap(a) as TSESTree.Identifier).name === v.name,
    );
    return usesV ? (unwrap(u.callee.object) as TSESTree.Identifier).name : undefined;
  };
  // Positions: `const y = coords.get(k, 0)` declared in the body.
  const positions = new Map<string, string>();
  for (const stmt of body) {
    if (stmt.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const d of stmt.declarations) {
      const from = d.id.type === AST_NODE_TYPES.Identifier ? readAt(d.init) : undefined;
      if (from) positions.set((d.id as TSESTree.Identifier).name, from);
    }
  }
  if (positions.size === 0) return undefined;
  // A buffer read whose arguments include a position (and the loop variable or constants otherwise).
  let found: BufferGather | undefined;
  const visit = (n: TSESTree.Node): void => {
    if (found) return;
    if (isMethodCall(n, 'get') && isBuffer(n.callee.object)) {
      const used = n.arguments
        .map((a) => unwrap(a))
        .filter((a): a is TSESTree.Identifier => a.type === AST_NODE_TYPES.Identifier && positions.has(a.name));
      if (used.length > 0) {
        found = {
          loop,
          source: (unwrap(n.callee.object) as TSESTree.Identifier).name,
          positions: [...new Set(used.map((a) => positions.get(a.name)!))],
        };
        return;
      }
    }
    // `getOffsetPoint(y, x, k, offsets)`: a function of this module that reads the buffer at the positions.
    if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.Identifier) {
      const helper = helperReading(n, n.callee);
      if (helper) {
        found = { loop, ...helper };
        return;
      }
    }
    forEachChild(n, visit);
  };
  /** The helper's parameters that receive a buffer and a position; a `get` on the one at the other. */
  const helperReading = (
    call: TSESTree.CallExpression,
    callee: TSESTree.Identifier,
  ): Omit<BufferGather, 'loop'> | undefined => {
    const fn = moduleFunction(facts, callee);
    if (!fn) return undefined;
    const bufferParams = new Map<string, string>();
    const positionParams = new Map<string, string>();
    call.arguments.forEach((a, k) => {
      const param = fn.params[k];
      const arg = unwrap(a);
      if (param?.type !== AST_NODE_TYPES.Identifier || arg.type !== AST_NODE_TYPES.Identifier) return;
      if (positions.has(arg.name)) positionParams.set(param.name, positions.get(arg.name)!);
      else if (isBuffer(arg)) bufferParams.set(param.name, arg.name);
    });
    if (bufferParams.size === 0 || positionParams.size === 0) return undefined;
    let hit: Omit<BufferGather, 'loop'> | undefined;
    walk(fn.body, (n) => {
      if (hit || !isMethodCall(n, 'get')) return;
      const object = unwrap(n.callee.object);
      const source = object.type === AST_NODE_TYPES.Identifier ? bufferParams.get(object.name) : undefined;
      const used = n.arguments
        .map((a) => unwrap(a))
        .filter((a): a is TSESTree.Identifier => a.type === AST_NODE_TYPES.Identifier && positionParams.has(a.name));
      if (source && used.length > 0)
        hit = { source, positions: [...new Set(used.map((a) => positionParams.get(a.name)!))], through: callee.name };
    });
    return hit;
  };
  body.forEach(visit);
  return found;
}

/** `function f(…) {…}` or `const f = (…) => …` declared once in this module, that `callee` names. */
function moduleFunction(
  facts: TensorFacts,
  callee: TSESTree.Identifier,
): TSESTree.FunctionDeclaration | TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | undefined {
  const variable = findVariable(facts.sourceCode, callee);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0];
  if (def.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node;
  if (def.node.type === AST_NODE_TYPES.VariableDeclarator && isConstLike(variable) && def.node.init) {
    const init = unwrap(def.node.init);
    if (init.type === AST_NODE_TYPES.ArrowFunctionExpression || init.type === AST_NODE_TYPES.FunctionExpression)
      return init;
  }
  return undefined;
}
