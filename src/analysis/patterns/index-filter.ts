/**
 * A filter by position on tensor data: every k-th element from r on —
 *
 *   const xs = coords.filter((_, i) => i % 2 === 0);
 *   const ys = coords.filter((_, i) => !isEven(i));   // isEven from this module or the project's own
 *
 * — is `tf.stridedSlice(x, [r], [x.size], [k])` of the flattened tensor: the same values in the same
 * order (a copy either way). The test may only look at the index, and only through `i % k`: it is
 * evaluated for each residue, so `i % 2 === 0`, `i % 3 !== 1 && i % 3 !== 2` and a helper such as
 * `(n) => n % 2 === 0` (one expression of its parameters, see ../imported.ts) all qualify. Exactly one
 * residue must pass; several would be several slices.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { FUNCTION_TYPES, isMethodCall, unwrap } from '../../ast/predicates.js';
import { expressionOf } from '../imported.js';
import { findVariable, type TensorFacts, type View } from '../tensors.js';
import { simpleCallback } from './sorted-topk.js';
import { AnalysisStop } from '../lift/errors.js';

export interface IndexFilter {
  node: TSESTree.CallExpression;
  view: View;
  /** Keeps the elements at indices `offset`, `offset + stride`, … */
  stride: number;
  offset: number;
  /** The test as written, for the message. */
  test: string;
}

/** The index, known only modulo `modulus` (found at its first `%`) to be `residue`. */
const INDEX = Symbol('index');
type Value = number | boolean | typeof INDEX;
class NotPeriodic extends AnalysisStop {}

const MAX_STRIDE = 64;

/** `d.filter((_, i) => P(i))` on tensor data, with P a test of `i % k` alone. */
export function indexFilter(facts: TensorFacts, call: TSESTree.CallExpression): IndexFilter | undefined {
  if (!isMethodCall(call, 'filter') || call.arguments.length !== 1) return undefined;
  const cb = unwrap(call.arguments[0]);
  const fn = simpleCallback(cb, 2);
  // An async test returns a promise, which `filter` takes as true.
  if (!fn || (cb as TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression).async) return undefined;
  const element = (cb as TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression)
    .params[0] as TSESTree.Identifier;
  const index = fn.params[1];
  const body = fn.body;
  // The element itself must go unread: a test of the value is a compaction.
  const elementVar = findVariable(facts.sourceCode, element);
  if (!elementVar || elementVar.references.length > 0) return undefined;
  const view = facts.viewOf(unwrap(call.callee.object), true);
  if (!view || view.kind === 'buffer') return undefined;
  // Positions of a nested view are rows unless it is one-dimensional.
  if (view.kind === 'nested' && view.tensor.rank !== 1) return undefined;
  const test = body;
  const passes: number[] = [];
  let modulus: number | undefined;
  try {
    for (let residue = 0; modulus === undefined || residue < modulus; residue++) {
      const state = { modulus, residue };
      const value = evaluate(facts, test, new Map([[index, INDEX]]), state, 0);
      if (value === INDEX) throw new NotPeriodic();
      modulus = state.modulus;
      // A test that never looks at `i % k` keeps all or nothing: not a slice worth a report.
      if (modulus === undefined) return undefined;
      if (value) passes.push(residue);
    }
  } catch (e) {
    if (e instanceof NotPeriodic) return undefined;
    throw e;
  }
  if (passes.length !== 1 || modulus === undefined || modulus < 2) return undefined;
  return { node: call, view, stride: modulus, offset: passes[0], test: facts.sourceCode.getText(test) };
}

/**
 * The value of a side-effect-free expression of the index: literals, operators, conditionals, and calls
 * of functions that are one such expression of their parameters (declared in this module, or imported
 * from the project's own). Anything else throws NotPeriodic.
 */
