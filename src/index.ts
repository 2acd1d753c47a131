import type { TSESLint } from '@typescript-eslint/utils';
import noElementLoop from './rules/no-element-loop.js';
import noGradientBreak from './rules/no-gradient-break.js';
import noReadbackInLoop from './rules/no-readback-in-loop.js';
import noTensorLeakInLoop from './rules/no-tensor-leak-in-loop.js';
import { name, version } from './package-info.js';

const rules = {
  'no-element-loop': noElementLoop,
  'no-gradient-break': noGradientBreak,
  'no-readback-in-loop': noReadbackInLoop,
  'no-tensor-leak-in-loop': noTensorLeakInLoop,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

type RuleName = keyof typeof rules;
/** Rules whose findings are bugs, not slow code: they fail the lint run. */
const ERROR_RULES = new Set<RuleName>(['no-gradient-break']);
type RulesConfig = Partial<Record<`vectorize/${RuleName}`, TSESLint.FlatConfig.RuleEntry>>;

const plugin = {
  meta: { name, version, namespace: 'vectorize' },
  rules,
  configs: {} as { recommended: TSESLint.FlatConfig.Config; all: TSESLint.FlatConfig.Config },
};

function configFor(select: (rule: (typeof rules)[RuleName]) => boolean, name: string): TSESLint.FlatConfig.Config {
  const ruleEntries: RulesConfig = {};
  for (const [id, rule] of Object.entries(rules) as [RuleName, (typeof rules)[RuleName]][]) {
    if (select(rule)) ruleEntries[`vectorize/${id}`] = ERROR_RULES.has(id) ? 'error' : 'warn';
  }
  return { name: `vectorize/${name}`, plugins: { vectorize: plugin }, rules: ruleEntries };
}

plugin.configs.recommended = configFor((rule) => rule.meta.docs?.recommended === true, 'recommended');
plugin.configs.all = configFor(() => true, 'all');

export default plugin;
