/**
 * Top-k by sorting: each value of tensor data is paired with its index, the pairs are sorted by value,
 * and the first k are kept — the way image classifiers rank classes by hand:
 *
 *   const pairs = [];
 *   for (let i = 0; i < values.length; i++) pairs.push({ value: values[i], index: i });
 *   pairs.sort((a, b) => b.value - a.value);
 *
 * or `Array.from(values).map((value, index) => ({ value, index })).sort(…)`. `tf.topk` computes the
 * same ranking: values in descending order, ties in index order (tfjs-backend-cpu's TopK_impl sorts with
 * `b.value - a.value`, then the index; Array.prototype.sort is stable, so the loop's ties keep index order
 * too). Only the comparator `b.v - a.v` (or `a.v - b.v`, the bottom k: tf.topk of the negated values) is
 * recognised: one that never returns 0 orders ties as the engine pleases.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isInside, isMethodCall, isStaticMember, unwrap } from '../../ast/predicates.js';
import { polyEquals } from '../poly.js';
import { findVariable, type TensorFacts, type View } from '../tensors.js';

export interface SortedTopk {
  /** What to report: the loop that pushes the pairs, or the `map` call that makes them. */
  node: TSESTree.ForStatement | TSESTree.CallExpression;
  sort: TSESTree.CallExpression;
  view: View;
  /** Ascending comparator: the k smallest. */
  ascending: boolean;
  /** The k the code keeps (`pairs.slice(0, k)`, a copy loop to `k`), as source text; undefined when not seen. */
  k: string | undefined;
  /** The pair's keys: `{ value: d[i], index: i }`. */
  valueKey: string;
  indexKey: string;
}

/** `pairs.sort((a, b) => b.value - a.value)` after pairs made from tensor data, or undefined. */
export function sortedTopk(facts: TensorFacts, sort: TSESTree.CallExpression): SortedTopk | undefined {
  if (!isMethodCall(sort, 'sort') || sort.arguments.length !== 1) return undefined;
  const order = comparator(sort.arguments[0]);
  if (!order) return undefined;
  const target = unwrap(sort.callee.object);
  const made =
    target.type === AST_NODE_TYPES.Identifier ? pushedPairs(facts, target, sort) : mappedPairs(facts, target);
  if (!made || made.valueKey !== order.key) return undefined;
  return {
    node: made.node,
    sort,
    view: made.view,
    ascending: order.ascending,
    k: keptCount(facts, sort, made),
    valueKey: made.valueKey,
    indexKey: made.indexKey,
  };
}

/** `(a, b) => b.v - a.v` (descending) or `a.v - b.v` (ascending), also with a block `return`. */
function comparator(node: TSESTree.Node): { key: string; ascending: boolean } | undefined {
  const fn = simpleCallback(node, 2);
  if (!fn) return undefined;
  const [a, b] = fn.params;
  let body = fn.body;
  body = unwrap(body);
  if (body.type !== AST_NODE_TYPES.BinaryExpression || body.operator !== '-') return undefined;
  const left = memberOf(body.left);
  const right = memberOf(body.right);
  if (!left || !right || left.key !== right.key) return undefined;
  if (left.object === b && right.object === a) return { key: left.key, ascending: false };
  if (left.object === a && right.object === b) return { key: left.key, ascending: true };
  return undefined;
}

/** `a.value` → { object: 'a', key: 'value' } */
function memberOf(node: TSESTree.Node): { object: string; key: string } | undefined {
  const n = unwrap(node);
  if (
    n.type !== AST_NODE_TYPES.MemberExpression ||
    n.computed ||
    n.object.type !== AST_NODE_TYPES.Identifier ||
    n.property.type !== AST_NODE_TYPES.Identifier
  )
    return undefined;
  return { object: n.object.name, key: n.property.name };
}

export interface Pairs {
  node: TSESTree.ForStatement | TSESTree.CallExpression;
  view: View;
  valueKey: string;
  indexKey: string;
  /** The array of pairs, when it is a variable (the push form). */
  variable?: Scope.Variable;
}

/**
 * `const pairs = []; for (let i = 0; i < d.length; i++) pairs.push({ value: d[i], index: i });` right
 * before the sort, nothing else touching `pairs` in between.
 */
