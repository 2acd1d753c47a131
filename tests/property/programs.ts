// A generator of fixture-like loop-nest programs over TF.js tensor data, for property tests of
// vectorize/no-element-loop. Each program is a self-contained TS module exporting `run`, built from
// a small spec (family, read style, write style, bound style, loop order, shapes…) so that
// fast-check can shrink the spec, and the printed program (what a failure shows) is the source text
// with the inputs it was run on in a `// @inputs` header.
import fc from 'fast-check';
import { mulberry32, type InputSpec, type Tolerance } from '../harness/fixture.js';

// ───────────────────────────── vocabulary ─────────────────────────────

/** Shape symbols: every tensor dimension is one of these, so shapes agree across tensors. */
export type Sym = 'N' | 'M' | 'K' | 'P';
export type Dims = Record<Sym, number>;

/** How a tensor's values are read. `forOf` walks `arraySync()` rows with `for…of`. */
export type ReadStyle = 'dataSync' | 'data' | 'arraySync' | 'array' | 'bufferSync' | 'forOf';
/** Where an output tensor is written element by element. */
export type SinkStyle = 'typed' | 'buffer' | 'push';
/**
 * `n` from `const [n, m] = x.shape`, or `x.shape[0]` written out, or `param`: the first loop's bound is a
 * parameter `k: number` of `run`, passed a value at most the axis size (the `in-bounds` assumption).
 */
export type BoundStyle = 'destructure' | 'shape' | 'param';
/** The dtype of every input tensor (int32 data is uniform in [-8, 8]). */
export type DType = 'float32' | 'int32';
export type StepStyle = 'i++' | '++i' | 'i += 1';
export type Binding = 'tf' | 'alias' | 'named';

export const FAMILIES = [
  'map',
  'broadcast',
  'select',
  'reduce-axis',
  'reduce-all',
  'contraction',
  'prefix-sum',
  'argmax',
  'recurrence',
  'early-exit',
  'side-effect',
] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * Families whose every program DESIGN.md says is a vectorizable computation: not a recurrence, a loop that
 * leaves early (`break` on a data-dependent condition: a partial write), or one with a side effect the
 * rewrite would drop (a push onto a module-level array, a counter in a module-level object).
 */
const NOT_VECTORIZABLE: readonly Family[] = ['recurrence', 'early-exit', 'side-effect'];
export const VECTORIZABLE_FAMILIES: readonly Family[] = FAMILIES.filter((f) => !NOT_VECTORIZABLE.includes(f));

// ───────────────────────────── element-wise expressions ─────────────────────────────

export type Leaf = { k: 'x' } | { k: 'y' } | { k: 'vec' } | { k: 'param' } | { k: 'c'; v: number };
export type UnOp = 'exp' | 'abs' | 'sqrtAbs' | 'tanh' | 'neg' | 'round' | 'floor' | 'sign' | 'or0';
export type BinOp = '+' | '-' | '*' | '/c' | '/safe' | 'max' | 'min';
export type GExpr = Leaf | { k: 'un'; op: UnOp; a: GExpr } | { k: 'bin'; op: BinOp; a: GExpr; b: GExpr; c?: number };
export type CmpOp = '>' | '<' | '>=' | '<=';
export type Cond = { k: 'cmp'; op: CmpOp; a: GExpr; b: GExpr } | { k: 'and' | 'or'; a: Cond; b: Cond };

const CONSTS = [0, 0.5, 1, 2, -1, 3];

function leafArb(allowed: Leaf['k'][]): fc.Arbitrary<Leaf> {
  const options: fc.Arbitrary<Leaf>[] = [];
  for (const k of allowed) {
    if (k === 'c') options.push(fc.constantFrom(...CONSTS).map((v) => ({ k: 'c' as const, v })));
    else options.push(fc.constant({ k }));
  }
  return fc.oneof(...options);
}

/** Random expression trees of depth ≤ `depth`; `exp` only of leaves so that values stay in float32 range. */
export function exprArb(leaves: Leaf['k'][], depth: number): fc.Arbitrary<GExpr> {
  const leaf = leafArb(leaves);
  // The data leaf first: it is what shrinking goes to.
  const dataLeaf = leafArb(leaves.filter((k) => k !== 'c' && k !== 'param'));
  const go = (d: number): fc.Arbitrary<GExpr> => {
    if (d === 0) return leaf;
    const sub = go(d - 1);
    return fc.oneof(
      { weight: 2, arbitrary: dataLeaf },
      {
        weight: 1,
        arbitrary: fc.record({
          k: fc.constant('un' as const),
          op: fc.constantFrom<UnOp>('abs', 'sqrtAbs', 'tanh', 'neg'),
          a: sub,
        }),
      },
      // rounding: Math.round and `| 0` are traps (no exact op), floor and sign are not
      {
        weight: 1,
        arbitrary: fc.record({
          k: fc.constant('un' as const),
          op: fc.constantFrom<UnOp>('floor', 'sign', 'round', 'or0'),
          a: sub,
        }),
      },
      { weight: 1, arbitrary: fc.record({ k: fc.constant('un' as const), op: fc.constant<UnOp>('exp'), a: leaf }) },
      {
        weight: 3,
        arbitrary: fc.record({
          k: fc.constant('bin' as const),
          op: fc.constantFrom<BinOp>('+', '-', '*', '/c', '/safe', 'max', 'min'),
          a: sub,
          b: sub,
          c: fc.constantFrom(2, 4, 0.5),
        }),
      },
    );
  };
  return go(depth);
}

export function condArb(leaves: Leaf['k'][]): fc.Arbitrary<Cond> {
  const cmp = fc.record({
    k: fc.constant('cmp' as const),
    op: fc.constantFrom<CmpOp>('>', '<', '>=', '<='),
    a: exprArb(
      leaves.filter((l) => l !== 'c'),
      1,
    ),
    b: exprArb(leaves, 1),
  });
  return fc.oneof(
    { weight: 3, arbitrary: cmp },
    { weight: 1, arbitrary: fc.record({ k: fc.constantFrom('and' as const, 'or' as const), a: cmp, b: cmp }) },
  );
}

function uses(e: GExpr | Cond, k: Leaf['k']): boolean {
  switch (e.k) {
    case 'un':
      return uses(e.a, k);
    case 'bin':
      return uses(e.a, k) || (e.op !== '/c' && uses(e.b, k));
    case 'and':
    case 'or':
      return uses(e.a, k) || uses(e.b, k);
    case 'cmp':
      return uses(e.a, k) || uses(e.b, k);
    default:
      return e.k === k;
  }
}

/** An upper bound of |value| with data in [-data, data] (2 for float32, 8 for int32) and the parameter in [-3, 3]. */
function magnitude(e: GExpr, data = 2): number {
  const m = (x: GExpr) => magnitude(x, data);
  switch (e.k) {
    case 'x':
    case 'y':
    case 'vec':
      return data;
    case 'param':
      return 3;
    case 'c':
      return Math.abs(e.v);
    case 'un':
      if (e.op === 'exp') return Math.exp(m(e.a));
      if (e.op === 'tanh') return 1;
      if (e.op === 'sqrtAbs') return Math.sqrt(m(e.a));
      if (e.op === 'sign') return 1;
      return m(e.a) + 1;
    case 'bin': {
      const [a, b] = [m(e.a), m(e.b)];
      if (e.op === '*') return a * b;
      if (e.op === '/c') return a / Math.abs(e.c ?? 1);
      if (e.op === '/safe') return a;
      if (e.op === 'max' || e.op === 'min') return Math.max(a, b);
      return a + b;
    }
  }
}

/** Sum of the magnitudes of every intermediate value: the float32 rounding error scales with it. */
function roundingScale(e: GExpr, data = 2): number {
  switch (e.k) {
    case 'un':
      return magnitude(e, data) + roundingScale(e.a, data);
    case 'bin':
      return magnitude(e, data) + roundingScale(e.a, data) + roundingScale(e.b, data);
    default:
      return magnitude(e, data);
  }
}

const num = (v: number) => (v < 0 ? `(${v})` : String(v));

