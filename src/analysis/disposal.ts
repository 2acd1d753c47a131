/**
 * What happens to a tensor value at one use: disposed (`x.dispose()`, `tf.dispose(x)`,
 * `tf.dispose([x, …])`, `tf.dispose({ x })`), kept (`tf.keep(x)`), or neither; and whether code runs
 * in a scope that disposes for it (`tf.tidy`, the gradient functions, `optimizer.minimize`).
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { FUNCTION_TYPES } from '../ast/predicates.js';
import { resolveTfCall, type TfBinding } from './tf-binding.js';

/** What the predicates need to resolve `tf.dispose`, `tf.keep`, `tf.tidy` by scope. */
export interface TfContext {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly binding: TfBinding;
}

/**
 * The call that `value` is an argument of, looking through array
 * and object literals (`tf.dispose([a, b])`, `tf.dispose({ a })`).
 */
function containingCall(value: TSESTree.Node): TSESTree.CallExpression | undefined {
  let n: TSESTree.Node = value;
  for (let depth = 0; depth < 4; depth++) {
    const p = n.parent;
    if (!p) return undefined;
    if (p.type === AST_NODE_TYPES.CallExpression)
      return p.arguments.includes(n as TSESTree.CallExpressionArgument) ? p : undefined;
    if (p.type === AST_NODE_TYPES.ArrayExpression || p.type === AST_NODE_TYPES.ObjectExpression) n = p;
    else if (p.type === AST_NODE_TYPES.Property && p.value === n) n = p;
    else return undefined;
  }
  return undefined;
}

/** `value.dispose()`, or `value` handed to `tf.dispose` (directly or in a list / object). */
export function isDisposal(tf: TfContext, value: TSESTree.Node): boolean {
  const p = value.parent;
  if (
    p?.type === AST_NODE_TYPES.MemberExpression &&
    p.object === value &&
    !p.computed &&
    p.property.type === AST_NODE_TYPES.Identifier &&
    p.property.name === 'dispose' &&
    p.parent?.type === AST_NODE_TYPES.CallExpression &&
    p.parent.callee === p
  ) {
    return true;
  }
  const call = containingCall(value);
  return !!call && resolveTfCall(tf.sourceCode, tf.binding, call) === 'dispose';
}

/** `tf.keep(value)`: the value survives the enclosing `tf.tidy` on purpose. */
export function isKept(tf: TfContext, value: TSESTree.Node): boolean {
  const p = value.parent;
  return (
    p?.type === AST_NODE_TYPES.CallExpression &&
    p.arguments[0] === value &&
    resolveTfCall(tf.sourceCode, tf.binding, p) === 'keep'
  );
}

/** TF.js functions that run their callback in a scope of their own, disposing what it does not return. */
const SCOPED_OPS = new Set(['tidy', 'grad', 'grads', 'valueAndGrad', 'valueAndGrads', 'variableGrads', 'customGrad']);
const SCOPED_METHODS = new Set(['minimize', 'computeGradients']);

/**
 * Inside the callback of `tf.tidy`, `tf.grad`, `optimizer.minimize`, …
 * (anywhere up the tree): that scope disposes what it does not return.
 */
export function insideTidy(tf: TfContext, node: TSESTree.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    const call = p.parent;
    if (
      !FUNCTION_TYPES.has(p.type) ||
      call?.type !== AST_NODE_TYPES.CallExpression ||
      !call.arguments.includes(p as TSESTree.CallExpressionArgument)
    )
      continue;
    const op = resolveTfCall(tf.sourceCode, tf.binding, call);
    if (op && SCOPED_OPS.has(op)) return true;
    if (
      call.callee.type === AST_NODE_TYPES.MemberExpression &&
      call.callee.property.type === AST_NODE_TYPES.Identifier &&
      SCOPED_METHODS.has(call.callee.property.name)
    )
      return true;
  }
  return false;
}

/**
 * A function that runs once, right where it is written, before the code after it: a `tf.tidy`
 * callback or an immediately called function. What it does, the code around it does.
 */
export function runsInline(tf: TfContext, fn: TSESTree.Node): boolean {
  const call = fn.parent;
  if (!FUNCTION_TYPES.has(fn.type) || call?.type !== AST_NODE_TYPES.CallExpression) return false;
  if (call.callee === fn) return true;
  return (
    call.arguments.includes(fn as TSESTree.CallExpressionArgument) &&
    resolveTfCall(tf.sourceCode, tf.binding, call) === 'tidy'
  );
}