function pushedPairs(facts: TensorFacts, id: TSESTree.Identifier, sort: TSESTree.CallExpression): Pairs | undefined {
  const variable = findVariable(facts.sourceCode, id);
  const def = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || def?.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
  const init = def.node.init && unwrap(def.node.init);
  if (init?.type !== AST_NODE_TYPES.ArrayExpression || init.elements.length !== 0) return undefined;
  // The statement that sorts, and the loop just before it in the same block.
  const sortStatement = sort.parent;
  if (sortStatement?.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  const block = sortStatement.parent;
  if (block?.type !== AST_NODE_TYPES.BlockStatement && block?.type !== AST_NODE_TYPES.Program) return undefined;
  const at = block.body.indexOf(sortStatement);
  const loop = block.body[at - 1];
  if (loop?.type !== AST_NODE_TYPES.ForStatement) return undefined;
  const v = countingLoop(loop);
  if (!v) return undefined;
  const body = loop.body.type === AST_NODE_TYPES.BlockStatement ? loop.body.body : [loop.body];
  const push = body.length === 1 && body[0].type === AST_NODE_TYPES.ExpressionStatement ? body[0].expression : null;
  if (!push || !isMethodCall(push, 'push') || push.arguments.length !== 1) return undefined;
  const pushed = unwrap(push.callee.object);
  if (pushed.type !== AST_NODE_TYPES.Identifier || findVariable(facts.sourceCode, pushed) !== variable)
    return undefined;
  // Every use of the array before the sort is this push (and the declaration).
  const early = variable.references.filter((r) => !r.init && r.identifier.range[0] < sort.range[0]);
  if (early.length !== 1 || early[0].identifier !== pushed) return undefined;
  const pair = pairOf(push.arguments[0], (value) => elementOf(facts, value, v.name), v.name);
  if (!pair) return undefined;
  // The loop runs over the whole data: `i < d.length` (or the view's tensor's size).
  if (!coversView(facts, v.bound, pair.view)) return undefined;
  return { node: loop, ...pair, variable };
}

/** `Array.from(d).map((value, index) => ({ value, index }))`, `[...d].map(…)` */
export function mappedPairs(facts: TensorFacts, node: TSESTree.Node): Pairs | undefined {
  if (!isMethodCall(node, 'map') || node.arguments.length !== 1) return undefined;
  const source = unwrap(node.callee.object);
  let data: TSESTree.Node | undefined;
  if (
    source.type === AST_NODE_TYPES.CallExpression &&
    isStaticMember(source.callee, 'Array', 'from') &&
    source.arguments.length === 1
  )
    data = source.arguments[0];
  else if (source.type === AST_NODE_TYPES.ArrayExpression && source.elements.length === 1) {
    const only = source.elements[0];
    if (only?.type === AST_NODE_TYPES.SpreadElement) data = only.argument;
  }
  let view = data && facts.viewOf(data, true);
  if (view?.kind !== 'flat') view = undefined;
  // `scores.map(…)` on a JS array of the data (`Array.from(await t.data())`, `await t1d.array()`): a typed
  // array's own map would make numbers of the pairs.
  if (!data) {
    const own = facts.viewOf(source, true);
    if (own && ((own.kind === 'flat' && own.copy) || (own.kind === 'nested' && own.tensor.rank === 1))) view = own;
  }
  if (!view) return undefined;
  const fn = simpleCallback(node.arguments[0], 2);
  if (!fn) return undefined;
  const [value, index] = fn.params;
  const body = fn.body;
  const pair = pairOf(
    body,
    (n) => {
      const u = unwrap(n);
      return u.type === AST_NODE_TYPES.Identifier && u.name === value ? view : undefined;
    },
    index,
  );
  return pair && { node, ...pair };
}

/**
 * `(a, b) => expr` or `function (a, b) { return expr; }` with `arity` plain parameters: their names and
 * the returned expression.
 */
export function simpleCallback(
  node: TSESTree.Node,
  arity: number,
): { params: string[]; body: TSESTree.Node } | undefined {
  if (node.type !== AST_NODE_TYPES.ArrowFunctionExpression && node.type !== AST_NODE_TYPES.FunctionExpression)
    return undefined;
  if (node.params.length !== arity || node.params.some((p) => p.type !== AST_NODE_TYPES.Identifier)) return undefined;
  let body: TSESTree.Node = node.body;
  if (body.type === AST_NODE_TYPES.BlockStatement) {
    const only = body.body.length === 1 ? body.body[0] : undefined;
    if (only?.type !== AST_NODE_TYPES.ReturnStatement || !only.argument) return undefined;
    body = only.argument;
  }
  return { params: node.params.map((p) => (p as TSESTree.Identifier).name), body };
}

/** `{ value: d[i], index: i }`: exactly two properties, one an element of tensor data, one the index. */
export function pairOf(
  node: TSESTree.Node,
  element: (n: TSESTree.Node) => View | undefined,
  indexName: string,
): { view: View; valueKey: string; indexKey: string } | undefined {
  const obj = unwrap(node);
  if (obj.type !== AST_NODE_TYPES.ObjectExpression || obj.properties.length !== 2) return undefined;
  let value: { key: string; view: View } | undefined;
  let indexKey: string | undefined;
  for (const p of obj.properties) {
    if (
      p.type !== AST_NODE_TYPES.Property ||
      p.computed ||
      p.kind !== 'init' ||
      p.key.type !== AST_NODE_TYPES.Identifier
    )
      return undefined;
    const v = unwrap(p.value);
    if (v.type === AST_NODE_TYPES.Identifier && v.name === indexName) indexKey = p.key.name;
    else {
      const view = element(v);
      if (!view) return undefined;
      value = { key: p.key.name, view };
    }
  }
  return value && indexKey ? { view: value.view, valueKey: value.key, indexKey } : undefined;
}

/** `d[i]` where `d` is flat tensor data. */
export function elementOf(facts: TensorFacts, node: TSESTree.Node, i: string): View | undefined {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.MemberExpression || !n.computed) return undefined;
  const index = unwrap(n.property);
  if (index.type !== AST_NODE_TYPES.Identifier || index.name !== i) return undefined;
  const view = facts.viewOf(n.object);
  return view?.kind === 'flat' ? view : undefined;
}

