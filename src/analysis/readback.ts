/**
 * Tensor read-backs in loops: `t.dataSync()`, `t.arraySync()`, `t.bufferSync()` and awaited
 * `t.data()` / `t.array()` / `t.buffer()` in a loop body or per-element callback; which of them read
 * the same tensor on every iteration; and what moving such a read before the loop depends on (its
 * result only read, the tensor's values fixed while the loop runs).
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isInside, isMethodCall, unwrap } from '../ast/predicates.js';
import { enclosingLoop, loopBodyParts, walk, type LoopSite } from './loop-context.js';
import { findVariable, isConstLike, type TensorFacts } from './tensors.js';
import { tfCallName, type TfBinding } from './tf-binding.js';

/** Tensor methods that copy the tensor into JavaScript and return the values. */
export const SYNC_READS: ReadonlySet<string> = new Set(['dataSync', 'arraySync', 'bufferSync']);
/** Tensor methods that copy the tensor into JavaScript and return a promise of the values: a read-back when awaited. */
export const ASYNC_READS: ReadonlySet<string> = new Set(['data', 'array', 'buffer']);
const READS = new Set([...SYNC_READS, ...ASYNC_READS]);
/** Members of a read's result that neither write into it nor hand it out for writing. */
const READ_ONLY_MEMBERS = new Set([
  'length',
  'get',
  'slice',
  'map',
  'filter',
  'reduce',
  'indexOf',
  'lastIndexOf',
  'includes',
  'every',
  'some',
  'find',
  'findIndex',
  'join',
  'at',
  'forEach',
  'toString',
  'shape',
  'size',
  'dtype',
  'strides',
]);
/** Objects whose methods cannot change a tensor's values (so a tf.Variable read in the loop stays the same). */
const PURE_OBJECTS = new Set(['Math', 'console', 'Number', 'Array', 'Object', 'JSON', 'String']);

/** A read-back that runs once per iteration of its loop. */
export interface Read {
  /** The read as an expression: the call, or the `await` around an async read. */
  expr: TSESTree.Expression;
  call: TSESTree.CallExpression & { callee: TSESTree.MemberExpression & { property: TSESTree.Identifier } };
  method: string;
  site: LoopSite;
}

/**
 * A loop's reads of one tensor that does not change between
 * iterations, by one method: one hoisted read can serve them all.
 */
export interface InvariantGroup {
  variable: Scope.Variable;
  reads: Read[];
}

/**
 * Whether the receiver of a read is a tensor: TF.js's own sync names
 * are enough unless something says otherwise; async names need proof.
 */
function isTensorReceiver(facts: TensorFacts, node: TSESTree.Node, sync: boolean, depth = 0): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariable(facts.sourceCode, n);
    if (!variable || variable.defs.length === 0) return sync;
    const evidence = facts.tensorEvidence(variable, n);
    return evidence === 'yes' || evidence === 'param' || (sync && evidence === 'weak');
  }
  if (n.type === AST_NODE_TYPES.CallExpression) {
    if (tfCallName(facts.binding, n)) return true;
    const callee = n.callee;
    if (callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier) {
      if (['predict', 'execute', 'predictOnBatch'].includes(callee.property.name)) return true;
      if (depth < 4 && isTensorReceiver(facts, callee.object, false, depth + 1)) return true;
    }
  }
  return sync;
}

/** `call` as a read-back of a tensor that runs on every iteration of a loop or per-element callback. */
export function readBackInLoop(facts: TensorFacts, call: TSESTree.CallExpression): Read | undefined {
  if (!isMethodCall(call, READS) || call.arguments.length > 0) return undefined;
  const method = call.callee.property.name;
  const sync = SYNC_READS.has(method);
  // `t.data().then(…)` and other unawaited async reads are left alone: the loop does not wait on them.
  const expr = sync ? call : call.parent?.type === AST_NODE_TYPES.AwaitExpression ? call.parent : undefined;
  if (!expr || !isTensorReceiver(facts, call.callee.object, sync)) return undefined;
  const site = enclosingLoop(expr);
  return site ? { expr, call, method, site } : undefined;
}

/**
 * The receiver's variable when it holds the same tensor on every
 * iteration: declared outside the loop and never reassigned.
 */
