/**
 * The state one lift shares between its modules: what the nest has found so far (loops, views,
 * tensors, sinks, notes) in a `LiftContext`, and the symbolic values of the statement walk in a
 * `State`. Every module takes the context as its first parameter; nothing here outlives the lift.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import type { Caveat } from '../assumptions.js';
import type { Expr } from '../ir.js';
import type { Poly } from '../poly.js';
import { findVariable, type PolyHooks, type TensorFacts, type TensorInfo, type View } from '../tensors.js';
import type { LoopVar, NestRoot, Sink } from './nest.js';

/** Why an IR node may not be rewritten (blocker) or only under an assumption or visibly (caveat). */
export type Note = { blocker?: string; caveat?: Caveat };

export interface LiftContext {
  readonly facts: TensorFacts;
  readonly root: NestRoot;
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly loops: Map<string, LoopVar>;
  readonly order: string[];
  readonly views: Set<View>;
  /** The tensors read, by name, as TensorFacts knows them. */
  readonly tensors: Map<string, TensorInfo>;
  /** The same tensors with the ranks this lift assumed (what LiftedNest.tensors shows). */
  readonly infos: Map<string, TensorInfo>;
  /**
   * Ranks this lift assumed for tensors whose rank TensorFacts leaves open. Kept here, never
   * written into TensorInfo: TensorFacts keeps those per variable for every loop of the file.
   */
  readonly ranks: Map<TensorInfo, number>;
  /** Notes kept per IR node, so that only what reaches an output counts. */
  readonly notes: WeakMap<Expr, Note[]>;
  readonly sinks: Map<Scope.Variable, Sink>;
  /** Running indices the nest advances by constants (counters.ts); their values live in `State.polys`. */
  readonly counters: Set<Scope.Variable>;
  /** The IR name of each loop variable (sequential loops reusing `j` get `j`, `j2`, …). */
  readonly loopNames: Map<Scope.Variable, string>;
  /** A loop bound taken from the length of nested data (`rows.length`, `for (const row of rows)`): see lift(). */
  nestedBound: string | undefined;
  /** Data handed in by a caller (see TensorFacts.parameterView): why the loop cannot be fixed. */
  foreign: string | undefined;
  readonly assumptions: Map<Expr, Caveat>;
  /** The last accumulator id handed out (ids are unique within one lift). */
  accIds: number;
}

export function createContext(facts: TensorFacts, root: NestRoot): LiftContext {
  return {
    facts,
    root,
    sourceCode: facts.sourceCode,
    loops: new Map(),
    order: [],
    views: new Set(),
    tensors: new Map(),
    infos: new Map(),
    ranks: new Map(),
    notes: new WeakMap(),
    sinks: new Map(),
    counters: new Set(),
    loopNames: new Map(),
    nestedBound: undefined,
    foreign: undefined,
    assumptions: new Map(),
    accIds: 0,
  };
}

/** A (partial) access; `take` marks the one axis indexed by a value read from data (a gather). */
export type Row = {
  tensor: TensorInfo;
  axes: (string | number)[];
  take?: { axis: number; index: Expr };
  /** `full[i][n + j]`: axis `axis` is read from the loop-invariant offset `text` on. */
  offsets?: { axis: number; text: string }[];
  /** Read from flat data (`d[i * m + j]`): an index past an inner axis reads the next row, not undefined. */
  flat?: boolean;
};

/** `scatter`: one position of a `set` index is a value read from data (`buf.set(1, i, labels[i])`). */
export type Write = {
  sink: Sink;
  kind: 'index' | 'set' | 'push';
  index: Poly[];
  value: Expr;
  active: string[];
  layout?: string[];
  scatter?: { pos: number; index: Expr };
  /** `out[j] += v` into a zero-filled typed array: the loops missing from the index are summed over. */
  accumulate?: boolean;
  /** The written element (`p[i]`) of an in-place write: a branch that leaves it alone reads it. */
  target?: TSESTree.MemberExpression;
};

/** A row built in this iteration (`const row = []; … row.push(v)`). */
export type Builder = { value: Expr | undefined; layout: string[]; active: string[]; sealed: boolean };

/** The symbolic values at one point of the walk; an `if` runs each branch on a copy. */
export interface State {
  env: Map<Scope.Variable, Expr>;
  polys: Map<Scope.Variable, Poly>;
  rows: Map<Scope.Variable, Row>;
  builders: Map<Scope.Variable, Builder>;
  writes: Write[];
  active: string[];
}

export function newState(env = new Map<Scope.Variable, Expr>()): State {
  return { env, polys: new Map(), rows: new Map(), builders: new Map(), writes: [], active: [] };
}

export type Acc = Extract<Expr, { kind: 'acc' }>;

/** A placeholder for an accumulator's value at the start of an iteration. */
export function newAcc(ctx: LiftContext): Acc {
  return { kind: 'acc', id: ++ctx.accIds };
}

export function variableOf(ctx: LiftContext, id: TSESTree.Identifier): Scope.Variable | undefined {
  return findVariable(ctx.sourceCode, id);
}

/** A fresh IR name for a loop variable, appended to the nest order. */
export function newLoopVar(ctx: LiftContext, name: string): string {
  let v = name;
  for (let k = 2; ctx.loops.has(v); k++) v = `${name}${k}`;
  ctx.order.push(v);
  return v;
}

// ---------------------------------------------------------------- ranks

/** The tensor's rank: known to TensorFacts, or assumed by this lift. */
export function rankOf(ctx: LiftContext, t: TensorInfo): number | undefined {
  return t.rank ?? ctx.ranks.get(t);
}

/** Assumes a rank for a tensor of unknown rank (from the way the loop indexes it). */
export function assumeRank(ctx: LiftContext, t: TensorInfo, rank: number): void {
  if (rankOf(ctx, t) !== undefined) return;
  ctx.ranks.set(t, rank);
  if (ctx.tensors.get(t.name) === t) ctx.infos.set(t.name, { ...t, rank });
}

/** Records a tensor the nest reads. */
export function addTensor(ctx: LiftContext, t: TensorInfo): void {
  ctx.tensors.set(t.name, t);
  const assumed = ctx.ranks.get(t);
  ctx.infos.set(t.name, t.rank === undefined && assumed !== undefined ? { ...t, rank: assumed } : t);
}

/** `TensorFacts.poly` with the ranks this lift assumed. */
export function polyOf(ctx: LiftContext, node: TSESTree.Node, hooks: PolyHooks = {}): Poly | undefined {
  return ctx.facts.poly(node, { ...hooks, rank: (t) => ctx.ranks.get(t) });
}

/** The element count of `t`, with the rank this lift assumed. */
export function sizeOf(ctx: LiftContext, t: TensorInfo): Poly {
  return ctx.facts.sizePoly(t, rankOf(ctx, t));
}