/** `for (let i = 0; i < B; i++)` (or `++i`, `i += 1`): the variable and the bound. */
export function countingLoop(loop: TSESTree.ForStatement): { name: string; bound: TSESTree.Expression } | undefined {
  const init = loop.init;
  if (init?.type !== AST_NODE_TYPES.VariableDeclaration || init.declarations.length !== 1) return undefined;
  const d = init.declarations[0];
  if (d.id.type !== AST_NODE_TYPES.Identifier || !d.init) return undefined;
  const start = unwrap(d.init);
  if (start.type !== AST_NODE_TYPES.Literal || start.value !== 0) return undefined;
  const name = d.id.name;
  const test = loop.test;
  if (
    test?.type !== AST_NODE_TYPES.BinaryExpression ||
    test.operator !== '<' ||
    test.left.type !== AST_NODE_TYPES.Identifier ||
    test.left.name !== name
  )
    return undefined;
  const u = loop.update;
  const steps =
    (u?.type === AST_NODE_TYPES.UpdateExpression && u.operator === '++') ||
    (u?.type === AST_NODE_TYPES.AssignmentExpression &&
      u.operator === '+=' &&
      u.right.type === AST_NODE_TYPES.Literal &&
      u.right.value === 1);
  if (!steps || (u.type === AST_NODE_TYPES.UpdateExpression ? u.argument : u.left).type !== AST_NODE_TYPES.Identifier)
    return undefined;
  return { name, bound: test.right };
}

/** The bound is the data's length: `d.length`, or a size that equals it. */
export function coversView(facts: TensorFacts, bound: TSESTree.Expression, view: View): boolean {
  const b = unwrap(bound);
  if (
    b.type === AST_NODE_TYPES.MemberExpression &&
    !b.computed &&
    b.property.type === AST_NODE_TYPES.Identifier &&
    b.property.name === 'length' &&
    b.object.type === AST_NODE_TYPES.Identifier
  ) {
    const v = findVariable(facts.sourceCode, b.object);
    return !!v && v === view.variable;
  }
  const size = facts.poly(b);
  if (!size || view.tensor.foreign) return false;
  const whole = facts.sizePoly(view.tensor);
  return polyEquals(size, whole);
}