function invariantVariable(sourceCode: Readonly<TSESLint.SourceCode>, read: Read): Scope.Variable | undefined {
  const recv = unwrap(read.call.callee.object);
  if (recv.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariable(sourceCode, recv);
  if (!variable || variable.defs.length !== 1 || !isConstLike(variable)) return undefined;
  return isInside(variable.defs[0].name, read.site.node) ? undefined : variable;
}

/**
 * One loop's reads (in source order) split into those of a tensor
 * that may change per iteration and groups of loop-invariant ones.
 */
export function groupInvariantReads(
  sourceCode: Readonly<TSESLint.SourceCode>,
  reads: readonly Read[],
): { varying: Read[]; invariant: InvariantGroup[] } {
  const varying: Read[] = [];
  const groups = new Map<string, InvariantGroup>();
  for (const read of reads) {
    const variable = invariantVariable(sourceCode, read);
    if (!variable) {
      varying.push(read);
      continue;
    }
    const key = `${variable.name}:${read.method}:${read.expr.type}`;
    const group = groups.get(key) ?? { variable, reads: [] };
    group.reads.push(read);
    groups.set(key, group);
  }
  return { varying, invariant: [...groups.values()] };
}

/**
 * Whether the value of `expr` (a read's result or a name for it)
 * is only read: shared across iterations, it must not be written.
 */
export function readOnlyUse(
  sourceCode: Readonly<TSESLint.SourceCode>,
  expr: TSESTree.Node,
  indexesToNumber: number,
  depth = 0,
): boolean {
  let n = expr;
  while (
    n.parent &&
    [AST_NODE_TYPES.TSAsExpression, AST_NODE_TYPES.TSNonNullExpression, AST_NODE_TYPES.TSSatisfiesExpression].includes(
      n.parent.type,
    )
  )
    n = n.parent;
  const p = n.parent;
  if (!p || depth > 6) return false;
  switch (p.type) {
    case AST_NODE_TYPES.MemberExpression: {
      if (p.object !== n) return true;
      if (p.computed) {
        const gp = p.parent;
        if (
          (gp?.type === AST_NODE_TYPES.AssignmentExpression && gp.left === p) ||
          gp?.type === AST_NODE_TYPES.UpdateExpression
        )
          return false;
        if (gp?.type === AST_NODE_TYPES.UnaryExpression && gp.operator === 'delete') return false;
        // An element is a number once every axis is indexed; a row of nested data must stay unwritten too.
        return indexesToNumber <= 1 || readOnlyUse(sourceCode, p, indexesToNumber - 1, depth + 1);
      }
      if (p.property.type !== AST_NODE_TYPES.Identifier || !READ_ONLY_MEMBERS.has(p.property.name)) return false;
      // `at(i)` hands out a row like `[i]` does; the other members return numbers or new arrays.
      return (
        p.property.name !== 'at' ||
        indexesToNumber <= 1 ||
        (p.parent?.type === AST_NODE_TYPES.CallExpression &&
          readOnlyUse(sourceCode, p.parent, indexesToNumber - 1, depth + 1))
      );
    }
    case AST_NODE_TYPES.BinaryExpression:
    case AST_NODE_TYPES.TemplateLiteral:
    case AST_NODE_TYPES.SpreadElement:
      return true;
    case AST_NODE_TYPES.UnaryExpression:
      return p.operator !== 'delete';
    case AST_NODE_TYPES.CallExpression:
      // Array.from(t.dataSync()) copies.
      return p.arguments.length === 1 && sourceCode.getText(p.callee) === 'Array.from';
    default:
      return false;
  }
}

/**
 * How many `[i]` turn the read's result into a number: one for flat data, the rank for nested arrays (unknown: never).
 */
export function indexesToNumber(facts: TensorFacts, read: Read): number {
  if (read.method === 'dataSync' || read.method === 'data') return 1;
  if (read.method === 'bufferSync' || read.method === 'buffer') return 1;
  return facts.tensor(read.call.callee.object)?.rank ?? Number.POSITIVE_INFINITY;
}

/** `const d = t.dataSync();` directly in the loop body, with `d` only read: the whole declaration can move. */
export function movableDeclaration(facts: TensorFacts, read: Read): TSESTree.VariableDeclaration | undefined {
  const decl = read.expr.parent;
  if (
    decl?.type !== AST_NODE_TYPES.VariableDeclarator ||
    decl.init !== read.expr ||
    decl.id.type !== AST_NODE_TYPES.Identifier
  )
    return undefined;
  const stmt = decl.parent;
  if (stmt.declarations.length !== 1 || stmt.kind === 'var' || stmt.kind === 'using' || stmt.kind === 'await using')
    return undefined;
  const body = loopBodyParts(read.site)[0];
  if (body.type !== AST_NODE_TYPES.BlockStatement || stmt.parent !== body) return undefined;
  const variable = findVariable(facts.sourceCode, decl.id);
  if (!variable || !isConstLike(variable)) return undefined;
  return variable.references.every(
    (r) => r.init === true || readOnlyUse(facts.sourceCode, r.identifier, indexesToNumber(facts, read)),
  )
    ? stmt
    : undefined;
}

/**
 * The tensor cannot change between iterations: made by a TF.js op
 * here, or the loop calls nothing that could assign a tf.Variable.
 */
export function valuesFixed(binding: TfBinding, variable: Scope.Variable, site: LoopSite): boolean {
  const def = variable.defs[0];
  if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
    const init = unwrap(def.node.init);
    const op = tfCallName(binding, init);
    if (op && op !== 'variable') return true;
    if (
      init.type === AST_NODE_TYPES.CallExpression &&
      init.callee.type === AST_NODE_TYPES.MemberExpression &&
      init.callee.property.type === AST_NODE_TYPES.Identifier &&
      ['predict', 'execute'].includes(init.callee.property.name)
    )
      return true;
  }
  let impure = false;
  for (const part of loopBodyParts(site)) {
    walk(part, (n) => {
      if (impure || n.type !== AST_NODE_TYPES.CallExpression) return;
      const op = tfCallName(binding, n);
      if (op && op !== 'variable') return;
      const c = n.callee;
      if (c.type === AST_NODE_TYPES.MemberExpression && !c.computed && c.property.type === AST_NODE_TYPES.Identifier) {
        const obj = unwrap(c.object);
        if (obj.type === AST_NODE_TYPES.Identifier && PURE_OBJECTS.has(obj.name)) return;
        if (READS.has(c.property.name) || READ_ONLY_MEMBERS.has(c.property.name) || c.property.name === 'push') return;
      }
      impure = true;
    });
  }
  return !impure;
}
