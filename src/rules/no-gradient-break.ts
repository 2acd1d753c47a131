import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { liftNest } from '../analysis/lift/index.js';
import { planRewrite } from '../fixers/rewrite-nest.js';
import { GRAD_OPS, OPTIMIZER_METHODS, isLayerClass, isOptimizer } from '../analysis/differentiated.js';
import { GradientPaths, resolveFunction } from '../analysis/gradient-path.js';
import { findTfBinding, tfCallName, tfModuleOptions } from '../analysis/tf-binding.js';
import { findVariable, TensorFacts } from '../analysis/tensors.js';
import { excerpt } from '../ast/predicates.js';
import { cachedByStatement } from '../unit-cache.js';
import { createRule, guarded } from '../create-rule.js';

type Options = [];
type MessageIds = 'brokenGradient' | 'useVectorized';

const MAX_SHOWN = 60;

const CONNECTION_ERROR = 'Cannot find a connection between any variable and the result of the loss function';
const GRAD_ERROR = 'Cannot compute gradient of y=f(x) with respect to x';

const rule = createRule<Options, MessageIds>({
  name: 'no-gradient-break',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow read-backs that turn a tensor into JavaScript values and back on the path to the value a gradient function differentiates',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      useVectorized: 'Replace the loop with `{{replacement}}`, which stays on the tape (note: {{caveat}}).',
      brokenGradient:
        '{{read}} copies a tensor of this {{api}} function into JavaScript, and `{{creator}}` makes a new tensor of those values that reaches the returned value: the autograd tape does not see through JavaScript numbers, so the gradient along this path is lost ({{consequence}}). Compute the value with TF.js ops on the tensor itself; when the values are walked in a loop, `vectorize/no-element-loop` names the op.',
    },
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    const binding = findTfBinding(sourceCode.ast, tfModuleOptions(context));
    // Without a TF.js import there is no tape to break.
    if (!binding) return {};
    const paths = new GradientPaths(sourceCode, binding);
    const reported = new Set<TSESTree.Node>();
    const short = (node: TSESTree.Node): string => excerpt(sourceCode, node, MAX_SHOWN);

    const facts = new TensorFacts(sourceCode, binding);
    /**
     * no-element-loop's rewrite of the loop that walks the read-back's values, when it has one: it keeps
     * the gradient.
     */
    const vectorized = (fn: TSESTree.Node, read: TSESTree.Node): TSESLint.ReportSuggestionArray<MessageIds> => {
      const decl =
        read.parent?.type === AST_NODE_TYPES.VariableDeclarator
          ? read.parent
          : read.parent?.parent?.type === AST_NODE_TYPES.VariableDeclarator
            ? read.parent.parent
            : undefined;
      if (decl?.id.type !== AST_NODE_TYPES.Identifier) return [];
      const variable = findVariable(sourceCode, decl.id);
      if (!variable) return [];
      for (const ref of variable.references) {
        // the outermost loop inside fn that reads the values
        let loop: TSESTree.Node | undefined;
        for (let n: TSESTree.Node | undefined = ref.identifier.parent; n && n !== fn; n = n.parent)
          if (n.type === AST_NODE_TYPES.ForStatement || n.type === AST_NODE_TYPES.ForOfStatement) loop = n;
        if (!loop) continue;
        try {
          const lifted = liftNest(facts, loop as TSESTree.ForStatement | TSESTree.ForOfStatement);
          if (lifted.kind !== 'lifted' || !lifted.readsTensorData) continue;
          // The rewrite runs under the gradient: only ops TF.js can differentiate.
          const plan = planRewrite(facts, lifted, context.filename, { gradient: true });
          if (!plan || plan.verdict === 'none' || !plan.replacement || plan.withoutGradient.length > 0) continue;
          const caveat = plan.reasons.length > 0 ? plan.reasons.join('; ') : 'the same values, computed by TF.js ops';
          return [{ messageId: 'useVectorized', data: { replacement: plan.replacement, caveat }, fix: plan.edits }];
        } catch {
          // An analysis bug: the message alone.
        }
      }
      return [];
    };

    const reportPaths = (fn: Parameters<GradientPaths['analyse']>[0], api: string, consequence: string): void => {
      for (const path of paths.analyse(fn)) {
        const node = path.via ?? path.read;
        if (reported.has(node)) continue;
        reported.add(node);
        const read = `\`${short(path.read)}\``;
        context.report({
          node,
          messageId: 'brokenGradient',
          data: {
            read: path.via ? `\`${short(path.via)}\` reads back ${read} in its helper, which` : read,
            api,
            creator: short(path.creator.callee),
            consequence,
          },
          suggest: path.via ? [] : vectorized(fn, path.read),
        });
      }
    };

    return {
      MethodDefinition: guarded((method: TSESTree.MethodDefinition) => {
        if (
          !('name' in method.key) ||
          method.key.name !== 'call' ||
          method.static ||
          method.value.type !== AST_NODE_TYPES.FunctionExpression ||
          !isLayerClass(sourceCode, binding, method.parent?.parent)
        )
          return;
        reportPaths(
          method.value,
          "a custom layer's call",
          `model.fit trains through it: when no other path connects a weight, it throws "${CONNECTION_ERROR}"; otherwise the layers before it get a gradient that misses this part`,
        );
      }),
      // tf.grad((x) => tf.scalar(x.dataSync()[0] ** 2))   optimizer.minimize(() => tf.tensor(w.arraySync()).sum())
      CallExpression: guarded((call: TSESTree.CallExpression) => {
        const op = tfCallName(binding, call);
        let api: string;
        let consequence: string;
        if (op && GRAD_OPS.has(op)) {
          api = `tf.${op}`;
          consequence =
            op === 'variableGrads'
              ? `when no other path connects a variable, it throws "${CONNECTION_ERROR}"; otherwise that variable's gradient misses this part`
              : `when no other path connects the input, it throws "${GRAD_ERROR}"; otherwise the gradient misses this part`;
        } else if (
          call.callee.type === AST_NODE_TYPES.MemberExpression &&
          !call.callee.computed &&
          call.callee.property.type === AST_NODE_TYPES.Identifier &&
          OPTIMIZER_METHODS.has(call.callee.property.name) &&
          isOptimizer(sourceCode, binding, call.callee.object)
        ) {
          api = `optimizer.${call.callee.property.name}`;
          consequence = `when no other path connects a variable, it throws "${CONNECTION_ERROR}"; otherwise the variables are updated with a gradient that misses this part`;
        } else return;
        const fn = resolveFunction(sourceCode, call.arguments[0]);
        if (fn) reportPaths(fn, api, consequence);
      }),
    };
  },
});

// Findings kept across re-lints for the statements an edit did not reach (unit-cache.ts).
export default cachedByStatement('no-gradient-break', rule);