function evaluate(
  facts: TensorFacts,
  node: TSESTree.Node,
  env: ReadonlyMap<string, Value>,
  state: { modulus: number | undefined; residue: number },
  depth: number,
): Value {
  const n = unwrap(node);
  const num = (v: Value): number => {
    if (v === INDEX || typeof v !== 'number') throw new NotPeriodic();
    return v;
  };
  switch (n.type) {
    case AST_NODE_TYPES.Literal:
      if (typeof n.value === 'number' || typeof n.value === 'boolean') return n.value;
      throw new NotPeriodic();
    case AST_NODE_TYPES.Identifier: {
      const v = env.get(n.name);
      if (v === undefined) throw new NotPeriodic();
      return v;
    }
    case AST_NODE_TYPES.UnaryExpression: {
      const v = evaluate(facts, n.argument, env, state, depth);
      if (v === INDEX) throw new NotPeriodic();
      if (n.operator === '!') return !v;
      if (n.operator === '-') return -num(v);
      throw new NotPeriodic();
    }
    case AST_NODE_TYPES.LogicalExpression: {
      const a = evaluate(facts, n.left, env, state, depth);
      const b = evaluate(facts, n.right, env, state, depth);
      if (a === INDEX || b === INDEX || n.operator === '??') throw new NotPeriodic();
      return n.operator === '&&' ? a && b : a || b;
    }
    case AST_NODE_TYPES.ConditionalExpression: {
      const t = evaluate(facts, n.test, env, state, depth);
      if (t === INDEX) throw new NotPeriodic();
      return evaluate(facts, t ? n.consequent : n.alternate, env, state, depth);
    }
    case AST_NODE_TYPES.BinaryExpression: {
      if (n.left.type === AST_NODE_TYPES.PrivateIdentifier) throw new NotPeriodic();
      const a = evaluate(facts, n.left, env, state, depth);
      const b = evaluate(facts, n.right, env, state, depth);
      if (n.operator === '%' && a === INDEX) {
        // i % k for a literal k ≥ 1: the residue this round evaluates (i is a non-negative integer).
        const k = num(b);
        if (!Number.isInteger(k) || k < 1 || k > MAX_STRIDE) throw new NotPeriodic();
        if (state.modulus === undefined) state.modulus = k;
        if (state.modulus !== k) throw new NotPeriodic();
        return state.residue;
      }
      if (a === INDEX || b === INDEX) throw new NotPeriodic();
      switch (n.operator) {
        case '===':
          return a === b;
        case '!==':
          return a !== b;
        // Between numbers and booleans, loose equality compares the numbers (true is 1).
        case '==':
          return Number(a) === Number(b);
        case '!=':
          return Number(a) !== Number(b);
        case '<':
          return num(a) < num(b);
        case '<=':
          return num(a) <= num(b);
        case '>':
          return num(a) > num(b);
        case '>=':
          return num(a) >= num(b);
        case '+':
          return num(a) + num(b);
        case '-':
          return num(a) - num(b);
        case '*':
          return num(a) * num(b);
        case '%':
          return num(a) % num(b);
        default:
          throw new NotPeriodic();
      }
    }
    case AST_NODE_TYPES.CallExpression: {
      if (depth > 3 || n.callee.type !== AST_NODE_TYPES.Identifier) throw new NotPeriodic();
      const fn = pureFunction(facts, n);
      if (!fn || fn.params.length !== n.arguments.length) throw new NotPeriodic();
      const inner = new Map<string, Value>();
      fn.params.forEach((p, k) => {
        const arg = n.arguments[k];
        if (arg.type === AST_NODE_TYPES.SpreadElement) throw new NotPeriodic();
        inner.set(p, evaluate(facts, arg, env, state, depth));
      });
      return evaluate(facts, fn.body, inner, state, depth + 1);
    }
    default:
      throw new NotPeriodic();
  }
}

/** The function a call runs, as one expression of its parameters: declared in this module, or imported. */
function pureFunction(
  facts: TensorFacts,
  call: TSESTree.CallExpression,
): { params: string[]; body: TSESTree.Expression } | undefined {
  const imported = facts.importedCallee(call);
  if (imported) return expressionOf(imported);
  const variable = findVariable(facts.sourceCode, call.callee as TSESTree.Identifier);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!def) return undefined;
  let fn: TSESTree.Node | null | undefined;
  if (def.type === 'FunctionName') fn = def.node;
  else if (
    def.node.type === AST_NODE_TYPES.VariableDeclarator &&
    def.parent?.type === AST_NODE_TYPES.VariableDeclaration &&
    def.parent.kind === 'const'
  )
    fn = def.node.init;
  fn = fn && unwrap(fn);
  if (!fn || !FUNCTION_TYPES.has(fn.type)) return undefined;
  return expressionOf({ fn: fn as never });
}
