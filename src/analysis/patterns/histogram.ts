/**
 * A histogram of labels read from tensor data: counts, one per label, of how often each occurs —
 *
 *   const counts = new Array(n).fill(0);
 *   for (let i = 0; i < d.length; i++) counts[d[i]]++;
 *   for (const row of rows) for (const label of row) ++counts[label];
 *
 * — is `tf.bincount` over the labels (cast to int32, flattened), with int32 weights of one so that the
 * counts are int32 like the loop's integers. The loop and the op agree when every label is an integer in
 * `[0, n)` (the `in-bounds` assumption): past the end, `++counts[n]` makes the array longer and puts NaN
 * there while `tf.bincount` drops the label; below 0 it throws.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isMethodCall, unwrap } from '../../ast/predicates.js';
import { findVariable, type TensorFacts, type View } from '../tensors.js';
import { countingLoop, coversView, elementOf } from './sorted-topk.js';

/** The containers a histogram starts in, and the JS type the rewrite gives back. */
export type CountsKind = 'Array' | 'Int32Array' | 'Uint32Array';

export interface Histogram {
  /** The outermost loop. */
  node: TSESTree.ForStatement | TSESTree.ForOfStatement;
  view: View;
  /** `for…of` loops nested this deep walk the data (1 for a counting loop over flat data). */
  depth: number;
  counts: Scope.Variable;
  /** `new Array(n).fill(0)`, `new Int32Array(n)`: replaced by the op's result. */
  init: TSESTree.Expression;
  declarator: TSESTree.VariableDeclarator;
  kind: CountsKind;
  /** The number of bins (`n`). */
  size: TSESTree.Expression;
}

/** `new Array(n).fill(0)`, `Array(n).fill(0)`, `new Int32Array(n)`, `new Uint32Array(n)`. */
function zeros(node: TSESTree.Expression): { kind: CountsKind; size: TSESTree.Expression } | undefined {
  const n = unwrap(node);
  const sized = (call: TSESTree.Node, names: string[]): TSESTree.Expression | undefined => {
    if (
      (call.type !== AST_NODE_TYPES.NewExpression && call.type !== AST_NODE_TYPES.CallExpression) ||
      call.callee.type !== AST_NODE_TYPES.Identifier ||
      !names.includes(call.callee.name) ||
      call.arguments.length !== 1 ||
      call.arguments[0].type === AST_NODE_TYPES.SpreadElement
    )
      return undefined;
    return call.arguments[0];
  };
  if (isMethodCall(n, 'fill') && n.arguments.length === 1) {
    const value = unwrap(n.arguments[0]);
    if (value.type !== AST_NODE_TYPES.Literal || value.value !== 0) return undefined;
    const size = sized(unwrap(n.callee.object), ['Array']);
    // `new Array(3)` with one number is a length; only a non-literal or numeric argument is safe to read so.
    if (!size || (size.type === AST_NODE_TYPES.Literal && typeof size.value !== 'number')) return undefined;
    return { kind: 'Array', size };
  }
  if (n.type === AST_NODE_TYPES.NewExpression && n.callee.type === AST_NODE_TYPES.Identifier) {
    const kind = n.callee.name;
    if (kind !== 'Int32Array' && kind !== 'Uint32Array') return undefined;
    const size = sized(n, [kind]);
    return size && { kind, size };
  }
  return undefined;
}

/** `++c[e]`, `c[e]++`, `c[e] += 1`: the counted array and the label expression. */
function increment(stmt: TSESTree.Statement): { array: TSESTree.Identifier; label: TSESTree.Node } | undefined {
  if (stmt.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  const e = stmt.expression;
  let target: TSESTree.Node | undefined;
  if (e.type === AST_NODE_TYPES.UpdateExpression && e.operator === '++') target = e.argument;
  else if (e.type === AST_NODE_TYPES.AssignmentExpression && e.operator === '+=') {
    const one = unwrap(e.right);
    if (one.type === AST_NODE_TYPES.Literal && one.value === 1) target = e.left;
  }
  if (target?.type !== AST_NODE_TYPES.MemberExpression || !target.computed) return undefined;
  const array = unwrap(target.object);
  if (array.type !== AST_NODE_TYPES.Identifier) return undefined;
  return { array, label: target.property };
}

function single(node: TSESTree.Statement): TSESTree.Statement | undefined {
  if (node.type !== AST_NODE_TYPES.BlockStatement) return node;
  return node.body.length === 1 ? node.body[0] : undefined;
}

/** `for (const v of x)`: the declared name. */
function ofName(loop: TSESTree.ForOfStatement): string | undefined {
  const left = loop.left;
  if (loop.await || left.type !== AST_NODE_TYPES.VariableDeclaration || left.declarations.length !== 1)
    return undefined;
  const id = left.declarations[0].id;
  return id.type === AST_NODE_TYPES.Identifier ? id.name : undefined;
}

export function histogram(
  facts: TensorFacts,
  loop: TSESTree.ForStatement | TSESTree.ForOfStatement,
): Histogram | undefined {
  let view: View | undefined;
  let depth = 1;
  let found: { array: TSESTree.Identifier; label: TSESTree.Node } | undefined;
  if (loop.type === AST_NODE_TYPES.ForStatement) {
    const v = countingLoop(loop);
    const body = v && single(loop.body);
    found = body && increment(body);
    view = found && elementOf(facts, found.label, v!.name);
    if (!view || !coversView(facts, v!.bound, view)) return undefined;
  } else {
    // for (const row of rows) for (const v of row) …: each level iterates the one above.
    view = facts.viewOf(loop.right);
    if (!view || view.kind === 'buffer') return undefined;
    let level: TSESTree.ForOfStatement = loop;
    for (;;) {
      const name = ofName(level);
      const body = name && single(level.body);
      if (!body) return undefined;
      if (body.type === AST_NODE_TYPES.ForOfStatement) {
        const over = unwrap(body.right);
        if (over.type !== AST_NODE_TYPES.Identifier || over.name !== name) return undefined;
        level = body;
        depth++;
        continue;
      }
      found = increment(body);
      const label = found && unwrap(found.label);
      if (label?.type !== AST_NODE_TYPES.Identifier || label.name !== name) return undefined;
      break;
    }
    // Flat data is one level deep; nested rows as deep as the tensor's rank, where it is known.
    if (view.kind === 'flat' ? depth !== 1 : view.tensor.rank !== undefined && view.tensor.rank !== depth)
      return undefined;
  }
  if (!found) return undefined;
  // A `var` loop variable outlives the loop: the rewrite would leave it undeclared.
  for (let n: TSESTree.Node = found.array; n !== loop.parent; n = n.parent!) {
    const head =
      n.type === AST_NODE_TYPES.ForStatement ? n.init : n.type === AST_NODE_TYPES.ForOfStatement ? n.left : null;
    if (head?.type === AST_NODE_TYPES.VariableDeclaration && head.kind === 'var') return undefined;
  }
  // The counts: zeros declared before the loop, touched by nothing else until the loop ends.
  const counts = findVariable(facts.sourceCode, found.array);
  const def = counts?.defs[0];
  if (!counts || counts.defs.length !== 1 || def?.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
  const init = def.node.init;
  const made = init && zeros(init);
  if (!init || !made || def.node.range[1] > loop.range[0]) return undefined;
  const early = counts.references.filter((r) => !r.init && r.identifier.range[0] < loop.range[1]);
  if (early.length !== 1 || early[0].identifier !== found.array) return undefined;
  return { node: loop, view, depth, counts, init, declarator: def.node, ...made };
}
