import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { LoopCarried } from '../analysis/loop-carried.js';
import { groupByLoop, isStepLoop, type LoopSite } from '../analysis/loop-context.js';
import { loopTracker } from '../analysis/loop-spans.js';
import {
  assignsVariable,
  groupInvariantReads,
  readBackInLoop,
  readThroughCall,
  type CallRead,
  type Read,
} from '../analysis/readback.js';
import { functionLabel } from '../analysis/module-functions.js';
import { TensorValues } from '../analysis/tensor-values.js';
import { TensorFacts } from '../analysis/tensors.js';
import { findTfBinding, tfModuleOptions } from '../analysis/tf-binding.js';
import { excerpt, topLevelStatement } from '../ast/predicates.js';
import { createRule, guarded } from '../create-rule.js';
import { cachedByStatement, inGroupOf, lineOf, noteNotKept } from '../unit-cache.js';
import { planHoist } from '../fixers/hoist-read.js';

type Options = [{ allowedReadsPerStep?: number }];
type MessageIds = 'invariantRead' | 'readInLoop' | 'extraStepRead' | 'invariantReadInCall' | 'readInCall' | 'hoistRead';

const MAX_SHOWN = 60;

const rule = createRule<Options, MessageIds>({
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
              'How many read-backs one step of a training or animation loop may make without a report: a loop that trains (`model.fit`, `fitDataset`, `trainOnBatch`, `optimizer.minimize`, `applyGradients`, a `tf.Variable` updated with `assign`), waits for a frame (`tf.nextFrame()`, `requestAnimationFrame`) or awaits a data iterator (`for await`, `await it.next()`). 0 reports every read.',
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
      invariantReadInCall:
        '`{{call}}` runs on every iteration of this {{loop}}, and each call reads the same tensor `{{tensor}}` back with `{{read}}` (line {{line}} in `{{callee}}`): a GPU→CPU sync per iteration for values that do not change. Read it once before the loop and pass the values to `{{callee}}`.',
      readInCall:
        '`{{call}}` runs on every iteration of this {{loop}}, and each call reads a tensor back with `{{read}}` (line {{line}} in `{{callee}}`): one GPU→CPU sync per iteration. Compute the values of all iterations as one tensor with TF.js ops and read that once after the loop.',
      hoistRead: 'Read `{{tensor}}` once before the loop (note: {{caveat}}).',
    },
  },
  defaultOptions: [{ allowedReadsPerStep: 1 }],
  create(context, [{ allowedReadsPerStep = 1 }]) {
    const sourceCode = context.sourceCode;
    const options = tfModuleOptions(context);
    const binding = findTfBinding(sourceCode.ast, options);
    // Without a TF.js import there are no tensors to read back (and `data()` / `array()` are common names).
    if (!binding) return {};
    const facts = new TensorFacts(sourceCode, binding);
    const loops = loopTracker();
    const values = new TensorValues(sourceCode, binding, options, context.languageOptions.parser);
    const carried = new LoopCarried(values);
    const reads: (Read | CallRead)[] = [];
    const short = (node: TSESTree.Node) => excerpt(sourceCode, node, MAX_SHOWN);

    // iou(boxes, i, j) in a loop, where iou() calls boxes.arraySync()
    function reportCall(read: CallRead): void {
      const inner = read.reads[0];
      const call = short(read.call);
      const loop = read.site.label;
      const readText = short(inner.expr);
      const line = `${lineOf(inner.expr)}`;
      const callee = functionLabel(read.call);
      if (read.invariant)
        context.report({
          node: read.expr,
          messageId: 'invariantReadInCall',
          data: { call, loop, tensor: read.invariant, read: readText, line, callee },
        });
      // The values decide what the next iteration does: reading them on each one is the point.
      else if (!carried.drivesLoop(read.expr, read.site))
        context.report({
          node: read.expr,
          messageId: 'readInCall',
          data: { call, loop, read: readText, line, callee },
        });
    }

    // A training or animation step: one read (or `allowedReadsPerStep`) is the normal pattern.
    function reportStep(site: LoopSite, siteReads: (Read | CallRead)[]): void {
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
    }

    // The names hoisted declarations took: per top-level statement (a declaration in one function is not
    // seen in another), and at the module's top (seen everywhere: such findings are made afresh each lint).
    const takenAtTop = new Set<string>();
    const takenIn = new Map<TSESTree.Node, Set<string>>();
    const takenAt = (anchor: TSESTree.Statement): Set<string> => {
      if (anchor.parent?.type === AST_NODE_TYPES.Program) {
        noteNotKept();
        return takenAtTop;
      }
      const top = topLevelStatement(anchor);
      let taken = takenIn.get(top);
      if (!taken) takenIn.set(top, (taken = new Set()));
      return taken;
    };

    function report(): void {
      for (const { site, items } of groupByLoop(reads)) inGroupOf(site.node, () => reportSite(site, items));
    }

    function reportSite(site: LoopSite, items: (Read | CallRead)[]): void {
      const siteReads = items.sort((a, b) => a.expr.range[0] - b.expr.range[0]);
      if (allowedReadsPerStep > 0 && (isStepLoop(site) || assignsVariable(values, site))) {
        reportStep(site, siteReads);
        return;
      }
      const own = siteReads.filter((r): r is Read => !('fn' in r));
      for (const r of siteReads) if ('fn' in r) reportCall(r);
      const { varying, invariant } = groupInvariantReads(sourceCode, own);
      for (const read of varying) {
        // The values decide what the next iteration does (a search that stops, greedy decoding).
        if (carried.drivesLoop(read.expr, site)) continue;
        context.report({
          node: read.expr,
          messageId: 'readInLoop',
          data: { read: short(read.expr), loop: site.label },
        });
      }
      // One hoisted declaration serves all reads of a loop-invariant tensor.
      for (const { variable, reads: group } of invariant) {
        const plans = planHoist(facts, group, variable, takenAt);
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

    return {
      ...loops.listeners,
      // for (…) { const v = t.dataSync()[0]; … }   rows.forEach((r) => r.arraySync())   for (…) iou(boxes, i, j)
      CallExpression: guarded((call: TSESTree.CallExpression) => {
        if (!loops.mayRunInLoop(call)) return;
        const read = readBackInLoop(values, call) ?? readThroughCall(values, call);
        if (read) reads.push(read);
      }),
      'Program:exit': guarded(report),
    };
  },
});

// Findings kept across re-lints for the statements an edit did not reach (unit-cache.ts).
export default cachedByStatement('no-readback-in-loop', rule);
