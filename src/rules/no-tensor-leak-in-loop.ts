import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { groupByLoop, type LoopSite } from '../analysis/loop-context.js';
import { loopTracker } from '../analysis/loop-spans.js';
import { functionLabel } from '../analysis/module-functions.js';
import { TensorLeaks, type CallLeak, type Leak } from '../analysis/tensor-leak.js';
import { TensorValues } from '../analysis/tensor-values.js';
import { findTfBinding, tfModuleOptions } from '../analysis/tf-binding.js';
import { excerpt } from '../ast/predicates.js';
import { createRule, guarded } from '../create-rule.js';
import { cachedByStatement, inGroupOf, lineOf } from '../unit-cache.js';
import { disposeAtEnd, tidyCallee, wrapInTidy } from '../fixers/tidy-or-dispose.js';

type Options = [];
type MessageIds = 'leak' | 'overwritten' | 'leakInCall' | 'wrapInTidy' | 'disposeAtEnd';

const MAX_SHOWN = 40;
const MAX_LISTED = 3;

const rule = createRule<Options, MessageIds>({
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
      leakInCall:
        '`{{call}}` runs on every iteration of this {{loop}}, and each call of `{{callee}}` creates {{count}} that nothing disposes, returns or keeps ({{tensors}}): backend memory grows with each iteration. Dispose them in `{{callee}}`, or wrap its body in `tf.tidy(() => …)`.',
      wrapInTidy:
        'Wrap the body of the {{loop}} in `{{tidy}}(() => { … })`: the tensors it creates are disposed at the end of each iteration.',
      disposeAtEnd: 'Dispose {{names}} at the end of each iteration.',
    },
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    const binding = findTfBinding(sourceCode.ast, tfModuleOptions(context));
    // Without a TF.js import there are no TF.js ops to create tensors with.
    if (!binding) return {};
    const analysis = new TensorLeaks(
      new TensorValues(sourceCode, binding, tfModuleOptions(context), context.languageOptions.parser),
    );
    const loops = loopTracker();
    const tidy = tidyCallee(binding);
    const leaks: Leak[] = [];
    const quote = (node: TSESTree.Node) => `\`${excerpt(sourceCode, node, MAX_SHOWN)}\``;
    const listed = (nodes: readonly TSESTree.Node[]) => {
      const shown = nodes.slice(0, MAX_LISTED).map(quote);
      if (nodes.length > MAX_LISTED) shown.push(`${nodes.length - MAX_LISTED} more`);
      return shown.join(', ');
    };
    const count = (n: number) => (n === 1 ? 'a tensor' : `${n} tensors`);

    // for (…) { const p = model.predict(x); out.push(p.dataSync()[0]); }   // p leaks
    function check(call: TSESTree.CallExpression): void {
      if (!loops.mayRunInLoop(call)) return;
      for (const found of analysis.at(call)) {
        if ('leak' in found) leaks.push(found.leak);
        else if ('overwrite' in found)
          context.report({
            node: found.overwrite.assign,
            messageId: 'overwritten',
            data: { name: found.overwrite.variable.name, loop: found.overwrite.site.label },
          });
        else reportCall(found.callLeak);
      }
    }

    // for (…) out.push(score(x));   // where score() makes tf.sub(a, b) and never disposes it
    function reportCall({ call, creations, site }: CallLeak): void {
      const line = (n: TSESTree.Node) => `${quote(n)} on line ${lineOf(n)}`;
      const shown = creations.slice(0, MAX_LISTED).map(line);
      if (creations.length > MAX_LISTED) shown.push(`${creations.length - MAX_LISTED} more`);
      context.report({
        node: call,
        messageId: 'leakInCall',
        data: {
          call: excerpt(sourceCode, call, MAX_SHOWN),
          loop: site.label,
          callee: functionLabel(call),
          count: count(creations.length),
          tensors: shown.join(', '),
        },
      });
    }

    // One report per loop, at its first leaked tensor.
    function report(): void {
      for (const { site, items } of groupByLoop(leaks)) inGroupOf(site.node, () => reportSite(site, items));
    }

    function reportSite(site: LoopSite, list: Leak[]): void {
      list.sort((a, b) => a.creation.range[0] - b.creation.range[0]);
      const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
      const body = tidy ? analysis.tidyBody(site) : undefined;
      if (body)
        suggest.push({
          messageId: 'wrapInTidy',
          data: { loop: site.label, tidy: tidy! },
          fix: wrapInTidy(sourceCode, body, tidy!),
        });
      // Only when every leaked tensor has a name to dispose it by.
      const dispose = list.every((l) => l.variable) ? disposeAtEnd(sourceCode, binding!, site, list) : undefined;
      if (dispose) {
        const names = list.map((l) => `\`${l.variable!.name}\``);
        const joined = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
        suggest.push({ messageId: 'disposeAtEnd', data: { names: joined }, fix: dispose });
      }
      context.report({
        node: list[0].creation,
        messageId: 'leak',
        data: { loop: site.label, count: count(list.length), tensors: listed(list.map((l) => l.creation)) },
        suggest,
      });
    }

    return {
      ...loops.listeners,
      CallExpression: guarded(check),
      'Program:exit': guarded(report),
    };
  },
});

// Findings kept across re-lints for the statements an edit did not reach (unit-cache.ts).
export default cachedByStatement('no-tensor-leak-in-loop', rule);
