import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { forEachChild, unwrap } from '../ast/predicates.js';
import { findVariable } from '../analysis/tensors.js';

const READ_METHODS = new Set(['dataSync', 'arraySync', 'bufferSync', 'data', 'array', 'buffer']);

/**
 * Declarations the rewrite made dead: tensor reads (`const d = x.dataSync()`), the sizes taken
 * from them (`const n = a.length`, `const [n, m] = x.shape`), numbers (`let k = 0`, a running
 * index) and arithmetic on those (`const len = h * w * 4`) whose every use sits in code being
 * removed or replaced. Iterates, since removing `const n = a.length` can free `a`. Nothing with
 * another effect is touched.
 */
export function deadScaffolding(
  sourceCode: Readonly<TSESLint.SourceCode>,
  gone: [number, number][],
  newText: string,
  scope: TSESTree.Node,
): TSESTree.VariableDeclaration[] {
  const removed: TSESTree.VariableDeclaration[] = [];
  const isGone = (node: TSESTree.Node): boolean =>
    [...gone, ...removed.map((r) => r.range)].some(([s, e]) => node.range[0] >= s && node.range[1] <= e);
  const candidates = new Set<TSESTree.VariableDeclaration>();
  const visit = (node: TSESTree.Node): void => {
    if (
      node.type === AST_NODE_TYPES.VariableDeclaration &&
      node.declarations.length === 1 &&
      isPureRead(node.declarations[0].init)
    )
      candidates.add(node);
    forEachChild(node, visit);
  };
  visit(scope);
  for (let changed = true; changed;) {
    changed = false;
    for (const decl of candidates) {
      if (removed.includes(decl) || isGone(decl)) continue;
      const ids = declaredIds(decl.declarations[0].id);
      if (!ids) continue;
      const dead = ids.every((id) => {
        if (new RegExp(`\\b${id.name}\\b`).test(newText)) return false;
        const variable = findVariable(sourceCode, id);
        return variable !== undefined && variable.references.every((r) => r.init === true || isGone(r.identifier));
      });
      // Only declarations that something removed used: a read the user never used stays theirs.
      const usedByRemoved = ids.some((id) =>
        findVariable(sourceCode, id)?.references.some((r) => !r.init && isGone(r.identifier)),
      );
      if (dead && usedByRemoved) {
        removed.push(decl);
        changed = true;
      }
    }
  }
  return removed;
}

/**
 * Names of `const [n, m] = x.shape` that only removed code used, where another name of the same
 * pattern stays alive (`m` in the fix): blank them (`const [, m] = x.shape`).
 */
export function deadPatternElements(
  sourceCode: Readonly<TSESLint.SourceCode>,
  gone: [number, number][],
  newText: string,
  scope: TSESTree.Node,
  removed: readonly TSESTree.VariableDeclaration[],
): TSESTree.Identifier[] {
  const isGone = (node: TSESTree.Node): boolean =>
    [...gone, ...removed.map((r) => r.range)].some(([s, e]) => node.range[0] >= s && node.range[1] <= e);
  const out: TSESTree.Identifier[] = [];
  const visit = (node: TSESTree.Node): void => {
    if (
      node.type === AST_NODE_TYPES.VariableDeclaration &&
      node.declarations.length === 1 &&
      node.declarations[0].id.type === AST_NODE_TYPES.ArrayPattern &&
      !isGone(node) &&
      isPureRead(node.declarations[0].init)
    ) {
      for (const el of node.declarations[0].id.elements) {
        if (el?.type !== AST_NODE_TYPES.Identifier || new RegExp(`\\b${el.name}\\b`).test(newText)) continue;
        const refs = findVariable(sourceCode, el)?.references.filter((r) => !r.init) ?? [];
        if (refs.length > 0 && refs.every((r) => isGone(r.identifier))) out.push(el);
      }
    }
    forEachChild(node, visit);
  };
  visit(scope);
  return out;
}

/** `x.dataSync()`, `await x.data()`, `x.shape`, `x.shape[0]`, `a.length`, `x.size` */
function isPureRead(init: TSESTree.Expression | null): boolean {
  if (!init) return false;
  let n = unwrap(init);
  if (n.type === AST_NODE_TYPES.AwaitExpression) n = unwrap(n.argument);
  // let k = 0: a running index whose every use was in the loop
  if (n.type === AST_NODE_TYPES.Literal) return typeof n.value === 'number';
  // const len = h * w * 4: a size for the array the loop filled
  if (n.type === AST_NODE_TYPES.BinaryExpression && ['+', '-', '*', '/', '%'].includes(n.operator)) {
    const operand = (o: TSESTree.Node) => o.type === AST_NODE_TYPES.Identifier || isPureRead(o as TSESTree.Expression);
    return operand(n.left) && operand(n.right);
  }
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const c = n.callee;
    // Array.from(x.dataSync()): a copy of a read
    if (
      c.type === AST_NODE_TYPES.MemberExpression &&
      !c.computed &&
      c.object.type === AST_NODE_TYPES.Identifier &&
      c.object.name === 'Array' &&
      c.property.type === AST_NODE_TYPES.Identifier &&
      c.property.name === 'from' &&
      n.arguments.length === 1
    ) {
      return n.arguments[0].type !== AST_NODE_TYPES.SpreadElement && isPureRead(n.arguments[0]);
    }
    return (
      n.arguments.length === 0 &&
      c.type === AST_NODE_TYPES.MemberExpression &&
      !c.computed &&
      c.property.type === AST_NODE_TYPES.Identifier &&
      READ_METHODS.has(c.property.name) &&
      c.object.type === AST_NODE_TYPES.Identifier
    );
  }
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    if (n.computed)
      return (
        n.object.type === AST_NODE_TYPES.MemberExpression &&
        isPureRead(n.object) &&
        n.property.type === AST_NODE_TYPES.Literal
      );
    return (
      n.property.type === AST_NODE_TYPES.Identifier &&
      ['shape', 'length', 'size'].includes(n.property.name) &&
      (n.object.type === AST_NODE_TYPES.Identifier || isPureRead(n.object))
    );
  }
  return false;
}

function declaredIds(id: TSESTree.Node): TSESTree.Identifier[] | undefined {
  if (id.type === AST_NODE_TYPES.Identifier) return [id];
  if (id.type === AST_NODE_TYPES.ArrayPattern) {
    const out: TSESTree.Identifier[] = [];
    for (const e of id.elements) {
      if (e === null) continue;
      if (e.type !== AST_NODE_TYPES.Identifier) return undefined;
      out.push(e);
    }
    return out;
  }
  return undefined;
}