function printExpr(e: GExpr, leaf: (l: Leaf) => string, top = true): string {
  const p = (s: string) => (top ? s : `(${s})`);
  switch (e.k) {
    case 'c':
      return num(e.v);
    case 'x':
    case 'y':
    case 'vec':
    case 'param':
      return leaf(e);
    case 'un': {
      const a = printExpr(e.a, leaf, true);
      if (e.op === 'neg') return p(`-${printExpr(e.a, leaf, false)}`);
      if (e.op === 'sqrtAbs') return `Math.sqrt(Math.abs(${a}))`;
      if (e.op === 'or0') return p(`${printExpr(e.a, leaf, false)} | 0`);
      return `Math.${e.op}(${a})`;
    }
    case 'bin': {
      // `/c` divides by a constant: its `b` is not printed (nor read).
      const a = printExpr(e.a, leaf, false);
      const b = () => printExpr(e.b, leaf, false);
      switch (e.op) {
        case 'max':
        case 'min':
          return `Math.${e.op}(${printExpr(e.a, leaf)}, ${printExpr(e.b, leaf)})`;
        case '/c':
          return p(`${a} / ${num(e.c ?? 2)}`);
        case '/safe':
          return p(`${a} / (1 + Math.abs(${printExpr(e.b, leaf)}))`);
        default:
          return p(`${a} ${e.op} ${b()}`);
      }
    }
  }
}

function printCond(c: Cond, leaf: (l: Leaf) => string): string {
  if (c.k === 'cmp') return `${printExpr(c.a, leaf, false)} ${c.op} ${printExpr(c.b, leaf, false)}`;
  return `(${printCond(c.a, leaf)}) ${c.k === 'and' ? '&&' : '||'} (${printCond(c.b, leaf)})`;
}

// ───────────────────────────── specs ─────────────────────────────

interface Common {
  /** The read style of each tensor, in the order the family declares them (extra entries are ignored). */
  reads: ReadStyle[];
  bound: BoundStyle;
  step: StepStyle;
  /** Flat strides of a non-first tensor from its own shape (`y.shape[1]`) instead of the shared name (`m`). */
  ownStrides: boolean;
  /** Return type annotation on `run`. */
  annotate: boolean;
  /** Loop-order seed: a permutation of the output loops where the sink allows it. */
  order: number;
  /** Creator variant (see the sinks). */
  creator: number;
  sink: SinkStyle;
  /** Input shapes: one assignment per input set. */
  dims: Dims[];
  param: number;
  /** Input values: uniform random, or drawn from special values (NaN, ±Infinity, ±0, ties, halves). */
  values: 'uniform' | 'special';
  valueSeed: number;
  binding: Binding;
  /** The dtype of the input tensors (a gradient program's are float32 whatever this says). */
  dtype: DType;
  /** bound 'param': the value passed for `k` is min(limit, axis size) (at least 1 where the loop starts at 1). */
  limit: number;
  /** The typed or pushed output is returned as it is (a Float32Array, a number[][]…), not made a tensor. */
  keepJs: boolean;
}

export type Spec = Common &
  (
    | { family: 'map'; rank: number; expr: GExpr; viaLocal: boolean }
    | { family: 'broadcast'; rank: number; axis: number; expr: GExpr }
    | {
        family: 'select';
        rank: number;
        cond: Cond;
        a: GExpr;
        b: GExpr;
        style: 'ternary' | 'ifElseWrite' | 'localIf' | 'localIfElse';
      }
    | { family: 'reduce-axis'; rank: number; axis: number; op: ReduceOp; elem: Elem; update: Update }
    | {
        family: 'reduce-all';
        rank: number;
        op: ReduceOp;
        elem: Elem;
        update: Update;
        result: 'scalar' | 'number' | 'scalarDiv';
        /**
         * The loop runs inside `opt.minimize(() => …)` on a `tf.variable` made in `run` (a function TF.js
         * differentiates: never an autofix), and `run` returns the variable after one step.
         */
        gradient: boolean;
      }
    | { family: 'contraction'; kind: 'matmul' | 'matmulBT' | 'matmulAT' | 'matvec' | 'vecmat' | 'dot' | 'affine' }
    | { family: 'prefix-sum'; rank: number; inclusive: boolean }
    | {
        family: 'argmax';
        strict: boolean;
        start: 'negInf' | 'first';
        min: boolean;
        ctor: 'Int32Array' | 'Float32Array';
      }
    | { family: 'recurrence'; decay: number }
    | { family: 'early-exit'; at: 'before' | 'after'; threshold: number }
    | { family: 'side-effect'; effect: 'push' | 'counter' }
  );

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'mean';
export type Elem = 'x' | 'sq' | 'abs' | 'exp';
/** sum/prod/mean: compound `s += e` or expanded `s = s + e`; max/min: `Math.max`, `if (e > s) s = e`, or start from the first element. */
export type Update = 'compound' | 'expanded' | 'mathFn' | 'if' | 'first';

export interface GenProgram {
  spec: Spec;
  family: Family;
  /** Labels for the detection statistics. */
  read: string;
  write: string;
  source: string;
  inputSets: InputSpec[][];
  tolerance: Tolerance;
  /** Uniform values and every dimension of every input set at least 1: no empty loop, NaN or tie (what suggestions' caveats are about). */
  nonEmpty: boolean;
  /** The input tensors' dtype. */
  dtype: DType;
  bound: BoundStyle;
  /** The largest rank of an input tensor. */
  rank: number;
  /** The loop runs in a function TF.js differentiates (optimizer.minimize). */
  gradient: boolean;
  /**
   * Traits: 'foreign-strides' (a flat read strided by another tensor's dims), 'shape-value'
   * (`x.shape[k]` as a value), 'push-in-branches' (`row.push` in both branches of an if),
   * 'async-number' (a JS number computed from an awaited read), and the generator's axes:
   * 'int32', 'param-bound', 'rank-4', 'gradient'; 'from-one-to-param' (a loop from 1 to a bound passed
   * in, after an accumulator initialised from element 0).
   */
  features: string[];
  [fc.toStringMethod](): string;
}

// ───────────────────────────── arbitraries ─────────────────────────────

const dimArb = fc.integer({ min: 0, max: 5 });
const dimsArb = fc.array(fc.record({ N: dimArb, M: dimArb, K: dimArb, P: dimArb }), { minLength: 1, maxLength: 2 });
const readArb = fc.constantFrom<ReadStyle>('dataSync', 'arraySync', 'bufferSync', 'data', 'array', 'forOf');

