import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { groupByLoop } from '../analysis/loop-context.js';
import { TensorLeaks, type Leak } from '../analysis/tensor-leak.js';
import { findTfBinding } from '../analysis/tf-binding.js';
import { TensorFacts } from '../analysis/tensors.js';
import { excerpt } from '../ast/predicates.js';
import { createRule, guarded } from '../create-rule.js';
import { disposeAtEnd, tidyCallee, wrapInTidy } from '../fixers/tidy-or-dispose.js';

type Options = [];
type MessageIds = 'leak' | 'overwritten' | 'wrapInTidy' | 'disposeAtEnd';

const MAX_SHOWN = 40;
const MAX_LISTED = 3;

export default createRule<Options, MessageIds>({
  name: 'no-tensor-leak-in-loop',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow tensors created on every loop iteration that are never disposed, returned or kept',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      leak: 'This {{loop}} creates {{count}} on every iteration that nothing disposes, returns or keeps ({{tensors}}): backend memory (GPU memory on WebGL/WebGPU) grows with each iteration, as `tf.memory().numTensors` shows. Wrap the body in `tf.tidy(() => { … })`, or call `dispose()` on each tensor when done with it.',
      overwritten:
        '`{{name}}` gets a new tensor on every iteration of this {{loop}}, and the tensor it held before is never disposed: every iteration but the last leaks one. Dispose the old value once the new one is computed (`const next = …; {{name}}.dispose(); {{name}} = next;`).',
      wrapInTidy:
        'Wrap the body of the {{loop}} in `{{tidy}}(() => { … })`: the tensors it creates are disposed at the end of each iteration.',
      disposeAtEnd: 'Dispose `{{name}}` at the end of each iteration.',
    },
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    const binding = findTfBinding(sourceCode.ast);
    // Without a TF.js import there are no TF.js ops to create tensors with.
    if (!binding) return {};
    const analysis = new TensorLeaks(new TensorFacts(sourceCode, binding));
    const tidy = tidyCallee(binding);
    const leaks: Leak[] = [];

    // for (…) { const p = model.predict(x); out.push(p.dataSync()[0]); }   // p leaks
    function check(call: TSESTree.CallExpression): void {
      const found = analysis.at(call);
      if (found && 'leak' in found) leaks.push(found.leak);
      else if (found)
        context.report({
          node: found.overwrite.assign,
          messageId: 'overwritten',
          data: { name: found.overwrite.variable.name, loop: found.overwrite.site.label },
        });
    }

    // One report per loop, at its first leaked tensor.
    function report(): void {
      for (const { site, items: list } of groupByLoop(leaks)) {
        list.sort((a, b) => a.creation.range[0] - b.creation.range[0]);
        const shown = list.slice(0, MAX_LISTED).map((l) => `\`${excerpt(sourceCode, l.creation, MAX_SHOWN)}\``);
        if (list.length > MAX_LISTED) shown.push(`${list.length - MAX_LISTED} more`);
        const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
        const body = tidy ? analysis.tidyBody(site) : undefined;
        if (body)
          suggest.push({
            messageId: 'wrapInTidy',
            data: { loop: site.label, tidy: tidy! },
            fix: wrapInTidy(sourceCode, body, tidy!),
          });
        const dispose = list.length === 1 ? disposeAtEnd(sourceCode, site, list[0]) : undefined;
        if (dispose) suggest.push({ messageId: 'disposeAtEnd', data: { name: list[0].variable!.name }, fix: dispose });
        context.report({
          node: list[0].creation,
          messageId: 'leak',
          data: {
            loop: site.label,
            count: list.length === 1 ? 'a tensor' : `${list.length} tensors`,
            tensors: shown.join(', '),
          },
          suggest,
        });
      }
    }

    return {
      CallExpression: guarded(check),
      'Program:exit': guarded(report),
    };
  },
});
