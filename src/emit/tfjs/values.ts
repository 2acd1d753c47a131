/**
 * What the TF.js emitter works with: a lowered value (`TV`: code, the loop variable of each axis,
 * dtype, op count), the op tables, the namer that spells op names, and how literals print.
 */
import type { Caveats } from '../../analysis/assumptions.js';
import type { Expr, UnaryOp } from '../../analysis/ir.js';
import type { LiftedNest } from '../../analysis/lift/index.js';
import { AnalysisStop } from '../../analysis/lift/errors.js';

/** Gives the callee text for a TF.js op (`tf.sum`, or a named import), recording what it needs. */
export interface OpNamer {
  op(name: string): string;
}

/** The IR holds something the emitter cannot express yet: no rewrite is offered. */
export class LowerError extends AnalysisStop {}

export type DType = 'float' | 'bool' | 'int';
/** A lowered value: code, and for tensors the loop variable each dimension runs over. */
export interface TV {
  code: string;
  tensor: boolean;
  axes: string[];
  dtype: DType;
  /** Number of TF.js ops in `code` (tensors created). */
  ops: number;
  /** The top-level op, for the message. */
  top?: string;
  /** Surely float32 at run time (an input tensor may be int32: its dtype is not known statically). */
  float?: boolean;
}

export interface Lowered {
  code: string;
  ops: number;
  /** Human description of the top-level computation, for messages. */
  top: string;
  dtype: DType;
  /** Surely float32 at run time (see TV.float). */
  float: boolean;
}

/** What the emitter's parts share: the nest, the op namer, the recursion, and what they record. */
export interface LowerSteps {
  readonly nest: LiftedNest;
  /** Visible differences the chosen ops introduce (the rewrite becomes a suggestion). */
  readonly caveats: Caveats;
  /** Accesses lowered (see Lowerer.lowered). */
  readonly lowered: Set<Expr>;
  tf(op: string): string;
  lower(e: Expr): TV;
}

/** Ops whose result is float32 whatever their input's dtype (checked on TF.js 4.22's cpu backend). */
// prettier-ignore
export const FLOAT_RESULT = new Set([
  'exp', 'log', 'sqrt', 'tanh', 'sin', 'cos', 'sigmoid', 'mean', 'softmax', 'logSoftmax', 'logSumExp', 'moments',
]);
/**
 * Unary ops that throw on an int32 tensor (log, sqrt, tanh, sin, cos, floor, ceil, sigmoid) or give an
 * int32 result where the loop computes a fraction (log1p, expm1, atan): their operand is cast to float32
 * unless it surely is float32 already. The loop computes them on a JS number either way.
 */
// prettier-ignore
export const NEEDS_FLOAT = new Set([
  'log', 'sqrt', 'tanh', 'sin', 'cos', 'floor', 'ceil', 'sigmoid', 'log1p', 'expm1', 'atan', 'softmax', 'logSoftmax',
]);

// prettier-ignore
export const UNARY_OPS: Record<UnaryOp, string> = {
  neg: 'neg', exp: 'exp', log: 'log', abs: 'abs', sqrt: 'sqrt', tanh: 'tanh', sin: 'sin', cos: 'cos', floor: 'floor',
  ceil: 'ceil', sign: 'sign', square: 'square', sigmoid: 'sigmoid', relu: 'relu', round: 'round', log1p: 'log1p',
  expm1: 'expm1', atan: 'atan', trunc: 'round', int32: 'cast',
};
export const JS_UNARY: Partial<Record<UnaryOp, (a: string) => string>> = {
  neg: (a) => `(-${a})`,
  square: (a) => `(${a} * ${a})`,
  int32: (a) => `(${a} | 0)`,
};
// prettier-ignore
export const BINARY_OPS = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', pow: 'pow', max: 'maximum', min: 'minimum',
} as const;
// prettier-ignore
export const COMPARE_OPS = {
  '>': 'greater', '>=': 'greaterEqual', '<': 'less', '<=': 'lessEqual', '===': 'equal', '!==': 'notEqual',
} as const;
/** What `Lowerer.ops` records for a cumsum off the last axis: TF.js 4.22 computes its gradient wrongly. */
export const CUMSUM_OFF_LAST_AXIS = 'cumsum off the last axis';
/**
 * Ops the emitter may use that cannot be differentiated in TF.js 4.22: no gradient is registered
 * (register_all_gradients.ts), so a gradient through them throws "gradient function not found for
 * <Kernel>"; cumsum's gradient is wrong off the last axis of a rank-2+ tensor (Cumsum_grad.ts
 * transposes it). GreaterEqual has one (zeros); Cast, Floor, Sign and ArgMax have theirs.
 */
// prettier-ignore
export const NO_GRADIENT = new Set([
  'greater', 'less', 'lessEqual', 'equal', 'notEqual', 'logicalAnd', 'logicalOr', 'logicalNot', 'gatherND',
  'cumprod', CUMSUM_OFF_LAST_AXIS, 'topk', 'stridedSlice', 'einsum', 'bincount',
]);
export const REDUCE_OPS = { sum: 'sum', prod: 'prod', max: 'max', min: 'min', logsumexp: 'logSumExp' } as const;

export function scalar(code: string, dtype: DType = 'float'): TV {
  return { code, tensor: false, axes: [], dtype, ops: 0 };
}

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v < 0 ? `(${String(v)})` : String(v);
}

export function nounOf(op: UnaryOp): string {
  return op === 'sigmoid' || op === 'relu' || op === 'tanh' ? `the ${op}` : `an element-wise ${op}`;
}
