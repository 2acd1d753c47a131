import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { FUNCTION_TYPES, excerpt, isInside, isLoop, propertyName, unwrap } from '../ast/predicates.js';
import { deadScaffolding } from '../fixers/dead-scaffolding.js';
import { enclosingFunction } from '../analysis/loop-context.js';
import {
  ASSUMPTIONS,
  ASSUMPTION_NAMES,
  DEFAULT_ASSUME,
  allAccepted,
  assumptionsOf,
  type Assumption,
} from '../analysis/assumptions.js';
import { differentiatedContext, differentiatedFunctions } from '../analysis/differentiated.js';
import { keepStackTraces, liftNest, type NestRoot } from '../analysis/lift/index.js';
import { findTfBinding, tfModuleOptions } from '../analysis/tf-binding.js';
import type { Parser } from '../analysis/imported.js';
import {
  TensorFacts,
  findVariable,
  foreignNote,
  isConstLike,
  type TensorInfo,
  type View,
} from '../analysis/tensors.js';
import { createRule, guarded } from '../create-rule.js';
import { isDisposal as isDisposalRef, planRewrite } from '../fixers/rewrite-nest.js';
import { TfNamer } from '../fixers/tf-namer.js';
import { statementRemovalRange } from '../fixers/remove-statement.js';
import { deferrableDisposal } from '../fixers/deferred-dispose.js';
import {
  bufferGather,
  chainCompaction,
  indexGather,
  loopCompaction,
  type Compaction,
  type IndexGather,
} from '../analysis/patterns/compaction.js';
import { sortedTopk, topkCopy, type TopkCopy } from '../analysis/patterns/sorted-topk.js';
import { histogram, type Histogram } from '../analysis/patterns/histogram.js';
import { indexFilter, type IndexFilter } from '../analysis/patterns/index-filter.js';
import { indexOfExtremum } from '../analysis/lift/expressions.js';
import { lineStart } from '../fixers/line-layout.js';
import { cachedByStatement, declaredBelowGlobal, lineOf, mentionsInFile, onlyWhere } from '../unit-cache.js';
import { statementSeparator } from '../fixers/line-layout.js';
import { tfCallee } from '../fixers/tidy-or-dispose.js';
import { caveat as makeCaveat, type Caveat } from '../analysis/assumptions.js';

interface PatternRewrite {
  caveats: Caveat[];
  edits: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[];
}

type Options = [{ fix?: 'auto' | 'suggest' | 'off'; assume?: Assumption[] }];
type MessageIds =
  | 'vectorizable'
  | 'vectorizableAssuming'
  | 'vectorizableSuggestion'
  | 'vectorizableInGradient'
  | 'cannotFix'
  | 'notVectorizable'
  | 'inPlaceWrite'
  | 'suggestRewrite'
  | 'suggestInGradient'
  | 'sortedTopk'
  | 'compaction'
  | 'indexFilter'
  | 'suggestCallRewrite'
  | 'indexGather'
  | 'bufferGather'
  | 'histogram';

const MAX_SHOWN = 120;

/** The array methods whose calls the rule looks at (see its `CallExpression` listener). */
const ELEMENT_METHODS = new Set(['forEach', 'map', 'reduce', 'filter', 'indexOf', 'sort']);

/**
 * VECTORIZE_WHY=1 prints why a loop was left alone (for "why is my loop not reported?"): the file, the
 * loop's line and column, the reason, and the construct that stopped the lift with its line.
 * VECTORIZE_WHY=stack adds where in the analysis.
 */
function explain(
  why: string | undefined,
  sourceCode: Readonly<TSESLint.SourceCode>,
  filename: string,
  node: TSESTree.Node,
  e: Error,
  what = 'not lifted',
): void {
  if (!why) return;
  const at = (n: TSESTree.Node) => `${n.loc.start.line}:${n.loc.start.column + 1}`;
  const construct = (e as { node?: TSESTree.Node }).node;
  const shown =
    construct && construct !== node
      ? `: \`${excerpt(sourceCode, construct, 60)}\` (line ${construct.loc.start.line})`
      : '';
  console.error(
    `vectorize: ${filename}:${at(node)}: ${what}: ${e.message}${shown}${why === 'stack' ? `\n${e.stack}` : ''}`,
  );
}

/** 2 → '2nd', 3 → '3rd', 11 → '11th'. */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