const commonArb: fc.Arbitrary<Common> = fc.record({
  reads: fc.array(readArb, { minLength: 3, maxLength: 3 }),
  bound: fc.constantFrom<BoundStyle>('destructure', 'shape', 'param'),
  step: fc.constantFrom<StepStyle>('i++', '++i', 'i += 1'),
  ownStrides: fc.boolean(),
  annotate: fc.boolean(),
  order: fc.nat(5),
  creator: fc.nat(2),
  sink: fc.constantFrom<SinkStyle>('typed', 'buffer', 'push'),
  dims: dimsArb,
  param: fc.constantFrom(0.5, 1.5, -2, 3),
  values: fc.oneof(
    { weight: 3, arbitrary: fc.constant('uniform' as const) },
    { weight: 1, arbitrary: fc.constant('special' as const) },
  ),
  valueSeed: fc.nat(),
  binding: fc.oneof(
    { weight: 4, arbitrary: fc.constant<Binding>('tf') },
    { weight: 1, arbitrary: fc.constant<Binding>('alias') },
    { weight: 1, arbitrary: fc.constant<Binding>('named') },
  ),
  dtype: fc.oneof(
    { weight: 3, arbitrary: fc.constant<DType>('float32') },
    { weight: 1, arbitrary: fc.constant<DType>('int32') },
  ),
  limit: fc.nat(5),
  keepJs: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

/** Values that break naive equivalences: NaN and infinities, signed zeros, ties, halves (rounding). */
export const SPECIAL_VALUES = [NaN, Infinity, -Infinity, 0, -0, 1, 1, -1, 2, 0.5, -0.5, 2.5, -1.5];
/** The int32 counterpart: zeros, ties, the extremes of the uniform range. */
export const SPECIAL_INT_VALUES = [0, 0, 1, 1, -1, 2, -2, 8, -8, 3];

const rank = (min: number, max: number) => fc.integer({ min, max });
const reduceOpArb = fc.constantFrom<ReduceOp>('sum', 'prod', 'max', 'min', 'mean');
const elemArb = fc.constantFrom<Elem>('x', 'sq', 'abs', 'exp');
const updateArb = fc.constantFrom<Update>('compound', 'expanded', 'mathFn', 'if', 'first');

export const familyArbs: Record<Family, fc.Arbitrary<Spec>> = {
  map: fc
    .record({
      family: fc.constant('map' as const),
      rank: rank(1, 4),
      // The value reads tensor data (else the loop fills a constant and reads nothing).
      expr: exprArb(['x', 'y', 'param', 'c'], 3).filter((e) => uses(e, 'x') || uses(e, 'y')),
      viaLocal: fc.boolean(),
    })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f }))),
  broadcast: fc
    .record({
      family: fc.constant('broadcast' as const),
      rank: rank(2, 3),
      axis: fc.nat(2),
      expr: exprArb(['x', 'vec', 'param', 'c'], 2).filter((e) => uses(e, 'vec') && uses(e, 'x')),
    })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f, axis: f.axis % f.rank }))),
  select: fc
    .record({
      family: fc.constant('select' as const),
      rank: rank(1, 4),
      cond: condArb(['x', 'y', 'c']),
      a: exprArb(['x', 'y', 'c'], 1),
      b: exprArb(['x', 'y', 'c'], 1),
      style: fc.constantFrom('ternary' as const, 'ifElseWrite' as const, 'localIf' as const, 'localIfElse' as const),
    })
    .filter((f) => uses(f.cond, 'x') || uses(f.cond, 'y'))
    .chain((f) => commonArb.map((c) => ({ ...c, ...f }))),
  'reduce-axis': fc
    .record({
      family: fc.constant('reduce-axis' as const),
      rank: rank(2, 3),
      axis: fc.nat(2),
      op: reduceOpArb,
      elem: elemArb,
      update: updateArb,
    })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f, axis: f.axis % f.rank }))),
  'reduce-all': fc
    .record({
      family: fc.constant('reduce-all' as const),
      rank: rank(1, 4),
      op: reduceOpArb,
      elem: elemArb,
      update: updateArb,
      result: fc.constantFrom('scalar' as const, 'scalarDiv' as const, 'number' as const),
      gradient: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 2, arbitrary: fc.constant(true) }),
    })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f }))),
  contraction: fc
    .record({
      family: fc.constant('contraction' as const),
      kind: fc.constantFrom(
        'matmul' as const,
        'matvec' as const,
        'vecmat' as const,
        'dot' as const,
        'matmulBT' as const,
        'matmulAT' as const,
        'affine' as const,
      ),
    })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f }))),
  'prefix-sum': fc
    .record({ family: fc.constant('prefix-sum' as const), rank: rank(1, 2), inclusive: fc.boolean() })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f }))),
  argmax: fc
    .record({
      family: fc.constant('argmax' as const),
      strict: fc.boolean(),
      start: fc.constantFrom('negInf' as const, 'first' as const),
      min: fc.boolean(),
      ctor: fc.constantFrom('Int32Array' as const, 'Float32Array' as const),
    })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f }))),
  recurrence: fc
    .record({ family: fc.constant('recurrence' as const), decay: fc.constantFrom(0.5, 0.9) })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f }))),
  'early-exit': fc
    .record({
      family: fc.constant('early-exit' as const),
      at: fc.constantFrom('before' as const, 'after' as const),
      threshold: fc.constantFrom(0, 1, -1),
    })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f }))),
  'side-effect': fc
    .record({
      family: fc.constant('side-effect' as const),
      effect: fc.constantFrom('push' as const, 'counter' as const),
    })
    .chain((f) => commonArb.map((c) => ({ ...c, ...f }))),
};

export function programArb(families: readonly Family[] = FAMILIES): fc.Arbitrary<GenProgram> {
  return fc.oneof(...families.map((f) => familyArbs[f])).map(render);
}

// ───────────────────────────── rendering ─────────────────────────────

interface TensorDecl {
  name: string;
  syms: Sym[];
  read: ReadStyle;
}

interface Loop {
  v: string;
  sym: Sym;
  /** Lower bound (1 when the loop starts after the first element). */
  from?: number;
  /** `for (const item of over)` instead of a counted loop. */
  forOf?: { over: string; item: string; tensor: string; axis: number };
}

const VIEW_SUFFIX: Record<ReadStyle, string> = {
  dataSync: 'Data',
  data: 'Data',
  arraySync: 'Rows',
  array: 'Rows',
  forOf: 'Rows',
  bufferSync: 'Buf',
};
const LOOP_VARS = ['i', 'j', 'l', 'q'];
const SYM_NAMES: Record<Sym, string> = { N: 'n', M: 'm', K: 'k', P: 'p' };

/** The source builder of one program. */
class Emitter {
  readonly tensors = new Map<string, TensorDecl>();
  private readonly owner = new Map<Sym, { tensor: string; axis: number }>();
  private readonly usedDims = new Set<string>();
  private readonly usedViews = new Set<string>();
  private readonly forOfItems = new Map<string, Loop>();
  readonly decls: string[] = [];
  readonly body: string[] = [];
  private depth = 1;
  async = false;
  usesParam = false;
  /** Traits of the program that the statistics and the known gaps refer to. */
  readonly features = new Set<string>();

  /** bound 'param': the name of the bound parameter (`k`, or `len` where the shape symbol K is named `k`). */
  readonly paramName: string;
  usesBound = false;

  constructor(readonly spec: Spec) {
    this.paramName = spec.family === 'contraction' || specRank(spec) >= 4 ? 'len' : 'k';
  }

  /** bound 'param': the symbol whose loop runs to the parameter (the first axis of the first tensor). */
  get paramSym(): Sym | undefined {
    if (this.spec.bound !== 'param') return undefined;
    return this.tensors.values().next().value?.syms[0];
  }

  tensor(name: string, syms: Sym[], read: ReadStyle): TensorDecl {
    const t = { name, syms, read };
    this.tensors.set(name, t);
    syms.forEach((s, axis) => {
      if (!this.owner.has(s)) this.owner.set(s, { tensor: name, axis });
    });
    if (read === 'data' || read === 'array') this.async = true;
    return t;
  }

  /** The text of a dimension: a loop bound, a sink size. Shared names come from the tensor that first has the symbol. */
  dim(sym: Sym): string {
    if (sym === this.paramSym) {
      this.usesBound = true;
      return this.paramName;
    }
    return this.shapeDim(sym);
  }

  /** The axis size itself, never the bound parameter (strides). */
  private shapeDim(sym: Sym): string {
    const o = this.owner.get(sym)!;
    return this.axisText(o.tensor, o.axis);
  }

  private axisText(tensor: string, axis: number): string {
    const t = this.tensors.get(tensor)!;
    if (this.spec.bound === 'shape') return `${tensor}.shape[${axis}]`;
    this.usedDims.add(`${tensor}:${axis}`);
    const sym = t.syms[axis];
    const o = this.owner.get(sym)!;
    return o.tensor === tensor && o.axis === axis ? SYM_NAMES[sym] : `${tensor}${sym}`;
  }

  view(t: TensorDecl): string {
    this.usedViews.add(t.name);
    return `${t.name}${VIEW_SUFFIX[t.read]}`;
  }

