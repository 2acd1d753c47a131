// The loop behind each finding, handed over by the rule itself: the runtime lints with a copy of the
// plugin whose `no-element-loop` records the `node` of every report it makes (the nest root: a `for` /
// `for…of` statement, a `forEach` statement, a `map` / `reduce` call), so input synthesis lifts the very
// node the rule lifted instead of searching the tree for a loop at the finding's line and column.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Linter } from 'eslint';
import type { NestRoot } from '../analysis/lift/index.js';
import plugin from '../index.js';

type Rule = TSESLint.RuleModule<string, readonly unknown[]>;
type Context = TSESLint.RuleContext<string, readonly unknown[]>;

const NEST_ROOTS = new Set<string>(['ForStatement', 'ForOfStatement', 'ExpressionStatement', 'CallExpression']);

/** The line and 1-based column ESLint gives the message of a report (from its `loc`, else its node's start). */
function messageStart(descriptor: TSESLint.ReportDescriptor<string>): { line: number; column: number } {
  const loc = descriptor.loc ?? ('node' in descriptor ? descriptor.node.loc : undefined);
  const start: TSESTree.Position | undefined = loc && ('start' in loc ? loc.start : loc);
  return { line: start?.line ?? 0, column: (start?.column ?? -1) + 1 };
}

const keyOf = (line: number, column: number, messageId: string | undefined) => `${line}:${column}:${messageId ?? ''}`;

export interface ReportedNodes {
  /** The plugin to lint with: the project's, with `no-element-loop` recording its reports. */
  plugin: typeof plugin;
  /**
   * The nest root the rule reported `message` for. Each report is matched to its own message by what
   * ESLint copies from the report into it (line, column, messageId), in report order; undefined for a
   * message of another rule. Call it once per message: a match is used up.
   */
  nodeOf(message: Pick<Linter.LintMessage, 'line' | 'column' | 'messageId'>): NestRoot | undefined;
}

/** A fresh recorder: lint one file with its `plugin`, then ask `nodeOf` for each of the rule's messages. */
export function recordReportedNodes(): ReportedNodes {
  const reported = new Map<string, NestRoot[]>();
  const rule = plugin.rules['no-element-loop'] as unknown as Rule;
  const recording: Rule = {
    ...rule,
    create(context: Readonly<Context>) {
      const report = (descriptor: TSESLint.ReportDescriptor<string>): void => {
        const node = 'node' in descriptor ? descriptor.node : undefined;
        if (node && NEST_ROOTS.has(node.type)) {
          const { line, column } = messageStart(descriptor);
          const key = keyOf(line, column, descriptor.messageId);
          reported.set(key, [...(reported.get(key) ?? []), node as NestRoot]);
        }
        context.report(descriptor);
      };
      // ESLint freezes the context: a child object shadows `report` and reads everything else through it.
      return rule.create(Object.create(context, { report: { value: report } }) as Context);
    },
  };
  return {
    plugin: {
      ...plugin,
      rules: { ...plugin.rules, 'no-element-loop': recording as unknown as (typeof plugin.rules)['no-element-loop'] },
    },
    nodeOf: (m) => reported.get(keyOf(m.line, m.column, m.messageId))?.shift(),
  };
}
