/**
 * The loop lifter: interprets a loop nest symbolically and returns the tensor IR of everything it
 * computes (`out[I] = E`), or says why it cannot. One lifter serves every rule that rewrites loops.
 *
 * Values are tracked per variable: nest-local constants and accumulators hold IR expressions,
 * rows of nested views hold partial accesses, and writes into sinks are collected with the loops
 * active at the write. An `if` runs both branches and merges what they assigned into `Select`s.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isMethodCall, isNode, isStaticMember, numericLiteral, unwrap } from '../ast/predicates.js';
import { C, children, containsAcc, exprEquals, freeVars, renameVar, tensorsRead, type BinaryOp, type CompareOp, type Expr, type UnaryOp } from './ir.js';
import { addPoly, atomPoly, constPoly, mulPoly, renameAtoms, polyAtoms, polyConstant, polyEquals, splitByLoopVars, type Poly } from './poly.js';
import { recognizeIdioms } from './idioms.js';
import { dimAtom, findVariable, isConstLike, TensorFacts, type TensorInfo, type View } from './tensors.js';

/** The loop cannot be lifted; it is not reported (we cannot say what it computes). */
export class Unsupported extends Error {}
/** The loop carries a dependence between iterations that no op expresses; reported, never fixed. */
export class NotVectorizable extends Error {}

export interface LoopVar {
  name: string;
  bound: Poly;
  /** Source text of the bound, valid wherever the nest's invariants are in scope. */
  boundText: string;
}

export type Sink =
  | { kind: 'typed'; variable: Scope.Variable; statement: TSESTree.VariableDeclaration; ctor: string; size: Poly | undefined }
  | { kind: 'buffer'; variable: Scope.Variable; statement: TSESTree.VariableDeclaration; shape: Poly[]; shapeText: string[]; dtype: string | undefined }
  | { kind: 'nested'; variable: Scope.Variable; statement: TSESTree.VariableDeclaration }
  | { kind: 'scalar'; variable: Scope.Variable; statement: TSESTree.VariableDeclaration; declarator: TSESTree.VariableDeclarator }
  /** The array `rows.map(cb)` returns: held in `const out = …` (variable, statement) or passed on directly. */
  | { kind: 'mapped'; call: TSESTree.CallExpression; variable?: Scope.Variable; statement?: TSESTree.VariableDeclaration }
  /** The number `data.reduce(cb, init)` returns, used in place. */
  | { kind: 'reduced'; call: TSESTree.CallExpression };

export interface Output {
  sink: Sink;
  /** Loop variables in the sink's memory order, outermost axis first. */
  layout: string[];
  value: Expr;
}

/**
 * What a nest starts at: a loop statement, `rows.forEach(cb);` (the expression statement), or a
 * `rows.map(cb)` call whose array is the output.
 */
export type NestRoot = TSESTree.ForStatement | TSESTree.ForOfStatement | TSESTree.ExpressionStatement | TSESTree.CallExpression;

export interface LiftedNest {
  node: NestRoot;
  loops: Map<string, LoopVar>;
  /** Loop variables in nest order (outer first). */
  order: string[];
  outputs: Output[];
  views: Set<View>;
  tensors: Map<string, TensorInfo>;
  /** Why the rewrite may not be applied (report without a fix). */
  blockers: string[];
  /** Why the rewrite is equivalent but visibly different (suggestion only). */
  caveats: string[];
  /**
   * Accesses whose shape the loop only assumes (flat data read with another tensor's strides): a
   * caveat unless the op that reads them checks the shapes (matMul and dot do; broadcasting ops do
   * not). A bound taken from another tensor's dimension is not one: the loop then reads in range
   * exactly when the shapes agree, which ops check (or broadcast a size-1 axis — see the rule doc).
   */
  assumptions: Map<Expr, string>;
}

/** A (partial) access; `take` marks the one axis indexed by a value read from data (a gather). */
type Row = { tensor: TensorInfo; axes: (string | number)[]; take?: { axis: number; index: Expr } };
/** `scatter`: one position of a `set` index is a value read from data (`buf.set(1, i, labels[i])`). */
type Write = {
  sink: Sink;
  kind: 'index' | 'set' | 'push';
  index: Poly[];
  value: Expr;
  active: string[];
  layout?: string[];
  scatter?: { pos: number; index: Expr };
  /** `out[j] += v` into a zero-filled typed array: the loops missing from the index are summed over. */
  accumulate?: boolean;
};
type Builder = { value: Expr | undefined; layout: string[]; active: string[]; sealed: boolean };

interface State {
  env: Map<Scope.Variable, Expr>;
  polys: Map<Scope.Variable, Poly>;
  rows: Map<Scope.Variable, Row>;
  builders: Map<Scope.Variable, Builder>;
  writes: Write[];
  active: string[];
}

const MATH_UNARY: Record<string, UnaryOp> = {
  exp: 'exp', log: 'log', abs: 'abs', sqrt: 'sqrt', tanh: 'tanh', sin: 'sin', cos: 'cos', floor: 'floor',
  ceil: 'ceil', sign: 'sign', round: 'round', log1p: 'log1p', expm1: 'expm1', atan: 'atan', trunc: 'trunc',
};
const MATH_CONST: Record<string, number> = { PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, SQRT2: Math.SQRT2 };
const NUMBER_CONST: Record<string, number> = {
  NEGATIVE_INFINITY: -Infinity, POSITIVE_INFINITY: Infinity, MAX_VALUE: Number.MAX_VALUE, MIN_VALUE: Number.MIN_VALUE,
};
const COMPARE: Record<string, CompareOp> = { '>': '>', '>=': '>=', '<': '<', '<=': '<=', '===': '===', '!==': '!==', '==': '===', '!=': '!==' };
const SINK_CTORS = new Set(['Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int8Array', 'Uint32Array', 'Array']);

let accIds = 0;

export class Lifter {
  private readonly loops = new Map<string, LoopVar>();
  private readonly order: string[] = [];
  private readonly views = new Set<View>();
  private readonly tensors = new Map<string, TensorInfo>();
  /** Why an IR node may not be rewritten (blocker) or only visibly (caveat); kept per node so that only what reaches an output counts. */
  private readonly notes = new WeakMap<Expr, { blocker?: string; caveat?: string }[]>();
  private readonly sinks = new Map<Scope.Variable, Sink>();
  /** accumulator id → variable, for scalar results of the whole nest */
  private readonly accVars = new Map<number, Scope.Variable>();
  /** The IR name of each loop variable (sequential loops reusing `j` get `j`, `j2`, …). */
  private readonly loopNames = new Map<Scope.Variable, string>();
  /** A loop bound taken from the length of nested data (`rows.length`, `for (const row of rows)`): see lift(). */
  private nestedBound: string | undefined;
  /** Data handed in by a caller (see TensorFacts.parameterView): why the loop cannot be fixed. */
  private foreign: string | undefined;
  private readonly assumptions = new Map<Expr, string>();

  constructor(
    private readonly facts: TensorFacts,
    private readonly root: NestRoot,
  ) {}

  private get sourceCode(): Readonly<TSESLint.SourceCode> {
    return this.facts.sourceCode;
  }

  /** Blockers and caveats attached to the IR nodes of these expressions. */
  notesOf(exprs: Expr[]): { blockers: string[]; caveats: string[] } {
    const blockers = new Set<string>();
    const caveats = new Set<string>();
    const seen = new Set<Expr>();
    const walk = (e: Expr): void => {
      if (seen.has(e)) return;
      seen.add(e);
      for (const n of this.notes.get(e) ?? []) {
        if (n.blocker) blockers.add(n.blocker);
        if (n.caveat) caveats.add(n.caveat);
      }
      children(e).forEach(walk);
    };
    exprs.forEach(walk);
    return { blockers: [...blockers], caveats: [...caveats] };
  }

  private note<E extends Expr>(e: E, note: { blocker?: string; caveat?: string }): E {
    this.notes.set(e, [...(this.notes.get(e) ?? []), note]);
    return e;
  }

  /** Whether the part of the nest lifted so far read tensor data. */
  get readsTensorData(): boolean {
    return [...this.views].some((v) => !v.tensor.literal);
  }

  lift(): LiftedNest {
    const state: State = { env: new Map(), polys: new Map(), rows: new Map(), builders: new Map(), writes: [], active: [] };
    let outerAccs = new Map<Scope.Variable, Expr>();
    const mapped: Output[] = [];
    if (this.root.type === AST_NODE_TYPES.CallExpression && isMethodCall(this.root, 'reduce')) {
      // Only a reduce over data read in place or held in a view; a reduce over a row is part of a bigger nest.
      if (!this.facts.viewOf(this.root.callee.object, true)) throw new Unsupported('reduce over something that is not tensor data');
      mapped.push({ sink: { kind: 'reduced', call: this.root }, layout: [], value: this.reduceCall(this.root, state) });
    } else if (this.root.type === AST_NODE_TYPES.CallExpression) mapped.push(this.mapRoot(this.root, state));
    else outerAccs = this.loop(this.root, state);
    const outputs = [...mapped, ...this.finishWrites(state.writes)];
    for (const [variable, value] of outerAccs) {
      const sink = this.sinks.get(variable);
      if (sink) outputs.push({ sink, layout: [], value });
    }
    const moved = (from: Expr, to: Expr): void => {
      let notes = this.notes.get(from);
      if (!notes || from === to) return;
      if (to.kind === 'reduce' && to.op === 'logsumexp') {
        // The running max's notes, said of log-sum-exp: NaN propagates through the sum anyway; an empty axis still differs.
        notes = notes
          .filter((n) => !n.caveat?.includes('skips NaN'))
          .map((n) => (n.caveat ? { caveat: n.caveat.replace(/tf\.max\b/, 'tf.logSumExp') } : n));
      }
      this.notes.set(to, [...(this.notes.get(to) ?? []), ...notes]);
    };
    for (const out of outputs) out.value = recognizeIdioms(out.value, moved);
    if (outputs.length === 0) throw new Unsupported('the loop computes nothing that leaves it');
    // A loop that only uses data for its size (`idx[i] = i` over `d.length`) does not compute from tensor data.
    if (!outputs.some((o) => tensorsRead(o.value).some((t) => !this.tensors.get(t)?.literal))) throw new Unsupported('no output reads tensor data');
    const notes = this.notesOf(outputs.map((o) => o.value));
    if (this.foreign) notes.blockers.unshift(this.foreign);
    if (this.nestedBound) {
      notes.caveats.push(
        `for a tensor with no elements \`${this.nestedBound}\` gives \`[]\` whatever the shape, so where a dimension is 0 the loop's result has another shape than the op's`,
      );
    }
    return { node: this.root, loops: this.loops, order: this.order, outputs, views: this.views, tensors: this.tensors, ...notes, assumptions: this.assumptions };
  }

