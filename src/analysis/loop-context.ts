/**
 * Where a node sits relative to the loops around it: the innermost loop statement or per-element
 * callback (`rows.forEach((r) => …)`) that runs it once per iteration, how to name that loop in a
 * message, and whether the loop is a training or animation step loop. Purely syntactic and local.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import { FUNCTION_TYPES, forEachChild, isLoop, isMethodCall } from '../ast/predicates.js';

export type LoopStatement =
  | TSESTree.ForStatement
  | TSESTree.ForOfStatement
  | TSESTree.ForInStatement
  | TSESTree.WhileStatement
  | TSESTree.DoWhileStatement;
type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** A loop statement, or the call of an array (or tf.data) method that runs a callback per element. */
export interface LoopSite {
  /** The loop statement, or the `rows.forEach(…)` call. */
  node: LoopStatement | TSESTree.CallExpression;
  /** The per-element callback of a call loop. */
  callback?: FunctionNode;
  /** How a message names it: "`for` loop", "`forEach` callback". */
  label: string;
}

/** Array and tf.data methods that call their callback once per element. */
export const PER_ELEMENT_METHODS = new Set([
  'forEach',
  'map',
  'flatMap',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'forEachAsync',
]);

/** `rows.forEach((r) => …)`: the call when `fn` is its per-element callback. */
export function perElementCall(fn: TSESTree.Node): TSESTree.CallExpression | undefined {
  const call = fn.parent;
  return call && isMethodCall(call, PER_ELEMENT_METHODS) && call.arguments[0] === fn ? call : undefined;
}

function loopLabel(node: LoopStatement): string {
  switch (node.type) {
    case AST_NODE_TYPES.ForStatement:
      return '`for` loop';
    case AST_NODE_TYPES.ForOfStatement:
      return node.await ? '`for await…of` loop' : '`for…of` loop';
    case AST_NODE_TYPES.ForInStatement:
      return '`for…in` loop';
    case AST_NODE_TYPES.WhileStatement:
      return '`while` loop';
    default:
      return '`do…while` loop';
  }
}

/**
 * Whether `child` (a direct child of `loop`) is evaluated once per iteration: the body, the test,
 * the update. A `for` statement's init and a `for…of` / `for…in` right-hand side run once.
 */
function perIterationPart(loop: LoopStatement, child: TSESTree.Node): boolean {
  switch (loop.type) {
    case AST_NODE_TYPES.ForStatement:
      return child === loop.body || child === loop.test || child === loop.update;
    case AST_NODE_TYPES.ForOfStatement:
    case AST_NODE_TYPES.ForInStatement:
      return child === loop.body;
    default:
      return child === loop.body || child === loop.test;
  }
}

/**
 * The innermost loop that runs `node` once per iteration, within its own function (a per-element
 * callback counts as a loop, any other function boundary ends the search: a click handler defined
 * in a loop does not run in it).
 */
export function enclosingLoop(node: TSESTree.Node): LoopSite | undefined {
  let child: TSESTree.Node = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (isLoop(p)) {
      if (perIterationPart(p, child)) return { node: p, label: loopLabel(p) };
    } else if (FUNCTION_TYPES.has(p.type)) {
      const call = perElementCall(p);
      if (!call) return undefined;
      const method = ((call.callee as TSESTree.MemberExpression).property as TSESTree.Identifier).name;
      return { node: call, callback: p as FunctionNode, label: `\`${method}\` callback` };
    }
  }
  return undefined;
}

/** The part of a loop that runs per iteration: the body (plus test and update), or the callback. */
export function loopBodyParts(site: LoopSite): TSESTree.Node[] {
  if (site.callback) return [site.callback.body];
  const loop = site.node as LoopStatement;
  const parts: (TSESTree.Node | null | undefined)[] = [loop.body];
  if (loop.type === AST_NODE_TYPES.ForStatement) parts.push(loop.test, loop.update);
  if (loop.type === AST_NODE_TYPES.WhileStatement || loop.type === AST_NODE_TYPES.DoWhileStatement)
    parts.push(loop.test);
  return parts.filter((p): p is TSESTree.Node => !!p);
}

/**
 * Every node under `root` (depth first, children in property order), skipping subtrees where `skip`
 * says so. It runs on every loop and function the rules look at: `for…in` over a node and one reused
 * buffer of children cost less than `Object.keys` and an array per node, in the same order.
 */
export function walk(
  root: TSESTree.Node,
  visit: (node: TSESTree.Node) => void,
  skip?: (node: TSESTree.Node) => boolean,
): void {
  const stack: TSESTree.Node[] = [root];
  const children: TSESTree.Node[] = [];
  const push = (c: TSESTree.Node): void => {
    children.push(c);
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== root && skip?.(n)) continue;
    visit(n);
    forEachChild(n, push);
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
    children.length = 0;
  }
}

/** Calls that make a loop a training step: its reads happen once per step, next to far costlier work. */
const STEP_CALLS = new Set([
  'fit',
  'fitDataset',
  'trainOnBatch',
  'minimize',
  'applyGradients',
  'nextFrame',
  'requestAnimationFrame',
]);

function calleeName(call: TSESTree.CallExpression): string | undefined {
  const c = call.callee;
  if (c.type === AST_NODE_TYPES.Identifier) return c.name;
  if (c.type === AST_NODE_TYPES.MemberExpression && !c.computed && c.property.type === AST_NODE_TYPES.Identifier)
    return c.property.name;
  return undefined;
}