/**
 * The k the code keeps: `pairs.sort(…).slice(0, k)`, `pairs.slice(0, k)` after the sort, or a copy loop
 * `for (let i = 0; i < k; i++) … pairs[i].value …` after it.
 */
function keptCount(facts: TensorFacts, sort: TSESTree.CallExpression, made: Pairs): string | undefined {
  const text = (n: TSESTree.Node) => facts.sourceCode.getText(n);
  const sliceK = (call: TSESTree.Node | undefined): string | undefined => {
    if (!call || !isMethodCall(call, 'slice') || call.arguments.length !== 2) return undefined;
    const [from, to] = call.arguments;
    return from.type === AST_NODE_TYPES.Literal && from.value === 0 ? text(to) : undefined;
  };
  const chained = sort.parent?.type === AST_NODE_TYPES.MemberExpression ? sliceK(sort.parent.parent) : undefined;
  if (chained || !made.variable) return chained;
  for (const ref of made.variable.references) {
    if (ref.identifier.range[0] < sort.range[1]) continue;
    const p = ref.identifier.parent;
    if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === ref.identifier) {
      const k = sliceK(p.parent);
      if (k) return k;
      // pairs[i].value inside `for (let i = 0; i < k; i++)`
      if (p.computed && p.property.type === AST_NODE_TYPES.Identifier) {
        const name = p.property.name;
        for (let n: TSESTree.Node | undefined = p.parent; n; n = n.parent) {
          if (n.type === AST_NODE_TYPES.ForStatement) {
            const loop = countingLoop(n);
            if (loop?.name === name && isInside(p, n.body)) return text(loop.bound);
            break;
          }
        }
      }
    }
  }
  return undefined;
}

/** A typed array the top k are copied into: `const top = new Float32Array(k)`. */
export interface TopkSink {
  declaration: TSESTree.VariableDeclaration;
  declarator: TSESTree.VariableDeclarator;
  /** The constructor: `Float32Array`, `Int32Array`, … */
  ctor: string;
  /** Which field of the pair it receives. */
  field: 'values' | 'indices';
}

/** The whole top-k by sorting, from the array of pairs to the copy loop, as one run of statements. */
export interface TopkCopy {
  /** The statements it spans, in order: `const pairs = []`, the push loop, the sort, the sinks, the copy loop. */
  first: TSESTree.Statement;
  last: TSESTree.Statement;
  /** The data the pairs are made of (a typed array read back from a tensor), as source text. */
  data: string;
  k: string;
  sinks: TopkSink[];
}

const TYPED_ARRAYS = new Set([
  'Float32Array',
  'Float64Array',
  'Int32Array',
  'Int16Array',
  'Int8Array',
  'Uint32Array',
  'Uint16Array',
  'Uint8Array',
]);

/**
 * The canonical top-k by sorting, the way image classifiers write it, ready to be replaced by `tf.topk`:
 *
 *   const pairs = [];
 *   for (let i = 0; i < d.length; i++) pairs.push({ value: d[i], index: i });
 *   pairs.sort((a, b) => b.value - a.value);
 *   const topValues = new Float32Array(k);
 *   const topIndices = new Int32Array(k);
 *   for (let i = 0; i < k; i++) { topValues[i] = pairs[i].value; topIndices[i] = pairs[i].index; }
 *
 * consecutive in one block, `pairs` read nowhere else, `d` a typed array read back from a tensor (its
 * values are what tf.topk ranks, in its own dtype: a `number[]` copy could hold values float32 rounds
 * together), and `k` an expression without effects. Undefined for anything else.
 */