  /** Reads t[idx…] in the tensor's read style (idx: loop variables or constant indices). */
  access(name: string, idx: (string | number)[]): string {
    const t = this.tensors.get(name)!;
    if (t.read === 'forOf') {
      const last = idx[idx.length - 1];
      const loop = typeof last === 'string' ? this.forOfItems.get(last) : undefined;
      if (loop && loop.forOf!.tensor === name && loop.forOf!.axis === t.syms.length - 1) return loop.forOf!.item;
      // Not walked by for…of here: a nested read.
      return `${this.view(t)}${idx.map((i) => `[${i}]`).join('')}`;
    }
    const view = this.view(t);
    switch (t.read) {
      case 'arraySync':
      case 'array':
        return `${view}${idx.map((i) => `[${i}]`).join('')}`;
      case 'bufferSync':
        return `${view}.get(${idx.join(', ')})`;
      default:
        return `${view}[${this.flatIndex(t, idx)}]`;
    }
  }

  /** A dimension used as a value (a mean's divisor), not as a bound. */
  dimValue(sym: Sym): string {
    if (this.spec.bound === 'shape') this.features.add('shape-value');
    return this.dim(sym);
  }

  flatIndex(t: TensorDecl, idx: (string | number)[]): string {
    const stride = (axis: number) => {
      if (this.spec.ownStrides) return this.axisText(t.name, axis);
      const o = this.owner.get(t.syms[axis])!;
      if (o.tensor !== t.name) this.features.add('foreign-strides');
      return this.shapeDim(t.syms[axis]);
    };
    if (idx.length === 1) return String(idx[0]);
    if (idx.length === 2) return `${idx[0]} * ${stride(1)} + ${idx[1]}`;
    // two row-major spellings of a rank-3 (rank-4) offset
    if (idx.length === 4)
      return this.spec.order % 2 === 0
        ? `((${idx[0]} * ${stride(1)} + ${idx[1]}) * ${stride(2)} + ${idx[2]}) * ${stride(3)} + ${idx[3]}`
        : `${idx[0]} * ${stride(1)} * ${stride(2)} * ${stride(3)} + ${idx[1]} * ${stride(2)} * ${stride(3)} + ${idx[2]} * ${stride(3)} + ${idx[3]}`;
    return this.spec.order % 2 === 0
      ? `(${idx[0]} * ${stride(1)} + ${idx[1]}) * ${stride(2)} + ${idx[2]}`
      : `${idx[0]} * ${stride(1)} * ${stride(2)} + ${idx[1]} * ${stride(2)} + ${idx[2]}`;
  }

  line(s: string): void {
    this.body.push('  '.repeat(this.depth) + s);
  }

  private stepText(v: string): string {
    return this.spec.step === 'i++' ? `${v}++` : this.spec.step === '++i' ? `++${v}` : `${v} += 1`;
  }

  open(loop: Loop): void {
    if (loop.forOf) {
      this.forOfItems.set(loop.v, loop);
      this.line(`for (const ${loop.forOf.item} of ${loop.forOf.over}) {`);
    } else {
      if (loop.from && loop.sym === this.paramSym) this.features.add('from-one-to-param');
      // A reduction from element 0 along the leading axis, inside a loop over another axis.
      if (loop.from && loop.sym === 'N' && this.depth > 0) this.features.add('from-one-leading-axis');
      this.line(
        `for (let ${loop.v} = ${loop.from ?? 0}; ${loop.v} < ${this.dim(loop.sym)}; ${this.stepText(loop.v)}) {`,
      );
    }
    this.depth++;
  }

  close(): void {
    this.depth--;
    this.line('}');
  }

  /** Declarations of the shapes and views the body used, before the body. */
  prelude(): string[] {
    const out: string[] = [];
    if (this.spec.bound !== 'shape') {
      for (const t of this.tensors.values()) {
        const axes = t.syms.map((_, axis) => axis).filter((axis) => this.usedDims.has(`${t.name}:${axis}`));
        if (axes.length === 0) continue;
        const names = t.syms.map((s, axis) => {
          const o = this.owner.get(s)!;
          return o.tensor === t.name && o.axis === axis ? SYM_NAMES[s] : `${t.name}${s}`;
        });
        // Destructure the whole shape when every name is new; otherwise take the dims one by one.
        const allOwned = t.syms.every((s, axis) => {
          const o = this.owner.get(s)!;
          return o.tensor === t.name && o.axis === axis;
        });
        if (allOwned || axes.length === t.syms.length) out.push(`const [${names.join(', ')}] = ${t.name}.shape;`);
        else for (const axis of axes) out.push(`const ${names[axis]} = ${t.name}.shape[${axis}];`);
      }
    }
    for (const t of this.tensors.values()) {
      if (!this.usedViews.has(t.name)) continue;
      const view = `${t.name}${VIEW_SUFFIX[t.read]}`;
      const call = {
        dataSync: 'dataSync()',
        data: 'data()',
        arraySync: 'arraySync()',
        array: 'array()',
        forOf: 'arraySync()',
        bufferSync: 'bufferSync()',
      }[t.read];
      out.push(`const ${view} = ${t.read === 'data' || t.read === 'array' ? 'await ' : ''}${t.name}.${call};`);
    }
    return out.map((l) => '  ' + l);
  }
}

const TENSOR_TYPES = ['tf.Scalar', 'tf.Tensor1D', 'tf.Tensor2D', 'tf.Tensor3D', 'tf.Tensor4D'];

/** The rank of the family's main tensor (contractions: 2; argmax: 2; recurrence: 1). */
function specRank(spec: Spec): number {
  return 'rank' in spec ? spec.rank : NOT_VECTORIZABLE.includes(spec.family) ? 1 : 2;
}
const nestedType = (rank: number) => 'number' + '[]'.repeat(rank);

/** Permutes `xs` by the seed (0 keeps the order). */
function permute<T>(xs: T[], seed: number): T[] {
  const perms: T[][] = [];
  const go = (rest: T[], acc: T[]) => {
    if (rest.length === 0) perms.push(acc);
    rest.forEach((x, k) => go([...rest.slice(0, k), ...rest.slice(k + 1)], [...acc, x]));
  };
  go(xs, []);
  return perms[seed % perms.length];
}

interface OutputPlan {
  /** The output's axes as symbols, in memory order. */
  syms: Sym[];
  /** Loop variable of each output axis. */
  vars: string[];
  dtype?: 'int32';
  ctor?: 'Int32Array' | 'Float32Array';
}

/**
 * Emits `loops` (outermost first) around `inner`, writing each output element with the spec's sink.
 * `inner(write)` emits the innermost statements and calls `write(value)` where the element is stored.
 * Returns the expression the function returns.
 */
