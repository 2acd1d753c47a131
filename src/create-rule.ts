import { ESLintUtils } from '@typescript-eslint/utils';

export interface VectorizeRuleDocs {
  description: string;
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}

export const createRule = ESLintUtils.RuleCreator<VectorizeRuleDocs>(
  (name) => `https://github.com/eslint-plugin-vectorize/eslint-plugin-vectorize/blob/main/docs/rules/${name}.md`,
);

/**
 * An analysis bug must never take down the user's lint run: the node is left unreported. Set
 * VECTORIZE_DEBUG=1 to make it throw (the test suites do, so such bugs fail loudly there).
 */
export function internalError(e: unknown): void {
  if (typeof process !== 'undefined' && process.env.VECTORIZE_DEBUG) throw e;
}

/** A listener that reports an analysis bug through internalError instead of throwing. */
export function guarded<N>(listener: (node: N) => void): (node: N) => void {
  return (node) => {
    try {
      listener(node);
    } catch (e) {
      internalError(e);
    }
  };
}
