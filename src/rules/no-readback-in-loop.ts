import type { TSESTree } from '@typescript-eslint/utils';
import { groupByLoop, isStepLoop } from '../analysis/loop-context.js';
import { groupInvariantReads, readBackInLoop, type Read } from '../analysis/readback.js';
import { findTfBinding } from '../analysis/tf-binding.js';
import { TensorFacts } from '../analysis/tensors.js';
import { excerpt } from '../ast/predicates.js';
import { createRule, guarded } from '../create-rule.js';
import { planHoist } from '../fixers/hoist-read.js';

type Options = [{ allowedReadsPerStep?: number }];
type MessageIds = 'invariantRead' | 'readInLoop' | 'extraStepRead' | 'hoistRead';

const MAX_SHOWN = 60;

export default createRule<Options, MessageIds>({
  name: 'no-readback-in-loop',
  meta: {
    type: 'suggestion',
    docs: {
      description:
        'Disallow tensor read-backs (`dataSync()`, `await data()`, `arraySync()`, …) inside loop bodies and per-element callbacks',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowedReadsPerStep: {
            type: 'integer',
            minimum: 0,
            description:
              'How many read-backs one step of a training or animation loop may make without a report: a loop that trains (`model.fit`, `fitDataset`, `trainOnBatch`, `optimizer.minimize`, `applyGradients`), waits for a frame (`tf.nextFrame()`, `requestAnimationFrame`) or awaits a data iterator (`for await`, `await it.next()`). 0 reports every read.',
          },
        },
      },
    ],
    defaultOptions: [{ allowedReadsPerStep: 1 }],
    messages: {
      invariantRead:
        '`{{read}}` reads the same tensor `{{tensor}}` on every iteration of this {{loop}}: each call copies it from the backend, a GPU→CPU sync on WebGL/WebGPU. Read it once before the loop; if the loop then only walks the values, `vectorize/no-element-loop` names the tensor op that replaces it.',
      readInLoop:
        '`{{read}}` runs on every iteration of this {{loop}}: one GPU→CPU sync per iteration. Compute the values of all iterations as one tensor with TF.js ops (stack, gather or slice along an axis) and read that once after the loop.',
      extraStepRead:
        '`{{read}}` is read-back {{count}} in one step of this {{loop}}, which allows {{allowed}} (option `allowedReadsPerStep`): each read is a separate GPU→CPU sync. Combine the values into one tensor (`tf.stack`, `tf.concat`) and read it once per step.',
      hoistRead: 'Read `{{tensor}}` once before the loop (note: {{caveat}}).',
    },
  },
  defaultOptions: [{ allowedReadsPerStep: 1 }],
  create(context, [{ allowedReadsPerStep = 1 }]) {
    const sourceCode = context.sourceCode;
    const binding = findTfBinding(sourceCode.ast);
    // Without a TF.js import there are no tensors to read back (and `data()` / `array()` are common names).
    if (!binding) return {};
    const facts = new TensorFacts(sourceCode, binding);
    const reads: Read[] = [];
    const short = (node: TSESTree.Node) => excerpt(sourceCode, node, MAX_SHOWN);

    function report(): void {
      // Names the hoisted declarations took, across all loops of the file.
      const taken = new Set<string>();
      for (const { site, items } of groupByLoop(reads)) {
        const siteReads = items.sort((a, b) => a.expr.range[0] - b.expr.range[0]);
        // One read per step of a training / animation loop is the normal pattern: count, do not report.
        if (allowedReadsPerStep > 0 && isStepLoop(site)) {
          siteReads.slice(allowedReadsPerStep).forEach((read, k) => {
            context.report({
              node: read.expr,
              messageId: 'extraStepRead',
              data: {
                read: short(read.expr),
                count: `${allowedReadsPerStep + k + 1}`,
                loop: site.label,
                allowed: `${allowedReadsPerStep}`,
              },
            });
          });
          continue;
        }
        const { varying, invariant } = groupInvariantReads(sourceCode, siteReads);
        for (const read of varying)
          context.report({
            node: read.expr,
            messageId: 'readInLoop',
            data: { read: short(read.expr), loop: site.label },
          });
        // One hoisted declaration serves all reads of a loop-invariant tensor.
        for (const { variable, reads: group } of invariant) {
          const plans = planHoist(facts, group, variable, taken);
          for (const read of group) {
            const plan = plans.get(read);
            const data = { read: short(read.expr), tensor: variable.name, loop: site.label };
            if (!plan) {
              // No hoisting could be shown to keep behaviour (see planHoist): the report alone.
              context.report({ node: read.expr, messageId: 'invariantRead', data });
            } else if (plan.auto) {
              context.report({ node: read.expr, messageId: 'invariantRead', data, fix: plan.edits });
            } else {
              // Equivalent values, but something visible changes
              // (timing, or a Variable's staleness): offer, never apply.
              context.report({
                node: read.expr,
                messageId: 'invariantRead',
                data,
                suggest: [
                  { messageId: 'hoistRead', data: { tensor: variable.name, caveat: plan.caveat }, fix: plan.edits },
                ],
              });
            }
          }
        }
      }
    }

    return {
      // for (…) { const v = t.dataSync()[0]; … }   rows.forEach((r) => r.arraySync())
      CallExpression: guarded((call: TSESTree.CallExpression) => {
        const read = readBackInLoop(facts, call);
        if (read) reads.push(read);
      }),
      'Program:exit': guarded(report),
    };
  },
});
