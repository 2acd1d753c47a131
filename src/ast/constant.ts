/**
 * Code that never runs because a condition is a constant: `if (false)`, or a flag declared
 * `const returnTensors = false` and tested in the same function (demos switch paths that way).
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { unwrap } from './predicates.js';
import { findVariable } from './scope.js';

/** The truthiness of `node` when it is a constant (a literal, `!c`, a never-written `const` with a literal value). */
export function constantTruthiness(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
  depth = 0,
): boolean | undefined {
  const n = unwrap(node);
  if (depth > 4) return undefined;
  if (n.type === AST_NODE_TYPES.Literal) return n.value !== null && typeof n.value === 'object' ? true : !!n.value;
  if (n.type === AST_NODE_TYPES.UnaryExpression && n.operator === '!') {
    const v = constantTruthiness(sourceCode, n.argument, depth + 1);
    return v === undefined ? undefined : !v;
  }
  if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariable(sourceCode.getScope(n), n);
  const def = variable?.defs[0];
  if (
    !variable ||
    variable.defs.length !== 1 ||
    def?.node.type !== AST_NODE_TYPES.VariableDeclarator ||
    def.parent?.type !== AST_NODE_TYPES.VariableDeclaration ||
    def.parent.kind !== 'const' ||
    def.node.id.type !== AST_NODE_TYPES.Identifier ||
    !def.node.init ||
    variable.references.some((r) => r.isWrite() && !r.init)
  )
    return undefined;
  return constantTruthiness(sourceCode, def.node.init, depth + 1);
}

/**
 * Whether `node` sits in a branch that a constant condition rules out: the consequent of `if (false)`,
 * the other arm of `c ? a : b`, the right of `false && …`. A callback written in such a branch never
 * runs either; a function declaration is hoisted out of it, so the search stops there.
 */
export function isDeadCode(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): boolean {
  let child: TSESTree.Node = node;
  for (let p = node.parent; p && p.type !== AST_NODE_TYPES.FunctionDeclaration; child = p, p = p.parent) {
    if (p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) {
      if (child === p.test) continue;
      const v = constantTruthiness(sourceCode, p.test);
      if (v !== undefined && v !== (child === p.consequent)) return true;
    } else if (p.type === AST_NODE_TYPES.LogicalExpression && child === p.right && p.operator !== '??') {
      const v = constantTruthiness(sourceCode, p.left);
      if (v !== undefined && v === (p.operator === '||')) return true;
    }
  }
  return false;
}