function emitNest(
  e: Emitter,
  out: OutputPlan,
  loops: Loop[],
  sink: SinkStyle,
  inner: (write: (value: string) => string) => void,
): { ret: string; type: string } {
  const q = out.syms.length;
  const creator = e.spec.creator;
  const dimsText = () => out.syms.map((s) => e.dim(s));
  if (sink === 'typed') {
    const x = e.tensors.values().next().value!;
    // A loop bound passed in makes the output smaller than x: never x's size or shape.
    const sameAsX = e.spec.bound !== 'param' && q === x.syms.length && out.syms.every((s, k) => s === x.syms[k]);
    const size = sameAsX && creator === 2 ? `${x.name}.size` : dimsText().join(' * ');
    e.decls.push(`const out = new ${out.ctor ?? 'Float32Array'}(${size});`);
    const index = (): string => {
      if (q === 1) return out.vars[0];
      const strides = out.syms.map((_, k) => out.syms.slice(k + 1).map((s) => e.dim(s)));
      return out.vars.map((v, k) => [v, ...strides[k]].join(' * ')).join(' + ');
    };
    emitLoops(e, loops, 0, () => inner((value) => `out[${index()}] = ${value};`));
    if (e.spec.keepJs) return { ret: 'out', type: out.ctor ?? 'Float32Array' };
    const dtype = out.dtype ? `, '${out.dtype}'` : '';
    if (q === 1)
      return creator === 1
        ? { ret: `tf.tensor(out${out.dtype ? `, [${dimsText()[0]}]${dtype}` : ''})`, type: 'tf.Tensor' }
        : { ret: `tf.tensor1d(out${dtype})`, type: 'tf.Tensor1D' };
    return creator === 0
      ? // the output has x's shape: pass it as `x.shape`
        {
          ret: `tf.tensor(out, ${sameAsX ? `${x.name}.shape` : `[${dimsText().join(', ')}]`}${dtype})`,
          type: 'tf.Tensor',
        }
      : { ret: `tf.tensor${q}d(out, [${dimsText().join(', ')}]${dtype})`, type: TENSOR_TYPES[q] };
  }
  if (sink === 'buffer') {
    e.decls.push(`const buf = tf.buffer([${dimsText().join(', ')}]${out.dtype ? `, '${out.dtype}'` : ''});`);
    emitLoops(e, loops, 0, () => inner((value) => `buf.set(${value}, ${out.vars.join(', ')});`));
    return { ret: 'buf.toTensor()', type: 'tf.Tensor' };
  }
  // push: nested arrays, one row per output loop; the output loops come first, in memory order.
  e.decls.push(`const out: ${nestedType(q)} = [];`);
  const arr = (level: number) => (level === 0 ? 'out' : `row${level}`);
  const emitOut = (level: number): void => {
    if (level === q) {
      inner((value) => `${arr(q - 1)}.push(${value});`);
      return;
    }
    e.open(loops[level]);
    if (level < q - 1) e.line(`const ${arr(level + 1)}: ${nestedType(q - level - 1)} = [];`);
    emitOut(level + 1);
    if (level < q - 1) e.line(`${arr(level)}.push(${arr(level + 1)});`);
    e.close();
  };
  // Only the output loops here: inner() emits any reduction loop itself.
  emitOut(0);
  if (e.spec.keepJs) return { ret: 'out', type: nestedType(q) };
  const dtype = out.dtype ? `, '${out.dtype}'` : '';
  // Without a shape, nested arrays with an empty outer axis have no rank: pass it when an axis may be 0.
  // (A bound passed in may be 0.)
  const withShape =
    creator !== 1 || (q > 1 && (e.spec.bound === 'param' || e.spec.dims.some((d) => out.syms.some((s) => d[s] === 0))));
  if (q === 1) return { ret: `tf.tensor1d(out${dtype})`, type: 'tf.Tensor1D' };
  return {
    ret: `tf.tensor${q}d(out${withShape ? `, [${dimsText().join(', ')}]` : dtype ? ', undefined' : ''}${dtype})`,
    type: TENSOR_TYPES[q],
  };
}

function emitLoops(e: Emitter, loops: Loop[], level: number, inner: () => void): void {
  if (level === loops.length) return inner();
  e.open(loops[level]);
  emitLoops(e, loops, level + 1, inner);
  e.close();
}

/** Output loops in a permuted order when the sink allows writing out of order. */
function outputLoops(e: Emitter, vars: string[], syms: Sym[], sink: SinkStyle): Loop[] {
  const loops = vars.map((v, k) => ({ v, sym: syms[k] }));
  return sink === 'push' ? loops : permute(loops, e.spec.order);
}

/** for…of loops over the rows of `tensor` (its read style is forOf), one per axis. */
function forOfLoops(e: Emitter, tensor: TensorDecl, vars: string[]): Loop[] {
  const view = e.view(tensor);
  const items = ['cube', 'plane', 'row', 'value'].slice(4 - tensor.syms.length);
  return vars.map((v, axis) => ({
    v,
    sym: tensor.syms[axis],
    forOf: { over: axis === 0 ? view : items[axis - 1], item: items[axis], tensor: tensor.name, axis },
  }));
}

const SYMS: Sym[] = ['N', 'M', 'P', 'K'];

