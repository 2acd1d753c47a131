/**
 * Which calls create a new tensor that someone must dispose: TF.js ops through the file's binding
 * (`tf.add`, `tf.losses.meanSquaredError`, `tf.browser.fromPixels`, a named `add`), tensor methods
 * that return a tensor (`x.add(y)`, `x.reshape(…)`), `model.predict(…)`,
 * `optimizer.minimize(f, true)`, and `tf.tidy(() => <tensor>)`. Ops that return arrays or objects of
 * tensors (`tf.split`, `tf.moments`, `tf.topk`) and non-tensor helpers (`tf.tidy` of a block,
 * `tf.buffer`, `tf.memory`) are not creations here.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { FUNCTION_TYPES, unwrap } from '../ast/predicates.js';
import { findVariable, type TensorFacts } from './tensors.js';
import { tfCallName } from './tf-binding.js';

/** tf.* functions that do not return one new tensor. */
const NOT_CREATORS = new Set([
  'tidy',
  'dispose',
  'keep',
  'memory',
  'setBackend',
  'getBackend',
  'ready',
  'nextFrame',
  'print',
  'time',
  'profile',
  'engine',
  'env',
  'backend',
  'registerBackend',
  'removeBackend',
  'findBackend',
  'enableProdMode',
  'enableDebugMode',
  'disposeVariables',
  'buffer',
  'grad',
  'grads',
  'valueAndGrad',
  'valueAndGrads',
  'variableGrads',
  'customGrad',
  'sequential',
  'model',
  'input',
  'loadLayersModel',
  'loadGraphModel',
  'split',
  'unstack',
  'meshgrid',
  'moments',
  'topk',
  'broadcastArgs',
  'getKernel',
  'registerKernel',
  'registerGradient',
  'setPlatform',
  'nonMaxSuppressionWithScore',
  'tensorScatterUpdate',
  'scalarStr',
]);
/** `tf.<namespace>.<op>(…)` namespaces whose functions return a tensor. */
const CREATOR_NAMESPACES = new Set(['losses', 'image', 'signal', 'spectral', 'metrics', 'linalg']);
/** Tensor methods that return a new tensor. */
const TENSOR_METHODS = new Set([
  'add',
  'sub',
  'mul',
  'div',
  'divNoNan',
  'floorDiv',
  'mod',
  'pow',
  'maximum',
  'minimum',
  'squaredDifference',
  'matMul',
  'dot',
  'neg',
  'abs',
  'exp',
  'expm1',
  'log',
  'log1p',
  'sqrt',
  'rsqrt',
  'square',
  'reciprocal',
  'relu',
  'relu6',
  'elu',
  'selu',
  'leakyRelu',
  'prelu',
  'sigmoid',
  'tanh',
  'softplus',
  'softmax',
  'logSoftmax',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'sign',
  'round',
  'floor',
  'ceil',
  'clipByValue',
  'cast',
  'toFloat',
  'toInt',
  'toBool',
  'reshape',
  'reshapeAs',
  'expandDims',
  'squeeze',
  'flatten',
  'transpose',
  'slice',
  'stridedSlice',
  'gather',
  'tile',
  'pad',
  'reverse',
  'concat',
  'sum',
  'mean',
  'max',
  'min',
  'prod',
  'argMax',
  'argMin',
  'all',
  'any',
  'logSumExp',
  'norm',
  'cumsum',
  'cumprod',
  'equal',
  'notEqual',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'logicalAnd',
  'logicalOr',
  'logicalNot',
  'clone',
  'as1D',
  'as2D',
  'as3D',
  'as4D',
  'as5D',
  'asScalar',
  'asType',
  'batchNorm',
  'conv1d',
  'conv2d',
  'resizeBilinear',
  'resizeNearestNeighbor',
  'mirrorPad',
  'oneHot',
  'step',
  'isNaN',
  'isFinite',
  'isInf',
]);
/**
 * Of those, names that JavaScript's own arrays, sets, strings and
 * numbers also have: on an untyped parameter they prove nothing.
 */
