/**
 * Lowers the tensor IR to TF.js expression text: aligns each operand to the iteration axes
 * (transpose, expandDims: align.ts), applies element-wise ops with broadcasting, reduces along
 * reduction axes, and prefers the single op that says it best (matMul, dot, mean, sigmoid, relu,
 * clip…: fused.ts, peephole.ts).
 */
import { Caveats } from '../../analysis/assumptions.js';
import { children as childrenOf, exactInFloat32, freeVars, type Expr } from '../../analysis/ir.js';
import type { LiftedNest, Output } from '../../analysis/lift/index.js';
import { constPoly, mulPoly, polyConstant, polyEquals, sliceSize, type Poly } from '../../analysis/poly.js';
import { call, elementwise, transposeTo } from './align.js';
import { contraction, oneHot, variance } from './fused.js';
import { isClip, reduceChain, simplify } from './peephole.js';
import { access, take } from './reads.js';
import {
  BINARY_OPS,
  COMPARE_OPS,
  FLOAT_RESULT,
  JS_UNARY,
  LowerError,
  NEEDS_FLOAT,
  CUMSUM_OFF_LAST_AXIS,
  REDUCE_OPS,
  UNARY_OPS,
  formatNumber,
  nounOf,
  scalar,
  type Lowered,
  type LowerSteps,
  type OpNamer,
  type TV,
} from './values.js';

export { LowerError, type Lowered, type OpNamer } from './values.js';
export { simplify } from './peephole.js';

export class Lowerer {
  /** While set, flat reads of this tensor lower to the tensor itself (see lowerReduced). */
  private flatAsIs: string | undefined;
  /** Differences the chosen ops introduce, each with the assumption that rules it out (if any). */
  readonly caveats = new Caveats();
  /** Accesses lowered, and those that reached a matMul/dot (which checks shapes instead of broadcasting). */
  readonly lowered = new Set<Expr>();
  readonly contracted = new Set<Expr>();
  /** The layout of the output being lowered (see noteIntermediate). */
  private layout: string[] = [];

  /** Every TF.js op the lowering used (see NO_GRADIENT). */
  readonly ops = new Set<string>();

  private readonly steps: LowerSteps;

  /**
   * `gradient`: the code runs in a function TF.js differentiates. Comparisons then use greaterEqual, the
   * one comparison with a registered gradient (a zero one): `where(a > b, x, y)` becomes
   * `where(b >= a, y, x)`, which differs only where a or b is NaN.
   */
  constructor(
    private readonly nest: LiftedNest,
    private readonly namer: OpNamer,
    private readonly options: { gradient?: boolean } = {},
  ) {
    const { caveats, lowered } = this;
    this.steps = { nest, caveats, lowered, tf: (op) => this.tf(op), lower: (e) => this.lower(e) };
  }

  /**
   * Code that uses the value `a` more than once: `f(a)` when `a` is a name, else `((v) => f(v))(a)`, so
   * that the operand is computed once (TypeScript types an immediately applied arrow's parameter from
   * its argument).
   */
  private reuse(a: TV, f: (v: string) => string): string {
    if (/^[\w$]+(\.[\w$]+)*$/.test(a.code)) return f(a.code);
    // A parameter name that the op names do not use (a namespace imported as `v` must stay visible).
    const probe = f('\0');
    const name = ['v', 'u', 'w', 't', 'x_'].find((n) => !new RegExp(`(^|[^\\w$.])${n}\\b`).test(probe))!;
    return `((${name}) => ${f(name)})(${a.code})`;
  }

  /**
   * A value used as an `if` test or a ternary's condition: only its truth counts. Comparisons are
   * booleans already; `&&`, `||` and `!` of tests combine their truths; anything else is truthy as JS
   * says: not 0 (and, for a float, not NaN), as `if (isWord[i])` reads a 0/1 mask.
   */
  private condition(e: Expr): TV {
    if (e.kind === 'logical' || e.kind === 'not') {
      const parts = e.kind === 'not' ? [this.condition(e.arg)] : [this.condition(e.a), this.condition(e.b)];
      if (parts.every((p) => !p.tensor)) return this.lower(e);
      if (e.kind === 'not') return call(this.steps, 'logicalNot', parts, parts[0].axes, 'bool');
      const asBool = parts.map((p) => (p.tensor ? p : scalar(`Boolean(${p.code})`, 'bool')));
      return elementwise(this.steps, e.op === '&&' ? 'logicalAnd' : 'logicalOr', asBool, 'bool');
    }
    const v = this.lower(e);
    if (!v.tensor || v.dtype === 'bool') return v;
    const nonZero = elementwise(this.steps, 'notEqual', [v, scalar('0')], 'bool');
    if (v.dtype === 'int') return nonZero;
    // NaN is falsy in JS, while NaN != 0 holds.
    const code = this.reuse(
      v,
      (x) =>
        `${this.tf('logicalAnd')}(${this.tf('notEqual')}(${x}, 0), ${this.tf('logicalNot')}(${this.tf('isNaN')}(${x})))`,
    );
    return { code, tensor: true, axes: v.axes, dtype: 'bool', ops: v.ops + 4, top: 'a truth test' };
  }

