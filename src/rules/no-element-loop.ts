import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { isInside } from '../ast/predicates.js';
import { liftNest, type NestRoot } from '../analysis/lift/index.js';
import { findTfBinding } from '../analysis/tf-binding.js';
import { TensorFacts } from '../analysis/tensors.js';
import { createRule, guarded } from '../create-rule.js';
import { planRewrite } from '../fixers/rewrite-nest.js';

type Options = [{ fix?: 'auto' | 'suggest' | 'off' }];
type MessageIds = 'vectorizable' | 'cannotFix' | 'notVectorizable' | 'inPlaceWrite' | 'suggestRewrite';

const MAX_SHOWN = 120;

/**
 * VECTORIZE_WHY=1 prints why a loop was left alone (for "why is my loop not reported?");
 * VECTORIZE_WHY=stack adds where.
 */
function explain(node: TSESTree.Node, e: Error): void {
  const why = typeof process !== 'undefined' ? process.env.VECTORIZE_WHY : undefined;
  if (why)
    console.error(
      `vectorize: line ${node.loc.start.line}: not lifted: ${e.message}${why === 'stack' ? `\n${e.stack}` : ''}`,
    );
}

export default createRule<Options, MessageIds>({
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
              "How proven rewrites are offered: 'auto' as an autofix when nothing visible changes (else a suggestion), 'suggest' always as an editor suggestion, 'off' report only.",
          },
        },
      },
    ],
    defaultOptions: [{ fix: 'auto' }],
    messages: {
      vectorizable: 'This loop computes {{what}} element by element; use `{{replacement}}`.',
      cannotFix:
        'This loop computes {{what}} element by element; `{{replacement}}` computes it in one op, but the loop is not rewritten automatically: {{reason}}.',
      notVectorizable:
        'This loop reads tensor data and carries a dependence from one iteration to the next ({{reason}}); it cannot be vectorized as written.',
      inPlaceWrite:
        "This loop writes into the array returned by `{{read}}`; on the cpu backend that array may be the tensor's own storage, so the tensor changes on some backends and not on others. Compute a new tensor instead.",
      suggestRewrite: 'Replace the loop with `{{replacement}}` (note: {{caveat}}).',
    },
  },
  defaultOptions: [{ fix: 'auto' }],
  create(context, [{ fix: fixMode = 'auto' }]) {
    const sourceCode = context.sourceCode;
    const binding = findTfBinding(sourceCode.ast);
    // A file that does not import TF.js holds no tensors we can name in a fix (and no false positives on
    // look-alike APIs).
    if (!binding) return {};
    const facts = new TensorFacts(sourceCode, binding);
    const handled: TSESTree.Node[] = [];

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
      if (result.kind === 'unsupported') explain(node, result.error);
      if (result.kind !== 'lifted') return;
      // A loop over plain arrays only (lookup tables included) is not the rule's business.
      if (!result.readsTensorData) return;
      // No plan: a shape the lowering cannot express yet; say nothing rather than guess.
      const plan = planRewrite(facts, result, context.filename);
      if (!plan?.replacement) return;
      handled.push(node);
      const replacement =
        plan.replacement.length > MAX_SHOWN ? `${plan.replacement.slice(0, MAX_SHOWN - 1)}…` : plan.replacement;
      const data = { what: plan.what, replacement };
      if (plan.verdict === 'none') {
        const reason = plan.reasons.join('; ');
        context.report({ node, loc, messageId: 'cannotFix', data: { what: plan.what, replacement, reason } });
        return;
      }
      if (fixMode === 'off') {
        context.report({ node, loc, messageId: 'vectorizable', data });
        return;
      }
      if (plan.verdict === 'fix' && fixMode === 'auto') {
        context.report({ node, loc, messageId: 'vectorizable', data, fix: plan.edits });
        return;
      }
      // Equivalent, but a user can see the difference (or asked for suggestions): offer it, never apply it.
      const caveat = plan.reasons.length > 0 ? plan.reasons.join('; ') : 'review the rewrite before applying it';
      context.report({
        node,
        loc,
        messageId: 'vectorizable',
        data,
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

    const guardedCheck = guarded(check);
    return {
      ForStatement: guardedCheck,
      ForOfStatement: guardedCheck,
      // rows.forEach((row, i) => { … });
      'ExpressionStatement > CallExpression.expression[callee.property.name="forEach"]'(call: TSESTree.CallExpression) {
        guardedCheck(call.parent as TSESTree.ExpressionStatement);
      },
      // rows.map((row) => row.reduce(…)) — only where the array reads tensor data (checked by the lifter).
      'CallExpression[callee.property.name="map"]': guardedCheck,
      // data.reduce((s, v) => s + v, 0)
      'CallExpression[callee.property.name="reduce"]': guardedCheck,
    };
  },
});