  /** Lifts an expression that follows the nest, where the nest's accumulators hold their final values. */
  valueAfter(node: TSESTree.Node, finals: ReadonlyMap<Scope.Variable, Expr>): Expr {
    const state: State = { env: new Map(finals), polys: new Map(), rows: new Map(), builders: new Map(), writes: [], active: [] };
    return this.expr(node, state);
  }

  // ---------------------------------------------------------------- loops

  /** Lifts one loop; returns the values of the accumulators it updated, declared outside it. */
  private loop(node: TSESTree.ForStatement | TSESTree.ForOfStatement | TSESTree.ExpressionStatement, state: State): Map<Scope.Variable, Expr> {
    const { v, lower, body } = node.type === AST_NODE_TYPES.ExpressionStatement ? this.forEachHeader(node, state) : this.header(node, state);
    const accs = this.accumulatorsOf(body, state);
    const placeholders = new Map<Scope.Variable, Extract<Expr, { kind: 'acc' }>>();
    for (const [variable] of accs) {
      const ph = { kind: 'acc' as const, id: ++accIds };
      placeholders.set(variable, ph);
      this.accVars.set(ph.id, variable);
      state.env.set(variable, ph);
    }
    const writesBefore = state.writes.length;
    state.active.push(v);
    if (body.type === AST_NODE_TYPES.BlockStatement || !isExpression(body)) this.statement(body as TSESTree.Statement, state);
    else this.effect(body, state);
    state.active.pop();

    const results = new Map<Scope.Variable, Expr>();
    const updates = new Map<Scope.Variable, Expr>();
    for (const [variable, ph] of placeholders) updates.set(variable, state.env.get(variable) ?? ph);

    // Prefix sums: a write inside the loop that reads the accumulator it updates.
    for (const w of state.writes.slice(writesBefore)) {
      if (!containsAcc(w.value)) continue;
      w.value = this.prefixSum(w.value, v, placeholders, updates, accs);
    }
    if (lower !== 0 && state.writes.length > writesBefore) throw new Unsupported('a loop that skips its first elements writes output');

    for (const [variable, ph] of placeholders) {
      const F = updates.get(variable)!;
      results.set(variable, this.reduction(F, ph, v, lower, accs.get(variable)!, placeholders, updates, accs));
    }
    for (const [variable, value] of results) state.env.set(variable, value);
    return results;
  }

  private header(node: TSESTree.ForStatement | TSESTree.ForOfStatement, state: State): { v: string; lower: number; body: TSESTree.Statement } {
    if (node.type === AST_NODE_TYPES.ForOfStatement) {
      // for (const row of a) — rows of a nested view, or values of a flat view
      if (node.await || node.left.type !== AST_NODE_TYPES.VariableDeclaration || node.left.declarations.length !== 1) throw new Unsupported('for…of form');
      const id = node.left.declarations[0].id;
      if (id.type !== AST_NODE_TYPES.Identifier) throw new Unsupported('destructuring for…of');
      const rowVar = findVariable(this.sourceCode, id);
      if (!rowVar) throw new Unsupported('unresolved');
      const v = this.bindElement(rowVar, node.right, state);
      return { v, lower: 0, body: node.body };
    }

    // for (let i = 0; i < n; i++)
    const { init, test, update } = node;
    if (init?.type !== AST_NODE_TYPES.VariableDeclaration || init.declarations.length !== 1) throw new Unsupported('loop init');
    const decl = init.declarations[0];
    if (decl.id.type !== AST_NODE_TYPES.Identifier || !decl.init) throw new Unsupported('loop init');
    const name = decl.id.name;
    const lower = numericLiteral(decl.init);
    if (lower === undefined || !Number.isInteger(lower) || lower < 0 || lower > 1) throw new Unsupported('loop start');
    if (test?.type !== AST_NODE_TYPES.BinaryExpression) throw new Unsupported('loop test');
    let boundNode: TSESTree.Node;
    if (test.operator === '<' && unwrap(test.left).type === AST_NODE_TYPES.Identifier && (unwrap(test.left) as TSESTree.Identifier).name === name) boundNode = test.right;
    else if (test.operator === '>' && unwrap(test.right).type === AST_NODE_TYPES.Identifier && (unwrap(test.right) as TSESTree.Identifier).name === name) boundNode = test.left;
    else throw new Unsupported('loop test');
    if (!update || !isUnitIncrement(update, name)) throw new Unsupported('loop step');
    const variable = findVariable(this.sourceCode, decl.id);
    // The body must not write the loop variable.
    if (!variable || variable.references.some((r) => r.isWrite() && !r.init && r.identifier !== updateTarget(update))) throw new Unsupported('loop variable written in the body');
    const bound = this.facts.poly(boundNode, { rowDepth: (id) => this.rowOf(id, state), local: (id) => this.localPoly(id, state) });
    if (!bound) throw new Unsupported('loop bound');
    this.lengthOfNested(boundNode, state);
    for (const atom of polyAtoms(bound)) if (atom.startsWith('v:')) throw new Unsupported('non-rectangular loop');
    const v = this.newLoopVar(name);
    this.loopNames.set(variable, v);
    this.loops.set(v, { name: v, bound, boundText: this.sourceCode.getText(boundNode) });
    return { v, lower, body: node.body };
  }

  /**
   * A new loop over the first axis of `right` (a nested view, a row of one, or a flat view), with
   * `element` bound to each element: a row, an access, or a flat read. Returns the loop variable.
   */
  private bindElement(element: Scope.Variable | undefined, right: TSESTree.Node, state: State, name = `${element?.name ?? 'e'}$`): string {
    const r = unwrap(right);
    const v = this.newLoopVar(name);
    let tensor: TensorInfo;
    let axes: (string | number)[];
    let take: Row['take'];
    const rowIn = r.type === AST_NODE_TYPES.Identifier ? this.rowOf(r, state) : undefined;
    const view = rowIn ? undefined : this.facts.viewOf(r, true);
    if (rowIn) {
      tensor = rowIn.tensor;
      axes = [...rowIn.axes, v];
      take = rowIn.take;
    } else if (view?.kind === 'nested') {
      this.useView(view);
      tensor = view.tensor;
      axes = [v];
      this.noteNestedBound(view);
    } else if (view?.kind === 'flat') {
      this.useView(view);
      this.loops.set(v, { name: v, bound: this.facts.sizePoly(view.tensor), boundText: `${view.tensor.name}.size` });
      if (element) state.env.set(element, { kind: 'flat', tensor: view.tensor.name, v });
      return v;
    } else throw new Unsupported('iterates over something that is not tensor data');
    const axis = axes.length - 1;
    this.loops.set(v, { name: v, bound: this.facts.dimPoly(tensor, axis), boundText: this.facts.dimText(tensor, axis) });
    if (element) {
      if (tensor.rank !== undefined && axes.length === tensor.rank) state.env.set(element, this.accessExpr({ tensor, axes, take }));
      else state.rows.set(element, { tensor, axes, take });
    }
    return v;
  }

  private noteNestedBound(view: View): void {
    if (view.tensor.literal || view.tensor.rank === 1 || view.tensor.rank === 0) return;
    this.nestedBound ??= `${view.tensor.name}.${view.method}()`;
  }