const SHARED_WITH_JS = new Set([
  'add',
  'slice',
  'concat',
  'reverse',
  'max',
  'min',
  'sum',
  'mean',
  'pow',
  'sign',
  'round',
  'floor',
  'ceil',
  'abs',
  'equal',
  'all',
  'any',
  'pad',
  'step',
  'log',
  'exp',
  'sqrt',
  'isNaN',
  'isFinite',
]);
const MODEL_METHODS = new Set(['predict', 'predictOnBatch', 'execute']);

/** A returned expression of a `tf.tidy` callback (`() => x.add(1)`, `() => { …; return y; }`). */
function tidyResults(fn: TSESTree.Node): TSESTree.Node[] {
  if (!FUNCTION_TYPES.has(fn.type)) return [];
  const f = fn as TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression;
  if (f.body.type !== AST_NODE_TYPES.BlockStatement) return [f.body];
  return f.body.body.flatMap((s) => (s.type === AST_NODE_TYPES.ReturnStatement && s.argument ? [s.argument] : []));
}

export class TensorCreations {
  constructor(private readonly facts: TensorFacts) {}

  /** Whether `node` (a call) returns a new tensor. */
  isCreation(node: TSESTree.Node, depth = 0): boolean {
    const n = unwrap(node);
    if (n.type !== AST_NODE_TYPES.CallExpression || depth > 6) return false;
    const binding = this.facts.binding;
    const op = tfCallName(binding, n);
    if (op === 'tidy') {
      const fn = n.arguments[n.arguments.length - 1];
      const results = fn ? tidyResults(fn) : [];
      return results.length > 0 && results.every((r) => this.isCreation(r, depth + 1) || this.isTensor(r, depth + 1));
    }
    if (op) return !NOT_CREATORS.has(op) && !op.endsWith('Async');
    const callee = n.callee;
    if (
      callee.type !== AST_NODE_TYPES.MemberExpression ||
      callee.computed ||
      callee.property.type !== AST_NODE_TYPES.Identifier
    )
      return false;
    const method = callee.property.name;
    const obj = unwrap(callee.object);
    // tf.losses.meanSquaredError(…), tf.browser.fromPixels(…)
    if (
      obj.type === AST_NODE_TYPES.MemberExpression &&
      !obj.computed &&
      obj.object.type === AST_NODE_TYPES.Identifier &&
      obj.object.name === binding.namespace &&
      obj.property.type === AST_NODE_TYPES.Identifier
    ) {
      return CREATOR_NAMESPACES.has(obj.property.name) || (obj.property.name === 'browser' && method === 'fromPixels');
    }
    if (MODEL_METHODS.has(method)) return true;
    // optimizer.minimize(f, true) returns the cost.
    if (method === 'minimize') {
      const returnCost = n.arguments[1];
      return returnCost?.type === AST_NODE_TYPES.Literal && returnCost.value === true;
    }
    if (!TENSOR_METHODS.has(method)) return false;
    return this.isTensor(obj, depth + 1, !SHARED_WITH_JS.has(method));
  }

  /** Whether `node` is a tensor: a creation, or a variable that TensorFacts shows holds one. */
  isTensor(node: TSESTree.Node, depth = 0, tfOnlyMethod = false): boolean {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.CallExpression) return this.isCreation(n, depth + 1);
    if (n.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = findVariable(this.facts.sourceCode, n);
    if (!variable || variable.defs.length === 0) return false;
    const evidence = this.facts.tensorEvidence(variable, n);
    if (evidence === 'no') return false;
    const def = variable.defs[0];
    if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.id === def.name && def.node.init) {
      let init = unwrap(def.node.init);
      if (init.type === AST_NODE_TYPES.AwaitExpression) init = unwrap(init.argument);
      // const y = x.square() / tf.sequential(): what this class knows of the call beats "made by TF.js".
      if (this.isCreation(init, depth + 1)) return true;
      if (tfCallName(this.facts.binding, init)) return false;
    }
    // A method name only TF.js has (`square`, `matMul`) on a value nothing else describes is taken at its word.
    if (evidence === 'yes' || (tfOnlyMethod && (evidence === 'param' || evidence === 'weak'))) return true;
    return false;
  }
}