export function render(spec: Spec): GenProgram {
  const e = new Emitter(spec);
  /** Declarations at module level, before `run` (a side effect's target). */
  const moduleLines: string[] = [];
  let ret: string;
  let type: string;
  let tolerance: Tolerance = { atol: 1e-3, rtol: 1e-3 };
  // The read style of the i-th tensor; for…of only where the family walks that tensor in order.
  // Inside opt.minimize(() => …) nothing awaits; a bound passed in does not walk every row (no for…of).
  const gradient = spec.family === 'reduce-all' && spec.gradient;
  const readOf = (k: number, forOfOk: boolean): ReadStyle => {
    const r = spec.reads[k] ?? 'dataSync';
    if (gradient && (r === 'data' || r === 'array')) return r === 'data' ? 'dataSync' : 'arraySync';
    return r === 'forOf' && (!forOfOk || spec.bound === 'param') ? 'arraySync' : r;
  };
  let dims = spec.dims;
  let readLabel: string;
  let writeLabel: string = spec.keepJs && spec.sink !== 'buffer' ? `${spec.sink} kept in JS` : spec.sink;

  switch (spec.family) {
    case 'map':
    case 'broadcast':
    case 'select': {
      const r = spec.rank;
      const syms = SYMS.slice(0, r);
      const vars = LOOP_VARS.slice(0, r);
      const exprs: (GExpr | Cond)[] = spec.family === 'select' ? [spec.cond, spec.a, spec.b] : [spec.expr];
      const usesY = exprs.some((x) => uses(x, 'y'));
      const usesVec = exprs.some((x) => uses(x, 'vec'));
      // for…of walks x in order and writes by push: only when nothing else is indexed.
      const forOf = readOf(0, true) === 'forOf' && !usesY && !usesVec && spec.sink === 'push';
      const x = e.tensor('x', syms, forOf ? 'forOf' : readOf(0, false));
      if (usesY) e.tensor('y', syms, readOf(1, false));
      const vecAxis = spec.family === 'broadcast' ? spec.axis : 0;
      if (usesVec) e.tensor('v', [syms[vecAxis]], readOf(2, false));
      const leaf = (l: Leaf): string => {
        if (l.k === 'x') return e.access('x', vars);
        if (l.k === 'y') return e.access('y', vars);
        if (l.k === 'vec') return e.access('v', [vars[vecAxis]]);
        if (l.k === 'param') {
          e.usesParam = true;
          return 'alpha';
        }
        return num((l as { v: number }).v);
      };
      const loops = forOf ? forOfLoops(e, x, vars) : outputLoops(e, vars, syms, spec.sink);
      const inner = (write: (value: string) => string): void => {
        if (spec.family === 'select') {
          const cond = printCond(spec.cond, leaf);
          const a = printExpr(spec.a, leaf);
          const b = printExpr(spec.b, leaf);
          switch (spec.style) {
            case 'ternary':
              e.line(write(`${cond} ? ${a} : ${b}`));
              break;
            case 'ifElseWrite':
              if (spec.sink === 'push' && spec.rank > 1) e.features.add('push-in-branches');
              e.line(`if (${cond}) {`);
              e.line(`  ${write(a)}`);
              e.line('} else {');
              e.line(`  ${write(b)}`);
              e.line('}');
              break;
            case 'localIf':
              e.line(`let picked = ${b};`);
              e.line(`if (${cond}) picked = ${a};`);
              e.line(write('picked'));
              break;
            case 'localIfElse':
              e.line('let picked = 0;');
              e.line(`if (${cond}) {`);
              e.line(`  picked = ${a};`);
              e.line('} else {');
              e.line(`  picked = ${b};`);
              e.line('}');
              e.line(write('picked'));
              break;
          }
          return;
        }
        const value = printExpr(spec.expr, leaf);
        if (spec.family === 'map' && spec.viaLocal) {
          e.line(`const result = ${value};`);
          e.line(write('result'));
        } else e.line(write(value));
      };
      ({ ret, type } = emitNest(e, { syms, vars }, loops, spec.sink, inner));
      readLabel = x.read;
      if (spec.family !== 'select') {
        const scale = roundingScale(spec.expr, spec.dtype === 'int32' ? 8 : 2);
        tolerance = { atol: Math.max(1e-3, 2e-6 * scale), rtol: 1e-3 };
      }
      break;
    }

    case 'reduce-axis': {
      const r = spec.rank;
      const syms = SYMS.slice(0, r);
      const outAxes = syms.map((_, k) => k).filter((k) => k !== spec.axis);
      const outVars = LOOP_VARS.slice(0, r - 1);
      const redVar = r === 2 ? 'j' : 'l';
      // axis var per tensor axis
      const axisVar = syms.map((_, k) => (k === spec.axis ? redVar : outVars[outAxes.indexOf(k)]));
      const first = (spec.op === 'max' || spec.op === 'min') && spec.update === 'first';
      // for…of: rows of x in order, reducing the last axis, results pushed.
      const forOf = readOf(0, true) === 'forOf' && spec.axis === r - 1 && spec.sink === 'push' && !first;
      const x = e.tensor('x', syms, forOf ? 'forOf' : readOf(0, false));
      if (first) dims = dims.map((d) => ({ ...d, [syms[spec.axis]]: Math.max(1, d[syms[spec.axis]]) }));
      const outSyms = outAxes.map((k) => syms[k]);
      let loops: Loop[];
      let redLoop: Loop;
      if (forOf) {
        const all = forOfLoops(
          e,
          x,
          syms.map((_, k) => (k < r - 1 ? outVars[k] : redVar)),
        );
        loops = all.slice(0, r - 1);
        redLoop = all[r - 1];
      } else {
        loops = outputLoops(e, outVars, outSyms, spec.sink);
        redLoop = { v: redVar, sym: syms[spec.axis], from: first ? 1 : 0 };
      }
      const elemAt = (idx: (string | number)[]) => elemText(spec.elem, e.access('x', idx));
      const inner = (write: (value: string) => string): void => {
        const init = reduceInit(
          spec.op,
          spec.update,
          () => elemAt(axisVar.map((v) => (v === redVar ? 0 : v))),
          spec.order,
        );
        e.line(`let acc = ${init};`);
        e.open(redLoop);
        e.line(reduceUpdate(spec.op, spec.update, 'acc', elemAt(axisVar)));
        e.close();
        e.line(write(spec.op === 'mean' ? `acc / ${e.dimValue(syms[spec.axis])}` : 'acc'));
      };
      ({ ret, type } = emitNest(e, { syms: outSyms, vars: outVars }, loops, spec.sink, inner));
      readLabel = x.read;
      break;
    }

    case 'reduce-all': {
      const r = spec.rank;
      const syms = SYMS.slice(0, r);
      const vars = LOOP_VARS.slice(0, r);
      const first = (spec.op === 'max' || spec.op === 'min') && spec.update === 'first' && r === 1;
      const update: Update = spec.update === 'first' && !first ? 'mathFn' : spec.update;
      const forOf = readOf(0, true) === 'forOf' && !first;
      // In a gradient context the loop reads the variable `w` that the step trains.
      const src = spec.gradient ? 'w' : 'x';
      const x = e.tensor(src, syms, forOf ? 'forOf' : readOf(0, false));
      if (first) dims = dims.map((d) => ({ ...d, N: Math.max(1, d.N) }));
      // A product of many elements leaves the float32 range (and int32 wraps): at most 125 (25 int32) elements.
      if (spec.op === 'prod') dims = dims.map((d) => capSize(d, syms, spec.dtype === 'int32' ? 25 : 125));
      const loops: Loop[] = forOf
        ? forOfLoops(e, x, vars)
        : permute(
            vars.map((v, k) => ({ v, sym: syms[k], from: first ? 1 : 0 })),
            spec.order,
          );
      const init = reduceInit(spec.op, update, () => elemText(spec.elem, e.access(src, [0])), spec.order);
      e.decls.push(`let acc = ${init};`);
      emitLoops(e, loops, 0, () =>
        e.line(reduceUpdate(spec.op, update, 'acc', elemText(spec.elem, e.access(src, vars)))),
      );
      // The element count of a mean: x.size, or the product of the loop bounds (always with a bound passed in).
      const bySize = (spec.order % 2 === 0 || spec.op !== 'mean') && spec.bound !== 'param';
      const count = bySize
        ? `${x.name}.size`
        : syms.map((s) => (spec.result === 'number' ? e.dim(s) : e.dimValue(s))).join(' * ');
      const value = spec.op === 'mean' ? `acc / ${syms.length > 1 && !bySize ? `(${count})` : count}` : 'acc';
      if (spec.gradient) {
        // the loop's value joins a differentiable loss; run returns the trained variable
        ret = `tf.add(tf.sum(tf.mul(w, x)), tf.scalar(${spec.result === 'scalarDiv' && spec.op !== 'mean' ? 'acc / 2' : value})) as tf.Scalar`;
        type = TENSOR_TYPES[r];
        e.features.add('gradient');
      } else if (spec.result === 'number') {
        ret = value;
        type = 'number';
      } else if (spec.result === 'scalarDiv' && spec.op !== 'mean') {
        ret = `tf.scalar(acc / 2)`;
        type = 'tf.Scalar';
      } else {
        ret = `tf.scalar(${value})`;
        type = 'tf.Scalar';
      }
      readLabel = x.read;
      writeLabel = spec.gradient ? 'minimize' : spec.result === 'number' ? 'number' : 'scalar';
      // A product over up to 125 elements in [-2, 2] (or e^2): compare relatively.
      if (spec.op === 'prod') tolerance = { atol: 1e-3, rtol: 1e-3 * r };
      break;
    }

    case 'contraction': {
      const k = spec.kind;
      const K: Sym = 'K';
      let ops: { name: string; syms: Sym[] }[];
      let outSyms: Sym[];
      let outVars: string[];
      let term: (acc: (t: string, idx: string[]) => string) => string;
      switch (k) {
        case 'matmul':
          ops = [
            { name: 'a', syms: ['N', K] },
            { name: 'b', syms: [K, 'M'] },
          ];
          outSyms = ['N', 'M'];
          outVars = ['i', 'j'];
          term = (a) => `${a('a', ['i', 'p'])} * ${a('b', ['p', 'j'])}`;
          break;
        case 'matmulBT':
          ops = [
            { name: 'a', syms: ['N', K] },
            { name: 'b', syms: ['M', K] },
          ];
          outSyms = ['N', 'M'];
          outVars = ['i', 'j'];
          term = (a) => `${a('a', ['i', 'p'])} * ${a('b', ['j', 'p'])}`;
          break;
        case 'matmulAT':
          ops = [
            { name: 'a', syms: [K, 'N'] },
            { name: 'b', syms: [K, 'M'] },
          ];
          outSyms = ['N', 'M'];
          outVars = ['i', 'j'];
          term = (a) => `${a('a', ['p', 'i'])} * ${a('b', ['p', 'j'])}`;
          break;
        case 'matvec':
        case 'affine':
          ops = [
            { name: 'a', syms: ['N', K] },
            { name: 'w', syms: [K] },
            ...(k === 'affine' ? [{ name: 'bias', syms: ['N' as Sym] }] : []),
          ];
          outSyms = ['N'];
          outVars = ['i'];
          term = (a) => `${a('a', ['i', 'p'])} * ${a('w', ['p'])}`;
          break;
        case 'vecmat':
          ops = [
            { name: 'w', syms: [K] },
            { name: 'a', syms: [K, 'M'] },
          ];
          outSyms = ['M'];
          outVars = ['j'];
          term = (a) => `${a('w', ['p'])} * ${a('a', ['p', 'j'])}`;
          break;
        case 'dot':
          ops = [
            { name: 'u', syms: [K] },
            { name: 'w', syms: [K] },
          ];
          outSyms = [];
          outVars = [];
          term = (a) => `${a('u', ['p'])} * ${a('w', ['p'])}`;
          break;
      }
      ops.forEach((o, n) => e.tensor(o.name, o.syms, readOf(n, false)));
      const acc = (t: string, idx: string[]) => e.access(t, idx);
      const redLoop: Loop = { v: 'p', sym: K };
      if (outSyms.length === 0) {
        e.decls.push('let acc = 0;');
        emitLoops(e, [redLoop], 0, () => e.line(`acc += ${term(acc)};`));
        ret = spec.creator === 1 ? 'acc' : 'tf.scalar(acc)';
        type = spec.creator === 1 ? 'number' : 'tf.Scalar';
        writeLabel = spec.creator === 1 ? 'number' : 'scalar';
      } else {
        const loops = outputLoops(e, outVars, outSyms, spec.sink);
        ({ ret, type } = emitNest(e, { syms: outSyms, vars: outVars }, loops, spec.sink, (write) => {
          e.line('let acc = 0;');
          e.open(redLoop);
          e.line(`acc += ${term(acc)};`);
          e.close();
          e.line(write(k === 'affine' ? `acc + ${e.access('bias', ['i'])}` : 'acc'));
        }));
      }
      readLabel = [...e.tensors.values()].map((t) => t.read).join('+');
      break;
    }

    case 'prefix-sum': {
      const r = spec.rank;
      const syms = SYMS.slice(0, r);
      const vars = LOOP_VARS.slice(0, r);
      const forOf = readOf(0, true) === 'forOf' && spec.sink === 'push';
      const x = e.tensor('x', syms, forOf ? 'forOf' : readOf(0, false));
      const all: Loop[] = forOf ? forOfLoops(e, x, vars) : vars.map((v, k) => ({ v, sym: syms[k] }));
      const scan = (write: (value: string) => string): void => {
        const add = `total += ${e.access('x', vars)};`;
        if (spec.inclusive) {
          e.line(add);
          e.line(write('total'));
        } else {
          e.line(write('total'));
          e.line(add);
        }
      };
      if (r === 1) {
        e.decls.push('let total = 0;');
        ({ ret, type } = emitNest(e, { syms, vars }, all, spec.sink, scan));
      } else {
        // the running total restarts on each row: declared inside the outer loop
        const out = { syms, vars };
        if (spec.sink === 'push') {
          e.decls.push(`const out: number[][] = [];`);
          e.open(all[0]);
          e.line('let total = 0;');
          e.line('const row1: number[] = [];');
          e.open(all[1]);
          scan((value) => `row1.push(${value});`);
          e.close();
          e.line('out.push(row1);');
          e.close();
          const withShape =
            spec.creator !== 1 || spec.bound === 'param' || spec.dims.some((d) => d.N === 0 || d.M === 0);
          ret = `tf.tensor2d(out${withShape ? `, [${e.dim('N')}, ${e.dim('M')}]` : ''})`;
          type = 'tf.Tensor2D';
        } else {
          // typed / buffer: emitNest with only the outer loop, the inner loop written here
          const q = emitNestRows(e, out, all, spec.sink, scan);
          ret = q.ret;
          type = q.type;
        }
      }
      readLabel = x.read;
      break;
    }

    case 'argmax': {
      const x = e.tensor('x', ['N', 'M'], readOf(0, false));
      const first = spec.start === 'first';
      if (first) dims = dims.map((d) => ({ ...d, M: Math.max(1, d.M) }));
      const cmp = spec.min ? (spec.strict ? '<' : '<=') : spec.strict ? '>' : '>=';
      const out: OutputPlan = {
        syms: ['N'],
        vars: ['i'],
        ctor: spec.ctor,
        dtype: spec.ctor === 'Int32Array' ? 'int32' : undefined,
      };
      const sink = spec.sink;
      if (sink !== 'typed') out.dtype = spec.ctor === 'Int32Array' ? 'int32' : undefined;
      ({ ret, type } = emitNest(e, out, [{ v: 'i', sym: 'N' }], sink, (write) => {
        const inf = spec.min ? 'Infinity' : '-Infinity';
        e.line(`let best = ${first ? e.access('x', ['i', 0]) : inf};`);
        e.line('let at = 0;');
        e.open({ v: 'j', sym: 'M', from: first ? 1 : 0 });
        e.line(`if (${e.access('x', ['i', 'j'])} ${cmp} best) {`);
        e.line(`  best = ${e.access('x', ['i', 'j'])};`);
        e.line('  at = j;');
        e.line('}');
        e.close();
        e.line(write('at'));
      }));
      readLabel = x.read;
      break;
    }

    case 'early-exit':
    case 'side-effect': {
      // An element-wise map that a vectorized op cannot replace: it stops at the first element past a
      // threshold (the rest of a typed output stays 0, a pushed one is shorter), or it records each visit
      // where code outside `run` sees it.
      const x = e.tensor('x', ['N'], readOf(0, true));
      if (spec.family === 'side-effect')
        moduleLines.push(
          spec.effect === 'push' ? 'export const visited: number[] = [];' : 'export const stats = { calls: 0 };',
        );
      const loops: Loop[] =
        x.read === 'forOf' && spec.sink === 'push' ? forOfLoops(e, x, ['i']) : [{ v: 'i', sym: 'N' }];
      if (x.read === 'forOf' && spec.sink !== 'push') x.read = 'arraySync';
      ({ ret, type } = emitNest(e, { syms: ['N'], vars: ['i'] }, loops, spec.sink, (write) => {
        const exit = spec.family === 'early-exit' ? `if (${e.access('x', ['i'])} > ${spec.threshold}) break;` : '';
        if (spec.family === 'early-exit' && spec.at === 'before') e.line(exit);
        e.line(write(`${e.access('x', ['i'])} * 2`));
        if (spec.family === 'early-exit' && spec.at === 'after') e.line(exit);
        if (spec.family === 'side-effect')
          e.line(spec.effect === 'push' ? `visited.push(${e.access('x', ['i'])});` : 'stats.calls += 1;');
      }));
      readLabel = x.read;
      break;
    }

    case 'recurrence': {
      const x = e.tensor('x', ['N'], readOf(0, true));
      e.decls.push('let state = 0;');
      const loops: Loop[] =
        x.read === 'forOf' && spec.sink === 'push' ? forOfLoops(e, x, ['i']) : [{ v: 'i', sym: 'N' }];
      if (x.read === 'forOf' && spec.sink !== 'push') x.read = 'arraySync';
      ({ ret, type } = emitNest(e, { syms: ['N'], vars: ['i'] }, loops, spec.sink, (write) => {
        e.line(`state = state * ${spec.decay} + ${e.access('x', ['i'])};`);
        e.line(write('state'));
      }));
      readLabel = x.read;
      break;
    }
  }

  // Nested arrays cannot hold [n > 0, 0, p]: tf.tensor3d rejects [[], …] even with a shape. Not a loop the rule can meet.
  // (Rank 4 likewise: no empty axis between non-empty ones and the last.)
  if (writeLabel === 'push') {
    const outSyms = pushOutputSyms(spec);
    for (let a = 1; a < outSyms.length - 1; a++) {
      dims = dims.map((d) =>
        outSyms.slice(0, a).every((s) => d[s] > 0) ? { ...d, [outSyms[a]]: Math.max(1, d[outSyms[a]]) } : d,
      );
    }
  }

  if (type === 'number' && e.async) e.features.add('async-number');

  // arraySync() is [] for every tensor with size 0, so for…of over the rows of x of shape [2, 0]
  // pushes no row at all, and a nested output of rank ≥ 2 no longer matches its shape: the original
  // itself throws. Keep such shapes only where the original still runs (a rank-1 or scalar result).
  const outRank = spec.family === 'prefix-sum' ? spec.rank : pushOutputSyms(spec).length;
  if (readLabel === 'forOf' && outRank >= 2) {
    const xSyms = e.tensors.get('x')!.syms;
    dims = dims.map((d) =>
      xSyms.some((s) => d[s] === 0) && d[xSyms[0]] > 0
        ? { ...d, ...Object.fromEntries(xSyms.map((s) => [s, Math.max(1, d[s])])) }
        : d,
    );
  }

  // ── assemble ──
  // A gradient program trains float32 weights; NaN or ±Infinity would make every step non-finite.
  const dtype: DType = gradient ? 'float32' : spec.dtype;
  const values = gradient ? 'uniform' : spec.values;
  if (dtype === 'int32') e.features.add('int32');
  if (e.usesBound) e.features.add('param-bound');
  const rankMax = Math.max(...[...e.tensors.values()].map((t) => t.syms.length));
  if (rankMax === 4) e.features.add('rank-4');
  // The tensors `run` takes: a gradient program takes the variable's initial value `w0` and a multiplier `x`.
  const inputTensors = gradient
    ? [...e.tensors.values()].flatMap((t) => [
        { ...t, name: `${t.name}0` },
        { ...t, name: 'x' },
      ])
    : [...e.tensors.values()];
  const params = inputTensors.map((t) => `${t.name}: ${TENSOR_TYPES[t.syms.length]}`);
  if (e.usesParam) params.push('alpha: number');
  if (e.usesBound) params.push(`${e.paramName}: number`);
  const retType = e.async ? `Promise<${type}>` : type;
  const sig = `export ${e.async ? 'async ' : ''}function run(${params.join(', ')})${spec.annotate ? `: ${retType}` : ''} {`;
  // The bound passed in: at most the axis size, at least 1 where the loop reads the first element before it.
  const startsAtOne =
    ((spec.family === 'reduce-all' || spec.family === 'reduce-axis') &&
      (spec.op === 'max' || spec.op === 'min') &&
      spec.update === 'first') ||
    (spec.family === 'argmax' && spec.start === 'first');
  const boundValue = (d: Dims): number => {
    const size = d[e.paramSym!];
    return Math.min(size, Math.max(spec.limit, startsAtOne ? 1 : 0));
  };
  const special = dtype === 'int32' ? SPECIAL_INT_VALUES : SPECIAL_VALUES;
  const inputSets: InputSpec[][] = dims.map((d, set) => [
    ...inputTensors.map((t, n): InputSpec => {
      const shape = t.syms.map((s) => d[s]);
      if (values === 'uniform') return { kind: 'tensor', name: t.name, dtype, shape };
      const rng = mulberry32((spec.valueSeed + 7919 * set + 104729 * n) >>> 0);
      const size = shape.reduce((a, b) => a * b, 1);
      return {
        kind: 'tensor',
        name: t.name,
        dtype,
        shape,
        values: Array.from({ length: size }, () => special[Math.floor(rng() * special.length)]),
      };
    }),
    ...(e.usesParam ? [{ kind: 'number' as const, name: 'alpha', value: spec.param }] : []),
    ...(e.usesBound ? [{ kind: 'number' as const, name: e.paramName, value: boundValue(d) }] : []),
  ]);
  const header = [
    ...inputSets.map((set) => `// @inputs ${set.map(describeInput).join(', ')}`),
    `// generated: family ${spec.family}, read ${readLabel}, write ${writeLabel}${e.features.size ? `; ${[...e.features].sort().join(', ')}` : ''}`,
  ];
  const inner = [...e.prelude(), ...e.decls.map((l) => '  ' + l), ...e.body];
  const lines = gradient
    ? [
        '  const w = tf.variable(w0);',
        '  const opt = tf.train.sgd(0.1);',
        '  opt.minimize(() => {',
        ...inner.map((l) => '  ' + l),
        `    return ${ret};`,
        '  });',
        '  opt.dispose();',
        '  return w;',
      ]
    : [...inner, `  return ${ret};`];
  const code = [...moduleLines, sig, ...lines, '}', ''].join('\n');
  const source = [...header, ...bind(code, spec.binding)].join('\n');
  // int32 data in [-8, 8] has ties: an argmax's index differs between `>` and `>=` (what its caveats are about).
  const nonEmpty =
    values === 'uniform' &&
    !(dtype === 'int32' && spec.family === 'argmax') &&
    inputSets.every((set) =>
      set.every((s) => (s.kind === 'tensor' ? s.shape.every((d) => d > 0) : s.name !== e.paramName || s.value !== 0)),
    );
  return {
    spec,
    family: spec.family,
    read: readLabel,
    write: writeLabel,
    source,
    inputSets,
    tolerance,
    nonEmpty,
    dtype,
    bound: spec.bound,
    rank: rankMax,
    gradient,
    features: [...e.features].sort(),
    [fc.toStringMethod]: () => `\n${source}`,
  };
}