  private tf(op: string): string {
    this.ops.add(op);
    return this.namer.op(op);
  }

  /** The output's tensor, with dimensions in the sink's layout order. */
  output(out: Output): Lowered {
    this.layout = out.layout;
    const tv = this.lower(simplify(out.value));
    if (!tv.tensor) throw new LowerError('the result does not depend on tensor data');
    if (tv.axes.length !== out.layout.length || !out.layout.every((v) => tv.axes.includes(v))) {
      throw new LowerError('the result does not vary along every loop');
    }
    const aligned = transposeTo(this.steps, tv, out.layout);
    return {
      code: aligned.code,
      ops: aligned.ops,
      top: tv.top ?? 'an element-wise expression',
      dtype: aligned.dtype,
      float: aligned.float === true,
    };
  }

  private lower(e: Expr): TV {
    switch (e.kind) {
      case 'const':
        return scalar(formatNumber(e.value));
      case 'param':
        return scalar(/^[\w$.]+(\[\d+\])?$/.test(e.text) ? e.text : `(${e.text})`);
      case 'index': {
        const lv = this.nest.loops.get(e.v)!;
        return {
          // tf.range(0, -3) counts down (0, -1, -2) where the loop runs no iteration.
          code: `${this.tf('range')}(0, ${sliceSize(lv)})`,
          tensor: true,
          axes: [e.v],
          dtype: 'float',
          ops: 1,
          top: 'a range',
        };
      }
      case 'flat':
        if (e.prefix !== undefined)
          return {
            code: `${this.tf('slice')}(${this.tf('reshape')}(${e.tensor}, [-1]), 0, ${e.prefix})`,
            tensor: true,
            axes: [e.v],
            dtype: 'float',
            ops: 2,
          };
        if (this.flatAsIs === e.tensor) return { code: e.tensor, tensor: true, axes: [e.v], dtype: 'float', ops: 0 };
        return { code: `${this.tf('reshape')}(${e.tensor}, [-1])`, tensor: true, axes: [e.v], dtype: 'float', ops: 1 };
      case 'access':
        return access(this.steps, e);
      case 'unary': {
        const a0 = this.lower(e.arg);
        if (!a0.tensor) {
          const a = a0;
          const js = JS_UNARY[e.op];
          if (js) return scalar(js(a.code));
          if (e.op === 'sigmoid') return scalar(`(1 / (1 + Math.exp(-${a.code})))`);
          if (e.op === 'relu') return scalar(`Math.max(${a.code}, 0)`);
          return scalar(`Math.${e.op}(${a.code})`);
        }
        const a = NEEDS_FLOAT.has(UNARY_OPS[e.op]) ? this.asFloat(a0) : a0;
        if (e.op === 'trunc') {
          // No tf.trunc: sign(x)·floor(|x|) is exact (NaN and ±Infinity included).
          const a = this.asFloat(a0);
          const code = this.reuse(
            a,
            (v) => `${this.tf('mul')}(${this.tf('sign')}(${v}), ${this.tf('floor')}(${this.tf('abs')}(${v})))`,
          );
          return {
            code,
            tensor: true,
            axes: a.axes,
            dtype: 'float',
            ops: a.ops + 4,
            top: 'an element-wise truncation',
            float: true,
          };
        }
        if (e.op === 'int32') {
          // ToInt32, as `x | 0`: tf.cast to int32 goes through an Int32Array on cpu and wasm.
          return {
            ...call(this.steps, 'cast', [a], a.axes, 'int', 'an element-wise truncation to int32', ["'int32'"]),
            float: false,
          };
        }
        if (e.op === 'round') {
          // Math.round rounds halves up, tf.round to even: add 1 where x − round(x) is 0.5 (x ≥ round(x) + 0.5
          // holds only there; both exact in float32). int32 data stays int32; NaN and ±Infinity stay.
          const code = this.reuse(a, (v) => {
            const r = `${this.tf('round')}(${v})`;
            const up = `${this.tf('cast')}(${this.tf('greaterEqual')}(${this.tf('sub')}(${v}, ${r}), 0.5), 'int32')`;
            return `${this.tf('add')}(${r}, ${up})`;
          });
          return {
            code,
            tensor: true,
            axes: a.axes,
            dtype: a.dtype,
            ops: a.ops + 6,
            top: 'an element-wise round',
            float: a.float,
          };
        }
        if (e.op === 'sign' && a.dtype !== 'int') {
          // Math.sign(NaN) is NaN where tf.sign gives 0: keep NaN where the operand is NaN.
          return {
            code: this.reuse(
              a,
              (v) => `${this.tf('where')}(${this.tf('isNaN')}(${v}), ${v}, ${this.tf('sign')}(${v}))`,
            ),
            tensor: true,
            axes: a.axes,
            dtype: a.dtype,
            ops: a.ops + 3,
            top: nounOf('sign'),
            float: a.float,
          };
        }
        const top =
          e.op === 'sqrt' && a.top?.startsWith('the variance')
            ? a.top.replace('the variance', 'the standard deviation')
            : nounOf(e.op);
        return {
          ...call(this.steps, UNARY_OPS[e.op], [a], a.axes, a.dtype, top),
          float: a.float || FLOAT_RESULT.has(UNARY_OPS[e.op]),
        };
      }
      case 'binary':
        return this.binary(e);
      case 'compare': {
        const [a, b] = [this.lower(e.a), this.lower(e.b)];
        if (!a.tensor && !b.tensor) return scalar(`(${a.code} ${e.op} ${b.code})`, 'bool');
        // JS compares float64 numbers; the op compares float32 ones. The same only when both sides are
        // float32 numbers as JS computes them (data, float32 constants, sizes): `d[i] > 0.1` differs for an
        // element equal to 0.1 rounded to float32, and so does `d[i] * 3 > 1` where the product rounds.
        if (!exactInFloat32(e.a) || !exactInFloat32(e.b))
          this.caveats.add(
            'the comparison is made in float32 where the loop compares float64 numbers: a value at the boundary (a threshold rounded to float32) can go the other way',
            'float32-sums',
          );
        return elementwise(this.steps, COMPARE_OPS[e.op], [a, b], 'bool');
      }
      case 'logical': {
        const [a, b] = [this.lower(e.a), this.lower(e.b)];
        if (!a.tensor && !b.tensor) return scalar(`(${a.code} ${e.op} ${b.code})`, 'bool');
        if (a.dtype !== 'bool' || b.dtype !== 'bool') throw new LowerError('logical operator on non-boolean values');
        return elementwise(this.steps, e.op === '&&' ? 'logicalAnd' : 'logicalOr', [a, b], 'bool');
      }
      case 'not': {
        const a = this.lower(e.arg);
        if (!a.tensor) return scalar(`(!${a.code})`, 'bool');
        if (a.dtype !== 'bool') throw new LowerError('! on a number');
        return call(this.steps, 'logicalNot', [a], a.axes, 'bool');
      }
      case 'stack':
        return this.stack(e);
      case 'select': {
        const sel = this.options.gradient ? toGreaterEqual(e) : e;
        if (sel.a !== e.a)
          this.caveats.add(
            'where a compared value is NaN, the comparison the rewrite uses picks the other branch',
            'no-nan',
          );
        const hot = oneHot(this.steps, sel);
        if (hot) return hot;
        const [c, a, b] = [this.condition(sel.cond), this.lower(sel.a), this.lower(sel.b)];
        if (!c.tensor) {
          if (a.tensor || b.tensor) throw new LowerError('scalar condition selecting tensors');
          return scalar(`(${c.code} ? ${a.code} : ${b.code})`);
        }
        if (c.dtype !== 'bool') throw new LowerError('condition is not a comparison');
        // tf.where broadcasts a constant branch with broadcastTo, which returns it unchanged (shape [1])
        // when the target has a 0 dimension: give the constant the full shape instead.
        const union = this.nest.order.filter((v) => [c, a, b].some((o) => o.tensor && o.axes.includes(v)));
        const full = [c, a, b].find(
          (o) =>
            o.tensor &&
            /^[\w$]+$/.test(o.code) &&
            o.axes.length === union.length &&
            o.axes.every((v, k) => v === union[k]),
        );
        // tf.where does not unify its branches' dtypes: the cpu kernel upcasts, wasm reads the second
        // branch's bytes as the first's dtype (an int32 tensor beside a float32 fill comes out as denormals).
        // So the branches get one dtype: an integer constant takes the other branch's own dtype (its values
        // stay exact), and any other pair not surely of one dtype is cast to float32.
        const integer = (o: TV) => !o.tensor && /^\(?-?\d+\)?$/.test(o.code);
        /** An integer constant beside a tensor branch named by an identifier takes that branch's dtype. */
        const takesDtype = (o: TV, other: TV) =>
          !!full && integer(o) && other.tensor && other.float !== true && /^[\w$]+$/.test(other.code);
        const widen = (o: TV, other: TV): TV => {
          if (o.tensor) return o;
          if (full) {
            const own = takesDtype(o, other);
            return {
              code: `${this.tf('fill')}(${full.code}.shape, ${o.code}${own ? `, ${other.code}.dtype` : ''})`,
              tensor: true,
              axes: union,
              dtype: own ? other.dtype : 'float',
              ops: 1,
              float: own ? other.float : true,
            };
          }
          this.caveats.add(
            'for a tensor with no elements, tf.where with a constant branch returns one element (a TF.js broadcasting quirk)',
            'non-empty',
          );
          return o;
        };
        let [ta, tb] = [widen(a, b), widen(b, a)];
        // (A constant left as a number becomes a float32 scalar in tf.where.)
        const oneDtype =
          (!ta.tensor && !tb.tensor) ||
          (ta.float === true && tb.float === true) ||
          (ta.tensor && tb.tensor && (ta.code === tb.code || takesDtype(a, b) || takesDtype(b, a)));
        if (!oneDtype) [ta, tb] = [ta.tensor ? this.asFloat(ta) : ta, tb.tensor ? this.asFloat(tb) : tb];
        const tv = elementwise(
          this.steps,
          'where',
          [c, ta, tb],
          oneDtype && a.dtype === 'int' && b.dtype === 'int' ? 'int' : 'float',
        );
        return { ...tv, ...(oneDtype ? {} : { float: true }), top: 'a per-element conditional' };
      }
      case 'reduce':
        return this.reduce(e);
      case 'argreduce': {
        const body = this.lower(e.body);
        const k = body.axes.indexOf(e.v);
        if (!body.tensor || k < 0) throw new LowerError('argmax of a constant');
        const op = e.op === 'argmax' ? 'argMax' : 'argMin';
        let searched = body;
        if (e.skipsNaN) {
          // `if (x > best)` from ∓Infinity skips NaN; tf.argMax returns a leading NaN's index. With NaN
          // replaced by ∓Infinity the first index of the extremum is the loop's (a row of only NaN and
          // ∓Infinity gives 0 in both). The fill keeps the tensor's dtype (an int32 tensor has no NaN).
          const bound = e.op === 'argmax' ? '-Infinity' : 'Infinity';
          searched = {
            ...body,
            code: this.reuse(
              body,
              (v) =>
                `${this.tf('where')}(${this.tf('isNaN')}(${v}), ${this.tf('fill')}(${v}.shape, ${bound}, ${v}.dtype), ${v})`,
            ),
            ops: body.ops + 3,
          };
        }
        if (e.last) {
          // Ties go to the last index: search the reversed axis, n − 1 − index.
          searched = { ...searched, code: `${this.tf('reverse')}(${searched.code}, ${k})`, ops: searched.ops + 1 };
        }
        const where =
          body.axes.length === 1
            ? 'all elements'
            : body.axes.length === 2
              ? k === 1
                ? 'each row'
                : 'each column'
              : `axis ${k}`;
        const tv = call(
          this.steps,
          op,
          [searched],
          body.axes.filter((a) => a !== e.v),
          'int',
          `the ${e.op} over ${where}`,
          [String(k)],
        );
        if (!e.last) return tv;
        const n = this.nest.loops.get(e.v)!.boundText;
        return {
          ...tv,
          code: `${this.tf('sub')}(${this.tf('scalar')}(${/^[\w$.[\]]+$/.test(n) ? n : `(${n})`} - 1, 'int32'), ${tv.code})`,
          ops: tv.ops + 2,
        };
      }
      case 'cumsum': {
        const body = this.lower(e.body);
        const k = body.axes.indexOf(e.v);
        if (!body.tensor || k < 0) throw new LowerError('cumsum of a constant');
        // TF.js 4.22's cumsum gradient is wrong off the last axis of a rank-2+ tensor (Cumsum_grad.ts).
        if (k !== body.axes.length - 1) this.ops.add(CUMSUM_OFF_LAST_AXIS);
        return call(this.steps, 'cumsum', [body], body.axes, body.dtype, 'a prefix sum', [
          String(k),
          ...(e.exclusive ? ['true'] : []),
        ]);
      }
      case 'softmax': {
        const body = this.lower(e.body);
        if (!body.tensor || !body.axes.includes(e.v)) throw new LowerError('softmax of a constant');
        // tf.softmax and tf.logSoftmax work along the last axis only.
        const last = transposeTo(this.steps, body, [...body.axes.filter((a) => a !== e.v), e.v]);
        const where =
          body.axes.length === 2
            ? last.code === body.code
              ? 'each row'
              : 'each column'
            : `axis ${body.axes.indexOf(e.v)}`;
        return call(
          this.steps,
          e.log ? 'logSoftmax' : 'softmax',
          [this.asFloat(last)],
          last.axes,
          'float',
          `the ${e.log ? 'log-softmax' : 'softmax'} over ${where}`,
        );
      }
      case 'take':
        return take(this.steps, e);
      case 'acc':
        throw new LowerError('unresolved accumulator');
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): TV {
    // Σ_k x[i,k] / n  →  tf.mean
    if (e.op === '/' && e.a.kind === 'reduce' && e.a.op === 'sum') {
      const chain = reduceChain(e.a);
      const count = chain.vars.reduce<Poly>((p, v) => mulPoly(p, this.nest.loops.get(v)!.bound), constPoly(1));
      const divisor = e.b.kind === 'param' ? e.b.poly : e.b.kind === 'const' ? constPoly(e.b.value) : undefined;
      if (divisor && polyEquals(divisor, count)) {
        const moments = chain.vars.length === 1 ? variance(this.steps, chain.vars[0], chain.body, divisor) : undefined;
        if (moments) return moments;
        const body = this.lowerReduced(chain.vars, chain.body);
        // tf.mean of an empty axis is 0 where the loop's 0 / 0 is NaN: a count that may be 0 divides a sum.
        const n = polyConstant(count);
        if (n !== undefined && n > 0) return this.reduceAxes('mean', chain.vars, body, 'the mean');
        const sum = this.reduceAxes('sum', chain.vars, body, 'the mean');
        const tv = elementwise(this.steps, 'div', [sum, this.lower(e.b)], 'float');
        return { ...tv, top: sum.top, float: true };
      }
    }
    // Math.min(Math.max(x, lo), hi) stays tf.minimum(tf.maximum(x, lo), hi), not tf.clipByValue: on
    // TF.js 4.22's wasm backend clipByValue turns NaN into lo, where Math.min/max and tf.minimum/maximum
    // keep NaN on every backend (found by `vectorize verify --backend wasm`). It is still named a clip.
    if (isClip(e)) return { ...this.binaryOp(e), top: 'a clip' };
    return this.binaryOp(e);
  }

  private binaryOp(e: Extract<Expr, { kind: 'binary' }>): TV {
    const a = this.lower(e.a);
    let b = this.lower(e.b);
    if (!a.tensor && !b.tensor) {
      if (e.op === 'max' || e.op === 'min') return scalar(`Math.${e.op}(${a.code}, ${b.code})`);
      return scalar(`(${a.code} ${e.op === 'pow' ? '**' : e.op} ${b.code})`);
    }
    // tf.div of two int32 tensors is a floor division where the loop divides in floating point: unless
    // one side surely is float32, the divisor is cast (a no-op on float32 data).
    if (e.op === '/' && a.tensor && b.tensor && a.float !== true && b.float !== true) b = this.asFloat(b);
    // int32 ⊕ int32 stays int32 (a JS number operand is a float32 scalar).
    const ints = a.tensor && b.tensor && a.dtype === 'int' && b.dtype === 'int' && e.op !== 'pow';
    const tv = elementwise(this.steps, BINARY_OPS[e.op], [a, b], ints ? 'int' : 'float');
    // A JS number operand is a float32 scalar, which makes the result float32.
    const float = !a.tensor || a.float === true || !b.tensor || b.float === true;
    // A constant operand keeps the other side's name (2 · Σx is still a sum); two tensors
    // (x / Σx, tanh(x) + log1p(|x|)) make an expression, not one of their parts.
    const top = !a.tensor ? b.top : !b.tensor ? a.top : undefined;
    return { ...tv, top: top ?? 'an element-wise expression', float };
  }

  /**
   * A reduction whose body varies along more loops than any tensor it reads and than the result — the
   * broadcast of a pairwise distance, Σ_k (a[i,k] − b[j,k])², holds n·m·d values where the loop holds one —
   * makes an intermediate that grows faster than the inputs and the output. Say how large (a visible
   * caveat: a suggestion), since on large inputs that memory is the cost of the rewrite.
   */
  private noteIntermediate(body: Expr): void {
    const axes = freeVars(body);
    if (axes.size <= this.layout.length) return;
    const covers = (vars: Iterable<string>) => [...axes].every((v) => [...vars].includes(v));
    if (covers(this.layout)) return;
    const reads: Set<string>[] = [];
    const visit = (x: Expr): void => {
      if (x.kind === 'access' || x.kind === 'flat' || x.kind === 'take') reads.push(freeVars(x));
      childrenOf(x).forEach(visit);
    };
    visit(body);
    if (reads.some((r) => covers(r))) return;
    const order = this.nest.order.filter((v) => axes.has(v));
    const size = order.map((v) => this.nest.loops.get(v)?.boundText ?? v).join(' × ');
    this.caveats.add(
      `the rewrite holds an intermediate of ${size} values, more than its inputs and its result (the loop holds one at a time): on large inputs that is the memory it needs`,
    );
  }

  /**
   * `[e0, e1, e2]` per element: the entries, each varying along the same axes, stacked on a new last
   * axis.
   */
  private stack(e: Extract<Expr, { kind: 'stack' }>): TV {
    let parts = e.parts.map((p) => this.lower(p));
    const first = parts.find((p) => p.tensor);
    if (!first) throw new LowerError('a row of constants');
    const axes = this.nest.order.filter((v) => first.axes.includes(v));
    // Entries copied from one tensor share its dtype; any other mix (an int32 input beside a float32
    // result) would make tf.stack throw, so each entry not surely float32 is cast to it. An integer
    // constant beside entries of one tensor takes that tensor's dtype (no cast, which would round an
    // int32 value past 2^24).
    const read = (p: Expr) => (p.kind === 'access' || p.kind === 'flat' || p.kind === 'take' ? p.tensor : undefined);
    const sources = new Set(e.parts.filter((p) => p.kind !== 'const').map(read));
    const source = sources.size === 1 ? [...sources][0] : undefined;
    const intConsts = e.parts.every((p) => p.kind !== 'const' || Number.isInteger(p.value));
    const shared = source !== undefined && intConsts;
    // A constant entry (the 255 of an alpha channel) is filled to the shape the loops give the others.
    const shape = `[${axes.map((v) => this.nest.loops.get(v)!.boundText).join(', ')}]`;
    parts = parts.map((p) =>
      p.tensor
        ? p
        : {
            code: `${this.tf('fill')}(${shape}, ${p.code}${shared ? `, ${source}.dtype` : ''})`,
            tensor: true,
            axes,
            dtype: shared ? first.dtype : 'float',
            ops: 1,
            float: !shared,
          },
    );
    for (const p of parts) {
      if (!p.tensor || p.axes.length !== axes.length || !axes.every((v) => p.axes.includes(v)))
        throw new LowerError('a row entry that does not vary like the others');
      if (p.dtype === 'bool') throw new LowerError('a row of truth values');
    }
    const cast = !shared;
    const aligned = parts.map((p) => transposeTo(this.steps, cast ? this.asFloat(p) : p, axes));
    const tv = call(this.steps, 'stack', aligned, [...axes, e.v], 'float', 'rows', [`${axes.length}`]);
    return { ...tv, code: `${this.tf('stack')}([${aligned.map((a) => a.code).join(', ')}], ${axes.length})` };
  }

  /** `tf.cast(x, 'float32')` unless x surely is float32 already. */
  private asFloat(tv: TV): TV {
    if (!tv.tensor || tv.float === true) return tv;
    return { ...tv, code: `${this.tf('cast')}(${tv.code}, 'float32')`, ops: tv.ops + 1, dtype: 'float', float: true };
  }

  private reduce(e: Extract<Expr, { kind: 'reduce' }>): TV {
    // Σ_k a[i,k]·b[k,j] → matMul / dot
    if (e.op === 'sum' && e.body.kind === 'binary' && e.body.op === '*') {
      const mm = contraction(this.steps, e.v, this.lower(e.body.a), this.lower(e.body.b));
      if (mm) {
        // matMul and dot assert that the contracted shapes agree.
        for (const side of [e.body.a, e.body.b]) if (side.kind === 'access') this.contracted.add(side);
        return mm;
      }
    }
    const chain = reduceChain(e);
    this.noteIntermediate(chain.body);
    const body = this.lowerReduced(chain.vars, chain.body);
    // A product of int32 data overflows int32 (wrapping) long before the loop's float64 loses anything
    // (found by the fuzzer: the product of 8 squares of values ≤ 8): multiply in float32.
    return this.reduceAxes(REDUCE_OPS[e.op], chain.vars, e.op === 'prod' ? this.asFloat(body) : body, `the ${e.op}`);
  }

  /**
   * A body reduced over every element of one tensor's flat data (`Σ f(d[i])`) needs no reshape:
   * reducing `f(x)` over all its axes is the same.
   */
  private lowerReduced(vars: string[], body: Expr): TV {
    const flats = new Set<string>();
    let other = false;
    const walk = (e: Expr): void => {
      if (e.kind === 'flat' && e.prefix === undefined) flats.add(`${e.tensor}\u0000${e.v}`);
      else if (
        e.kind === 'flat' ||
        e.kind === 'access' ||
        e.kind === 'index' ||
        e.kind === 'reduce' ||
        e.kind === 'argreduce' ||
        e.kind === 'cumsum'
      )
        other = true;
      childrenOf(e).forEach(walk);
    };
    walk(body);
    if (other || flats.size !== 1) return this.lower(body);
    const [tensor, v] = [...flats][0].split('\u0000');
    if (vars.length !== 1 || vars[0] !== v) return this.lower(body);
    this.flatAsIs = tensor;
    try {
      const tv = this.lower(body);
      return { ...tv, axes: [v] };
    } finally {
      this.flatAsIs = undefined;
    }
  }

  private reduceAxes(op: string, vars: string[], body: TV, noun: string): TV {
    if (!body.tensor || !vars.every((v) => body.axes.includes(v)))
      throw new LowerError('reduction of a value that does not vary along its loop');
    const rest = body.axes.filter((a) => !vars.includes(a));
    const ks = vars.map((v) => body.axes.indexOf(v)).sort((x, y) => x - y);
    const args = rest.length === 0 ? [] : [ks.length === 1 ? String(ks[0]) : `[${ks.join(', ')}]`];
    const where =
      rest.length === 0
        ? 'all elements'
        : ks.length === 1 && body.axes.length === 2
          ? ks[0] === 1
            ? 'each row'
            : 'each column'
          : `axis ${ks.join(', ')}`;
    return call(
      this.steps,
      op,
      [body],
      rest,
      op === 'sum' || op === 'prod' || op === 'mean' ? body.dtype : body.dtype,
      `${noun} over ${where}`,
      args,
    );
  }
}

/**
 * The select with its condition as `>=`, the one TF.js comparison with a gradient: `a > b ? x : y` is
 * `b >= a ? y : x`, `a < b ? x : y` is `a >= b ? y : x` (equal unless a or b is NaN: the branches are
 * swapped), `a <= b ? x : y` is `b >= a ? x : y` (equal, NaN included). Other conditions are returned as
 * they are.
 */
function toGreaterEqual(e: Extract<Expr, { kind: 'select' }>): Extract<Expr, { kind: 'select' }> {
  const c = e.cond;
  if (c.kind !== 'compare') return e;
  const ge = (a: Expr, b: Expr): Expr => ({ kind: 'compare', op: '>=', a, b });
  switch (c.op) {
    case '>':
      return { ...e, cond: ge(c.b, c.a), a: e.b, b: e.a };
    case '<':
      return { ...e, cond: ge(c.a, c.b), a: e.b, b: e.a };
    case '<=':
      return { ...e, cond: ge(c.b, c.a) };
    default:
      return e;
  }
}
