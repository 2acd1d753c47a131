/**
 * Which calls create a new tensor that someone must dispose: TF.js ops through the file's binding,
 * resolved by scope (`tf.add`, `tf.losses.meanSquaredError`, `tf.browser.fromPixels`, a named `add`,
 * awaited `tf.whereAsync`), tensor methods that return a tensor on a value known to be a tensor
 * (`x.add(y)`, `x.reshape(…)`, `buf.toTensor()`), `model.predict(…)` (a tensor or an array of them),
 * `optimizer.minimize(f, true)`, `tf.tidy(() => <tensor>)`, and a function of this module whose every
 * return is such a creation. Ops that return arrays or objects of tensors (`tf.split`, `tf.moments`,
 * `tf.topk`) and non-tensor helpers (`tf.tidy` of a block, `tf.buffer`, `tf.memory`) are not
 * creations here.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { FUNCTION_TYPES, unwrap } from '../ast/predicates.js';
import { calledFunction, returnedExpressions, type FunctionNode } from './module-functions.js';
import { tfCallPath } from './tf-binding.js';
import { NON_TENSOR_OPS, TENSOR_METHODS, type TensorValues, type ValueKind } from './tensor-values.js';

const TENSOR_NAMESPACES = new Set(['losses', 'image', 'signal', 'spectral', 'metrics', 'linalg', 'math']);
const MODEL_METHODS = new Set(['predict', 'predictOnBatch', 'execute', 'executeAsync', 'evaluate']);

/** Whether the value of `call` is awaited (`await f()`, `await (f() as T)`). */
function isAwaited(call: TSESTree.Node): boolean {
  let n = call;
  while (
    n.parent &&
    (n.parent.type === AST_NODE_TYPES.TSAsExpression ||
      n.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      n.parent.type === AST_NODE_TYPES.ChainExpression)
  )
    n = n.parent;
  return n.parent?.type === AST_NODE_TYPES.AwaitExpression;
}

/** `call as T` (or `<T>call`): the outermost type assertion around a call, or the call. */
function asserted(call: TSESTree.Node): TSESTree.Node {
  let n = call;
  while (n.parent?.type === AST_NODE_TYPES.TSAsExpression || n.parent?.type === AST_NODE_TYPES.TSTypeAssertion)
    n = n.parent;
  return n;
}

export class TensorCreations {
  constructor(readonly values: TensorValues) {}

  /** Whether `node` (a call, or an awaited one) returns a new tensor, or array of tensors, that the caller owns. */
  isCreation(node: TSESTree.Node, depth = 0): boolean {
    return this.created(node, depth) !== undefined;
  }

  /** What a creation makes: one tensor, or (`model.predict`, `model.execute`) possibly an array of them. */
  created(node: TSESTree.Node, depth = 0): ValueKind | undefined {
    let n = unwrap(node);
    const awaited = n.type === AST_NODE_TYPES.AwaitExpression || isAwaited(n);
    if (n.type === AST_NODE_TYPES.AwaitExpression) n = unwrap(n.argument);
    if (n.type !== AST_NODE_TYPES.CallExpression || depth > 4) return undefined;
    const values = this.values;
    const path = tfCallPath(values.sourceCode, values.binding, n);
    if (path) return this.tfOpCreation(path, n, awaited, depth);
    const callee = unwrap(n.callee);
    if (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      !callee.computed &&
      callee.property.type === AST_NODE_TYPES.Identifier
    ) {
      const method = callee.property.name;
      // optimizer.minimize(f, true) returns the cost.
      if (method === 'minimize') {
        const returnCost = n.arguments[1];
        return returnCost?.type === AST_NODE_TYPES.Literal && returnCost.value === true ? 'tensor' : undefined;
      }
      if (MODEL_METHODS.has(method)) {
        if (method === 'executeAsync' && !awaited) return undefined;
        const kind = values.kind(n);
        return kind === 'tensorOrTensors' || kind === 'tensor' || kind === 'tensors' ? kind : undefined;
      }
      // x.squeeze([0]) as tf.Tensor2D: the assertion says what the method returns.
      if (TENSOR_METHODS.has(method) && (values.kind(n) === 'tensor' || values.kind(asserted(n)) === 'tensor'))
        return 'tensor';
      // The receiver's kind (which may ask the type checker) matters for one method only.
      if (method === 'toTensor' && values.kind(callee.object) === 'buffer') return 'tensor';
      return undefined;
    }
    // A function of this module whose every return is a new tensor: each call makes one.
    const fn = calledFunction(values.sourceCode, n);
    if (!fn || (fn.async && !awaited)) return undefined;
    const returns = returnedExpressions(fn);
    if (returns.length === 0) return undefined;
    const kinds = returns.map((r) => this.created(this.localValue(r, fn), depth + 1));
    return kinds.every((k) => k === 'tensor') ? 'tensor' : undefined;
  }

  /** `y` in `const y = tf.add(a, b); return y;`: the initialiser of a never-reassigned local of `fn`. */
  private localValue(node: TSESTree.Node, fn: FunctionNode): TSESTree.Node {
    const n = unwrap(node);
    if (n.type !== AST_NODE_TYPES.Identifier) return node;
    const variable = this.values.variable(n);
    const def = variable?.defs[0];
    if (
      !variable ||
      variable.defs.length !== 1 ||
      def?.node.type !== AST_NODE_TYPES.VariableDeclarator ||
      def.node.id !== def.name ||
      !def.node.init ||
      variable.references.some((r) => r.isWrite() && !r.init) ||
      def.node.range[0] < fn.range[0] ||
      def.node.range[1] > fn.range[1]
    )
      return node;
    return def.node.init;
  }

  private tfOpCreation(
    path: string[],
    call: TSESTree.CallExpression,
    awaited: boolean,
    depth: number,
  ): ValueKind | undefined {
    if (path.length === 1) {
      const op = path[0];
      if (op === 'tidy') {
        // tf.tidy(() => x) hands back x itself: only a tensor made inside is new.
        const fn = call.arguments[call.arguments.length - 1];
        if (!fn || !FUNCTION_TYPES.has(fn.type)) return undefined;
        const results = returnedExpressions(fn as FunctionNode);
        return results.length > 0 &&
          results.every((r) => this.created(this.localValue(r, fn as FunctionNode), depth + 1) === 'tensor')
          ? 'tensor'
          : undefined;
      }
      if (NON_TENSOR_OPS.has(op)) return undefined;
      return !op.endsWith('Async') || awaited ? 'tensor' : undefined;
    }
    const [namespace, op] = path;
    if (path.length !== 2) return undefined;
    if (namespace === 'browser')
      return op === 'fromPixels' || (op === 'fromPixelsAsync' && awaited) ? 'tensor' : undefined;
    if (!TENSOR_NAMESPACES.has(namespace) || op === 'qr') return undefined;
    return !op.endsWith('Async') || awaited ? 'tensor' : undefined;
  }

  /** Whether `node` is a tensor: a creation, or a value known to be one. */
  isTensor(node: TSESTree.Node, depth = 0): boolean {
    return this.isCreation(node, depth) || this.values.kind(node) === 'tensor';
  }
}