/** Shrinks the trailing axes of `syms` until the element count is at most `cap`. */
function capSize(d: Dims, syms: Sym[], cap: number): Dims {
  const out = { ...d };
  for (let a = syms.length - 1; a >= 0 && syms.reduce((n, s) => n * out[s], 1) > cap; a--) out[syms[a]] = 1;
  return out;
}

/** The output axes of a program whose sink is push (only rank ≥ 3 matters to the caller). */
function pushOutputSyms(spec: Spec): Sym[] {
  switch (spec.family) {
    case 'map':
    case 'broadcast':
    case 'select':
      return SYMS.slice(0, spec.rank);
    case 'reduce-axis':
      return SYMS.slice(0, spec.rank).filter((_, k) => k !== spec.axis);
    default:
      return [];
  }
}

/**
 * The module's binding of TF.js: `import * as tf`, an alias (`import * as tfjs`), or named imports
 * (`import { tensor2d, buffer, type Tensor2D }`), which a fix must extend with the ops it uses.
 */
function bind(code: string, binding: Binding): string[] {
  const from = "from '@tensorflow/tfjs';";
  if (binding === 'tf') return [`import * as tf ${from}`, '', code];
  if (binding === 'alias') return [`import * as tfjs ${from}`, '', code.replace(/\btf\./g, 'tfjs.')];
  const used = [...new Set([...code.matchAll(/\btf\.(\w+)/g)].map((m) => m[1]))].sort();
  const names = used.map((n) => (/^[A-Z]/.test(n) ? `type ${n}` : n));
  return [`import { ${names.join(', ')} } ${from}`, '', code.replace(/\btf\.(\w+)/g, '$1')];
}

