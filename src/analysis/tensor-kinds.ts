// The kinds of value TensorValues (tensor-values.ts) tells apart, and the TF.js names — ops, namespaces,
// methods, types — by which it knows them once scope or data flow has said that a call is TF.js.
import { AST_NODE_TYPES } from '@typescript-eslint/types';

/**
 * - `tensor`: one tensor; `tensors`: an array of them; `tensorOrTensors`: either (`model.predict`);
 * - `record`: an object of tensors (`tf.moments`, `tf.topk`); `model`: a TF.js model; `buffer`: a TensorBuffer;
 * - `data`: values read back from a tensor (a typed array, nested arrays, an element of them);
 * - `other`: known not to hold a tensor; `unknown`: nothing says.
 */
export type ValueKind =
  'tensor' | 'tensors' | 'tensorOrTensors' | 'record' | 'model' | 'buffer' | 'data' | 'other' | 'unknown';

/** Kinds that are or hold tensors someone must dispose. */
export const HOLDS_TENSORS: ReadonlySet<ValueKind> = new Set(['tensor', 'tensors', 'tensorOrTensors', 'record']);

export const TENSOR_TYPES = new Set([
  'Tensor',
  'Tensor1D',
  'Tensor2D',
  'Tensor3D',
  'Tensor4D',
  'Tensor5D',
  'Tensor6D',
  'Scalar',
  'Variable',
]);
export const MODEL_TYPES = new Set([
  'LayersModel',
  'GraphModel',
  'Sequential',
  'Functional',
  'InferenceModel',
  'Model',
]);
export const NON_TENSOR_KEYWORDS = new Set<string>([
  AST_NODE_TYPES.TSNumberKeyword,
  AST_NODE_TYPES.TSStringKeyword,
  AST_NODE_TYPES.TSBooleanKeyword,
  AST_NODE_TYPES.TSVoidKeyword,
  AST_NODE_TYPES.TSBigIntKeyword,
  AST_NODE_TYPES.TSSymbolKeyword,
  AST_NODE_TYPES.TSNeverKeyword,
  AST_NODE_TYPES.TSObjectKeyword,
  AST_NODE_TYPES.TSFunctionType,
  AST_NODE_TYPES.TSLiteralType,
  AST_NODE_TYPES.TSTemplateLiteralType,
  AST_NODE_TYPES.TSTypeLiteral,
]);

/** tf.* functions that return an array of tensors, an object of tensors, or a model. */
export const LIST_OPS = new Set(['split', 'unstack', 'meshgrid']);
export const RECORD_OPS = new Set(['moments', 'topk']);
export const MODEL_OPS = new Set(['sequential', 'model', 'loadLayersModel', 'loadGraphModel']);
/** tf.* functions that return no tensor (or return their argument: `keep`). */
export const NON_TENSOR_OPS: ReadonlySet<string> = new Set([
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
  'input',
  'broadcastArgs',
  'getKernel',
  'registerKernel',
  'registerGradient',
  'setPlatform',
  'nonMaxSuppressionWithScore',
  'tensorScatterUpdate',
  'scalarStr',
  ...LIST_OPS,
  ...RECORD_OPS,
  ...MODEL_OPS,
]);
/** `tf.<namespace>.<op>(…)` namespaces whose functions return a tensor. */
export const TENSOR_NAMESPACES = new Set(['losses', 'image', 'signal', 'spectral', 'metrics', 'linalg', 'math']);
/** Tensor methods that return a new tensor. */
export const TENSOR_METHODS: ReadonlySet<string> = new Set([
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
  'atan2',
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
  'erf',
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
  'mirrorPad',
  'reverse',
  'concat',
  'broadcastTo',
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
  'logicalXor',
  'clone',
  'variable',
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
  'depthwiseConv2d',
  'separableConv2d',
  'avgPool',
  'maxPool',
  'resizeBilinear',
  'resizeNearestNeighbor',
  'oneHot',
  'step',
  'isNaN',
  'isFinite',
  'isInf',
]);
/** Tensor methods that arrays have too. */
export const ARRAY_METHODS = new Set(['slice', 'concat', 'reverse']);
/** Tensor methods that return an array of tensors. */
export const TENSOR_LIST_METHODS = new Set(['unstack', 'split']);
/** Model methods whose result is a tensor or an array of them. */
export const MODEL_METHODS = new Set(['predict', 'predictOnBatch', 'execute', 'evaluate']);
/** Of those, the names common enough in TF.js code to count on a receiver nothing describes. */
export const MODEL_METHODS_BY_NAME = new Set(['predict', 'predictOnBatch']);
/** Tensor methods that copy the tensor into JavaScript and return the values. */
export const SYNC_READS: ReadonlySet<string> = new Set(['dataSync', 'arraySync', 'bufferSync']);
/** Tensor methods that copy the tensor into JavaScript and return a promise of the values: a read-back when awaited. */
export const ASYNC_READS: ReadonlySet<string> = new Set(['data', 'array', 'buffer']);
/** Globals whose functions and members never return a tensor. */
export const PLAIN_GLOBALS = new Set([
  'Math',
  'JSON',
  'Number',
  'String',
  'Boolean',
  'Object',
  'Array',
  'Date',
  'console',
]);
export const PLAIN_PROPERTIES = new Set([
  'shape',
  'rank',
  'size',
  'dtype',
  'id',
  'isDisposed',
  'strides',
  'length',
  'name',
]);

export const MAX_DEPTH = 8;

/** Kinds merged over the values a variable may hold: one kind if they agree, else unknown (or tensorOrTensors). */
export function merge(a: ValueKind | undefined, b: ValueKind | undefined): ValueKind | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  const tensorish = new Set<ValueKind>(['tensor', 'tensors', 'tensorOrTensors']);
  if (tensorish.has(a) && tensorish.has(b)) return 'tensorOrTensors';
  const plain = new Set<ValueKind>(['other', 'data']);
  if (plain.has(a) && plain.has(b)) return 'other';
  return 'unknown';
}

/** The kind of an element of a value of this kind (`xs[i]`, `for (const x of xs)`, a callback's element). */
export function elementKind(kind: ValueKind): ValueKind {
  if (kind === 'tensors' || kind === 'tensorOrTensors') return 'tensor';
  if (kind === 'data') return 'data';
  return 'unknown';
}

/** TF.js functions that differentiate their function argument. */
export const GRAD_OPS: ReadonlySet<string> = new Set([
  'grad',
  'grads',
  'valueAndGrad',
  'valueAndGrads',
  'variableGrads',
]);
/** Optimizer methods that differentiate their function argument. */
export const OPTIMIZER_METHODS: ReadonlySet<string> = new Set(['minimize', 'computeGradients']);