/**
 * A training or animation loop: `for await (const batch of ds)`, or a body that trains
 * (`model.fit`, `fitDataset`, `trainOnBatch`, `optimizer.minimize`, `applyGradients`), waits for a
 * frame (`tf.nextFrame()`, `requestAnimationFrame`) or awaits the next element of an iterator
 * (`await it.next()`), here or in a loop nested in it.
 */
export function isStepLoop(site: LoopSite): boolean {
  if (site.node.type === AST_NODE_TYPES.ForOfStatement && site.node.await) return true;
  if (site.callback) {
    const method = ((site.node as TSESTree.CallExpression).callee as TSESTree.MemberExpression).property;
    if (method.type === AST_NODE_TYPES.Identifier && method.name === 'forEachAsync') return true;
  }
  let found = false;
  for (const part of loopBodyParts(site)) {
    walk(part, (n) => {
      if (found) return;
      if (n.type === AST_NODE_TYPES.CallExpression) {
        const name = calleeName(n);
        if (name && STEP_CALLS.has(name)) found = true;
      } else if (
        n.type === AST_NODE_TYPES.AwaitExpression &&
        n.argument.type === AST_NODE_TYPES.CallExpression &&
        calleeName(n.argument) === 'next'
      ) {
        found = true;
      } else if (n.type === AST_NODE_TYPES.ForOfStatement && n.await) found = true;
    });
  }
  return found;
}

/** The function (or program) whose body holds `node`, not counting `node` itself. */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | TSESTree.Program | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (FUNCTION_TYPES.has(p.type)) return p as FunctionNode;
    if (p.type === AST_NODE_TYPES.Program) return p;
  }
  return undefined;
}

/**
 * Whether `node` runs every time the loop part that holds it runs: no `if` branch, `?:` arm,
 * right side of `&&` / `||` / `??`, optional call or `switch` case between them, and no statement
 * that can leave the iteration early (`break`, `continue`, `return`, `throw`) before it.
 */
export function runsOnEveryIteration(node: TSESTree.Node, site: LoopSite): boolean {
  const parts = loopBodyParts(site);
  let child: TSESTree.Node = node;
  for (let p = node.parent; p && !parts.includes(child); child = p, p = p.parent) {
    switch (p.type) {
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
      case AST_NODE_TYPES.SwitchStatement:
        if (child !== (p.type === AST_NODE_TYPES.SwitchStatement ? p.discriminant : p.test)) return false;
        break;
      case AST_NODE_TYPES.LogicalExpression:
        if (child !== p.left) return false;
        break;
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.TryStatement:
      case AST_NODE_TYPES.CatchClause:
      case AST_NODE_TYPES.LabeledStatement:
        return false;
      default:
        if (isLoop(p) || FUNCTION_TYPES.has(p.type)) return false;
    }
  }
  if (!parts.includes(child)) return false;
  // A test runs before the body, so nothing in the body can skip it.
  if (child !== parts[0]) return true;
  let jumpsFirst = false;
  walk(
    parts[0],
    (n) => {
      if (
        n.range[1] <= node.range[0] &&
        (n.type === AST_NODE_TYPES.BreakStatement ||
          n.type === AST_NODE_TYPES.ContinueStatement ||
          n.type === AST_NODE_TYPES.ReturnStatement ||
          n.type === AST_NODE_TYPES.ThrowStatement)
      ) {
        jumpsFirst = true;
      }
    },
    (n) => FUNCTION_TYPES.has(n.type),
  );
  return !jumpsFirst;
}

/**
 * The statement a hoisted declaration goes in front of: the loop (with its label) or the statement
 * holding the loop call, when it sits in a statement list.
 */
export function hoistAnchor(site: LoopSite): TSESTree.Statement | undefined {
  let stmt: TSESTree.Node = site.node;
  if (site.callback) {
    const p = stmt.parent;
    if (p?.type === AST_NODE_TYPES.ExpressionStatement) stmt = p;
    else if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === stmt && p.parent.declarations.length === 1)
      stmt = p.parent;
    else return undefined;
  }
  while (stmt.parent?.type === AST_NODE_TYPES.LabeledStatement) stmt = stmt.parent;
  const holder = stmt.parent;
  if (
    holder?.type === AST_NODE_TYPES.BlockStatement ||
    holder?.type === AST_NODE_TYPES.Program ||
    holder?.type === AST_NODE_TYPES.StaticBlock ||
    (holder?.type === AST_NODE_TYPES.SwitchCase && holder.consequent.includes(stmt as TSESTree.Statement))
  ) {
    return stmt as TSESTree.Statement;
  }
  return undefined;
}

/** Findings grouped by the loop they were made in, each loop once, in the order of its first finding. */
export function groupByLoop<T extends { site: LoopSite }>(items: readonly T[]): { site: LoopSite; items: T[] }[] {
  const groups = new Map<TSESTree.Node, { site: LoopSite; items: T[] }>();
  for (const item of items) {
    const group = groups.get(item.site.node) ?? { site: item.site, items: [] };
    group.items.push(item);
    groups.set(item.site.node, group);
  }
  return [...groups.values()];
}
