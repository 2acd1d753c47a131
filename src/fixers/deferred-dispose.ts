/**
 * Real code reads a tensor back and disposes it on the next line, then loops over the data:
 *
 *   const scores = Array.from(await scoresTensor.data());
 *   scoresTensor.dispose();
 *   const kept = scores.map(…).filter(…).map(…);      // ← one TF.js op on scoresTensor
 *
 * A rewrite that needs the tensor can move that `dispose` into its own code, after the op, when nothing
 * between the disposal and the rewritten statement can tell the difference: the code in between does not
 * name the tensor, waits for nothing and calls nothing but array methods (whose callbacks obey the same
 * rule), so no other code runs while the tensor lives a few statements longer.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { unwrap } from '../ast/predicates.js';
import { walk } from '../analysis/loop-context.js';

/** Array methods that run only the callbacks they are given (checked in turn). */
const ARRAY_METHODS = new Set([
  'map',
  'filter',
  'slice',
  'reduce',
  'forEach',
  'some',
  'every',
  'find',
  'findIndex',
  'indexOf',
  'includes',
  'concat',
  'join',
  'fill',
  'push',
  'from',
]);

/** Whether `node` runs no code but its own and array methods', waits for nothing and never names `name`. */
function inert(node: TSESTree.Node, name: string): boolean {
  let ok = true;
  walk(node, (n) => {
    switch (n.type) {
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.NewExpression:
      case AST_NODE_TYPES.TaggedTemplateExpression:
      case AST_NODE_TYPES.ImportExpression:
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.ClassDeclaration:
      case AST_NODE_TYPES.ClassExpression:
        ok = false;
        break;
      case AST_NODE_TYPES.Identifier:
        if (n.name === name) ok = false;
        break;
      case AST_NODE_TYPES.CallExpression: {
        const callee = unwrap(n.callee);
        if (
          callee.type !== AST_NODE_TYPES.MemberExpression ||
          callee.computed ||
          callee.property.type !== AST_NODE_TYPES.Identifier ||
          !ARRAY_METHODS.has(callee.property.name)
        )
          ok = false;
        break;
      }
      default:
        break;
    }
  });
  return ok;
}

/** `t.dispose();`, `dispose(t);` or `tf.dispose(t);`: a statement that disposes the tensor `name`, nothing else. */
function disposesOnly(statement: TSESTree.Node, name: string): boolean {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const call = unwrap(statement.expression);
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(call.callee);
  const isName = (n: TSESTree.Node | undefined) => n?.type === AST_NODE_TYPES.Identifier && n.name === name;
  if (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.property.type === AST_NODE_TYPES.Identifier &&
    callee.property.name === 'dispose'
  )
    return call.arguments.length === 0
      ? isName(unwrap(callee.object))
      : call.arguments.length === 1 && isName(call.arguments[0]);
  return (
    callee.type === AST_NODE_TYPES.Identifier &&
    callee.name === 'dispose' &&
    call.arguments.length === 1 &&
    isName(call.arguments[0])
  );
}

/**
 * The statement disposing `name` (its one disposal before `replaced` ends, `disposals`) that a rewrite of
 * `replaced` may remove and redo after its op; undefined where that would be visible.
 */
export function deferrableDisposal(
  name: string,
  disposals: readonly TSESTree.Identifier[],
  replaced: TSESTree.Node,
): TSESTree.ExpressionStatement | undefined {
  if (disposals.length !== 1) return undefined;
  let statement: TSESTree.Node | undefined = disposals[0];
  while (statement && statement.parent && statement.parent !== replaced.parent) statement = statement.parent;
  if (!statement || statement.parent !== replaced.parent || !disposesOnly(statement, name)) return undefined;
  const block = replaced.parent;
  if (block?.type !== AST_NODE_TYPES.BlockStatement && block?.type !== AST_NODE_TYPES.Program) return undefined;
  const body = block.body as TSESTree.Node[];
  const from = body.indexOf(statement);
  const to = body.indexOf(replaced);
  if (from < 0 || to <= from) return undefined;
  const between = body.slice(from + 1, to);
  if (!between.every((s) => inert(s, name))) return undefined;
  return statement as TSESTree.ExpressionStatement;
}
