/**
 * The lifter's public types: what a lifted loop nest computes (`LiftedNest`, its loops, outputs and
 * sinks) and the tagged result of `liftNest`.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import type { Caveat } from '../assumptions.js';
import type { Expr } from '../ir.js';
import type { Poly } from '../poly.js';
import type { TensorInfo, View } from '../tensors.js';

export interface LoopVar {
  name: string;
  bound: Poly;
  /** Source text of the bound, valid wherever the nest's invariants are in scope. */
  boundText: string;
}

type Declared = { variable: Scope.Variable; statement: TSESTree.VariableDeclaration };

export type Sink =
  | ({ kind: 'typed'; ctor: string; size: Poly | undefined } & Declared)
  | ({ kind: 'buffer'; shape: Poly[]; shapeText: string[]; dtype: string | undefined } & Declared)
  | ({ kind: 'nested' } & Declared)
  /**
   * The loop changes data read back into a fresh array in place (`p[i] = 0` where `p = await t.array()`):
   * `view` is what it read, of `size` elements; an element the loop leaves alone keeps its value.
   */
  | ({ kind: 'inplace'; view: View; size: Poly } & Declared)
  | ({ kind: 'scalar'; declarator: TSESTree.VariableDeclarator } & Declared)
  /** The array `rows.map(cb)` returns: held in `const out = …` (variable, statement) or passed on directly. */
  | {
      kind: 'mapped';
      call: TSESTree.CallExpression;
      variable?: Scope.Variable;
      statement?: TSESTree.VariableDeclaration;
    }
  /** The number `data.reduce(cb, init)` returns, used in place. */
  /** `data.reduce(…)`, `d.indexOf(Math.max(...d))`; `node` when more than the call goes (`d.filter(…).length`). */
  | { kind: 'reduced'; call: TSESTree.CallExpression; node?: TSESTree.MemberExpression };

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
export type NestRoot =
  TSESTree.ForStatement | TSESTree.ForOfStatement | TSESTree.ExpressionStatement | TSESTree.CallExpression;

export interface LiftedNest {
  node: NestRoot;
  loops: Map<string, LoopVar>;
  /** Loop variables in nest order (outer first). */
  order: string[];
  outputs: Output[];
  views: Set<View>;
  /** The tensors the nest reads, by name, with the rank the lift read them with. */
  tensors: Map<string, TensorInfo>;
  /**
   * Ranks the lift assumed for tensors whose rank TensorFacts leaves open, by TensorFacts' own info
   * (which the lift never changes): pass them on as `PolyHooks.rank` when sizing those tensors.
   */
  ranks?: ReadonlyMap<TensorInfo, number>;
  /** Why the rewrite may not be applied (report without a fix). */
  blockers: string[];
  /** Why the rewrite is equivalent but visibly different (suggestion only). */
  caveats: Caveat[];
  /**
   * Accesses whose shape the loop only assumes (flat data read with another tensor's strides): a
   * caveat unless the op that reads them checks the shapes (matMul and dot do; broadcasting ops do
   * not). A bound taken from another tensor's dimension is not one: the loop then reads in range
   * exactly when the shapes agree, which ops check (or broadcast a size-1 axis — see the rule doc).
   */
  assumptions: Map<Expr, Caveat>;
}

/** The planner's follow-up questions about a lifted nest. */
export interface AfterNest {
  /**
   * The IR of an expression that follows the nest (`tf.scalar(s / n)`), where the nest's scalar
   * results hold their final values `finals`; undefined when it does not lift.
   */
  valueOf(node: TSESTree.Node, finals: ReadonlyMap<Scope.Variable, Expr>): Expr | undefined;
  /** Blockers and caveats the lift attached to the IR nodes of these expressions. */
  notesOf(exprs: Expr[]): { blockers: string[]; caveats: Caveat[] };
}

export type LiftResult =
  /** What the nest computes; `after` answers the planner's follow-up questions. */
  | { kind: 'lifted'; nest: LiftedNest; after: AfterNest; readsTensorData: boolean }
  /** A dependence between iterations that no op expresses: reported (when it read tensor data), never fixed. */
  | { kind: 'notVectorizable'; reason: string; readsTensorData: boolean }
  /** The loop writes into the array a read-back returned (`read` names the read). */
  | { kind: 'inPlace'; read: string }
  /** Not understood: not reported; `reason` is what `VECTORIZE_WHY` prints. */
  | { kind: 'unsupported'; reason: string; error: Error };

export type Lifted = Extract<LiftResult, { kind: 'lifted' }>;