  /** `rows.length`, `rows[i].length`, `row.length` on nested tensor data. */
  private lengthOfNested(node: TSESTree.Node, state: State, depth = 0): void {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.Identifier && depth === 0) {
      // const n = rows.length
      const def = findVariable(this.sourceCode, n)?.defs[0];
      if (def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && def.node.id.type === AST_NODE_TYPES.Identifier) this.lengthOfNested(def.node.init, state, 1);
      return;
    }
    if (n.type !== AST_NODE_TYPES.MemberExpression || n.computed || n.property.type !== AST_NODE_TYPES.Identifier || n.property.name !== 'length') return;
    let base = unwrap(n.object);
    while (base.type === AST_NODE_TYPES.MemberExpression && base.computed) base = unwrap(base.object);
    if (base.type !== AST_NODE_TYPES.Identifier) return;
    const row = this.rowOf(base, state);
    const view = row ? undefined : this.facts.viewOf(base);
    if (row) this.noteNestedBound({ tensor: row.tensor, method: 'arraySync', kind: 'nested', async: false });
    else if (view?.kind === 'nested') this.noteNestedBound(view);
  }

  /** `(row, i) => …` of `forEach` / `map` / `reduce`: identifiers only, at most `max` of them. */
  private callback(call: TSESTree.CallExpression, max: number): { params: (Scope.Variable | undefined)[]; body: TSESTree.BlockStatement | TSESTree.Expression } {
    const cb = call.arguments[0] && unwrap(call.arguments[0]);
    if (!cb || (cb.type !== AST_NODE_TYPES.ArrowFunctionExpression && cb.type !== AST_NODE_TYPES.FunctionExpression) || cb.async || cb.generator) throw new Unsupported('callback form');
    if (cb.params.length > max || cb.params.some((p) => p.type !== AST_NODE_TYPES.Identifier)) throw new Unsupported('callback parameters');
    const params = cb.params.map((p) => findVariable(this.sourceCode, p as TSESTree.Identifier));
    if (params.some((p) => !p || p.references.some((r) => r.isWrite()))) throw new Unsupported('callback parameter reassigned');
    return { params, body: cb.body };
  }

  /** `rows.forEach((row, i) => { … });` as a loop over the rows. */
  private forEachHeader(node: TSESTree.ExpressionStatement, state: State): { v: string; lower: number; body: TSESTree.Node } {
    const call = unwrap(node.expression);
    if (call.type !== AST_NODE_TYPES.CallExpression || !isMethodCall(call, 'forEach') || call.arguments.length !== 1) throw new Unsupported('not a forEach');
    const { params, body } = this.callback(call, 2);
    const v = this.bindElement(params[0], call.callee.object, state, params[1]?.name);
    if (params[1]) this.loopNames.set(params[1], v);
    return { v, lower: 0, body };
  }

  /** The value a callback returns: its expression body, or declarations followed by one `return`. */
  private callbackResult(body: TSESTree.BlockStatement | TSESTree.Expression, state: State): TSESTree.Expression {
    if (body.type !== AST_NODE_TYPES.BlockStatement) return body;
    const last = body.body[body.body.length - 1];
    if (last?.type !== AST_NODE_TYPES.ReturnStatement || !last.argument) throw new Unsupported('callback without a final return');
    for (const st of body.body.slice(0, -1)) {
      if (st.type !== AST_NODE_TYPES.VariableDeclaration) throw new Unsupported('callback statement');
      this.statement(st, state);
    }
    return last.argument;
  }

  /** `rows.map((row, i) => E)` (E may map again): the output array, one axis per map. */
  private mapRoot(call: TSESTree.CallExpression, state: State): Output {
    let holder = call as TSESTree.Node;
    while (holder.parent && (holder.parent.type === AST_NODE_TYPES.TSAsExpression || holder.parent.type === AST_NODE_TYPES.TSNonNullExpression)) holder = holder.parent;
    const decl = holder.parent;
    let sink: Sink = { kind: 'mapped', call };
    if (decl?.type === AST_NODE_TYPES.VariableDeclarator && decl.init === holder && decl.id.type === AST_NODE_TYPES.Identifier && decl.parent.type === AST_NODE_TYPES.VariableDeclaration) {
      const variable = findVariable(this.sourceCode, decl.id);
      if (!variable || !isConstLike(variable)) throw new Unsupported('mapped array reassigned');
      sink = { kind: 'mapped', call, variable, statement: decl.parent };
    }
    const { value, layout } = this.mapValue(call, state);
    return { sink, layout, value };
  }

  private mapValue(call: TSESTree.CallExpression, state: State): { value: Expr; layout: string[] } {
    if (!isMethodCall(call, 'map') || call.arguments.length !== 1) throw new Unsupported('not a map');
    const object = unwrap(call.callee.object);
    // A typed array's map returns the same typed array type: an int32 tensor's data would truncate.
    if (this.facts.viewOf(object, true)?.kind === 'flat') throw new Unsupported('map over flat data');
    const { params, body } = this.callback(call, 2);
    const v = this.bindElement(params[0], object, state, params[1]?.name);
    if (params[1]) this.loopNames.set(params[1], v);
    state.active.push(v);
    try {
      const result = unwrap(this.callbackResult(body, state));
      if (result.type === AST_NODE_TYPES.CallExpression && isMethodCall(result, 'map')) {
        const inner = this.mapValue(result, state);
        return { value: inner.value, layout: [v, ...inner.layout] };
      }
      return { value: this.expr(result, state), layout: [v] };
    } finally {
      state.active.pop();
    }
  }

  /** `xs.reduce((acc, x) => acc + f(x), init)` over a row or flat data: a reduction along a new loop. */
  private reduceCall(n: TSESTree.CallExpression & { callee: TSESTree.MemberExpression }, state: State): Expr {
    if (n.arguments.length < 1 || n.arguments.length > 2) throw new Unsupported('reduce form');
    const { params, body } = this.callback(n, 3);
    const [accVar, elem, idx] = params;
    if (!accVar || !elem) throw new Unsupported('reduce callback');
    const ph = { kind: 'acc' as const, id: ++accIds };
    state.env.set(accVar, ph);
    const v = this.bindElement(elem, n.callee.object, state, idx?.name);
    if (idx) this.loopNames.set(idx, v);
    state.active.push(v);
    let F: Expr;
    try {
      F = this.expr(this.callbackResult(body, state), state);
    } finally {
      state.active.pop();
    }
    let init: Expr;
    let noInit = false;
    if (n.arguments[1]) {
      init = this.expr(n.arguments[1], state);
      if (freeVars(init).size > 0 || containsAcc(init)) throw new Unsupported('reduce init varies');
    } else {
      // Without an initial value reduce starts from the first element and throws on an empty array.
      noInit = true;
      const op = F.kind === 'binary' ? F.op : undefined;
      init = C(op === '+' || op === '-' ? 0 : op === '*' ? 1 : op === 'max' ? -Infinity : op === 'min' ? Infinity : NaN);
      if (Number.isNaN((init as { value: number }).value)) throw new Unsupported('reduce without an initial value');
    }
    const maps = (e: Expr) => new Map([[accVar, e]]);
    const result = this.reduction(F, ph, v, 0, init, maps(ph) as Map<Scope.Variable, Extract<Expr, { kind: 'acc' }>>, maps(F), maps(init));
    if (noInit) this.note(result, { caveat: '`reduce` without an initial value throws on an empty array, the op does not' });
    return result;
  }

  private newLoopVar(name: string): string {
    let v = name;
    for (let k = 2; this.loops.has(v); k++) v = `${name}${k}`;
    this.order.push(v);
    return v;
  }

  /** Variables declared outside the loop body `loop` and assigned inside it, with their value on entry. */
  private accumulatorsOf(loop: TSESTree.Node, state: State): Map<Scope.Variable, Expr> {
    const out = new Map<Scope.Variable, Expr>();
    const scopeVars = new Set<Scope.Variable>();
    const visit = (node: TSESTree.Node): void => {
      if (node.type === AST_NODE_TYPES.AssignmentExpression || node.type === AST_NODE_TYPES.UpdateExpression) {
        const target = node.type === AST_NODE_TYPES.AssignmentExpression ? node.left : node.argument;
        if (target.type === AST_NODE_TYPES.Identifier) {
          const variable = findVariable(this.sourceCode, target);
          if (variable && !isDeclaredInside(variable, loop)) scopeVars.add(variable);
        }
      }
      for (const key of Object.keys(node) as (keyof typeof node)[]) {
        if (key === 'parent') continue;
        const child = node[key] as unknown;
        if (Array.isArray(child)) child.forEach((c) => isNode(c) && visit(c));
        else if (isNode(child)) visit(child);
      }
    };
    visit(loop);
    for (const variable of scopeVars) {
      const current = state.env.get(variable);
      if (current) {
        out.set(variable, current);
        continue;
      }
      // Declared outside the whole nest: `let s = 0;` before the loop, in the same function.
      const def = variable.defs[0];
      if (variable.defs.length !== 1 || def.node.type !== AST_NODE_TYPES.VariableDeclarator || def.node.id.type !== AST_NODE_TYPES.Identifier) throw new Unsupported('assigns an outer variable');
      if (def.parent?.type !== AST_NODE_TYPES.VariableDeclaration || def.parent.kind === 'const') throw new Unsupported('assigns a const');
      if (!def.node.init) throw new Unsupported('accumulator without an initial value');
      if (def.node.range[1] > this.root.range[0]) throw new Unsupported('accumulator declared after the loop');
      // Written only by its initialiser and inside the nest.
      if (variable.references.some((r) => r.isWrite() && !r.init && !inside(r.identifier, this.root))) throw new Unsupported('accumulator written elsewhere');
      if (variable.references.some((r) => !r.isWrite() && r.identifier.range[1] < this.root.range[0] && r.identifier.range[0] > def.node.range[1])) throw new Unsupported('accumulator read before the loop');
      const init = this.expr(def.node.init, state);
      if (freeVars(init).size > 0) throw new Unsupported('accumulator init');
      this.sinks.set(variable, { kind: 'scalar', variable, statement: def.parent, declarator: def.node });
      out.set(variable, init);
    }
    return out;
  }

  // ------------------------------------------------------------ reductions

  private reduction(
    F: Expr,
    acc: Extract<Expr, { kind: 'acc' }>,
    v: string,
    lower: number,
    init: Expr,
    placeholders: Map<Scope.Variable, Extract<Expr, { kind: 'acc' }>>,
    updates: Map<Scope.Variable, Expr>,
    inits: Map<Scope.Variable, Expr>,
  ): Expr {
    if (F.kind === 'acc' && F.id === acc.id) return init;
    if (!containsAcc(F, acc.id)) {
      // Overwritten each iteration (`last = d[i]`): the last element, a loop-carried choice.
      throw new Unsupported('keeps the last value');
    }
    const isAcc = (e: Expr): boolean => e.kind === 'acc' && e.id === acc.id;
    const other = (e: Expr): Expr | undefined => (e.kind === 'binary' ? (isAcc(e.a) && !containsAcc(e.b) ? e.b : isAcc(e.b) && !containsAcc(e.a) ? e.a : undefined) : undefined);
    const full = (body: Expr): Expr => (lower === 0 ? body : this.fail(new Unsupported('loop skips elements')));

    // s += E, s -= E, s *= E, s = Math.max(s, E)
    if (F.kind === 'binary') {
      const E = other(F);
      if (E && F.op === '+') return combine('sum', init, { kind: 'reduce', op: 'sum', v, body: full(E) });
      if (E && F.op === '-' && isAcc(F.a)) return combine('sum', init, { kind: 'reduce', op: 'sum', v, body: full({ kind: 'unary', op: 'neg', arg: E }) });
      if (E && F.op === '*') return combine('prod', init, { kind: 'reduce', op: 'prod', v, body: full(E) });
      if (E && (F.op === 'max' || F.op === 'min')) return this.extremum(F.op, E, v, lower, init, false);
    }
    if (F.kind === 'select') {
      // if (c) s += E  →  Σ (c ? E : 0)
      if (!containsAcc(F.cond)) {
        const [A, B, flip] = isAcc(F.b) ? [F.a, F.b, false] : isAcc(F.a) ? [F.b, F.a, true] : [undefined, undefined, false];
        if (A && B && A.kind === 'binary' && (A.op === '+' || A.op === '*')) {
          const E = other(A);
          if (E) {
            const neutral = C(A.op === '+' ? 0 : 1);
            const body: Expr = flip ? { kind: 'select', cond: F.cond, a: neutral, b: E } : { kind: 'select', cond: F.cond, a: E, b: neutral };
            const op = A.op === '+' ? 'sum' : 'prod';
            return combine(op, init, { kind: 'reduce', op, v, body: full(body) });
          }
        }
        throw new NotVectorizable('a conditional update that is not a reduction');
      }
      // if (E > s) s = E  →  max
      const ext = selectExtremum(F, isAcc);
      if (ext) return this.extremum(ext.op, ext.value, v, lower, init, true);
      // if (E > best) { best = E; at = i }  →  argmax (paired with `best`)
      const arg = this.argExtremum(F, isAcc, v, lower, init, placeholders, updates, inits);
      if (arg) return arg;
    }
    throw new NotVectorizable('each iteration depends on the previous one');
  }

  private extremum(op: 'max' | 'min', E: Expr, v: string, lower: number, init: Expr, skipsNaN: boolean): Expr {
    const R: Expr = { kind: 'reduce', op, v, body: E };
    if (lower === 1) {
      // let m = row[0]; for (j = 1; …) — exact, the reduction starts from the first element
      if (exprEquals(init, substitute(E, v, 0))) {
        return skipsNaN ? this.note(R, { caveat: `the loop skips NaN values, tf.${op} propagates them` }) : R;
      }
      throw new Unsupported('loop skips elements');
    }
    if (skipsNaN) this.note(R, { caveat: `the loop skips NaN values, tf.${op} propagates them` });
    const neutral = op === 'max' ? -Infinity : Infinity;
    if (init.kind === 'const' && init.value === neutral) {
      return this.note(R, { caveat: `over an empty axis the loop gives ${neutral}, tf.${op} gives NaN` });
    }
    // A sentinel start (-1000, Number.MIN_VALUE) is not −Infinity: keep it in the result.
    return { kind: 'binary', op, a: init, b: R };
  }

  private argExtremum(
    F: Extract<Expr, { kind: 'select' }>,
    isAcc: (e: Expr) => boolean,
    v: string,
    lower: number,
    init: Expr,
    placeholders: Map<Scope.Variable, Extract<Expr, { kind: 'acc' }>>,
    updates: Map<Scope.Variable, Expr>,
    inits: Map<Scope.Variable, Expr>,
  ): Expr | undefined {
    if (!isAcc(F.b) || F.a.kind !== 'index' || F.a.v !== v || F.cond.kind !== 'compare') return undefined;
    // Find `best`: the other accumulator the condition compares against, updated to E under the same condition.
    for (const [variable, ph] of placeholders) {
      if (isAcc(ph)) continue;
      const bestF = updates.get(variable)!;
      if (bestF.kind !== 'select' || !exprEquals(bestF.cond, F.cond)) continue;
      const ext = selectExtremum(bestF, (e) => e.kind === 'acc' && e.id === ph.id);
      if (!ext) continue;
      const op = ext.op === 'max' ? 'argmax' : 'argmin';
      const result: Expr = { kind: 'argreduce', op, v, body: ext.value };
      if (!ext.strict) this.note(result, { blocker: `\`${F.cond.op}\` keeps the last of equal values; tf.${op === 'argmax' ? 'argMax' : 'argMin'} keeps the first` });
      const bestInit = inits.get(variable)!;
      if (lower === 1) {
        if (!(init.kind === 'const' && init.value === 0) || !exprEquals(bestInit, substitute(ext.value, v, 0))) throw new Unsupported('loop skips elements');
      } else {
        const neutral = ext.op === 'max' ? -Infinity : Infinity;
        if (!(bestInit.kind === 'const' && bestInit.value === neutral) || !(init.kind === 'const' && init.value === 0)) {
          this.note(result, { blocker: `the search starts from a sentinel (not ${neutral} at index 0), which tf.${op === 'argmax' ? 'argMax' : 'argMin'} cannot express` });
        } else {
          this.note(result, { caveat: `when a row starts with NaN the loop skips it, tf.${op === 'argmax' ? 'argMax' : 'argMin'} returns its index` });
        }
      }
      return result;
    }
    return undefined;
  }

  private prefixSum(
    value: Expr,
    v: string,
    placeholders: Map<Scope.Variable, Extract<Expr, { kind: 'acc' }>>,
    updates: Map<Scope.Variable, Expr>,
    inits: Map<Scope.Variable, Expr>,
  ): Expr {
    for (const [variable, ph] of placeholders) {
      if (!containsAcc(value, ph.id)) continue;
      const F = updates.get(variable)!;
      const E = F.kind === 'binary' && F.op === '+' ? (F.a.kind === 'acc' && F.a.id === ph.id ? F.b : F.b.kind === 'acc' && F.b.id === ph.id ? F.a : undefined) : undefined;
      if (!E || containsAcc(E)) break;
      const init = inits.get(variable)!;
      // out[i] = s after `s += E` is inclusive; before it, exclusive.
      const exclusive = value.kind === 'acc' && value.id === ph.id;
      if (!exclusive && !exprEquals(value, F)) break;
      if (freeVars(init).size > 0) break;
      return combine('sum', init, { kind: 'cumsum', v, body: E, exclusive });
    }
    throw new NotVectorizable('an output element depends on earlier iterations');
  }

  private fail(e: Error): never {
    throw e;
  }

  // ------------------------------------------------------------ statements

  private statement(node: TSESTree.Statement, state: State): void {
    switch (node.type) {
      case AST_NODE_TYPES.BlockStatement:
        for (const s of node.body) this.statement(s, state);
        return;
      case AST_NODE_TYPES.EmptyStatement:
        return;
      case AST_NODE_TYPES.VariableDeclaration:
        for (const d of node.declarations) this.declare(d, state);
        return;
      case AST_NODE_TYPES.ExpressionStatement:
        this.effect(node.expression, state);
        return;
      case AST_NODE_TYPES.IfStatement:
        this.branch(node, state);
        return;
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForOfStatement:
        this.loop(node, state);
        return;
      default:
        // break, continue, return, throw, while, try, switch, nested functions…: not a comprehension
        throw new Unsupported(`statement ${node.type}`);
    }
  }

  private declare(d: TSESTree.VariableDeclarator, state: State): void {
    if (d.id.type !== AST_NODE_TYPES.Identifier || !d.init) throw new Unsupported('declaration form');
    const variable = findVariable(this.sourceCode, d.id);
    if (!variable) throw new Unsupported('unresolved');
    const init = unwrap(d.init);
    // const row = a[i]
    const row = this.rowAccess(init, state);
    if (row) {
      if (row.tensor.rank !== undefined && row.axes.length === row.tensor.rank) state.env.set(variable, this.accessExpr(row));
      else state.rows.set(variable, row);
      return;
    }
    // const row = [];  (a nested sink built in this iteration)
    if (init.type === AST_NODE_TYPES.ArrayExpression && init.elements.length === 0) {
      state.builders.set(variable, { value: undefined, layout: [], active: [...state.active], sealed: false });
      return;
    }
    const p = this.facts.poly(init, { loopVar: (_n, id) => this.activeLoopAtom(id, state), local: (id) => this.localPoly(id, state) });
    if (p && [...polyAtoms(p)].some((a) => a.startsWith('v:'))) state.polys.set(variable, p);
    state.env.set(variable, this.expr(init, state));
  }

  private effect(node: TSESTree.Expression, state: State): void {
    if (node.type === AST_NODE_TYPES.AssignmentExpression) return this.assign(node, state);
    if (node.type === AST_NODE_TYPES.UpdateExpression) {
      const target = node.argument;
      if (target.type !== AST_NODE_TYPES.Identifier) throw new Unsupported('update of a member');
      const variable = this.scalarVar(target, state);
      const cur = state.env.get(variable)!;
      state.env.set(variable, { kind: 'binary', op: node.operator === '++' ? '+' : '-', a: cur, b: C(1) });
      return;
    }
    if (node.type === AST_NODE_TYPES.CallExpression && isMethodCall(node, 'set')) {
      // buf.set(value, i, j)
      const sink = this.sinkOf(node.callee.object);
      if (!sink) {
        if (this.facts.viewOf(node.callee.object)?.kind === 'buffer') this.inPlace(node.callee.object);
        throw new Unsupported('set on something that is not a sink');
      }
      if (sink.kind !== 'buffer' || node.arguments.length < 2) throw new Unsupported('set form');
      const [value, ...idx] = node.arguments;
      let scatter: Write['scatter'];
      const index = idx.map((node, pos) => {
        try {
          return this.indexPoly(node, state);
        } catch (e) {
          if (!(e instanceof Unsupported) || scatter) throw e;
          const data = this.expr(node, state);
          if (tensorsRead(data).length === 0 || containsAcc(data)) throw e;
          scatter = { pos, index: data };
          return constPoly(0);
        }
      });
      state.writes.push({ sink, kind: 'set', index, value: this.expr(value, state), active: [...state.active], scatter });
      return;
    }
    if (node.type === AST_NODE_TYPES.CallExpression && isMethodCall(node, 'push') && node.arguments.length === 1) {
      const target = unwrap(node.callee.object);
      const arg = unwrap(node.arguments[0]);
      if (target.type !== AST_NODE_TYPES.Identifier) throw new Unsupported('push target');
      const targetVar = findVariable(this.sourceCode, target);
      const builder = targetVar && state.builders.get(targetVar);
      const argVar = arg.type === AST_NODE_TYPES.Identifier ? findVariable(this.sourceCode, arg) : undefined;
      const argBuilder = argVar && state.builders.get(argVar);
      let value: Expr;
      let inner: string[] = [];
      if (argBuilder) {
        if (!argBuilder.value || argBuilder.sealed) throw new Unsupported('pushes an empty or reused row');
        argBuilder.sealed = true;
        value = argBuilder.value;
        inner = argBuilder.layout;
      } else if (arg.type === AST_NODE_TYPES.CallExpression && isMethodCall(arg, 'map')) {
        // out.push(row.map((v) => f(v))): a whole row, one more axis
        const mapped = this.mapValue(arg, state);
        value = mapped.value;
        inner = mapped.layout;
      } else value = this.expr(arg, state);
      if (builder) {
        if (builder.sealed || builder.value) throw new Unsupported('row built by more than one push');
        builder.value = value;
        builder.layout = [...state.active.slice(builder.active.length), ...inner];
        return;
      }
      const sink = this.sinkOf(target);
      if (!sink || sink.kind !== 'nested') throw new Unsupported('push into something that is not a sink');
      state.writes.push({ sink, kind: 'push', index: [], value, active: [...state.active], layout: [...state.active, ...inner] });
      return;
    }
    throw new Unsupported('a call or expression with effects');
  }

  private assign(node: TSESTree.AssignmentExpression, state: State): void {
    const left = node.left;
    if (left.type === AST_NODE_TYPES.Identifier) {
      const variable = this.scalarVar(left, state);
      let value = this.expr(node.right, state);
      if (node.operator !== '=') {
        const cur = state.env.get(variable)!;
        const op = ({ '+=': '+', '-=': '-', '*=': '*', '/=': '/' } as Record<string, BinaryOp>)[node.operator];
        if (!op) throw new Unsupported(`operator ${node.operator}`);
        value = { kind: 'binary', op, a: cur, b: value };
      }
      state.env.set(variable, value);
      return;
    }
    if (left.type === AST_NODE_TYPES.MemberExpression && left.computed) {
      const sink = this.sinkOf(left.object);
      if (!sink) {
        // dataSync()/data() may return the tensor's own storage; arraySync()/array() return copies.
        const written = this.facts.viewOf(left.object);
        if (written?.kind === 'flat' && !written.copy) this.inPlace(left.object);
        throw new Unsupported('writes into something that is not a sink');
      }
      if (sink.kind !== 'typed') throw new Unsupported('sink write form');
      const index = this.indexPoly(left.property, state);
      if (node.operator === '=') {
        state.writes.push({ sink, kind: 'index', index: [index], value: this.expr(node.right, state), active: [...state.active] });
        return;
      }
      // probs[k] /= s after an earlier loop wrote probs[k] in this iteration: update that element.
      const op = ({ '+=': '+', '-=': '-', '*=': '*', '/=': '/' } as Record<string, BinaryOp>)[node.operator];
      const earlier = op && this.earlierWrite(sink, index, state);
      if (!earlier) {
        // colSums[j] += x[i][j]: typed arrays start as zeros (a plain Array does not).
        if ((op !== '+' && op !== '-') || sink.ctor === 'Array' || state.writes.some((w) => w.sink === sink)) throw new Unsupported('sink write form');
        const E = this.expr(node.right, state);
        state.writes.push({ sink, kind: 'index', index: [index], value: op === '+' ? E : { kind: 'unary', op: 'neg', arg: E }, active: [...state.active], accumulate: true });
        return;
      }
      state.writes.splice(state.writes.indexOf(earlier.write), 1);
      state.writes.push({ sink, kind: 'index', index: [index], value: { kind: 'binary', op, a: earlier.value, b: this.expr(node.right, state) }, active: [...state.active] });
      return;
    }
    throw new Unsupported('assignment target');
  }

  /**
   * The write of an earlier, finished loop of the current iteration to the element `index` names,
   * with that loop's variables renamed to the current ones (`probs[i*c + j]` then `probs[i*c + j2]`).
   */
  private earlierWrite(sink: Sink, index: Poly, state: State): { write: Write; value: Expr } | undefined {
    for (let k = state.writes.length - 1; k >= 0; k--) {
      const w = state.writes[k];
      if (w.sink !== sink || w.kind !== 'index' || w.scatter) continue;
      // A running sum's value mid-loop is not its final value.
      if (w.accumulate) return undefined;
      let shared = 0;
      while (shared < w.active.length && shared < state.active.length && w.active[shared] === state.active[shared]) shared++;
      const before = w.active.slice(shared);
      const now = state.active.slice(shared);
      if (before.length !== now.length || before.some((v, i) => !polyEquals(this.loops.get(v)!.bound, this.loops.get(now[i])!.bound))) return undefined;
      const rename = new Map(before.map((v, i) => [`v:${v}`, `v:${now[i]}`]));
      if (!polyEquals(renameAtoms(w.index[0], rename), index)) return undefined;
      let value = w.value;
      before.forEach((v, i) => (value = renameVar(value, v, now[i])));
      return { write: w, value };
    }
    return undefined;
  }

  private inPlace(node: TSESTree.Node): never {
    const view = this.facts.viewOf(unwrap(node));
    throw new InPlaceWrite(view ? `${view.tensor.name}.${view.method}()` : this.sourceCode.getText(node));
  }

  /** A scalar variable the nest may assign: nest-local or an accumulator. */
  private scalarVar(id: TSESTree.Identifier, state: State): Scope.Variable {
    const variable = findVariable(this.sourceCode, id);
    if (!variable || !state.env.has(variable)) throw new Unsupported('assigns a variable the lifter does not track');
    return variable;
  }

  private branch(node: TSESTree.IfStatement, state: State): void {
    const cond = this.expr(node.test, state);
    const run = (s: TSESTree.Statement | null): State => {
      const builders = new Map([...state.builders].map(([k, bl]) => [k, { ...bl, layout: [...bl.layout] }]));
      const copy: State = { ...state, env: new Map(state.env), polys: new Map(state.polys), rows: new Map(state.rows), builders, writes: [] };
      if (s) this.statement(s, copy);
      return copy;
    };
    const a = run(node.consequent);
    const b = run(node.alternate);
    for (const [variable, before] of state.env) {
      const va = a.env.get(variable) ?? before;
      const vb = b.env.get(variable) ?? before;
      if (va !== before || vb !== before) state.env.set(variable, va === vb ? va : { kind: 'select', cond, a: va, b: vb });
    }
    // A row built in this iteration: `if (c) row.push(a); else row.push(b);` pushes a select.
    for (const [variable, before] of state.builders) {
      const [ba, bb] = [a.builders.get(variable)!, b.builders.get(variable)!];
      const same = (x: Builder) => x.value === before.value && x.sealed === before.sealed;
      if (same(ba) && same(bb)) continue;
      if (before.value || ba.sealed !== bb.sealed || !ba.value || !bb.value || ba.layout.join() !== bb.layout.join()) throw new Unsupported('partial push: the branches build the row differently');
      before.value = ba.value === bb.value ? ba.value : { kind: 'select', cond, a: ba.value, b: bb.value };
      before.layout = ba.layout;
      before.sealed = ba.sealed;
    }
    // Writes must pair up: the same sink and index on both sides, else the output is partial.
    if (a.writes.length !== b.writes.length) throw new Unsupported('partial write: only one branch writes');
    a.writes.forEach((wa, k) => {
      const wb = b.writes[k];
      if (wa.sink !== wb.sink || wa.kind !== wb.kind || wa.index.length !== wb.index.length || !wa.index.every((p, i) => polyEquals(p, wb.index[i])) || (wa.layout ?? []).join() !== (wb.layout ?? []).join() || !!wa.accumulate !== !!wb.accumulate || !!wa.scatter !== !!wb.scatter) {
        throw new Unsupported('branches write different elements');
      }
      state.writes.push({ ...wa, value: { kind: 'select', cond, a: wa.value, b: wb.value } });
    });
  }

  // ----------------------------------------------------------- expressions

  private expr(node: TSESTree.Node, state: State): Expr {
    const n = unwrap(node);
    const lit = numericLiteral(n);
    if (lit !== undefined) return C(lit);
    switch (n.type) {
      case AST_NODE_TYPES.Identifier: {
        if (n.name === 'Infinity') return C(Infinity);
        if (n.name === 'NaN') return C(NaN);
        const variable = findVariable(this.sourceCode, n);
        if (!variable) throw new Unsupported(`unresolved ${n.name}`);
        const loopName = this.loopNames.get(variable);
        if (loopName !== undefined) {
          if (!state.active.includes(loopName)) throw new Unsupported('a loop variable read outside its loop');
          return { kind: 'index', v: loopName };
        }
        const known = state.env.get(variable);
        if (known) return known;
        // An element of nested data of unknown rank used as a number: it is the innermost axis.
        const row = state.rows.get(variable);
        if (row && (row.tensor.rank === undefined || row.axes.length === row.tensor.rank)) return this.accessExpr(row);
        if (row || this.facts.view(variable)) throw new Unsupported('tensor data used as a value');
        if (this.sinks.has(variable) || this.sinkOf(n)) throw new NotVectorizable('reads its own output');
        if (isDeclaredInside(variable, this.root)) throw new Unsupported('reads a variable the lifter does not track');
        if (variable.references.some((r) => r.isWrite() && inside(r.identifier, this.root))) throw new Unsupported('loop-variant value');
        return { kind: 'param', text: n.name, poly: this.facts.poly(n) };
      }
      case AST_NODE_TYPES.MemberExpression: {
        if (!n.computed && n.object.type === AST_NODE_TYPES.Identifier && n.property.type === AST_NODE_TYPES.Identifier) {
          if (n.object.name === 'Math' && n.property.name in MATH_CONST) return C(MATH_CONST[n.property.name]);
          if (n.object.name === 'Number' && n.property.name in NUMBER_CONST) return C(NUMBER_CONST[n.property.name]);
        }
        // x.shape[1] as a value (a mean's divisor)
        if (n.computed && n.object.type === AST_NODE_TYPES.MemberExpression && !n.object.computed && n.object.property.type === AST_NODE_TYPES.Identifier && n.object.property.name === 'shape') {
          const p = this.facts.poly(n);
          if (p) return { kind: 'param', text: this.sourceCode.getText(n), poly: p };
        }
        if (n.computed) return this.read(n, state);
        const p = this.facts.poly(n, { rowDepth: (id) => this.rowOf(id, state) });
        if (p && ![...polyAtoms(p)].some((a) => a.startsWith('v:'))) return { kind: 'param', text: this.sourceCode.getText(n), poly: p };
        throw new Unsupported('member read');
      }
      case AST_NODE_TYPES.CallExpression:
        return this.call(n, state);
      case AST_NODE_TYPES.UnaryExpression: {
        const arg = this.expr(n.argument, state);
        if (n.operator === '-') return arg.kind === 'const' ? C(-arg.value) : { kind: 'unary', op: 'neg', arg };
        if (n.operator === '+') return arg;
        if (n.operator === '!') return { kind: 'not', arg };
        throw new Unsupported(`unary ${n.operator}`);
      }
      case AST_NODE_TYPES.BinaryExpression: {
        if (n.left.type === AST_NODE_TYPES.PrivateIdentifier) throw new Unsupported('private');
        const a = this.expr(n.left, state);
        const b = this.expr(n.right, state);
        if (n.operator in COMPARE) return { kind: 'compare', op: COMPARE[n.operator], a, b };
        if (n.operator === '+' || n.operator === '-' || n.operator === '*' || n.operator === '/') return { kind: 'binary', op: n.operator, a, b };
        if (n.operator === '**') return { kind: 'binary', op: 'pow', a, b };
        if (n.operator === '|' && b.kind === 'const' && b.value === 0) {
          return this.note({ kind: 'unary', op: 'trunc', arg: a }, { blocker: '`| 0` truncates to a 32-bit integer, which no float op reproduces' });
        }
        // % is a truncated remainder in JS and a floored one in tf.mod
        throw new Unsupported(`operator ${n.operator}`);
      }
      case AST_NODE_TYPES.LogicalExpression: {
        if (n.operator === '??') throw new Unsupported('??');
        return { kind: 'logical', op: n.operator, a: this.expr(n.left, state), b: this.expr(n.right, state) };
      }
      case AST_NODE_TYPES.ConditionalExpression:
        return { kind: 'select', cond: this.expr(n.test, state), a: this.expr(n.consequent, state), b: this.expr(n.alternate, state) };
      default:
        throw new Unsupported(`expression ${n.type}`);
    }
  }

  private call(n: TSESTree.CallExpression, state: State): Expr {
    const callee = n.callee;
    if (isStaticMember(callee, 'Math')) {
      const fn = callee.property.name;
      // Math.max(...row): the max of a row, -Infinity when it is empty
      if ((fn === 'max' || fn === 'min') && n.arguments.length === 1 && n.arguments[0].type === AST_NODE_TYPES.SpreadElement) {
        const v = this.bindElement(undefined, n.arguments[0].argument, state, 'k');
        state.active.push(v);
        let body: Expr;
        try {
          body = this.elementAt(n.arguments[0].argument, v, state);
        } finally {
          state.active.pop();
        }
        return this.extremum(fn, body, v, 0, C(fn === 'max' ? -Infinity : Infinity), false);
      }
      const args = n.arguments.map((a) => this.expr(a, state));
      if (fn in MATH_UNARY && args.length === 1) {
        const e: Expr = { kind: 'unary', op: MATH_UNARY[fn], arg: args[0] };
        if (fn === 'round') this.note(e, { blocker: '`Math.round` rounds halves up while `tf.round` rounds them to even' });
        if (fn === 'sign') this.note(e, { caveat: '`Math.sign(NaN)` is NaN, `tf.sign` gives 0' });
        return e;
      }
      if ((fn === 'max' || fn === 'min') && args.length >= 2) return args.reduce((a, b) => ({ kind: 'binary', op: fn, a, b }));
      if (fn === 'pow' && args.length === 2) return { kind: 'binary', op: 'pow', a: args[0], b: args[1] };
      // Math.random and friends: not a function of the data
      throw new Unsupported(`Math.${fn}`);
    }
    if (isMethodCall(n, 'reduce')) return this.reduceCall(n, state);
    if (isMethodCall(n, 'get')) {
      const view = this.facts.viewOf(n.callee.object);
      if (view?.kind === 'buffer') {
        this.useView(view);
        const row: Row = { tensor: view.tensor, axes: [] };
        for (const a of n.arguments) this.pushSubscript(row, a, state);
        return this.accessExpr(row, view.tensor, n.arguments.length);
      }
    }
    throw new Unsupported('a call in the loop body');
  }

  /** The element of `right` at loop variable `v` (bound by bindElement without a name). */
  private elementAt(right: TSESTree.Node, v: string, state: State): Expr {
    const r = unwrap(right);
    const rowIn = r.type === AST_NODE_TYPES.Identifier ? this.rowOf(r, state) : undefined;
    if (rowIn) return this.accessExpr({ tensor: rowIn.tensor, axes: [...rowIn.axes, v], take: rowIn.take });
    const view = this.facts.viewOf(r);
    if (view?.kind === 'nested') return this.accessExpr({ tensor: view.tensor, axes: [v] });
    if (view?.kind === 'flat') return { kind: 'flat', tensor: view.tensor.name, v };
    throw new Unsupported('spread of something that is not tensor data');
  }

  /** `d[i * m + j]`, `a[i][j]`, `row[j]` */
  private read(n: TSESTree.MemberExpression, state: State): Expr {
    const row = this.rowAccess(n, state);
    if (row) {
      if (row.tensor.rank !== undefined && row.axes.length < row.tensor.rank) throw new Unsupported('a row used as a value');
      return this.accessExpr(row);
    }
    const view = this.facts.viewOf(n.object);
    const ownSink = view ? undefined : this.sinkOf(n.object);
    if (ownSink) {
      // Reading back an element this iteration wrote in an earlier loop is its value; anything else is a recurrence.
      const earlier = ownSink.kind === 'typed' ? this.earlierWrite(ownSink, this.indexPoly(n.property, state), state) : undefined;
      if (earlier) return earlier.value;
      throw new NotVectorizable('reads its own output');
    }
    if (view?.kind !== 'flat') throw new Unsupported('indexed read of something that is not tensor data');
    this.useView(view);
    const t = view.tensor;
    const gathered = this.flatTake(n.property, t, state);
    if (gathered) return gathered;
    const p = this.indexPoly(n.property, state);
    const split = splitByLoopVars(p, (a) => a.startsWith('v:'));
    if (!split) throw new Unsupported('non-affine index');
    // d[i] over the whole data
    if (split.coefs.size === 1 && split.rest.size === 0) {
      const [[atom, coef]] = [...split.coefs];
      const v = atom.slice(2);
      if (polyConstant(coef) === 1 && polyEquals(this.loops.get(v)!.bound, this.facts.sizePoly(t))) {
        return t.rank === 1 ? this.accessExpr({ tensor: t, axes: [v] }) : { kind: 'flat', tensor: t.name, v };
      }
    }
    // d[i] with i bounded by something else than d's size (another tensor's size): a flat read of
    // a prefix, not of d's first row.
    if (split.coefs.size === 1 && split.rest.size === 0 && (t.rank === undefined || t.rank >= 2) && !t.foreign) {
      const [[atom, coef]] = [...split.coefs];
      const v = atom.slice(2);
      if (polyConstant(coef) === 1) {
        const lv = this.loops.get(v)!;
        return this.note({ kind: 'flat', tensor: t.name, v }, { blocker: `the bound \`${lv.boundText}\` of \`${v}\` is not provably \`${t.name}.size\`` });
      }
    }
    // Data passed into a helper: its shape is unknown, so take the loops' own row-major layout.
    if (t.foreign) {
      const axes = this.loopMajor(split.coefs, split.rest);
      if (!axes || (t.rank !== undefined && t.rank !== axes.length)) throw new Unsupported('flat index does not match a row-major layout');
      t.rank = axes.length;
      return this.accessExpr({ tensor: t, axes });
    }
    // d[i * m + j]: decompose with row-major strides of the (known or inferred) rank.
    const ranks = t.rank !== undefined ? [t.rank] : [1, 2, 3, 4];
    for (const rank of ranks) {
      const axes = decompose(split.coefs, split.rest, t.name, rank);
      if (axes) {
        if (t.rank === undefined) t.rank = rank;
        return this.accessExpr({ tensor: t, axes: axes.map((a) => (typeof a === 'string' ? a.slice(2) : a)) });
      }
    }
    // yd[i * m + j] with m = x.shape[1]: y read with x's strides. As with a bound taken from another
    // tensor's dimension, the op then requires (or broadcasts to) the shapes the loop assumes equal.
    const others = new Set([...split.coefs.values()].flatMap((c) => [...polyAtoms(c)]).filter((a) => a.startsWith('d:') && !a.startsWith(`d:${t.name}:`)).map((a) => a.split(':')[1]));
    if (others.size === 1 && !t.literal) {
      const [u] = others;
      const uInfo = this.tensors.get(u);
      const rank = t.rank ?? uInfo?.rank;
      if (rank !== undefined && (uInfo?.rank === undefined || uInfo.rank === rank)) {
        const rename = new Map(Array.from({ length: rank }, (_, k) => [dimAtom(u, k), dimAtom(t.name, k)] as [string, string]));
        const coefs = new Map([...split.coefs].map(([a, c]) => [a, renameAtoms(c, rename)]));
        const axes = decompose(coefs, split.rest, t.name, rank);
        if (axes) {
          t.rank ??= rank;
          const e = this.accessExpr({ tensor: t, axes: axes.map((a) => (typeof a === 'string' ? a.slice(2) : a)) });
          this.assumptions.set(e, `\`${t.name}\` is read with the strides of \`${u}\`: the loop assumes they have one shape; where they do not, the op broadcasts or throws while the loop reads other elements`);
          return e;
        }
      }
    }
    // px[(y * w + x) * 4 + c]: the loop strides by a constant channel count the shape does not show.
    if (t.rank !== undefined && t.rank >= 2 && !t.literal) {
      for (const [, coef] of split.coefs) {
        const K = polyConstant(coef);
        if (K === undefined || K < 2) continue;
        const axes = decompose(split.coefs, split.rest, t.name, t.rank, constPoly(K));
        if (!axes) continue;
        const e = this.accessExpr({ tensor: t, axes: axes.map((a) => (typeof a === 'string' ? a.slice(2) : a)) });
        return this.note(e, {
          caveat: `the loop assumes \`${t.name}.shape[${t.rank - 1}]\` is ${K} (its stride); for another size it reads other elements than the op`,
        });
      }
    }
    throw new Unsupported('flat index does not match the tensor layout');
  }

  /** `d[i * m + j]` where m is the bound of j: the loop variables in row-major order, or undefined. */
  private loopMajor(coefs: Map<string, Poly>, rest: Poly): string[] | undefined {
    if (rest.size !== 0 && polyConstant(rest) !== 0) return undefined;
    const remaining = new Map(coefs);
    const axes: string[] = [];
    let stride = constPoly(1);
    while (remaining.size > 0) {
      const hit = [...remaining].find(([, c]) => polyEquals(c, stride));
      if (!hit) return undefined;
      remaining.delete(hit[0]);
      const v = hit[0].slice(2);
      axes.unshift(v);
      stride = mulPoly(stride, this.loops.get(v)!.bound);
    }
    return axes;
  }

  /** `d[lab[i]]`, `d[i * c + lab[i]]`: row-major strides with the last axis indexed by data. */
  private flatTake(node: TSESTree.Node, t: TensorInfo, state: State): Expr | undefined {
    const terms: TSESTree.Node[] = [];
    const flatten = (e: TSESTree.Node): void => {
      const u = unwrap(e);
      if (u.type === AST_NODE_TYPES.BinaryExpression && u.operator === '+') {
        flatten(u.left);
        flatten(u.right);
      } else terms.push(u);
    };
    flatten(node);
    const affine: Poly[] = [];
    const data: TSESTree.Node[] = [];
    for (const term of terms) {
      const p = this.facts.poly(term, { loopVar: (_n, id) => this.activeLoopAtom(id, state), rowDepth: (id) => this.rowOf(id, state), local: (id) => this.localPoly(id, state) });
      if (p) affine.push(p);
      else data.push(term);
    }
    if (data.length !== 1) return undefined;
    const index = this.expr(data[0], state);
    if (tensorsRead(index).length === 0 || containsAcc(index)) return undefined;
    const p = affine.reduce((a, b) => addPolys(a, b), constPoly(0));
    const split = splitByLoopVars(p, (a) => a.startsWith('v:'));
    if (!split || (split.rest.size !== 0 && polyConstant(split.rest) !== 0)) return undefined;
    const ranks = t.rank !== undefined ? [t.rank] : [1, 2, 3];
    for (const rank of ranks) {
      if ([...split.coefs.values()].some((c) => polyConstant(c) === 1 && rank > 1)) continue;
      const axes = rank === 1 ? (split.coefs.size === 0 ? [0] : undefined) : decompose(split.coefs, split.rest, t.name, rank);
      if (!axes || (rank > 1 && axes[rank - 1] !== 0)) continue;
      if (t.rank === undefined) t.rank = rank;
      const row: Row = { tensor: t, axes: axes.slice(0, rank - 1).map((a) => (typeof a === 'string' ? a.slice(2) : a)), take: { axis: rank - 1, index } };
      row.axes.push(0);
      return this.accessExpr(row);
    }
    return undefined;
  }

  /** `a[i]`, `a[i][j]`, `row[j]` on a nested view, as a (partial) access. */
  private rowAccess(node: TSESTree.Node, state: State): Row | undefined {
    const subs: TSESTree.Node[] = [];
    let base = unwrap(node);
    while (base.type === AST_NODE_TYPES.MemberExpression && base.computed) {
      subs.unshift(base.property);
      base = unwrap(base.object);
    }
    if (base.type !== AST_NODE_TYPES.Identifier || (subs.length === 0 && node === base)) return undefined;
    const prefix = this.rowOf(base, state);
    let tensor: TensorInfo;
    let axes: (string | number)[];
    if (prefix) {
      tensor = prefix.tensor;
      axes = [...prefix.axes];
    } else {
      const view = this.facts.viewOf(base);
      if (view?.kind !== 'nested') return undefined;
      this.useView(view);
      tensor = view.tensor;
      axes = [];
    }
    const row: Row = { tensor, axes, take: prefix?.take };
    for (const s of subs) this.pushSubscript(row, s, state);
    return row;
  }

  private rowOf(id: TSESTree.Identifier, state: State): { tensor: TensorInfo; depth: number; axes: (string | number)[]; take?: Row['take'] } | undefined {
    const variable = findVariable(this.sourceCode, id);
    const row = variable && state.rows.get(variable);
    return row && { tensor: row.tensor, depth: row.axes.length, axes: row.axes, take: row.take };
  }

  /** Appends one subscript: a loop variable, a constant, or (once per access) an index read from tensor data. */
  private pushSubscript(row: Row, node: TSESTree.Node, state: State): void {
    try {
      row.axes.push(this.axisIndex(node, state));
      return;
    } catch (e) {
      if (!(e instanceof Unsupported) || row.take) throw e;
    }
    const index = this.expr(node, state);
    if (tensorsRead(index).length === 0 || containsAcc(index)) throw new Unsupported('subscript is not a loop variable');
    row.take = { axis: row.axes.length, index };
    row.axes.push(0);
  }

  /** One subscript of a nested read: a loop variable or a constant. */
  private axisIndex(node: TSESTree.Node, state: State): string | number {
    const p = this.indexPoly(node, state);
    const c = polyConstant(p);
    if (c !== undefined) {
      if (c < 0) throw new Unsupported('negative index');
      return c;
    }
    if (p.size === 1) {
      const [[atom, coef]] = [...p];
      if (coef === 1 && atom.startsWith('v:')) return atom.slice(2);
    }
    throw new Unsupported('subscript is not a loop variable');
  }

  private indexPoly(node: TSESTree.Node, state: State): Poly {
    const p = this.facts.poly(node, {
      loopVar: (_name, id) => this.activeLoopAtom(id, state),
      rowDepth: (id) => this.rowOf(id, state),
      local: (id) => this.localPoly(id, state),
    });
    if (!p) throw new Unsupported('index is not affine in the loop variables');
    return p;
  }

  private activeLoopAtom(id: TSESTree.Identifier, state: State): string | undefined {
    const variable = findVariable(this.sourceCode, id);
    const v = variable && this.loopNames.get(variable);
    return v !== undefined && state.active.includes(v) ? `v:${v}` : undefined;
  }

  private localPoly(id: TSESTree.Identifier, state: State): Poly | undefined {
    const variable = findVariable(this.sourceCode, id);
    return variable ? state.polys.get(variable) : undefined;
  }

  /** Checks each axis against the tensor's dimension and builds the access. */
  private accessExpr(row: Row, tensor: TensorInfo = row.tensor, rank?: number): Expr {
    this.tensors.set(tensor.name, tensor);
    if (tensor.rank === undefined) tensor.rank = rank ?? row.axes.length;
    if (row.axes.length !== tensor.rank) throw new Unsupported('reads a row as a value');
    const seen = new Set<string>();
    const take = row.take;
    const e: Expr = take ? { kind: 'take', tensor: tensor.name, axes: row.axes, axis: take.axis, index: take.index } : { kind: 'access', tensor: tensor.name, axes: row.axes };
    if (take) {
      this.note(e, {
        caveat: `for an index read from ${tensorsRead(take.index).map((t) => `\`${t}\``).join(', ')} that is not an integer in [0, ${this.facts.dimText(tensor, take.axis)}) the loop reads something else (another row's element, undefined, or it throws), while the TF.js gather truncates it, throws, clamps or reads another element, depending on the op and the backend`,
      });
    }
    row.axes.forEach((a, k) => {
      if (typeof a === 'number' || k === take?.axis) return;
      if (seen.has(a)) throw new Unsupported('diagonal access');
      seen.add(a);
      const blocker = this.checkBound(a, tensor, k);
      if (!blocker) return;
      // A bound that may be smaller than the axis: read a slice (equal when bound ≤ size; past it the loop reads undefined).
      if (e.kind === 'access' && !tensor.foreign && (tensor.literal === undefined || polyConstant(this.loops.get(a)!.bound) !== undefined)) {
        const lv = this.loops.get(a)!;
        const size = tensor.literal ? tensor.literal.shape[k] : undefined;
        const bound = polyConstant(lv.bound);
        if (size !== undefined && bound !== undefined && bound > size) {
          this.note(e, { blocker });
          return;
        }
        e.sliced ??= row.axes.map(() => undefined);
        e.sliced[k] = lv.boundText;
        if (size === undefined || bound === undefined) {
          this.note(e, {
            caveat: `the loop reads the first \`${lv.boundText}\` entries of axis ${k} of \`${tensor.name}\`, which tf.slice does when \`${lv.boundText}\` ≤ ${this.facts.dimText(tensor, k)}; past that the loop reads undefined (NaN) where tf.slice throws`,
          });
        }
        return;
      }
      this.note(e, { blocker });
    });
    return e;
  }

  /** The loop bound must be the dimension it indexes, or another tensor's dimension (shapes agree). */
  private checkBound(v: string, tensor: TensorInfo, axis: number): string | undefined {
    const lv = this.loops.get(v)!;
    // The dims of data passed in are what its loops say (and the loop is never fixed).
    if (tensor.foreign) return undefined;
    if (polyEquals(lv.bound, this.facts.dimPoly(tensor, axis))) return undefined;
    const atoms = [...polyAtoms(lv.bound)];
    // Bounded by another tensor's dimension: the original reads past the data unless the shapes agree,
    // and the vectorized op checks that they do.
    if (lv.bound.size === 1 && atoms.length === 1 && atoms[0].startsWith('d:') && lv.bound.get(atoms[0]) === 1) return undefined;
    return `the bound \`${lv.boundText}\` of \`${v}\` is not provably \`${this.facts.dimText(tensor, axis)}\``;
  }

  private useView(view: View): void {
    if (view.tensor.foreign) {
      const { name } = view.tensor;
      const origin = view.tensor.foreign.origin;
      this.foreign ??= origin
        ? `\`${name}\` is data a caller passes in (${origin}); pass the tensor to the helper instead`
        : `\`${name}\` is a parameter whose data comes from outside this module; pass the tensor instead`;
    }
    this.views.add(view);
    this.tensors.set(view.tensor.name, view.tensor);
  }

  // ----------------------------------------------------------------- sinks

  /** `out` in `out[k] = v`, `buf.set(v, …)`, `out.push(v)`: declared before the nest, written only in it. */
  private sinkOf(node: TSESTree.Node): Sink | undefined {
    const n = unwrap(node);
    if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = findVariable(this.sourceCode, n);
    if (!variable || variable.defs.length !== 1 || !isConstLike(variable)) return undefined;
    const known = this.sinks.get(variable);
    if (known) return known;
    const def = variable.defs[0];
    if (def.node.type !== AST_NODE_TYPES.VariableDeclarator || !def.node.init || def.parent?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
    if (def.node.range[1] > this.root.range[0]) return undefined;
    const init = unwrap(def.node.init);
    let sink: Sink | undefined;
    if (init.type === AST_NODE_TYPES.NewExpression && init.callee.type === AST_NODE_TYPES.Identifier && SINK_CTORS.has(init.callee.name) && init.arguments.length === 1) {
      const size = this.facts.poly(init.arguments[0]);
      if (init.callee.name === 'Array' || size) sink = { kind: 'typed', variable, statement: def.parent, ctor: init.callee.name, size };
    } else if (init.type === AST_NODE_TYPES.ArrayExpression && init.elements.length === 0) {
      sink = { kind: 'nested', variable, statement: def.parent };
    } else if (init.type === AST_NODE_TYPES.CallExpression && (this.facts.binding && isTfBufferCall(this.facts, init))) {
      const shapeArg = init.arguments[0];
      if (shapeArg?.type !== AST_NODE_TYPES.ArrayExpression) return undefined;
      const shape = shapeArg.elements.map((e) => (e && e.type !== AST_NODE_TYPES.SpreadElement ? this.facts.poly(e) : undefined));
      if (shape.some((s) => !s)) return undefined;
      const dtypeArg = init.arguments[1];
      const dtype = dtypeArg?.type === AST_NODE_TYPES.Literal && typeof dtypeArg.value === 'string' ? dtypeArg.value : dtypeArg ? '?' : undefined;
      // A third argument gives initial values: the buffer does not start as zeros.
      if (init.arguments.length > 2) return undefined;
      sink = { kind: 'buffer', variable, statement: def.parent, shape: shape as Poly[], shapeText: shapeArg.elements.map((e) => this.sourceCode.getText(e!)), dtype };
    }
    if (sink) this.sinks.set(variable, sink);
    return sink;
  }

  /** Turns collected writes into outputs with a layout, checking that each sink is covered exactly once. */
  private finishWrites(writes: Write[]): Output[] {
    const bySink = new Map<Sink, Write[]>();
    for (const w of writes) bySink.set(w.sink, [...(bySink.get(w.sink) ?? []), w]);
    const outputs: Output[] = [];
    for (const [sink, ws] of bySink) {
      if (ws.length !== 1) throw new Unsupported('a sink written more than once');
      const w = ws[0];
      if (containsAcc(w.value)) throw new NotVectorizable('an output depends on earlier iterations');
      let layout: string[];
      if (w.kind === 'push') layout = w.layout!;
      else if (w.kind === 'set' && w.scatter) {
        ({ layout, value: w.value } = this.scatterOutput(w));
      } else if (w.kind === 'set') {
        layout = w.index.map((p) => {
          const atoms = [...p];
          if (atoms.length !== 1 || atoms[0][1] !== 1 || !atoms[0][0].startsWith('v:')) throw new Unsupported('buffer index is not a loop variable');
          return atoms[0][0].slice(2);
        });
        if (sink.kind !== 'buffer' || sink.shape.length !== layout.length) throw new Unsupported('buffer rank');
        layout.forEach((v, k) => {
          if (!polyEquals(sink.shape[k], this.loops.get(v)!.bound)) throw new Unsupported('partial write: buffer shape differs from the loop bounds');
        });
      } else layout = this.stridedLayout(w.index[0], sink);
      if (w.accumulate) {
        // Σ over the loops the index does not mention, in nest order.
        for (const v of [...w.active].reverse()) if (!layout.includes(v)) w.value = { kind: 'reduce', op: 'sum', v, body: w.value };
      }
      if (new Set(layout).size !== layout.length || !w.active.every((v) => layout.includes(v) || w.accumulate)) {
        throw new Unsupported('the same element is written by several iterations');
      }
      outputs.push({ sink, layout, value: w.value });
    }
    return outputs;
  }

  /**
   * `buf.set(c, i, idx[i])` into a zero buffer: every element is `c` where the new axis equals the
   * data index and 0 elsewhere — a one-hot (or, with the index varying along more loops than the
   * buffer's other axes, nothing we lift).
   */
  private scatterOutput(w: Write): { layout: string[]; value: Expr } {
    const sink = w.sink;
    const scatter = w.scatter!;
    if (sink.kind !== 'buffer' || sink.shape.length !== w.index.length) throw new Unsupported('buffer rank');
    if (w.value.kind !== 'const' || w.value.value === 0) throw new Unsupported('a scatter of values that are not one constant');
    const layout: string[] = [];
    w.index.forEach((p, k) => {
      if (k === scatter.pos) {
        const v = this.newLoopVar(`${sink.variable.name}$${k}`);
        this.loops.set(v, { name: v, bound: sink.shape[k], boundText: sink.shapeText[k] });
        layout.push(v);
        return;
      }
      const atoms = [...p];
      if (atoms.length !== 1 || atoms[0][1] !== 1 || !atoms[0][0].startsWith('v:')) throw new Unsupported('buffer index is not a loop variable');
      const v = atoms[0][0].slice(2);
      if (!polyEquals(sink.shape[k], this.loops.get(v)!.bound)) throw new Unsupported('partial write: buffer shape differs from the loop bounds');
      layout.push(v);
    });
    // Every loop the index varies along must be an axis of the buffer: else several writes land in one row.
    const axes = new Set(layout);
    if (![...freeVars(scatter.index)].every((v) => axes.has(v)) || !w.active.every((v) => axes.has(v))) throw new Unsupported('a scatter that writes one row several times');
    const hot = layout[scatter.pos];
    const value: Expr = { kind: 'select', cond: { kind: 'compare', op: '===', a: { kind: 'index', v: hot }, b: scatter.index }, a: w.value, b: C(0) };
    this.note(value, {
      caveat: `a label read from ${tensorsRead(scatter.index).map((t) => `\`${t}\``).join(', ')} outside [0, ${sink.shapeText[scatter.pos]}) makes the loop write into another row, while the one-hot row stays all zeros`,
    });
    return { layout, value };
  }

  /** `out[i * m + j]` → [i, j] when the strides are the inner bounds and the sink has exactly that size. */
  private stridedLayout(index: Poly, sink: Sink): string[] {
    const split = splitByLoopVars(index, (a) => a.startsWith('v:'));
    if (!split || split.rest.size !== 0) throw new Unsupported('write index has an offset');
    const layout = this.loopMajor(split.coefs, split.rest);
    if (!layout) throw new Unsupported('write index is not row-major over the loops');
    const size = layout.reduce((p, v) => mulPoly(p, this.loops.get(v)!.bound), constPoly(1));
    if (sink.kind === 'typed' && sink.size && !polyEquals(sink.size, size)) throw new Unsupported('partial write: the array is larger than what the loop writes');
    if (sink.kind === 'typed' && !sink.size) throw new Unsupported('array size unknown');
    return layout;
  }
}

export class InPlaceWrite extends Error {}

// ---------------------------------------------------------------- helpers

function addPolys(a: Poly, b: Poly): Poly {
  return addPoly(a, b, 1);
}

function combine(op: 'sum' | 'prod', init: Expr, R: Expr): Expr {
  const neutral = op === 'sum' ? 0 : 1;
  if (init.kind === 'const' && init.value === neutral) return R;
  return { kind: 'binary', op: op === 'sum' ? '+' : '*', a: init, b: R };
}

/** `E > s ? E : s` and its mirror forms. */
function selectExtremum(F: Extract<Expr, { kind: 'select' }>, isAcc: (e: Expr) => boolean): { op: 'max' | 'min'; value: Expr; strict: boolean } | undefined {
  const c = F.cond;
  if (c.kind !== 'compare') return undefined;
  let value: Expr | undefined;
  let op: 'max' | 'min' | undefined;
  // normalise to `value OP acc`
  let cmp = c.op;
  let lhs = c.a;
  let rhs = c.b;
  if (isAcc(lhs) && !isAcc(rhs)) {
    [lhs, rhs] = [rhs, lhs];
    cmp = ({ '>': '<', '>=': '<=', '<': '>', '<=': '>=' } as Record<string, CompareOp>)[cmp] ?? cmp;
  }
  if (!isAcc(rhs) || containsAcc(lhs)) return undefined;
  if (isAcc(F.b) && exprEquals(F.a, lhs)) {
    value = lhs;
    if (cmp === '>' || cmp === '>=') op = 'max';
    if (cmp === '<' || cmp === '<=') op = 'min';
  }
  if (!value || !op) return undefined;
  return { op, value, strict: cmp === '>' || cmp === '<' };
}

/** Replaces loop variable `v` by the constant `c` (for "starts from the first element" checks). */
function substitute(e: Expr, v: string, c: number): Expr {
  return JSON.parse(JSON.stringify(e, (_k, val: unknown) => {
    if (val && typeof val === 'object' && 'kind' in val) {
      const node = val as Expr;
      if (node.kind === 'access') return { ...node, axes: node.axes.map((a) => (a === v ? c : a)) };
      if (node.kind === 'index' && node.v === v) return C(c);
    }
    return val instanceof Map ? Object.fromEntries(val) : val;
  })) as Expr;
}

/** Row-major axes of a flat index; `lastDim` stands in for the innermost dimension when the loop assumes one (`* 4 + c`). */
function decompose(coefs: Map<string, Poly>, rest: Poly, tensor: string, rank: number, lastDim?: Poly): (string | number)[] | undefined {
  const axes: (string | number | undefined)[] = new Array(rank).fill(undefined);
  let stride = constPoly(1);
  const strides: Poly[] = [];
  for (let k = rank - 1; k >= 0; k--) {
    strides[k] = stride;
    stride = mulPoly(stride, k === rank - 1 && lastDim ? lastDim : atomPoly(dimAtom(tensor, k)));
  }
  for (const [atom, coef] of coefs) {
    const k = strides.findIndex((s) => polyEquals(s, coef));
    if (k < 0 || axes[k] !== undefined) return undefined;
    axes[k] = atom;
  }
  const offset = polyConstant(rest);
  if (offset === undefined || offset < 0) return undefined;
  if (offset !== 0) {
    if (axes[rank - 1] !== undefined) return undefined;
    axes[rank - 1] = offset;
  }
  return axes.map((a) => a ?? 0);
}

function isTfBufferCall(facts: TensorFacts, node: TSESTree.CallExpression): boolean {
  const c = node.callee;
  if (c.type === AST_NODE_TYPES.MemberExpression && !c.computed && c.object.type === AST_NODE_TYPES.Identifier && c.property.type === AST_NODE_TYPES.Identifier) {
    return c.object.name === facts.binding.namespace && c.property.name === 'buffer';
  }
  return c.type === AST_NODE_TYPES.Identifier && facts.binding.named.get(c.name) === 'buffer';
}

function isUnitIncrement(update: TSESTree.Expression, name: string): boolean {
  if (update.type === AST_NODE_TYPES.UpdateExpression) return update.operator === '++' && update.argument.type === AST_NODE_TYPES.Identifier && update.argument.name === name;
  if (update.type === AST_NODE_TYPES.AssignmentExpression && update.left.type === AST_NODE_TYPES.Identifier && update.left.name === name) {
    if (update.operator === '+=') return numericLiteral(update.right) === 1;
    if (update.operator === '=' && update.right.type === AST_NODE_TYPES.BinaryExpression && update.right.operator === '+') {
      const r = update.right;
      return r.left.type === AST_NODE_TYPES.Identifier && r.left.name === name && numericLiteral(r.right) === 1;
    }
  }
  return false;
}

function updateTarget(update: TSESTree.Expression): TSESTree.Node | undefined {
  if (update.type === AST_NODE_TYPES.UpdateExpression) return update.argument;
  if (update.type === AST_NODE_TYPES.AssignmentExpression) return update.left;
  return undefined;
}

function inside(node: TSESTree.Node, outer: TSESTree.Node): boolean {
  return node.range[0] >= outer.range[0] && node.range[1] <= outer.range[1];
}

function isDeclaredInside(variable: Scope.Variable, node: TSESTree.Node): boolean {
  return variable.defs.some((d) => inside(d.name, node));
}

function isExpression(node: TSESTree.Node): node is TSESTree.Expression {
  return !node.type.endsWith('Statement') && !node.type.endsWith('Declaration');
}