const rule = createRule<Options, MessageIds>({
  name: 'no-element-loop',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow element-by-element loops over tensor data that vectorized TF.js ops compute',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          fix: {
            type: 'string',
            enum: ['auto', 'suggest', 'off'],
            description:
              "How proven rewrites are offered: 'auto' as an autofix when the rewrite is exact or relies only on accepted assumptions (else a suggestion), 'suggest' always as an editor suggestion, 'off' report only.",
          },
          assume: {
            type: 'array',
            uniqueItems: true,
            items: { type: 'string', enum: ASSUMPTION_NAMES },
            description: `Assumptions about the data under which a rewrite may be an autofix: ${ASSUMPTION_NAMES.map((a) => `'${a}'`).join(', ')}. Default: ${DEFAULT_ASSUME.map((a) => `'${a}'`).join(', ')}; [] makes every rewrite that is not exact a suggestion.`,
          },
        },
      },
    ],
    defaultOptions: [{ fix: 'auto', assume: [...DEFAULT_ASSUME] }],
    messages: {
      vectorizable: 'This loop computes {{what}} element by element; use `{{replacement}}`.',
      vectorizableAssuming:
        'This loop computes {{what}} element by element; use `{{replacement}}` (the autofix assumes {{assumptions}}).',
      vectorizableSuggestion:
        'This loop computes {{what}} element by element; `{{replacement}}` computes it in one op, offered as a suggestion ({{why}}).',
      vectorizableInGradient:
        'This loop computes {{what}} element by element; `{{replacement}}` computes it in TF.js ops, offered as a suggestion only: the loop runs in a function {{api}} differentiates, so the rewrite changes the gradients.',
      cannotFix:
        'This loop computes {{what}} element by element; `{{replacement}}` computes it in one op, but the loop is not rewritten automatically: {{reason}}.',
      notVectorizable:
        'This loop reads tensor data and carries a dependence from one iteration to the next ({{reason}}); it cannot be vectorized as written.',
      inPlaceWrite:
        "This loop writes into the array returned by `{{read}}`; on the cpu backend that array may be the tensor's own storage, so the tensor changes on some backends and not on others. Compute a new tensor instead.",
      sortedTopk:
        'This {{form}} pairs each value of `{{data}}` with its index for the sort on line {{line}}, a top-k by sorting: `{{replacement}}` computes it in one op, values in order and ties by index as the stable sort keeps them{{note}}.',
      compaction:
        'This {{form}} collects the {{what}} where `{{condition}}`, a compaction: in this async function `{{replacement}}` computes it in one op{{note}}.',
      indexFilter:
        'This `filter` keeps every {{nth}} element of `{{data}}` from index {{offset}} (`{{test}}`), a strided slice: `{{replacement}}` computes it in one op{{note}}.',
      indexGather:
        'This `map` picks the elements of `{{data}}` at the indices in `{{indices}}`, a gather: `{{replacement}}` computes it in one op (for indices that are integers in range){{note}}.',
      bufferGather:
        'This loop reads `{{source}}`{{where}} at positions it reads from {{positions}}, a gather: `tf.gatherND` computes it in one op, with the positions stacked into an index tensor{{note}}.',
      histogram:
        'This loop counts how often each value of `{{data}}` occurs into `{{counts}}`, a histogram: with `labels = {{labels}}`, `{{replacement}}` computes it in one op{{note}}.',
      suggestRewrite: 'Replace the loop with `{{replacement}}` (note: {{caveat}}).',
      suggestCallRewrite: 'Replace the `{{method}}` call with `{{replacement}}` (note: {{caveat}}).',
      suggestInGradient:
        'Replace the loop with `{{replacement}}` (note: the loop runs in a function {{api}} differentiates: its value was a constant to autograd, the TF.js ops are on the tape, so the gradients change{{caveat}}).',
    },
  },
  defaultOptions: [{ fix: 'auto', assume: [...DEFAULT_ASSUME] }],
  create(context, [{ fix: fixMode = 'auto', assume = [...DEFAULT_ASSUME] }]) {
    const accepted = new Set<Assumption>(assume);
    const sourceCode = context.sourceCode;
    const binding = findTfBinding(sourceCode.ast, tfModuleOptions(context));
    // A file that does not import TF.js holds no tensors we can name in a fix (and no false positives on
    // look-alike APIs).
    if (!binding) return {};
    const whyFlag = typeof process !== 'undefined' ? process.env.VECTORIZE_WHY : undefined;
    keepStackTraces(whyFlag === 'stack');
    const tfBinding = binding;
    /** A tensor's data as one axis, in messages: the tensor itself when 1-D, else `tf.reshape(x, [-1])`. */
    const flatText = (t: TensorInfo, reshape = `${tfBinding.namespace ?? 'tf'}.reshape`): string =>
      t.rank === 1 ? t.name : `${reshape}(${t.name}, [-1])`;
    const facts = new TensorFacts(sourceCode, binding, {
      filename: context.filename,
      parser: context.languageOptions.parser as Parser | undefined,
    });
    const handled: TSESTree.Node[] = [];
    let differentiated: ReturnType<typeof differentiatedFunctions> | undefined;

    // for (let i = 0; i < n; i++) { … d[i * m + j] … out[i] = s; }
    function check(node: NestRoot): void {
      if (handled.some((h) => isInside(node, h))) return;
      const loc = locOf(node);
      const result = liftNest(facts, node);
      if (result.kind === 'notVectorizable' && result.readsTensorData) {
        handled.push(node);
        context.report({ node, loc, messageId: 'notVectorizable', data: { reason: result.reason } });
        return;
      }
      if (result.kind === 'inPlace') {
        handled.push(node);
        context.report({ node, loc, messageId: 'inPlaceWrite', data: { read: result.read } });
        return;
      }
      if (result.kind === 'unsupported') explain(whyFlag, sourceCode, context.filename, node, result.error);
      if (result.kind !== 'lifted') return;
      // A loop over plain arrays only (lookup tables included) is not the rule's business.
      if (!result.readsTensorData) return;
      // Inside a function TF.js differentiates the rewrite changes what training does: never an autofix.
      differentiated ??= differentiatedFunctions(sourceCode, tfBinding);
      const api = differentiatedContext(node, differentiated);
      // No plan: a shape the lowering cannot express yet; say nothing rather than guess.
      const plan = planRewrite(facts, result, context.filename, { gradient: api !== undefined }, (e) =>
        explain(whyFlag, sourceCode, context.filename, node, e, 'lifted, not lowered'),
      );
      if (!plan?.replacement) return;
      handled.push(node);
      const replacement =
        plan.replacement.length > MAX_SHOWN ? `${plan.replacement.slice(0, MAX_SHOWN - 1)}…` : plan.replacement;
      const what = plan.what;
      if (plan.verdict !== 'none' && api && plan.withoutGradient.length > 0) {
        const ops = plan.withoutGradient.map((op) => `\`${op}\``).join(', ');
        const reason = `it runs in a function ${api} differentiates, and TF.js 4.22 has no (correct) gradient for ${ops}`;
        context.report({ node, loc, messageId: 'cannotFix', data: { what, replacement, reason } });
        return;
      }
      if (plan.verdict === 'none') {
        const reason = plan.reasons.join('; ');
        context.report({ node, loc, messageId: 'cannotFix', data: { what, replacement, reason } });
        return;
      }
      if (fixMode === 'off') {
        context.report({ node, loc, messageId: 'vectorizable', data: { what, replacement } });
        return;
      }
      const assumed = assumptionsOf(plan.caveats);
      const assuming = (list: Assumption[]) => list.map((a) => ASSUMPTIONS[a].short).join(', ');
      if (api) {
        const caveat = plan.caveats.length > 0 ? `; ${plan.reasons.join('; ')}` : '';
        context.report({
          node,
          loc,
          messageId: 'vectorizableInGradient',
          data: { what, replacement, api },
          suggest: [{ messageId: 'suggestInGradient', data: { replacement, api, caveat }, fix: plan.edits }],
        });
        return;
      }
      if (fixMode === 'auto' && allAccepted(plan.caveats, accepted)) {
        if (assumed.length > 0) {
          const assumptions = assuming(assumed);
          const data = { what, replacement, assumptions };
          context.report({ node, loc, messageId: 'vectorizableAssuming', data, fix: plan.edits });
        } else context.report({ node, loc, messageId: 'vectorizable', data: { what, replacement }, fix: plan.edits });
        return;
      }
      // Equal only under an assumption not accepted, or a visible change (or the user asked for suggestions):
      // offer it, never apply it.
      const caveat = plan.reasons.length > 0 ? plan.reasons.join('; ') : 'review the rewrite before applying it';
      // Why a suggestion, in a few words: the assumptions it needs that are not accepted, the caveats no
      // assumption covers, or the `fix: 'suggest'` option.
      const needed = assumed.filter((a) => !accepted.has(a));
      const visible = plan.caveats.filter((c) => !c.assumes).map((c) => c.text);
      const why =
        [...(needed.length > 0 ? [`equal only assuming ${assuming(needed)}`] : []), ...visible].join('; ') ||
        (fixMode === 'suggest' ? "the rule's `fix` option is 'suggest'" : 'review it before applying it');
      context.report({
        node,
        loc,
        messageId: 'vectorizableSuggestion',
        data: { what, replacement, why },
        suggest: [{ messageId: 'suggestRewrite', data: { replacement, caveat }, fix: plan.edits }],
      });
    }

    /** The loop keyword, or the `map` / `forEach` of a callback loop. */
    function locOf(node: NestRoot): TSESTree.SourceLocation {
      const call = node.type === AST_NODE_TYPES.ExpressionStatement ? node.expression : node;
      if (call.type === AST_NODE_TYPES.CallExpression && call.callee.type === AST_NODE_TYPES.MemberExpression)
        return call.callee.property.loc;
      return sourceCode.getFirstToken(node)!.loc;
    }

    // pairs.sort((a, b) => b.value - a.value) after `pairs.push({ value: d[i], index: i })` over tensor data
    function checkSort(call: TSESTree.CallExpression): void {
      const found = sortedTopk(facts, call);
      if (!found || handled.some((h) => isInside(found.node, h))) return;
      handled.push(found.node);
      const tf = tfBinding.namespace ?? 'tf';
      const { tensor } = found.view;
      const flat = flatText(tensor);
      const ranked = found.ascending ? `${tf}.neg(${flat})` : flat;
      const copy = fixMode === 'off' ? undefined : topkCopy(facts, found);
      const rewrite = copy && topkRewrite(copy);
      const replacement = rewrite
        ? `${tf}.topk(${copy.data}, ${copy.k})`
        : `${tf}.topk(${ranked}, ${found.k ?? `${tensor.name}.size`})`;
      const notes = [
        ...(found.ascending ? ['; the sort is ascending, so negate the values back'] : []),
        ...(tensor.foreign && !rewrite ? [`; ${foreignNote(tensor)}`] : []),
        ...(rewrite ? [`, on the data as read back (${offerNote(rewrite.caveats)})`] : []),
      ];
      context.report({
        node: found.node,
        loc: locOf(found.node),
        messageId: 'sortedTopk',
        ...(rewrite ? offer(rewrite, replacement) : {}),
        data: {
          form: found.node.type === AST_NODE_TYPES.ForStatement ? 'loop' : '`map`',
          data: found.view.variable?.name ?? tensor.name,
          line: lineOf(call.callee.type === AST_NODE_TYPES.MemberExpression ? call.callee.property : call),
          replacement,
          note: notes.join(''),
        },
      });
    }

    /**
     * The edits that replace a whole top-k by sorting (pairs, push loop, sort, typed arrays, copy loop)
     * with `tf.topk` on the data it ranks; undefined where the file does not name `topk` and `dispose`.
     */
    function topkRewrite(copy: TopkCopy): PatternRewrite | undefined {
      const topk = tfCallee(tfBinding, 'topk');
      const dispose = tfCallee(tfBinding, 'dispose');
      if (!topk || !dispose) return undefined;
      let name = 'top';
      for (let k = 2; mentionsInFile(sourceCode, name); k++) name = `top${k}`;
      const lines = [`const ${name} = ${topk}(${copy.data}, ${copy.k});`];
      for (const sink of copy.sinks)
        lines.push(
          `${sink.declaration.kind} ${sourceCode.getText(sink.declarator.id)} = new ${sink.ctor}(${name}.${sink.field}.dataSync());`,
        );
      lines.push(`${dispose}([${name}.values, ${name}.indices]);`);
      const range: [number, number] = [copy.first.range[0], copy.last.range[1]];
      const caveats: Caveat[] = [
        makeCaveat(
          'a NaN in the data, or the same infinity twice, makes the comparator return NaN, and the sort then orders as the engine pleases',
          'no-nan',
        ),
      ];
      if (sourceCode.getAllComments().some((c) => range[0] <= c.range[0] && c.range[1] <= range[1]))
        caveats.push(makeCaveat('the comments inside these statements are dropped'));
      const code = lines.join(statementSeparator(sourceCode, copy.first));
      return { caveats, edits: (fixer) => [fixer.replaceTextRange(range, code)] };
    }

    /** One line on how a pattern's rewrite is offered: as the autofix, or why only as a suggestion. */
    function offerNote(caveats: Caveat[]): string {
      const assumed = assumptionsOf(caveats);
      const short = (list: Assumption[]) => list.map((a) => ASSUMPTIONS[a].short).join(', ');
      if (fixMode === 'auto' && allAccepted(caveats, accepted))
        return assumed.length > 0 ? `the autofix assumes ${short(assumed)}` : 'the autofix';
      const needed = assumed.filter((a) => !accepted.has(a));
      const visible = caveats.filter((c) => !c.assumes).map((c) => c.text);
      const why = [...(needed.length > 0 ? [`equal only assuming ${short(needed)}`] : []), ...visible].join('; ');
      return `offered as a suggestion: ${why || "the rule's `fix` option is 'suggest'"}`;
    }

    /** The `fix` or `suggest` part of a pattern's report, by the same rule as a lifted loop's. */
    /** The rewrite as an autofix, or as a suggestion that replaces the loop (or, with `method`, that call). */
    function offer(
      rewrite: PatternRewrite,
      replacement: string,
      method?: string,
    ): Pick<TSESLint.ReportDescriptor<MessageIds>, 'fix' | 'suggest'> {
      if (fixMode === 'auto' && allAccepted(rewrite.caveats, accepted)) return { fix: rewrite.edits };
      const caveat = rewrite.caveats.map((c) => c.text).join('; ') || 'review the rewrite before applying it';
      return {
        suggest: [
          method
            ? { messageId: 'suggestCallRewrite', data: { method, replacement, caveat }, fix: rewrite.edits }
            : { messageId: 'suggestRewrite', data: { replacement, caveat }, fix: rewrite.edits },
        ],
      };
    }

    // for (…) if (d[i] > t) keep.push(i);  ·  d.map((v, i) => ({ v, i })).filter((c) => c.v > t).map((c) => c.i)
    function reportCompaction(found: Compaction | undefined): void {
      if (!found || handled.some((h) => isInside(found.node, h))) return;
      handled.push(found.node);
      const tf = tfBinding.namespace ?? 'tf';
      const { tensor } = found.view;
      const x = flatText(tensor);
      const mask = `${tf}.${found.op}(${x}, ${found.other})`;
      const replacement =
        found.keeps === 'indices' ? `await ${tf}.whereAsync(${mask})` : `await ${tf}.booleanMaskAsync(${x}, ${mask})`;
      const note = tensor.foreign
        ? `; ${foreignNote(tensor)}`
        : found.keeps === 'indices'
          ? ' (an [n, 1] int32 tensor of the indices, in order)'
          : '';
      const call = found.node.type === AST_NODE_TYPES.CallExpression ? found.node : undefined;
      const rewrite = fixMode === 'off' || tensor.foreign ? undefined : compactionRewrite(found);
      context.report({
        node: found.node,
        loc: call ? locOf(call) : locOf(found.node),
        messageId: 'compaction',
        ...(rewrite ? offer(rewrite, replacement) : {}),
        data: {
          form: call ? '`filter`' : 'loop',
          what: found.keeps === 'indices' ? 'indices' : 'values',
          condition: found.condition,
          replacement,
          note: rewrite ? `${note}, ${offerNote(rewrite.caveats)}` : note,
        },
      });
    }

    /**
     * The loop form's rewrite: the empty array's declaration moves to the loop's place and takes the op's
     * indices (or values) read back into a JS array; the tensors it makes are disposed there.
     */
    function compactionRewrite(found: Compaction): PatternRewrite | undefined {
      // The loop form replaces the loop (the array's declaration moves there); the chain form the statement
      // the chain is the value of (a declaration, or a return).
      const list = found.list ?? found.declared;
      if (!list) return undefined;
      const declaration = list.declarator?.parent;
      if (declaration && declaration.declarations.length !== 1) return undefined;
      const replaced: TSESTree.Node = found.list ? found.node : found.declared!.statement;
      const at = list.declarator ?? (found.declared!.statement as TSESTree.ReturnStatement);
      const t = found.view.tensor;
      // `scores = Array.from(await t.data()); t.dispose();` just before: the dispose moves after the op.
      const deferred = deferrableDisposal(t.name, disposalsBefore(t, replaced), replaced);
      if (liveTensorBlocker(found.view, at, replaced, list.variable?.name ?? 'the result', deferred)) return undefined;
      const namer = new TfNamer(tfBinding, (name) => declaredBelowGlobal(sourceCode, name));
      const taken = new Set<string>();
      const fresh = (base: string) => {
        let name = base;
        for (let k = 2; mentionsInFile(sourceCode, name) || taken.has(name); k++) name = `${base}${k}`;
        taken.add(name);
        return name;
      };
      const base = list.variable?.name ?? 'kept';
      const lines: string[] = [];
      const made: string[] = [];
      let x = t.name;
      if (t.rank !== 1) {
        x = fresh(`${base}Flat`);
        lines.push(`const ${x} = ${namer.op('reshape')}(${t.name}, [-1]);`);
        made.push(x);
      }
      const mask = fresh(`${base}Mask`);
      lines.push(`const ${mask} = ${namer.op(found.op)}(${x}, ${found.other});`);
      made.push(mask);
      const result = fresh(found.keeps === 'indices' ? `${base}Where` : `${base}Masked`);
      lines.push(
        found.keeps === 'indices'
          ? `const ${result} = await ${namer.op('whereAsync')}(${mask});`
          : `const ${result} = await ${namer.op('booleanMaskAsync')}(${x}, ${mask});`,
      );
      made.push(result);
      const kept = `Array.from(await ${result}.data())`;

      if (declaration && list.declarator) {
        lines.push(`${declaration.kind} ${sourceCode.getText(list.declarator.id)} = ${kept};`);
        lines.push(`${namer.op('dispose')}([${made.join(', ')}]);`);
        // The dispose moved from before the chain, as written: a later rewrite may move it again.
        if (deferred) lines.push(sourceCode.getText(deferred));
      } else {
        const name = fresh(found.keeps === 'indices' ? 'indices' : 'values');
        lines.push(`const ${name} = ${kept};`, `${namer.op('dispose')}([${made.join(', ')}]);`);
        if (deferred) lines.push(sourceCode.getText(deferred));
        lines.push(`return ${name};`);
      }
      if (namer.unreachable) return undefined;
      const code = lines.join(statementSeparator(sourceCode, replaced));
      const caveats: Caveat[] = [
        makeCaveat(
          `the function now waits for the backend at the ${found.list ? 'loop' : 'chain'}, where other code may run meanwhile`,
        ),
      ];
      const other = unwrap(found.otherNode);
      const literal =
        other.type === AST_NODE_TYPES.Literal
          ? other.value
          : other.type === AST_NODE_TYPES.UnaryExpression &&
              other.operator === '-' &&
              unwrap(other.argument).type === AST_NODE_TYPES.Literal
            ? -((unwrap(other.argument) as TSESTree.Literal).value as number)
            : undefined;
      if (typeof literal !== 'number' || Math.fround(literal) !== literal)
        caveats.push(
          makeCaveat(
            `the comparison is made in float32: a value at \`${found.other}\` rounded to float32 can go the other way`,
            'float32-sums',
          ),
        );
      if (typeof literal !== 'number' && !isNumberTyped(other))
        caveats.push(makeCaveat(`\`${found.other}\` must be a number (the op throws on a string or an array)`));
      const removal: [number, number] | undefined =
        found.list && declaration ? statementRemovalRange(sourceCode, declaration) : undefined;
      if (sourceCode.getAllComments().some((c) => replaced.range[0] <= c.range[0] && c.range[1] <= replaced.range[1]))
        caveats.push(makeCaveat(`the comments inside the ${found.list ? 'loop' : 'chain'} are dropped`));
      const dead = deadReads(found.node, [...(removal ? [removal] : []), replaced.range], code);
      return {
        caveats,
        edits: (fixer) => [
          ...namer.importEdits(fixer),
          ...(removal ? [fixer.removeRange(removal)] : []),
          ...(deferred ? [fixer.removeRange(statementRemovalRange(sourceCode, deferred))] : []),
          fixer.replaceText(replaced, code),
          ...dead.map((d) => fixer.removeRange(statementRemovalRange(sourceCode, d))),
        ],
      };
    }

    /** A name declared `: number`, or a `const` holding a number literal. */
    function isNumberTyped(node: TSESTree.Node): boolean {
      if (node.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = findVariable(sourceCode, node);
      const def = variable?.defs[0];
      if (!def || variable.defs.length !== 1) return false;
      const id = def.name;
      if (
        id.type === AST_NODE_TYPES.Identifier &&
        id.typeAnnotation?.typeAnnotation.type === AST_NODE_TYPES.TSNumberKeyword
      )
        return true;
      if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
        const init = unwrap(def.node.init);
        return init.type === AST_NODE_TYPES.Literal && typeof init.value === 'number';
      }
      return false;
    }

    // coords.filter((_, i) => i % 2 === 0)
    function checkIndexFilter(call: TSESTree.CallExpression): void {
      if (handled.some((h) => isInside(call, h))) return;
      const found = indexFilter(facts, call);
      if (!found) return;
      handled.push(call);
      const tf = tfBinding.namespace ?? 'tf';
      const { tensor } = found.view;
      const x = flatText(tensor);
      const replacement = `${tf}.stridedSlice(${x}, [${found.offset}], [${tensor.name}.size], [${found.stride}])`;
      const rewrite = fixMode === 'off' ? undefined : indexFilterRewrite(found);
      context.report({
        node: call,
        loc: locOf(call),
        messageId: 'indexFilter',
        ...(rewrite ? offer(rewrite, replacement, 'filter') : {}),
        data: {
          data: found.view.variable?.name ?? tensor.name,
          nth: ordinal(found.stride),
          offset: found.offset,
          test: found.test,
          replacement,
          note: rewrite ? `; ${offerNote(rewrite.caveats)}` : tensor.foreign ? `; ${foreignNote(tensor)}` : '',
        },
      });
    }

    // kept.map((i) => scores[i])
    function checkGather(call: TSESTree.CallExpression): void {
      const found = indexGather(facts, call);
      if (!found || handled.some((h) => isInside(found.node, h))) return;
      handled.push(found.node);
      const tf = tfBinding.namespace ?? 'tf';
      const { tensor } = found.view;
      const x = flatText(tensor);
      const replacement = `${tf}.gather(${x}, ${found.indices})`;
      const rewrite = fixMode === 'off' ? undefined : gatherRewrite(found);
      context.report({
        node: found.node,
        loc: locOf(found.node),
        messageId: 'indexGather',
        ...(rewrite ? offer(rewrite, replacement, 'map') : {}),
        data: {
          data: found.view.variable?.name ?? tensor.name,
          indices: found.indices,
          replacement,
          note: rewrite ? `; ${offerNote(rewrite.caveats)}` : '',
        },
      });
    }

    /**
     * The `map` replaced by the gather read back into a JS array, in a `tidy` that frees the op's tensors:
     * `tf.tidy(() => Array.from(tf.gather(x, kept).dataSync()))`. Only where the indices are a JS array
     * (their `map` gives a `number[]`, as `Array.from` does).
     */
    function gatherRewrite(found: IndexGather): PatternRewrite | undefined {
      if (!found.plain) return undefined;
      return readBackRewrite(
        found.node,
        found.view,
        found.indices,
        (namer, flat) => `${namer.op('gather')}(${flat}, ${found.indices})`,
        [
          makeCaveat(
            `an index in \`${found.indices}\` that is not an integer in range reads \`undefined\` where the op throws or clamps`,
            'in-bounds',
          ),
        ],
      );
    }

    /** The `filter` replaced by the strided slice, read back into a JS array as `filter` returns one. */
    function indexFilterRewrite(found: IndexFilter): PatternRewrite | undefined {
      // A typed array's `filter` returns a typed array: only a JS array's is a `number[]` like the rewrite's.
      if (!found.view.copy && found.view.kind !== 'nested') return undefined;
      const t = found.view.tensor;
      return readBackRewrite(
        found.node,
        found.view,
        found.view.variable?.name ?? t.name,
        (namer, flat) => `${namer.op('stridedSlice')}(${flat}, [${found.offset}], [${t.name}.size], [${found.stride}])`,
        [],
      );
    }

    /**
     * A call on read-back data (`kept.map((i) => d[i])`, `d.filter((_, i) => i % 2 === 0)`) replaced by an
     * op on the tensor, read back into a JS array in a `tidy` that frees the op's tensors:
     * `tf.tidy(() => Array.from(op(x).dataSync()))`. Only where the call runs where the tensor is alive —
     * or where the `dispose` just before can move after the statement — and not inside a callback or a loop.
     * `uses`: the name the call reads the data through, for the blockers' messages.
     */
    function readBackRewrite(
      node: TSESTree.CallExpression,
      view: View,
      uses: string,
      op: (namer: TfNamer, flat: string) => string,
      caveats: Caveat[],
    ): PatternRewrite | undefined {
      let statement: TSESTree.Node = node;
      while (
        statement.parent &&
        statement.parent.type !== AST_NODE_TYPES.BlockStatement &&
        statement.parent.type !== AST_NODE_TYPES.Program
      ) {
        if (FUNCTION_TYPES.has(statement.parent.type) || isLoop(statement.parent)) return undefined;
        statement = statement.parent;
      }
      const t = view.tensor;
      if (t.foreign) return undefined;
      // Run again (in a loop, or a callback) after a dispose, the op would read a disposed tensor.
      const block = t.variable.scope.block;
      for (let n: TSESTree.Node | undefined = statement.parent; n && n !== block; n = n.parent)
        if ((FUNCTION_TYPES.has(n.type) || isLoop(n)) && disposalsBefore(t, sourceCode.ast).length > 0)
          return undefined;
      const deferred = deferrableDisposal(t.name, disposalsBefore(t, statement), statement);
      if (liveTensorBlocker(view, statement, statement, uses, deferred)) return undefined;
      if (
        deferred &&
        (statement.type === AST_NODE_TYPES.ReturnStatement || statement.type === AST_NODE_TYPES.ThrowStatement)
      )
        return undefined;
      const namer = new TfNamer(tfBinding, (name) => declaredBelowGlobal(sourceCode, name));
      const flat = flatText(t, namer.op('reshape'));
      const code = `${namer.op('tidy')}(() => Array.from(${op(namer, flat)}.dataSync()))`;
      if (namer.unreachable) return undefined;
      const dead = deadReads(node, [node.range], code);
      return {
        // A JS pass over a few values is cheap; the op is not always faster. The user decides.
        caveats: [...caveats, makeCaveat('the values are read back with `dataSync()`, which waits for the backend')],
        edits: (fixer) => [
          ...namer.importEdits(fixer),
          ...(deferred ? [fixer.removeRange(statementRemovalRange(sourceCode, deferred))] : []),
          ...dead.map((d) => fixer.removeRange(statementRemovalRange(sourceCode, d))),
          fixer.replaceText(node, code),
          ...(deferred
            ? [
                fixer.insertTextAfter(
                  statement,
                  `${statementSeparator(sourceCode, statement)}${sourceCode.getText(deferred)}`,
                ),
              ]
            : []),
        ],
      };
    }

    // const y = coords.get(k, 0); … out[k] = scores.get(y, x, k);
    function reportBufferGather(loop: TSESTree.ForStatement): void {
      if (handled.some((h) => isInside(loop, h))) return;
      const found = bufferGather(facts, loop);
      if (!found) return;
      handled.push(loop);
      const param = isParameter(found.source, loop);
      context.report({
        node: loop,
        loc: locOf(loop),
        messageId: 'bufferGather',
        data: {
          source: found.source,
          where: found.through ? ` (in \`${found.through}\`, which it hands the positions)` : '',
          positions: found.positions.map((p) => `\`${p}\``).join(' and '),
          note: param ? `; \`${found.source}\` is a TensorBuffer a caller passes in: pass the tensors instead` : '',
        },
      });
    }

    // const counts = new Array(n).fill(0); for (const v of d) ++counts[v];
    function reportHistogram(loop: TSESTree.ForStatement | TSESTree.ForOfStatement): void {
      if (handled.some((h) => isInside(loop, h))) return;
      const found = histogram(facts, loop);
      if (!found) return;
      handled.push(loop);
      const tf = tfBinding.namespace ?? 'tf';
      const { tensor } = found.view;
      const flat = flatText(tensor);
      const size = sourceCode.getText(found.size);
      const labels = `${tf}.cast(${flat}, 'int32')`;
      const replacement = `${tf}.bincount(labels, ${tf}.onesLike(labels), ${size})`;
      const blocker = tensor.foreign
        ? foreignNote(tensor, tensor.foreign.unnamed ? (found.view.variable?.name ?? tensor.name) : tensor.name)
        : fixMode === 'off'
          ? undefined
          : histogramBlocker(found);
      const rewrite = blocker || fixMode === 'off' ? undefined : histogramRewrite(found);
      const note = rewrite
        ? `, for labels that are integers in range (${offerNote(rewrite.caveats)})`
        : blocker
          ? ` (for labels that are integers in range), but the loop is not rewritten automatically: ${blocker}`
          : ' (for labels that are integers in range)';
      context.report({
        node: loop,
        loc: locOf(loop),
        messageId: 'histogram',
        ...(rewrite ? offer(rewrite, replacement) : {}),
        data: { data: found.view.variable?.name ?? tensor.name, counts: found.counts.name, labels, replacement, note },
      });
    }

    /** The read-backs and sizes a pattern's rewrite (`code` in place of `gone`) leaves unused, in `node`'s function. */
    function deadReads(node: TSESTree.Node, gone: [number, number][], code: string): TSESTree.VariableDeclaration[] {
      return deadScaffolding(sourceCode, gone, code, enclosingFunction(node) ?? sourceCode.ast);
    }

    /** The references that dispose `t` before `node` ends. */
    function disposalsBefore(t: View['tensor'], node: TSESTree.Node): TSESTree.Identifier[] {
      return t.variable.references
        .map((r) => r.identifier)
        .filter(
          (id): id is TSESTree.Identifier =>
            id.type === AST_NODE_TYPES.Identifier && isDisposalRef(id) && id.range[0] < node.range[1],
        );
    }

    /** Why the counts' declaration cannot take the op's result: the tensor is not there yet, or disposed. */
    function histogramBlocker(found: Histogram): string | undefined {
      const t = found.view.tensor;
      return (
        liveTensorBlocker(found.view, found.declarator, found.node, found.counts.name) ??
        (found.view.kind === 'nested' && t.rank === undefined
          ? `the rank of \`${t.name}\` is not known (the loop walks ${found.depth} levels)`
          : undefined)
      );
    }

    /**
     * Why code at `declarator` (an array the loop fills, declared before it) cannot use the view's tensor
     * in the loop's place: the tensor is reassigned, declared later, out of scope or disposed before the
     * loop ends, or the loop does not run wherever the array is declared.
     */
    function liveTensorBlocker(
      view: View,
      declarator: TSESTree.Node,
      loop: TSESTree.Node,
      array: string,
      deferred?: TSESTree.Node,
    ): string | undefined {
      const t = view.tensor;
      if (t.introduce) return `no variable holds the tensor \`${view.variable?.name ?? t.name}\` is read back from`;
      const def = t.variable.defs[0];
      if (!isConstLike(t.variable) || t.variable.defs.length !== 1) return `\`${t.name}\` is reassigned`;
      if (def.type !== 'Parameter' && def.node.range[1] > declarator.range[0])
        return `\`${t.name}\` is declared after \`${array}\``;
      let scope: ReturnType<typeof sourceCode.getScope> | null = sourceCode.getScope(declarator);
      while (scope && scope !== t.variable.scope) scope = scope.upper;
      if (!scope) return `\`${t.name}\` is not in scope where \`${array}\` is declared`;
      const disposed = disposalsBefore(t, loop).some((id) => !(deferred && isInside(id, deferred)));
      if (disposed) return `\`${t.name}\` is disposed before the loop ends`;
      // A tf.Variable's values change with assign(): the op must see what the read-back saw.
      const assigned = t.variable.references.some((r) => {
        const p = r.identifier.parent;
        return (
          p?.type === AST_NODE_TYPES.MemberExpression &&
          p.object === r.identifier &&
          p.property.type === AST_NODE_TYPES.Identifier &&
          p.property.name === 'assign' &&
          r.identifier.range[0] < loop.range[1]
        );
      });
      if (assigned) return `\`${t.name}\` is assigned new values before the loop ends`;
      if (loop !== declarator && loop !== declarator.parent && declarator.parent?.parent !== loop.parent)
        return `the loop does not run wherever \`${array}\` is declared`;
      return undefined;
    }

    /** The counts' zeros replaced by the op's result (read back as the same JS type), the loop removed. */
    function histogramRewrite(found: Histogram): PatternRewrite | undefined {
      const t = found.view.tensor;
      const namer = new TfNamer(tfBinding, (name) => declaredBelowGlobal(sourceCode, name));
      const op = (n: string) => namer.op(n);
      // tf.bincount takes a Tensor1D: TypeScript cannot tell that `reshape(x, [-1])` is one.
      const vector = namer.type('Tensor1D');
      const isTs = /\.[cm]?tsx?$/.test(context.filename);
      if (t.rank !== 1 && isTs && !vector) return undefined;
      const flat = `${op('reshape')}(${t.name}, [-1])`;
      const x = t.rank === 1 ? t.name : isTs ? `${flat} as ${vector}` : flat;
      let labels = 'labels';
      for (let k = 2; mentionsInFile(sourceCode, labels); k++) labels = `labels${k}`;
      const counted = `${op('bincount')}(${labels}, ${op('onesLike')}(${labels}), ${sourceCode.getText(found.size)})`;
      const read = found.kind === 'Array' ? `${counted}.arraySync()` : `new ${found.kind}(${counted}.dataSync())`;
      const statement = found.declarator.parent;
      const text = sourceCode.text;
      const indent = text.slice(lineStart(text, statement.range[0]), statement.range[0]).replace(/\S.*$/, '');
      const step = /^\t+$/.test(indent) ? '\t' : '  ';
      const code = [
        `${op('tidy')}(() => {`,
        `${indent}${step}const ${labels} = ${op('cast')}(${x}, 'int32');`,
        `${indent}${step}return ${read};`,
        `${indent}})`,
      ].join('\n');
      if (namer.unreachable) return undefined;
      const caveats: Caveat[] = [
        makeCaveat(
          'a label outside [0, n) or not an integer: the loop adds a property or a NaN count, the op drops it (or throws below 0)',
          'in-bounds',
        ),
      ];
      const removal = statementRemovalRange(sourceCode, found.node);
      if (sourceCode.getAllComments().some((c) => removal[0] <= c.range[0] && c.range[1] <= removal[1]))
        caveats.push(makeCaveat('the comments inside the loop are dropped'));
      // A read-back only the loop used goes too (not an awaited one: that would change when the code waits).
      const dead = deadReads(found.node, [removal, found.init.range], code).filter(
        (d) => !d.declarations.some((v) => v.init && unwrap(v.init).type === AST_NODE_TYPES.AwaitExpression),
      );
      return {
        caveats,
        edits: (fixer) => [
          ...namer.importEdits(fixer),
          fixer.replaceText(found.init, code),
          fixer.removeRange(removal),
          ...dead.map((d) => fixer.removeRange(statementRemovalRange(sourceCode, d))),
        ],
      };
    }

    /** Whether `name`, seen from `node`, is a parameter of a function. */
    function isParameter(name: string, node: TSESTree.Node): boolean {
      for (
        let scope: ReturnType<typeof sourceCode.getScope> | null = sourceCode.getScope(node);
        scope;
        scope = scope.upper
      ) {
        const v = scope.set.get(name);
        if (v) return v.defs.some((d) => d.type === 'Parameter');
      }
      return false;
    }

    const guardedCheck = guarded(check);
    const forEachCall = guarded((call: TSESTree.CallExpression) => {
      // rows.forEach((row, i) => { … });
      if (call.parent.type === AST_NODE_TYPES.ExpressionStatement && call.parent.expression === call)
        check(call.parent);
    });
    const filterCall = guarded((call: TSESTree.CallExpression) => reportCompaction(chainCompaction(facts, call)));
    const filterLength = guarded((call: TSESTree.CallExpression) => {
      // d.filter((v) => v > t).length
      const parent = call.parent;
      if (
        parent.type === AST_NODE_TYPES.MemberExpression &&
        parent.object === call &&
        propertyName(parent) === 'length'
      )
        check(call);
    });
    // d.indexOf(Math.max(...d))
    const indexOfCall = guarded((call: TSESTree.CallExpression) => {
      if (indexOfExtremum(call)) check(call);
    });
    const sortCall = guarded(checkSort);
    const gatherExit = guarded(checkGather);
    const indexFilterExit = guarded(checkIndexFilter);
    // Calls are told apart by the method's name here, not by attribute selectors: ESLint would match each
    // such selector against every call of the file on every lint, analysed or replayed (unit-cache.ts).
    const elementCall = (call: TSESTree.CallExpression): boolean => {
      const name = propertyName(call.callee);
      return name !== undefined && ELEMENT_METHODS.has(name);
    };
    return {
      ForStatement: guardedCheck,
      ForOfStatement: guardedCheck,
      CallExpression: onlyWhere(elementCall, (call: TSESTree.CallExpression) => {
        switch (propertyName(call.callee)) {
          case 'forEach':
            forEachCall(call);
            break;
          // rows.map((row) => row.reduce(…)) — only where the array reads tensor data (checked by the lifter);
          // data.reduce((s, v) => s + v, 0)
          case 'map':
          case 'reduce':
            guardedCheck(call);
            break;
          case 'filter':
            filterCall(call);
            filterLength(call);
            break;
          case 'indexOf':
            indexOfCall(call);
            break;
          case 'sort':
            sortCall(call);
            break;
        }
      }),
      'CallExpression:exit': onlyWhere(elementCall, (call: TSESTree.CallExpression) => {
        const name = propertyName(call.callee);
        if (name === 'map') gatherExit(call);
        else if (name === 'filter') indexFilterExit(call);
      }),
      // After the loop itself was checked (and left alone).
      'ForStatement:exit': guarded((node: TSESTree.ForStatement) => {
        reportCompaction(loopCompaction(facts, node));
        reportBufferGather(node);
        reportHistogram(node);
      }),
      'ForOfStatement:exit': guarded(reportHistogram),
    };
  },
});

// Findings kept across re-lints for the statements an edit did not reach (unit-cache.ts).
export default cachedByStatement('no-element-loop', rule);
