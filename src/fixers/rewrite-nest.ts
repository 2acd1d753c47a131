/**
 * The one edit builder for a lifted loop nest: lowers each output, finds where its value is
 * consumed (`tf.tensor1d(out)`, `buf.toTensor()`, `tf.scalar(s / n)`, or a JS number), and plans
 * the edits. The verdict says whether they may be an autofix, only a suggestion, or nothing.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { FUNCTION_TYPES, isInside, isMethodCall, mentions, unwrap } from '../ast/predicates.js';
import { declaredBelowGlobal, wordInFile } from '../unit-cache.js';
import { Caveats, caveat, type Caveat } from '../analysis/assumptions.js';
import { exactInFloat32, tensorsRead, type Expr } from '../analysis/ir.js';
import type { Lifted, Output, Sink } from '../analysis/lift/index.js';
import { enclosingFunction } from '../analysis/loop-context.js';
import { polyEquals, mulPoly, constPoly, polyConstant, type Poly } from '../analysis/poly.js';
import { tfCallName } from '../analysis/tf-binding.js';
import type { TensorFacts, TensorInfo } from '../analysis/tensors.js';
import { deadPatternElements, deadScaffolding } from './dead-scaffolding.js';
import { LowerError, Lowerer } from '../emit/tfjs/lower.js';
import { NO_GRADIENT, type Lowered } from '../emit/tfjs/values.js';
import { statementRemovalRange } from './remove-statement.js';
import { statementSeparator } from './line-layout.js';
import { TfNamer } from './tf-namer.js';
import { AnalysisStop } from '../analysis/lift/errors.js';

export type Verdict = 'fix' | 'suggest' | 'none';

export interface RewritePlan {
  /** What the loop computes, e.g. "the sum over each row of `x`". */
  what: string;
  /** The vectorized replacement of the first output, for the message. */
  replacement: string;
  /**
   * none: report only (`reasons` are the blockers); fix: exact; suggest: exact unless one of `caveats`
   * happens (the rule makes it an autofix when each names an assumption the user accepts).
   */
  verdict: Verdict;
  /** Why no fix (verdict none) or how the rewrite may differ (the texts of `caveats`). */
  reasons: string[];
  caveats: Caveat[];
  /** TF.js ops of the rewrite that have no gradient (see NO_GRADIENT): it cannot run under a gradient. */
  withoutGradient: string[];
  edits: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[];
}

const TENSOR_CREATORS: Record<string, number | undefined> = {
  tensor: undefined,
  tensor1d: 1,
  tensor2d: 2,
  tensor3d: 3,
  tensor4d: 4,
  tensor5d: 5,
  tensor6d: 6,
};
/** Typed arrays no TF.js dtype reads back as, which convert each value stored into them. */
const CONVERTING_CTORS = new Set([
  'Uint8Array',
  'Uint8ClampedArray',
  'Int8Array',
  'Int16Array',
  'Uint16Array',
  'Uint32Array',
]);
const FLOAT_CTORS = new Set(['Float32Array', 'Float64Array', 'Array']);
/** Ops whose result may share its input's storage on the cpu backend (the same data, or a view of it). */
const SHARING_OPS = ['reshape', 'cast', 'slice', 'clone', 'expandDims', 'squeeze', 'stridedSlice'];

/** The loop is described but not rewritten: `message` joins the reasons. */
class PlanError extends AnalysisStop {}
/** No plan at all (the rule says nothing): what follows the loop does not lift. */
class NoPlan extends AnalysisStop {}

interface Replacement {
  range: [number, number];
  text: string;
}

/**
 * The plan for a lifted nest; undefined when there is none to offer (a shape the lowering cannot
 * express yet, or a use of the result after the loop that does not lift): say nothing rather than guess.
 */
export function planRewrite(
  facts: TensorFacts,
  lifted: Lifted,
  filename: string,
  options: { gradient?: boolean } = {},
  /** Told why there is no plan (for VECTORIZE_WHY). */
  onNoPlan?: (e: Error) => void,
): RewritePlan | undefined {
  try {
    return plan(facts, lifted, filename, options);
  } catch (e) {
    if (e instanceof LowerError || e instanceof NoPlan) {
      onNoPlan?.(e);
      return undefined;
    }
    throw e;
  }
}