const numText = (v: number) => (Object.is(v, -0) ? '-0' : String(v));

/** One input as a fixture header writes it (`x: float32[2, 3]`, `x: float32[2] = [NaN, 1]`, `alpha: number = 2`). */
function describeInput(s: InputSpec): string {
  if (s.kind === 'number') return `${s.name}: number = ${numText(s.value)}`;
  if (s.kind === 'boolean') return `${s.name}: boolean = ${s.value}`;
  return `${s.name}: ${s.dtype}[${s.shape.join(', ')}]${s.values ? ` = [${s.values.map(numText).join(', ')}]` : ''}`;
}

/** Rank-2 output written row by row where the inner loop is the caller's (prefix sums). */
function emitNestRows(
  e: Emitter,
  out: OutputPlan,
  loops: Loop[],
  sink: SinkStyle,
  scan: (write: (value: string) => string) => void,
): { ret: string; type: string } {
  const [outer, innerLoop] = loops;
  const wrapInner = (write: (value: string) => string) => {
    e.line('let total = 0;');
    e.open(innerLoop);
    scan(write);
    e.close();
  };
  return emitNest(e, out, [outer], sink, wrapInner);
}

function elemText(elem: Elem, access: string): string {
  switch (elem) {
    case 'x':
      return access;
    case 'sq':
      return `${access} * ${access}`;
    case 'abs':
      return `Math.abs(${access})`;
    case 'exp':
      return `Math.exp(${access})`;
  }
}

function reduceInit(op: ReduceOp, update: Update, firstElem: () => string, order: number): string {
  switch (op) {
    case 'sum':
    case 'mean':
      return '0';
    case 'prod':
      return '1';
    case 'max':
    case 'min':
      if (update === 'first') return firstElem();
      if (op === 'max') return order % 2 === 0 ? '-Infinity' : 'Number.NEGATIVE_INFINITY';
      return order % 2 === 0 ? 'Infinity' : 'Number.POSITIVE_INFINITY';
  }
}

function reduceUpdate(op: ReduceOp, update: Update, acc: string, value: string): string {
  switch (op) {
    case 'sum':
    case 'mean':
      return update === 'expanded' ? `${acc} = ${acc} + ${value};` : `${acc} += ${value};`;
    case 'prod':
      return update === 'expanded' ? `${acc} = ${acc} * ${value};` : `${acc} *= ${value};`;
    case 'max':
    case 'min': {
      if (update === 'if') return `if (${value} ${op === 'max' ? '>' : '<'} ${acc}) ${acc} = ${value};`;
      return `${acc} = Math.${op}(${acc}, ${value});`;
    }
  }
}
