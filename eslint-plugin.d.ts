import type { ESLint, Linter, Rule } from 'eslint';

declare const plugin: {
  meta: { name: string; version: string; namespace: string };
  rules: Record<
    'no-element-loop' | 'no-gradient-break' | 'no-readback-in-loop' | 'no-tensor-leak-in-loop',
    Rule.RuleModule
  >;
  configs: {
    recommended: Linter.Config;
    all: Linter.Config;
  };
} & ESLint.Plugin;

export default plugin;
