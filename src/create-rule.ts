import { ESLintUtils } from '@typescript-eslint/utils';

export interface VectorizeRuleDocs {
  description: string;
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}

export const createRule = ESLintUtils.RuleCreator<VectorizeRuleDocs>(
  (name) => `https://github.com/eslint-plugin-vectorize/eslint-plugin-vectorize/blob/main/docs/rules/${name}.md`,
);
