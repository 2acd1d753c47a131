import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';

/**
 * The variable a name refers to from `initialScope`, looked up through the enclosing scopes (as
 * `@eslint-community/eslint-utils`' findVariable does); null for a global that nothing declares.
 */
export function findVariable(
  initialScope: Scope.Scope,
  nameOrNode: string | TSESTree.Identifier,
): Scope.Variable | null {
  const name = typeof nameOrNode === 'string' ? nameOrNode : nameOrNode.name;
  for (let scope: Scope.Scope | null = initialScope; scope; scope = scope.upper) {
    const variable = scope.set.get(name);
    if (variable) return variable;
  }
  return null;
}