function plan(
  facts: TensorFacts,
  { nest, after }: Lifted,
  filename: string,
  options: { gradient?: boolean },
): RewritePlan {
  const sourceCode = facts.sourceCode;
  /** Sizes as the lift saw them: with the ranks it assumed for tensors of unknown rank. */
  const assumed = { rank: (t: TensorInfo) => nest.ranks?.get(t) };
  const blockers = [...nest.blockers];
  const caveats = new Caveats().addAll(nest.caveats);
  const namer = new TfNamer(facts.binding, (name) => declaredBelowGlobal(sourceCode, name));
  const lowerer = new Lowerer(nest, namer, options);
  const isTs = /\.[cm]?tsx?$/.test(filename);
  const replacements: Replacement[] = [];
  // A map call is removed with its declaration, or replaced with the tensor creator it feeds.
  // A labelled loop goes with its label.
  const removals: TSESTree.Node[] =
    nest.node.type === AST_NODE_TYPES.CallExpression
      ? []
      : [nest.node.parent?.type === AST_NODE_TYPES.LabeledStatement ? nest.node.parent : nest.node];
  const fn = enclosingFunction(nest.node);
  const whats: string[] = [];
  /** The lowering of the output being planned, for a report when the plan fails after it. */
  let pending: { code: string; top: string; value: Expr } | undefined;
  const replacements_: string[] = [];

  /** Declarations of JS outputs that take the loop's place (`const out = tf.tidy(() => ….dataSync());`). */
  const jsDeclarations: string[] = [];
  /** A JS output is read back with `await` where the loop was (see planAwaitedJs). */
  let awaitedRoots = false;

  const finals = new Map<Scope.Variable, Expr>();
  for (const out of nest.outputs) if (out.sink.kind === 'scalar') finals.set(out.sink.variable, out.value);

  try {
    for (const out of nest.outputs) {
      const planned =
        out.sink.kind === 'scalar' ? planScalar(out) : out.sink.kind === 'reduced' ? planReduced(out) : planTensor(out);
      if (!planned) continue;
      const described = `${planned.top} of ${listNames(tensorsRead(planned.value))}`;
      if (!whats.includes(described)) whats.push(described);
      replacements_.push(planned.code);
    }
  } catch (e) {
    if (!(e instanceof PlanError)) throw e;
    blockers.push(e.message);
    // Still say what the loop computes (report without a fix).
    if (pending && replacements_.length === 0) {
      whats.push(`${pending.top} of ${listNames(tensorsRead(pending.value))}`);
      replacements_.push(pending.code);
    }
  }
  caveats.addAll(lowerer.caveats);
  for (const [access, assumption] of nest.assumptions)
    if (lowerer.lowered.has(access) && !lowerer.contracted.has(access)) caveats.add(assumption);
  const what = whats.join(' and ');
  const replacement = replacements_.join('` and `');
  if (namer.unreachable)
    blockers.push(`\`${namer.unreachable}\` is not imported and cannot be added to the file's TF.js import`);

  // Tensors the fix reads later must still be alive there: a disposal inside the loop, or before code
  // the fix puts after it (a tensor creator fed by the loop), blocks it. One after the loop, when the
  // fix's code all runs at or before the loop, does not (`tf.dispose([a, b])` once the counts are taken).
  const lastRead = Math.max(nest.node.range[0], ...replacements.map((r) => r.range[0]));
  for (const name of nest.tensors.keys()) {
    const t = nest.tensors.get(name)!;
    if (
      t.variable.references.some(
        (r) =>
          r.identifier.type === AST_NODE_TYPES.Identifier &&
          isDisposal(r.identifier) &&
          r.identifier.range[0] > nest.node.range[0] &&
          (r.identifier.range[0] < nest.node.range[1] || r.identifier.range[0] < lastRead),
      )
    ) {
      blockers.push(`\`${name}\` is disposed after the loop`);
    }
  }

  if (jsDeclarations.length > 0 && blockers.length === 0) {
    const root = removals.shift()!;
    const indent = ' '.repeat(root.loc.start.column);
    replacements.push({ range: root.range, text: jsDeclarations.join('\n').split('\n').join(`\n${indent}`) });
    const comments = sourceCode.getCommentsInside(root).length;
    if (comments > 0) caveats.add(`it drops ${comments === 1 ? 'a comment' : `${comments} comments`} inside the loop`);
  }

  // Reads and sizes that only the loop used become dead: remove them (nothing else).
  const goneRanges = (): [number, number][] => [...removals.map((n) => n.range), ...replacements.map((r) => r.range)];
  const newText = replacements.map((r) => r.text).join('\n');
  const dead = deadScaffolding(sourceCode, goneRanges(), newText, fn ?? sourceCode.ast);
  removals.push(...dead);
  for (const id of deadPatternElements(sourceCode, goneRanges(), newText, fn ?? sourceCode.ast, dead))
    replacements.push({ range: id.range, text: '' });
  if (awaitedRoots) blockers.push(...awaitMoves(removals, dead));
  nameUnnamedReads();
  const removalRanges = removals.map((n) => statementRemovalRange(sourceCode, n));
  // Named TF.js imports only the removed code used (`tensor1d` once the creator is replaced).
  removalRanges.push(
    ...unusedImports(
      [...removalRanges, ...replacements.map((r) => r.range)],
      replacements.map((r) => r.text).join('\n'),
      namer.missing.size > 0,
    ),
  );
  const dropped = sourceCode
    .getAllComments()
    .filter((c) => removalRanges.some(([s, e]) => c.range[0] >= s && c.range[1] <= e));
  if (dropped.length > 0)
    caveats.add(`it drops ${dropped.length === 1 ? 'a comment' : `${dropped.length} comments`} inside the loop`);

  const verdict: Verdict = blockers.length > 0 || !replacement ? 'none' : caveats.size > 0 ? 'suggest' : 'fix';
  return {
    what: what || 'an element-wise computation',
    replacement,
    verdict,
    reasons: verdict === 'none' ? [...new Set(blockers)] : [...caveats].map((c) => c.text),
    caveats: verdict === 'none' ? [] : [...caveats],
    withoutGradient: [...lowerer.ops].filter((op) => NO_GRADIENT.has(op)),
    edits: (fixer) => [
      ...removalRanges.map((r) => fixer.removeRange(r)),
      ...replacements.map((r) => fixer.replaceTextRange(r.range, r.text)),
      ...namer.importEdits(fixer),
    ],
  };

  // ---------------------------------------------------------------------

  /**
   * The fix names each tensor it reads that no variable held: `const d = ys.argMax(-1).dataSync();`
   * becomes `const dTensor = ys.argMax(-1);` before `const d = dTensor.dataSync();` (the receiver is
   * evaluated once, where it was), or takes the declaration's place when the read-back is dead.
   */
  function nameUnnamedReads(): void {
    const text = replacements.map((r) => r.text).join('\n');
    for (const t of nest.tensors.values()) {
      const introduce = t.introduce;
      if (!introduce || !mentions(text, t.name)) continue;
      const { statement, receiver } = introduce;
      const declaration = `const ${t.name} = ${sourceCode.getText(receiver)};`;
      const removed = removals.indexOf(statement);
      // The read-back itself is dead once only the removed code used it (deadScaffolding keeps it: the
      // receiver's call is an effect, which the new declaration keeps).
      const gone = goneRanges();
      const dead =
        removed >= 0 ||
        t.variable.references.every(
          (r) => r.init || gone.some(([a, b]) => a <= r.identifier.range[0] && r.identifier.range[1] <= b),
        );
      if (removed >= 0) removals.splice(removed, 1);
      if (dead) {
        replacements.push({ range: statement.range, text: declaration });
      } else {
        replacements.push({
          range: [statement.range[0], statement.range[0]],
          text: `${declaration}${statementSeparator(sourceCode, statement)}`,
        });
        replacements.push({ range: receiver.range, text: t.name });
      }
    }
  }

  /**
   * The one `await` of each data read moves to where the loop was: only when every awaited read is dead
   * scaffolding (else the rewrite would wait twice) and what lies between it and the loop is declarations
   * without side effects (which may then run before the wait instead of after it, unobservably).
   */
  function awaitMoves(removed: TSESTree.Node[], dead: TSESTree.VariableDeclaration[]): string[] {
    const root = nest.node.parent?.type === AST_NODE_TYPES.LabeledStatement ? nest.node.parent : nest.node;
    const block = root.parent;
    if (block?.type !== AST_NODE_TYPES.BlockStatement && block?.type !== AST_NODE_TYPES.Program)
      return ['the data was read asynchronously and the loop is not in a block'];
    const body = block.body as TSESTree.Node[];
    const at = body.indexOf(root);
    for (const view of nest.views) {
      if (!view.async) continue;
      const where = view.statement ? body.indexOf(view.statement) : -1;
      if (where < 0 || where > at || !dead.includes(view.statement!))
        return [
          `\`${view.variable?.name ?? view.tensor.name}\` is read asynchronously and used elsewhere: the rewrite would wait twice`,
        ];
      for (const between of body.slice(where + 1, at))
        if (!removed.includes(between) && !sideEffectFree(between))
          return [
            `a statement between \`await ${view.tensor.name}.${view.method}()\` and the loop would run before the wait`,
          ];
    }
    return [];
  }

  function unusedImports(gone: [number, number][], newText: string, adding: boolean): [number, number][] {
    const out: [number, number][] = [];
    const isGone = (n: TSESTree.Node) => gone.some(([a, b]) => n.range[0] >= a && n.range[1] <= b);
    for (const stmt of sourceCode.ast.body) {
      if (stmt.type !== AST_NODE_TYPES.ImportDeclaration || stmt !== facts.binding.importDecl) continue;
      const specs = stmt.specifiers.filter(
        (sp): sp is TSESTree.ImportSpecifier => sp.type === AST_NODE_TYPES.ImportSpecifier,
      );
      const dead = specs.filter((sp) => {
        const variable = sourceCode.scopeManager?.getDeclaredVariables(sp)[0];
        return (
          variable &&
          variable.references.length > 0 &&
          variable.references.every((r) => isGone(r.identifier)) &&
          !new RegExp(`\\b${sp.local.name}\\b`).test(newText)
        );
      });
      // Keep at least one specifier when the fix adds its own after the last one.
      const removable = dead.length === stmt.specifiers.length ? (adding ? dead.slice(0, -1) : []) : dead;
      for (const sp of removable) {
        const next = sourceCode.getTokenAfter(sp);
        const prev = sourceCode.getTokenBefore(sp);
        if (next?.value === ',') out.push([sp.range[0], sourceCode.getTokenAfter(next)!.range[0]]);
        else if (prev?.value === ',') out.push([prev.range[0], sp.range[1]]);
      }
    }
    // Neighbouring specifiers' ranges may share a comma: merge them.
    out.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const r of out) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([...r]);
    }
    return merged;
  }

  /** `code as tf.Tensor2D`; tf.gather is typed as returning its input's type whatever the rank, so widen it first. */
  function typeCast(code: string, type: string, consumer: TSESTree.Node): string {
    const loose = /\bgather\(/.test(code) ? namer.type('Tensor') : undefined;
    const text = loose ? `${code} as ${loose} as ${type}` : `${code} as ${type}`;
    return needsParens(consumer) ? `(${text})` : text;
  }

  function planTensor(out: Output): { code: string; top: string; value: Expr } {
    const sink = out.sink as Exclude<Sink, { kind: 'scalar' | 'reduced' }>;
    const lowered = lowerer.output(out);
    pending = { code: lowered.code, top: lowered.top, value: out.value };
    if (sink.kind === 'inplace') return planInPlace(out, sink, lowered);
    let ref: TSESTree.Node;
    if (sink.kind === 'mapped' && !sink.variable) {
      ref = sink.call;
      while (
        ref.parent &&
        (ref.parent.type === AST_NODE_TYPES.TSAsExpression || ref.parent.type === AST_NODE_TYPES.TSNonNullExpression)
      )
        ref = ref.parent;
      // The array the map returns stays in JS: the rewrite reads the result back in its place.
      if (!feedsCreator(ref)) return planJs(out, sink, lowered, []);
    } else {
      const variable = sink.variable!;
      const reads = variable.references.filter((r) => !r.init && !isInside(r.identifier, nest.node));
      if (sink.kind !== 'buffer' && !(reads.length === 1 && feedsCreator(reads[0].identifier)))
        return planJs(
          out,
          sink,
          lowered,
          reads.map((r) => r.identifier),
        );
      if (reads.length !== 1)
        throw new PlanError(
          `\`${variable.name}\` is used ${reads.length === 0 ? 'nowhere' : 'more than once'} after the loop`,
        );
      ref = reads[0].identifier;
      checkAfter(ref);
      if (sink.statement!.declarations.length !== 1) throw new PlanError(`\`${variable.name}\` shares its declaration`);
    }
    const sinkName = sink.variable?.name ?? 'the mapped array';
    let code = lowered.code;
    let consumer: TSESTree.Node;
    let rankedCreator: number | undefined;
    let dtype: string | undefined;
    const bounds = out.layout.map((v) => nest.loops.get(v)!.bound);

    if (sink.kind === 'buffer') {
      // buf.toTensor()
      const member = ref.parent;
      if (
        member?.type !== AST_NODE_TYPES.MemberExpression ||
        member.object !== ref ||
        !member.parent ||
        !isMethodCall(member.parent, 'toTensor') ||
        member.parent.arguments.length > 0
      ) {
        throw new PlanError(`the buffer \`${sinkName}\` is used other than by \`toTensor()\``);
      }
      consumer = member.parent;
      dtype = sink.dtype ?? 'float32';
      // toTensor() is typed Tensor; tf.gather claims its input's rank, which a cast in the original may contradict.
      if (isTs && /\bgather\(/.test(code)) {
        const loose = namer.type('Tensor');
        if (loose) code = `(${code} as ${loose})`;
      }
    } else {
      // feedsCreator(ref) held above (a result that stays in JS went to planJs): `tf.tensor1d(out, …)`.
      const call = ref.parent;
      const op = call && tfCallName(facts.binding, call);
      if (!op || call?.type !== AST_NODE_TYPES.CallExpression) throw new NoPlan();
      consumer = call;
      rankedCreator = TENSOR_CREATORS[op];
      const shapeArg = op === 'tensor1d' ? undefined : call.arguments[1];
      const dtypeArg = op === 'tensor1d' ? call.arguments[1] : call.arguments[2];
      if (dtypeArg) {
        const d = unwrap(dtypeArg);
        if (d.type !== AST_NODE_TYPES.Literal || typeof d.value !== 'string')
          throw new PlanError('the tensor dtype is not a literal');
        dtype = d.value;
      }
      if (sink.kind === 'typed' && !FLOAT_CTORS.has(sink.ctor)) {
        if (lowered.dtype !== 'int')
          throw new PlanError(`writing into \`${sink.ctor}\` truncates each value to an integer`);
        dtype ??= sink.ctor === 'Int32Array' ? 'int32' : undefined;
        if (dtype !== 'int32') throw new PlanError(`\`${sink.ctor}\` data gives a tensor of another dtype`);
      }
      dtype ??= 'float32';
      // The shape the creator gives: flat unless a shape is passed (nested arrays keep theirs).
      let target: Poly[] | undefined;
      let unknownRankShape = false;
      if (shapeArg) {
        const s = unwrap(shapeArg);
        const shapeOf =
          s.type === AST_NODE_TYPES.MemberExpression &&
          !s.computed &&
          s.property.type === AST_NODE_TYPES.Identifier &&
          s.property.name === 'shape'
            ? facts.tensor(s.object)
            : undefined;
        if (shapeOf) {
          const rank = shapeOf.rank ?? assumed.rank(shapeOf);
          // tf.tensor(out, x.shape): x's dims, or just its size when its rank is unknown
          target =
            rank !== undefined
              ? Array.from({ length: rank }, (_, k) => facts.dimPoly(shapeOf, k))
              : [facts.sizePoly(shapeOf, rank)];
          // Rank unknown: only the size is known to match, so the result always takes x.shape.
          unknownRankShape = rank === undefined;
          if (
            rank === undefined &&
            !polyEquals(
              target[0],
              bounds.reduce((a, b) => mulPoly(a, b), constPoly(1)),
            )
          )
            throw new PlanError('the tensor shape is not provably the loop bounds');
        } else if (s.type !== AST_NODE_TYPES.ArrayExpression)
          throw new PlanError('the tensor shape is not an array literal');
        else
          target = s.elements.map((e) => {
            const p = e && e.type !== AST_NODE_TYPES.SpreadElement ? facts.poly(e, assumed) : undefined;
            if (!p) throw new PlanError('the tensor shape is not provably the loop bounds');
            return p;
          });
      } else if (sink.kind === 'typed') target = [bounds.reduce((a, b) => mulPoly(a, b), constPoly(1))];
      if (
        target &&
        (unknownRankShape || !(target.length === bounds.length && target.every((p, k) => polyEquals(p, bounds[k]))))
      ) {
        const total = bounds.reduce((a, b) => mulPoly(a, b), constPoly(1));
        if (
          !unknownRankShape &&
          !polyEquals(
            target.reduce((a, b) => mulPoly(a, b), constPoly(1)),
            total,
          )
        )
          throw new PlanError('the tensor shape does not match what the loop writes');
        code = `${namer.op('reshape')}(${code}, ${shapeArg ? sourceCode.getText(shapeArg) : '[-1]'})`;
        lowered.ops++;
      }
      if (rankedCreator !== undefined && target === undefined && rankedCreator !== bounds.length)
        throw new PlanError('the tensor rank does not match the loop nest');
    }
    if (dtype !== 'float32' && !(dtype === 'int32' && lowered.dtype === 'int'))
      throw new PlanError(`the result is created as \`${dtype}\``);
    // A tensor made from JS numbers is float32; the op's result is int32 on int32 data (tf.sum of int32
    // row sums): cast unless it surely is float32.
    if (dtype === 'float32' && (lowered.dtype !== 'float' || !lowered.float)) {
      code = `${namer.op('cast')}(${code}, 'float32')`;
      lowered.ops++;
    }
    // A bare input would alias it: the caller may dispose the result.
    if (lowered.ops === 0) code = `${namer.op('clone')}(${code})`;
    else if (lowered.ops > 1) code = `${namer.op('tidy')}(() => ${code})`;
    let text = code;
    if (isTs && rankedCreator !== undefined) {
      const type = namer.type(`Tensor${rankedCreator}D`);
      if (type) text = typeCast(code, type, consumer);
    }
    replacements.push({ range: consumer.range, text: asiGuard(consumer, text) });
    if (sink.statement) removals.push(sink.statement);
    return { code, top: lowered.top, value: out.value };
  }

  /** Whether `code` is a call of TF.js's `op`, under the file's binding (without asking the namer to import it). */
  function startsWithOp(code: string, op: string): boolean {
    const b = facts.binding;
    if (b.namespace) return code.startsWith(`${b.namespace}.${op}(`);
    for (const [local, imported] of b.named) if (imported === op && code.startsWith(`${local}(`)) return true;
    return namer.missing.has(op) && code.startsWith(`${op}(`);
  }

  /** `tf.tensor1d(ref)` and the other creators: the result becomes a tensor. */
  function feedsCreator(ref: TSESTree.Node): boolean {
    const call = ref.parent;
    const op = call && tfCallName(facts.binding, call);
    return !!op && op in TENSOR_CREATORS && call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === ref;
  }

  /**
   * The result stays in JS (`return out`, `out.map(…)`): the op's result is read back into the same JS
   * type — a Float32Array or Int32Array with `dataSync()`, an Array (`push`, `new Array(n)`, `rows.map`)
   * with `arraySync()` — where the loop was, so that everything after it sees the same value.
   */
  function planJs(
    out: Output,
    sink: Extract<Sink, { kind: 'typed' | 'nested' | 'mapped' }>,
    lowered: Lowered,
    reads: TSESTree.Node[],
  ): { code: string; top: string; value: Expr } {
    const name = sink.variable ? `\`${sink.variable.name}\`` : 'the mapped array';
    const result = { code: lowered.code, top: lowered.top, value: out.value };
    // Data read with `await x.data()`: the result is read back with `await` too, where the loop was — the
    // same one wait, moved past only side-effect-free declarations (checked once the dead reads are known).
    const awaited = [...nest.views].some((v) => v.async);
    if (awaited && sink.kind === 'mapped')
      throw new PlanError(`${name} stays in JS and the data was read asynchronously`);
    // The result is computed where the loop was: a function made after the loop may read it whenever it runs.
    reads.forEach((r) => checkAfter(r, true));
    let code = lowered.code;
    let ops = lowered.ops;
    let read: string;
    /** The typed array the result is converted into in JS, element by element as the loop's stores convert. */
    let convert: string | undefined;
    if (sink.kind === 'typed' && sink.ctor !== 'Array') {
      if (sink.ctor === 'Float32Array') {
        // A result that may be int32 or bool is converted in JS, as the loop's stores convert each value
        // (tf.cast of an empty int32 tensor keeps an Int32Array on cpu).
        convert = lowered.dtype !== 'float' || !lowered.float ? 'Float32Array' : undefined;
        read = isTs && !convert ? 'dataSync() as Float32Array' : 'dataSync()';
      } else if (sink.ctor === 'Int32Array') {
        if (lowered.dtype !== 'int') {
          // Storing into an Int32Array is ToInt32, as tf.cast to int32 is on cpu and wasm; the same only when
          // the value is the same in float32 as in float64.
          if (!exactInFloat32(out.value))
            throw new PlanError(`writing into \`Int32Array\` truncates each value to an integer`);
          code = `${namer.op('cast')}(${code}, 'int32')`;
          ops++;
        }
        read = isTs ? 'dataSync() as Int32Array' : 'dataSync()';
      } else if (CONVERTING_CTORS.has(sink.ctor)) {
        // Uint8Array and the like: the array converts each value of the result (ToUint8, ToUint8Clamp, …) as
        // it converted each value the loop stored.
        // The values must be the same: computed in float32 (or cast to it: an int32 value past 2^24 rounds)
        // they may not be, where the loop converted float64 ones.
        if (!exactInFloat32(out.value) || code.includes(`'float32')`))
          caveats.add(
            caveat(
              `${name} stays a \`${sink.ctor}\`, which converts values computed in float32 (an int32 value past 2^24 rounds, ` +
                `a float64 product may land on the other side of an integer) where the loop converted float64 ones`,
              'float32-sums',
            ),
          );
        convert = sink.ctor;
        read = 'dataSync()';
      } else throw new PlanError(`${name} stays a \`${sink.ctor}\`, which no TF.js dtype reads back as`);
      // On the cpu backend dataSync() hands out the tensor's own storage, which a reshape, a same-dtype cast or
      // a slice shares with its input: such a result (or an input read as it is) is copied, so that writing
      // into it leaves the input alone. (Another op's result is new storage; a converted one a new array.)
      if (!convert && (ops === 0 || SHARING_OPS.some((op) => startsWithOp(code, op))))
        read = read.replace('dataSync()', 'dataSync().slice()');
    } else {
      // A bool tensor reads back as 0 and 1, not as true and false.
      if (lowered.dtype === 'bool') throw new PlanError(`${name} holds booleans`);
      if (lowered.dtype !== 'int' && !exactInFloat32(out.value))
        caveats.add(caveat(`${name} stays a JS array, now computed in float32 instead of float64`, 'float32-sums'));
      // `new Array(n * m)` written at `i * m + j` holds the values flat: so must the result.
      const flat = sink.kind === 'typed' && out.layout.length > 1;
      if (flat) {
        code = `${namer.op('reshape')}(${code}, [-1])`;
        ops++;
      }
      // Rows of a constant length (`[x, y, 1]` per element) are never empty.
      const inner = out.layout.slice(1).map((v) => polyConstant(nest.loops.get(v)!.bound));
      if (out.layout.length > 1 && !flat && inner.some((c) => c === undefined || c <= 0))
        caveats.add(
          caveat(
            `where an inner axis is empty, arraySync() gives [] and the loop gives empty rows (\`[[], …]\`)`,
            'non-empty',
          ),
        );
      // arraySync() of a Tensor of unknown rank is typed as any nesting depth: say which.
      read = isTs ? `arraySync() as number${'[]'.repeat(flat ? 1 : out.layout.length)}` : 'arraySync()';
    }
    if (awaited && sink.kind !== 'mapped') return planAwaitedJs(out, sink, lowered, { code, ops, read, convert });
    const value = convert ? `new ${convert}(${code}.${read})` : `${code}.${read}`;
    const text = ops === 0 ? value : `${namer.op('tidy')}(() => ${value})`;
    if (sink.kind === 'mapped') {
      const inPlace = ops === 0 && isTs && needsParens(sink.call) ? `(${text})` : text;
      replacements.push({ range: sink.call.range, text: asiGuard(sink.call, inPlace) });
      return result;
    }
    // `const out = new Float32Array(n)` moves to where the loop was, computed there.
    const statement = sink.statement;
    const root = removals[0];
    if (sink.statement.declarations.length !== 1) throw new PlanError(`${name} shares its declaration`);
    if (!root || statement.parent !== root.parent)
      throw new PlanError(`${name} is declared in another block than the loop`);
    removals.push(statement);
    jsDeclarations.push(`${statement.kind} ${sourceCode.getText(statement.declarations[0].id)} = ${text};`);
    return result;
  }

  /**
   * `const p = await t.array(); for (…) if (p[i] === -Infinity) p[i] = 0;`: the values the loop leaves are
   * computed where the data was read, and read back instead of `t`'s — `const pTensor = tf.where(…);
   * const p = await pTensor.array(); pTensor.dispose();` (sync: `tf.tidy(() => ….arraySync())`) — and the
   * loop goes. Only where nothing between the read and the loop touches `p`, and every name the op reads
   * is declared before the read and not assigned between the two.
   */
  function planInPlace(
    out: Output,
    sink: Extract<Sink, { kind: 'inplace' }>,
    lowered: Lowered,
  ): { code: string; top: string; value: Expr } {
    const name = `\`${sink.variable.name}\``;
    const { view, statement } = sink;
    const result = { code: lowered.code, top: lowered.top, value: out.value };
    const refuse = (why: string): never => {
      throw new PlanError(`the loop changes ${name} in place: ${why}`);
    };
    if (view.tensor.foreign || view.tensor.introduce) refuse('compute the values with the op before reading them back');
    const root = removals[0];
    if (!root || statement.parent !== root.parent || statement.declarations.length !== 1)
      refuse('the read is not a declaration of its own in the block of the loop');
    const between = (n: TSESTree.Node) => n.range[0] > statement.range[1] && n.range[0] < root.range[0];
    if (sink.variable.references.some((r) => between(r.identifier)))
      refuse(`${name} is used between the read and the loop`);
    if (lowered.dtype === 'bool') refuse(`${name} would hold 0 and 1 instead of booleans`);
    // The op runs where the data was read: every name it reads must be there already.
    const scope = sourceCode.getScope(statement);
    for (const id of new Set(lowered.code.match(/[A-Za-z_$][\w$]*/g) ?? [])) {
      let variable: Scope.Variable | undefined;
      for (let sc: Scope.Scope | null = scope; sc && !variable; sc = sc.upper) variable = sc.set.get(id);
      const def = variable?.defs[0];
      if (def && between(def.name)) refuse(`\`${id}\` is declared after the read`);
      if (variable?.references.some((r) => r.isWrite() && !r.init && between(r.identifier)))
        refuse(`\`${id}\` changes between the read and the loop`);
    }
    if (lowered.dtype !== 'int' && !exactInFloat32(out.value))
      caveats.add(caveat(`${name} now holds values computed in float32 instead of float64`, 'float32-sums'));
    const declarator = statement.declarations[0];
    const id = sourceCode.getText(declarator.id);
    const copy = view.kind === 'flat';
    const sync = !view.async;
    const cast = isTs && view.kind === 'nested' ? ' as number[]' : '';
    let text: string;
    if (sync) {
      const read = `${namer.op('tidy')}(() => ${lowered.code}.${copy ? 'dataSync()' : `arraySync()${cast}`})`;
      text = `${statement.kind} ${id} = ${copy ? `Array.from(${read})` : read};`;
    } else {
      text = awaitedRead(sink.variable.name, lowered.code, lowered.ops, (tmp) => {
        const read = copy ? `Array.from(await ${tmp}.data())` : `(await ${tmp}.array())${cast}`;
        return `${statement.kind} ${id} = ${read};`;
      }).join(`\n${' '.repeat(statement.loc.start.column)}`);
    }
    replacements.push({ range: statement.range, text });
    return result;
  }

  /**
   * planJs with data read by `await`: `const outTensor = op; const out = (await outTensor.data()) as Float32Array;
   * outTensor.dispose();` where the loop was (an input read as it is: `(await x.data()).slice()`).
   */
  function planAwaitedJs(
    out: Output,
    sink: Extract<Sink, { kind: 'typed' | 'nested' }>,
    lowered: Lowered,
    r: { code: string; ops: number; read: string; convert: string | undefined },
  ): { code: string; top: string; value: Expr } {
    const statement = sink.statement;
    const root = removals[0];
    const name = `\`${sink.variable.name}\``;
    if (statement.declarations.length !== 1) throw new PlanError(`${name} shares its declaration`);
    if (!root || statement.parent !== root.parent)
      throw new PlanError(`${name} is declared in another block than the loop`);
    const method = r.read.startsWith('dataSync') ? 'data' : 'array';
    const cast = isTs ? r.read.replace(/^\w+\(\)(\.slice\(\))?/, '') : '';
    const id = sourceCode.getText(statement.declarations[0].id);
    let lines: string[];
    if (r.ops === 0) {
      const read = `(await ${r.code}.${method}())${method === 'data' && !r.convert ? '.slice()' : ''}`;
      lines = [
        `${statement.kind} ${id} = ${r.convert ? `new ${r.convert}(await ${r.code}.data())` : `${read}${cast}`};`,
      ];
    } else {
      const copy = method === 'data' && r.read.includes('.slice()') ? '.slice()' : '';
      lines = awaitedRead(sink.variable.name, r.code, r.ops, (tmp) => {
        const read = r.convert ? `new ${r.convert}(await ${tmp}.data())` : `(await ${tmp}.${method}())${copy}${cast}`;
        return `${statement.kind} ${id} = ${read};`;
      });
    }
    removals.push(statement);
    awaitedRoots = true;
    jsDeclarations.push(lines.join('\n'));
    return { code: lowered.code, top: lowered.top, value: out.value };
  }

  /**
   * `const outTensor = op; <declaration of the data>; outTensor.dispose();`: an op's result read back with
   * `await`, then freed (several ops in a `tidy`, which cannot hold the `await`). `declare` gets the name.
   */
  function awaitedRead(base: string, code: string, ops: number, declare: (tmp: string) => string): string[] {
    const tmp = freshName(`${base}Tensor`);
    const held = ops > 1 ? `${namer.op('tidy')}(() => ${code})` : code;
    return [`const ${tmp} = ${held};`, declare(tmp), `${tmp}.dispose();`];
  }

  /** `base`, or `base2`, … : a name no identifier of the enclosing function (or file) spells. */
  function freshName(base: string): string {
    const text = fn && sourceCode.getText(fn);
    for (let k = 1; ; k++) {
      const candidate = k === 1 ? base : `${base}${k}`;
      if (!(text === undefined ? wordInFile(sourceCode, candidate) : new RegExp(`\\b${candidate}\\b`).test(text)))
        return candidate;
    }
  }

  function planScalar(out: Output): { code: string; top: string; value: Expr } | undefined {
    const sink = out.sink as Extract<Sink, { kind: 'scalar' }>;
    const reads = sink.variable.references.filter((r) => !r.init && !isInside(r.identifier, nest.node));
    if (reads.length === 0) {
      // An accumulator only the loop used (the running sum of a prefix sum): scaffolding.
      if (sink.statement.declarations.length !== 1)
        throw new PlanError(`\`${sink.variable.name}\` shares its declaration`);
      removals.push(sink.statement);
      return undefined;
    }
    reads.forEach((r) => checkAfter(r.identifier));
    // return tf.scalar(s / n)  →  the whole expression becomes one tensor op
    const creator = reads.length === 1 ? scalarCreator(reads[0].identifier) : undefined;
    if (creator && sink.statement.declarations.length === 1) {
      removals.push(sink.statement);
      // tf.scalar(num / den): the first accumulator's replacement already covers the whole expression.
      if (replacements.some((r) => r.range[0] === creator.range[0] && r.range[1] === creator.range[1]))
        return undefined;
      return replaceCreator(creator, sink);
    }
    // The result stays a JS number: computed in float32 instead of float64, so only a suggestion.
    return replaceWithNumber(out, sink.declarator.init!, `\`${sink.variable.name}\``);
  }

  /** `tf.scalar(data.reduce(…) / n)` becomes one op; a bare `data.reduce(…)` a number read back. */
  function planReduced(out: Output): { code: string; top: string; value: Expr } {
    const sink = out.sink as Extract<Sink, { kind: 'reduced' }>;
    const at = sink.node ?? sink.call;
    const creator = scalarCreator(at);
    if (creator) return replaceCreator(creator, sink);
    return replaceWithNumber(out, at, 'the result');
  }

  function replaceCreator(creator: TSESTree.CallExpression, sink: Sink): { code: string; top: string; value: Expr } {
    const value = after.valueOf(creator.arguments[0], finals);
    if (!value) throw new NoPlan();
    const notes = after.notesOf([value]);
    blockers.push(...notes.blockers);
    caveats.addAll(notes.caveats);
    const lowered = lowerer.output({ sink, layout: [], value });
    // tf.scalar(s) is float32, the op's result int32 on int32 data: cast unless it surely is float32.
    const float = lowered.dtype === 'float' && lowered.float;
    let code = float ? lowered.code : `${namer.op('cast')}(${lowered.code}, 'float32')`;
    if (lowered.ops > 1 || !float) code = `${namer.op('tidy')}(() => ${code})`;
    let text = code;
    // tf.scalar(…) is typed Scalar; the op that replaces it returns a Tensor of unknown rank.
    if (isTs && tfCallName(facts.binding, creator) === 'scalar') {
      const type = namer.type('Scalar');
      if (type) text = typeCast(code, type, creator);
    }
    replacements.push({ range: creator.range, text: asiGuard(creator, text) });
    return { code, top: lowered.top, value };
  }

  function replaceWithNumber(
    out: Output,
    target: TSESTree.Node,
    name: string,
  ): { code: string; top: string; value: Expr } {
    const lowered = lowerer.output(out);
    const code = `${namer.op('tidy')}(() => ${lowered.code}.dataSync()[0])`;
    if ([...nest.views].some((v) => v.async)) {
      // Reading the number back synchronously would change when the code waits; asynchronously, tidy cannot dispose.
      blockers.push(`${name} stays a JS number and the data was read asynchronously`);
      return { code, top: lowered.top, value: out.value };
    }
    // An index (argmax) is exact either way; a float result loses float64 precision.
    if (lowered.dtype !== 'int')
      caveats.add(caveat(`${name} stays a JS number, now computed in float32 instead of float64`, 'float32-sums'));
    replacements.push({ range: target.range, text: code });
    return { code, top: lowered.top, value: out.value };
  }

  function scalarCreator(ref: TSESTree.Node): TSESTree.CallExpression | undefined {
    for (let n: TSESTree.Node | undefined = ref.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) {
      if (n.type === AST_NODE_TYPES.CallExpression) {
        const op = tfCallName(facts.binding, n);
        return (op === 'scalar' || op === 'tensor') && n.arguments.length === 1 && isInside(ref, n.arguments[0])
          ? n
          : undefined;
      }
      if (
        n.type !== AST_NODE_TYPES.BinaryExpression &&
        n.type !== AST_NODE_TYPES.UnaryExpression &&
        n.type !== AST_NODE_TYPES.TSAsExpression
      )
        return undefined;
    }
    return undefined;
  }

  /**
   * The value is consumed after the loop, in the same function — or, with `computedAtLoop` (the rewrite
   * computes it where the loop was), in a function created after the loop, which cannot run before it.
   */
  function checkAfter(ref: TSESTree.Node, computedAtLoop = false): void {
    if (ref.range[0] < nest.node.range[1]) throw new PlanError('the result is read before the loop ends');
    let inner = enclosingFunction(ref);
    if (inner === fn) return;
    if (computedAtLoop) {
      // The outermost function between the read and the loop's own function.
      while (inner && inner.type !== AST_NODE_TYPES.Program && enclosingFunction(inner) !== fn)
        inner = enclosingFunction(inner);
      if (inner && inner.type !== AST_NODE_TYPES.Program && inner.range[0] >= nest.node.range[1]) return;
    }
    throw new PlanError('the result is read in another function');
  }
}

/** `const n = x.shape[0], out = new Float32Array(n * 2);`: declarations whose initialisers read and allocate only. */
function sideEffectFree(node: TSESTree.Node): boolean {
  if (node.type !== AST_NODE_TYPES.VariableDeclaration) return false;
  const pure = (e: TSESTree.Node | null | undefined): boolean => {
    if (!e) return true;
    const n = unwrap(e);
    switch (n.type) {
      case AST_NODE_TYPES.Literal:
      case AST_NODE_TYPES.Identifier:
        return true;
      case AST_NODE_TYPES.MemberExpression:
        return pure(n.object) && (!n.computed || pure(n.property));
      case AST_NODE_TYPES.BinaryExpression:
        return n.left.type !== AST_NODE_TYPES.PrivateIdentifier && pure(n.left) && pure(n.right);
      case AST_NODE_TYPES.UnaryExpression:
        return n.operator !== 'delete' && pure(n.argument);
      case AST_NODE_TYPES.ConditionalExpression:
        return pure(n.test) && pure(n.consequent) && pure(n.alternate);
      case AST_NODE_TYPES.ArrayExpression:
        return n.elements.every((x) => x?.type !== AST_NODE_TYPES.SpreadElement && pure(x));
      case AST_NODE_TYPES.NewExpression:
        return (
          n.callee.type === AST_NODE_TYPES.Identifier &&
          /^(Array|(Float|Int|Uint)(8|16|32|64)(Clamped)?Array)$/.test(n.callee.name) &&
          n.arguments.every((x) => x.type !== AST_NODE_TYPES.SpreadElement && pure(x))
        );
      default:
        return false;
    }
  };
  return node.declarations.every((d) => pure(d.init));
}

/** `x.dispose()` or `tf.dispose(x)` / `tf.dispose([x, …])` */
export function isDisposal(id: TSESTree.Identifier): boolean {
  const p = id.parent;
  if (
    p?.type === AST_NODE_TYPES.MemberExpression &&
    p.object === id &&
    !p.computed &&
    p.property.type === AST_NODE_TYPES.Identifier &&
    p.property.name === 'dispose'
  )
    return true;
  let n: TSESTree.Node | undefined = p;
  if (n?.type === AST_NODE_TYPES.ArrayExpression) n = n.parent;
  return (
    n?.type === AST_NODE_TYPES.CallExpression &&
    ((n.callee.type === AST_NODE_TYPES.MemberExpression &&
      n.callee.property.type === AST_NODE_TYPES.Identifier &&
      n.callee.property.name === 'dispose') ||
      (n.callee.type === AST_NODE_TYPES.Identifier && n.callee.name === 'dispose'))
  );
}

function needsParens(consumer: TSESTree.Node): boolean {
  const p = consumer.parent;
  return (
    (p?.type === AST_NODE_TYPES.MemberExpression && p.object === consumer) ||
    (p?.type === AST_NODE_TYPES.CallExpression && p.callee === consumer) ||
    p?.type === AST_NODE_TYPES.UnaryExpression ||
    p?.type === AST_NODE_TYPES.BinaryExpression ||
    p?.type === AST_NODE_TYPES.AwaitExpression
  );
}

/** A replacement that starts a statement with `(` needs a `;` when the previous line may continue into it. */
function asiGuard(consumer: TSESTree.Node, text: string): string {
  if (!text.startsWith('(')) return text;
  let n: TSESTree.Node = consumer;
  while (n.parent && n.parent.type !== AST_NODE_TYPES.ExpressionStatement && n.parent.range[0] === n.range[0])
    n = n.parent;
  return n.parent?.type === AST_NODE_TYPES.ExpressionStatement && n.parent.range[0] === consumer.range[0]
    ? `;${text}`
    : text;
}

function listNames(names: string[]): string {
  const q = names.map((n) => `\`${n}\``);
  return q.length <= 1 ? (q[0] ?? 'the data') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}