export function topkCopy(facts: TensorFacts, found: SortedTopk): TopkCopy | undefined {
  if (found.ascending || found.node.type !== AST_NODE_TYPES.ForStatement || !found.k) return undefined;
  const { view } = found;
  if (view.kind !== 'flat' || view.copy || !view.variable) return undefined;
  if (view.method !== 'dataSync' && view.method !== 'data') return undefined;
  const loop = found.node;
  const block = loop.parent;
  if (block?.type !== AST_NODE_TYPES.BlockStatement && block?.type !== AST_NODE_TYPES.Program) return undefined;
  const body = block.body as TSESTree.Statement[];
  const at = body.indexOf(loop);
  const declaration = body[at - 1];
  const sortStatement = body[at + 1];
  if (
    declaration?.type !== AST_NODE_TYPES.VariableDeclaration ||
    declaration.declarations.length !== 1 ||
    sortStatement?.type !== AST_NODE_TYPES.ExpressionStatement ||
    sortStatement.expression !== found.sort
  )
    return undefined;
  const pairsId = declaration.declarations[0].id;
  if (pairsId.type !== AST_NODE_TYPES.Identifier) return undefined;
  const pairs = findVariable(facts.sourceCode, pairsId);
  if (!pairs) return undefined;
  const k = found.k;
  if (!/^[\w$.]+$/.test(k)) return undefined;
  // The sinks: `new Float32Array(k)` declarations right after the sort.
  const sinks: TopkSink[] = [];
  let i = at + 2;
  const declared = new Map<
    string,
    { declaration: TSESTree.VariableDeclaration; declarator: TSESTree.VariableDeclarator; ctor: string }
  >();
  for (; i < body.length; i++) {
    const s = body[i];
    if (s.type !== AST_NODE_TYPES.VariableDeclaration || s.declarations.length !== 1) break;
    const d = s.declarations[0];
    const init = d.init && unwrap(d.init);
    if (
      d.id.type !== AST_NODE_TYPES.Identifier ||
      init?.type !== AST_NODE_TYPES.NewExpression ||
      init.callee.type !== AST_NODE_TYPES.Identifier ||
      !TYPED_ARRAYS.has(init.callee.name) ||
      init.arguments.length !== 1 ||
      facts.sourceCode.getText(init.arguments[0]) !== k
    )
      break;
    declared.set(d.id.name, { declaration: s, declarator: d, ctor: init.callee.name });
  }
  const copy = body[i];
  if (declared.size === 0 || copy?.type !== AST_NODE_TYPES.ForStatement) return undefined;
  const counter = countingLoop(copy);
  if (!counter || facts.sourceCode.getText(counter.bound) !== k) return undefined;
  const assignments = copy.body.type === AST_NODE_TYPES.BlockStatement ? copy.body.body : [copy.body];
  for (const a of assignments) {
    const e = a.type === AST_NODE_TYPES.ExpressionStatement ? a.expression : undefined;
    if (e?.type !== AST_NODE_TYPES.AssignmentExpression || e.operator !== '=') return undefined;
    const target = e.left;
    if (
      target.type !== AST_NODE_TYPES.MemberExpression ||
      !target.computed ||
      target.object.type !== AST_NODE_TYPES.Identifier ||
      target.property.type !== AST_NODE_TYPES.Identifier ||
      target.property.name !== counter.name
    )
      return undefined;
    const sink = declared.get(target.object.name);
    // `pairs[i].value` / `pairs[i].index`
    const source = unwrap(e.right);
    if (
      !sink ||
      sinks.some((s) => s.declarator === sink.declarator) ||
      source.type !== AST_NODE_TYPES.MemberExpression ||
      source.computed ||
      source.property.type !== AST_NODE_TYPES.Identifier
    )
      return undefined;
    const element = source.object;
    if (
      element.type !== AST_NODE_TYPES.MemberExpression ||
      !element.computed ||
      element.object.type !== AST_NODE_TYPES.Identifier ||
      element.object.name !== pairsId.name ||
      element.property.type !== AST_NODE_TYPES.Identifier ||
      element.property.name !== counter.name
    )
      return undefined;
    const key = source.property.name;
    const field = key === found.valueKey ? 'values' : key === found.indexKey ? 'indices' : undefined;
    if (!field) return undefined;
    sinks.push({ ...sink, field });
  }
  // Every sink declared is filled by the copy loop, and `pairs` lives only in these statements.
  if (sinks.length !== declared.size) return undefined;
  if (pairs.references.some((r) => r.identifier.range[0] > copy.range[1])) return undefined;
  return { first: declaration, last: copy, data: view.variable.name, k, sinks };
}
