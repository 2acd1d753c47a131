/**
 * The functions TF.js differentiates in this module: the function argument of `tf.grad`, `tf.grads`,
 * `tf.valueAndGrad(s)`, `tf.variableGrads`, `optimizer.minimize` and
 * `optimizer.computeGradients`, a custom layer's `call` (model.fit trains through it), and the helpers
 * of this module they call (a few levels deep). A rewrite inside one of them changes what training
 * does: a value the loop computed from read-back data was a constant to autograd, the ops that replace
 * it are on the tape.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { unwrap } from '../ast/predicates.js';
import { identifiersNamed, inWalkOrder } from '../ast/names.js';
import { resolveFunction } from './gradient-path.js';
import { walk } from './loop-context.js';
import { calledFunction, type FunctionNode } from './module-functions.js';
import { findVariable } from './tensors.js';
import { tfCallName, type TfBinding } from './tf-binding.js';
import { GRAD_OPS, OPTIMIZER_METHODS } from './tensor-kinds.js';

/** tf.* functions that differentiate their first argument. */
export { GRAD_OPS, OPTIMIZER_METHODS } from './tensor-kinds.js';
/** Names that say "optimizer": `optimizer`, `opt`, `this.optim`, `adam`, `sgdOptimizer`. */
const OPTIMIZER_NAME = /^(opt|optim|optimi[sz]er|sgd|adam|adamax|adagrad|adadelta|rmsprop|momentum)$|optimi[sz]er$/i;
const MAX_HELPER_DEPTH = 3;

/** Whether `obj` of `obj.minimize(f)` is plausibly an optimizer: made by `tf.train.*(…)`, or named like one. */
export function isOptimizer(
  sourceCode: Readonly<TSESLint.SourceCode>,
  binding: TfBinding,
  obj: TSESTree.Node,
): boolean {
  const n = unwrap(obj);
  const fromTrain = (e: TSESTree.Node) => {
    const call = unwrap(e);
    return (
      call.type === AST_NODE_TYPES.CallExpression &&
      call.callee.type === AST_NODE_TYPES.MemberExpression &&
      unwrap(call.callee.object).type === AST_NODE_TYPES.MemberExpression &&
      sourceCode.getText(call.callee.object) === `${binding.namespace}.train`
    );
  };
  if (fromTrain(n)) return true;
  if (n.type === AST_NODE_TYPES.MemberExpression && !n.computed && n.property.type === AST_NODE_TYPES.Identifier)
    return OPTIMIZER_NAME.test(n.property.name);
  if (n.type !== AST_NODE_TYPES.Identifier) return false;
  if (OPTIMIZER_NAME.test(n.name)) return true;
  const def = findVariable(sourceCode, n)?.defs[0];
  return def?.node.type === AST_NODE_TYPES.VariableDeclarator && !!def.node.init && fromTrain(def.node.init);
}

/** `class Scale extends tf.layers.Layer { … }` */
export function isLayerClass(
  sourceCode: Readonly<TSESLint.SourceCode>,
  binding: TfBinding,
  cls: TSESTree.Node | undefined,
): boolean {
  if (
    !cls ||
    (cls.type !== AST_NODE_TYPES.ClassDeclaration && cls.type !== AST_NODE_TYPES.ClassExpression) ||
    !cls.superClass
  )
    return false;
  const text = sourceCode.getText(cls.superClass).replace(/\s+/g, '');
  const layersNames = [...binding.named].filter(([, imported]) => imported === 'layers').map(([local]) => local);
  return (
    (!!binding.namespace && text === `${binding.namespace}.layers.Layer`) ||
    layersNames.some((l) => text === `${l}.Layer`)
  );
}

/** The API that differentiates a call's function argument (`tf.grad`, `optimizer.minimize`), if any. */
export function differentiatingApi(
  sourceCode: Readonly<TSESLint.SourceCode>,
  binding: TfBinding,
  call: TSESTree.CallExpression,
): string | undefined {
  const op = tfCallName(binding, call);
  // (`tf.customGrad` is not one: its gradient is `gradFunc`'s, whatever the forward pass computes.)
  if (op && GRAD_OPS.has(op)) return `tf.${op}`;
  const callee = call.callee;
  if (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.property.type === AST_NODE_TYPES.Identifier &&
    OPTIMIZER_METHODS.has(callee.property.name) &&
    isOptimizer(sourceCode, binding, callee.object)
  )
    return `optimizer.${callee.property.name}`;
  return undefined;
}

/**
 * Every function of the module that TF.js differentiates, with the API that does (a helper gets the
 * API of the function that calls it). Computed once per file.
 */
export function differentiatedFunctions(
  sourceCode: Readonly<TSESLint.SourceCode>,
  binding: TfBinding,
): Map<FunctionNode, string> {
  const found = new Map<FunctionNode, string>();
  const add = (fn: FunctionNode | undefined, api: string, depth: number): void => {
    if (!fn || found.has(fn)) return;
    found.set(fn, api);
    if (depth >= MAX_HELPER_DEPTH) return;
    walk(fn.body, (n) => {
      if (n.type === AST_NODE_TYPES.CallExpression) add(calledFunction(sourceCode, n), api, depth + 1);
    });
  };
  // The calls and methods that can differentiate, found where their names occur (not by a walk of the
  // file): a callee ending in a gradient op's name (or a local name it is imported as) or an optimizer
  // method, and `call` methods.
  const names = new Set([...GRAD_OPS, ...OPTIMIZER_METHODS, 'call']);
  for (const [local, imported] of binding.named) if (GRAD_OPS.has(imported)) names.add(local);
  const sites: (TSESTree.CallExpression | TSESTree.MethodDefinition)[] = [];
  for (const name of names)
    for (const id of identifiersNamed(sourceCode, name)) {
      const p = id.parent;
      if (p?.type === AST_NODE_TYPES.CallExpression && p.callee === id) sites.push(p);
      else if (
        p?.type === AST_NODE_TYPES.MemberExpression &&
        p.property === id &&
        p.parent?.type === AST_NODE_TYPES.CallExpression &&
        p.parent.callee === p
      )
        sites.push(p.parent);
      else if (p?.type === AST_NODE_TYPES.MethodDefinition && p.key === id) sites.push(p);
    }
  // In the order a walk of the file meets them: the first API found for a function names it.
  for (const n of inWalkOrder(sites)) {
    if (n.type === AST_NODE_TYPES.CallExpression) {
      const api = differentiatingApi(sourceCode, binding, n);
      if (api) add(resolveFunction(sourceCode, n.arguments[0]), api, 0);
    } else if (
      !n.static &&
      n.key.type === AST_NODE_TYPES.Identifier &&
      n.key.name === 'call' &&
      n.value.type === AST_NODE_TYPES.FunctionExpression &&
      isLayerClass(sourceCode, binding, n.parent?.parent)
    )
      add(n.value, 'model.fit (through a custom layer)', 0);
  }
  return found;
}

/** The differentiated function that holds `node` (through nested functions), with its API. */
export function differentiatedContext(
  node: TSESTree.Node,
  functions: ReadonlyMap<FunctionNode, string>,
): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    const api = functions.get(p as FunctionNode);
    if (api) return api;
  }
  return undefined;
}
