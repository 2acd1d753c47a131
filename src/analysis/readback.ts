/**
 * Tensor read-backs in loops: `t.dataSync()`, `t.arraySync()`, `t.bufferSync()` and awaited
 * `t.data()` / `t.array()` / `t.buffer()` in a loop body or per-element callback; which of them read
 * the same tensor on every iteration; and what moving such a read before the loop depends on (its
 * result only read, the tensor's values fixed while the loop runs).
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isDeadCode } from '../ast/constant.js';
import { FUNCTION_TYPES, isInside, isMethodCall, isWrittenTo, unwrap } from '../ast/predicates.js';
import { runsInline, type TfContext } from './disposal.js';
import { enclosingLoop, loopBodyParts, walk, type LoopSite } from './loop-context.js';
import { calledFunction, owningFunction, type FunctionNode } from './module-functions.js';
import { TENSOR_METHODS, type TensorValues } from './tensor-values.js';
import { findVariable, isConstLike, type TensorFacts } from './tensors.js';
import { ASYNC_READS, SYNC_READS } from './tensor-kinds.js';
import { resolveTfCall } from './tf-binding.js';

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
 * Whether the receiver of a read is a tensor: TF.js's own sync names are enough unless something
 * says otherwise; async names (`data`, `array`, `buffer` are common names) need a tensor, or an
 * untyped parameter (how plain JavaScript takes tensors), or a tensor method called on one.
 */
function isTensorReceiver(values: TensorValues, node: TSESTree.Node, sync: boolean, depth = 0): boolean {
  const kind = values.kind(node);
  if (values.isNotTensor(node) || kind === 'tensors' || kind === 'record') return false;
  if (sync || kind === 'tensor' || kind === 'tensorOrTensors') return true;
  const n = unwrap(node);
  if (values.isUntypedParameter(n)) return true;
  return (
    depth < 4 &&
    isMethodCall(n, TENSOR_METHODS) &&
    isTensorReceiver(
      values,
      (n as TSESTree.CallExpression & { callee: TSESTree.MemberExpression }).callee.object,
      false,
      depth + 1,
    )
  );
}

/** A call shaped like a read-back (`x.dataSync()`, `await x.data()`), before asking what `x` is. */
function readBackShape(call: TSESTree.CallExpression): (Omit<Read, 'site'> & { sync: boolean }) | undefined {
  if (!isMethodCall(call, READS) || call.arguments.length > 0) return undefined;
  const method = call.callee.property.name;
  const sync = SYNC_READS.has(method);
  // `t.data().then(…)` and other unawaited async reads are left alone: the loop does not wait on them.
  const expr = sync ? call : call.parent?.type === AST_NODE_TYPES.AwaitExpression ? call.parent : undefined;
  return expr && { expr, call, method, sync };
}

/** A read-back: `t.dataSync()` or an awaited `t.data()` whose receiver is a tensor, wherever it runs. */
export function readBackCall(values: TensorValues, call: TSESTree.CallExpression): Omit<Read, 'site'> | undefined {
  const shape = readBackShape(call);
  if (!shape || !isTensorReceiver(values, shape.call.callee.object, shape.sync)) return undefined;
  return { expr: shape.expr, call: shape.call, method: shape.method };
}

/**
 * The loop that runs `node` once per iteration (see enclosingLoop), looking through the `tf.tidy`
 * callbacks and immediately called functions between them: `for (…) tf.tidy(() => t.dataSync())`.
 */
export function loopAround(tf: TfContext, node: TSESTree.Node): LoopSite | undefined {
  let n = node;
  for (let k = 0; k < 4; k++) {
    const site = enclosingLoop(n);
    if (site) return site;
    const fn = owningFunction(n);
    if (!fn || !runsInline(tf, fn)) return undefined;
    n = fn.parent!;
  }
  return undefined;
}

/** `call` as a read-back of a tensor that runs on every iteration of a loop or per-element callback. */
export function readBackInLoop(values: TensorValues, call: TSESTree.CallExpression): Read | undefined {
  // The loop around it first (syntax and scope only): the receiver's kind may ask the type checker, and
  // most reads run once, outside any loop.
  const shape = readBackShape(call);
  const site = shape && loopAround(values, shape.expr);
  if (!site) return undefined;
  const read = readBackCall(values, call);
  return read && !isDeadCode(values.sourceCode, read.expr) ? { ...read, site } : undefined;
}

/** A call, on every iteration of a loop, of a function of this module that reads tensors back on each call. */
export interface CallRead {
  /** The call, or the `await` around it. */
  expr: TSESTree.Expression;
  call: TSESTree.CallExpression;
  fn: FunctionNode;
  /** The reads in `fn` that each call makes. */
  reads: Omit<Read, 'site'>[];
  site: LoopSite;
  /** When the first read is of a tensor the loop passes (or `fn` sees) unchanged on every iteration: its name. */
  invariant?: string;
}

const functionReads = new WeakMap<FunctionNode, Omit<Read, 'site'>[]>();

/** The reads `fn` makes on each call: not those in its own loops or callbacks (reported there) or dead code. */
function readsIn(values: TensorValues, fn: FunctionNode): Omit<Read, 'site'>[] {
  let reads = functionReads.get(fn);
  if (reads) return reads;
  const found: Omit<Read, 'site'>[] = [];
  functionReads.set(fn, found);
  walk(
    fn.body,
    (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression) return;
      // Where it runs first: the receiver's kind may ask the type checker.
      const shape = readBackShape(n);
      if (!shape || loopAround(values, shape.expr)) return;
      const read = readBackCall(values, n);
      if (read && !isDeadCode(values.sourceCode, read.expr)) found.push(read);
    },
    // A tidy callback in fn runs on each call too.
    (n) => FUNCTION_TYPES.has(n.type) && !runsInline(values, n),
  );
  reads = found;
  return reads;
}

/**
 * `iou(boxes, i, j)` in a loop, where `iou` (a function of this module) calls `boxes.arraySync()`:
 * one level deep, a function that reads back on every call makes the loop read on every iteration.
 */
export function readThroughCall(values: TensorValues, call: TSESTree.CallExpression): CallRead | undefined {
  const awaited = call.parent?.type === AST_NODE_TYPES.AwaitExpression;
  const expr = awaited ? (call.parent as TSESTree.AwaitExpression) : call;
  // The loop first (an ancestor walk): most calls run outside any loop, and finding the callee costs more.
  const site = loopAround(values, expr);
  if (!site) return undefined;
  const fn = calledFunction(values.sourceCode, call);
  if (!fn || fn === owningFunction(call) || (fn.async && !awaited) || isDeadCode(values.sourceCode, expr))
    return undefined;
  const reads = readsIn(values, fn);
  if (reads.length === 0) return undefined;
  return { expr, call, fn, reads, site, invariant: invariantThroughCall(values, call, fn, reads[0], site) };
}

/**
 * The name of the tensor a read in `fn` sees unchanged on every iteration of `site`: a parameter the
 * loop feeds the same variable, or a variable from outside `fn`.
 */
function invariantThroughCall(
  values: TensorValues,
  call: TSESTree.CallExpression,
  fn: FunctionNode,
  read: Omit<Read, 'site'>,
  site: LoopSite,
): string | undefined {
  const recv = unwrap(read.call.callee.object);
  if (recv.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = values.variable(recv);
  if (!variable || variable.defs.length !== 1 || !isConstLike(variable)) return undefined;
  const def = variable.defs[0];
  let outer: Scope.Variable | undefined = variable;
  if (def.type === 'Parameter') {
    if (def.node !== fn) return undefined;
    const index = fn.params.indexOf(def.name);
    const arg = index >= 0 ? call.arguments[index] : undefined;
    const a = arg && unwrap(arg);
    outer = a?.type === AST_NODE_TYPES.Identifier ? values.variable(a) : undefined;
  } else if (isInside(def.name, fn)) return undefined;
  if (!outer || outer.defs.length !== 1 || !isConstLike(outer) || isInside(outer.defs[0].name, site.node))
    return undefined;
  return changedInLoop(outer, site) ? undefined : outer.name;
}

/** `w.assign(…)` (or any reassignment) of the variable in the loop: its tensor's values change per iteration. */
function changedInLoop(variable: Scope.Variable, site: LoopSite): boolean {
  return variable.references.some((r) => {
    if (!isInside(r.identifier, site.node)) return false;
    if (r.isWrite() && !r.init) return true;
    const p = r.identifier.parent;
    return (
      p?.type === AST_NODE_TYPES.MemberExpression &&
      p.object === r.identifier &&
      !p.computed &&
      p.property.type === AST_NODE_TYPES.Identifier &&
      p.property.name === 'assign' &&
      p.parent?.type === AST_NODE_TYPES.CallExpression
    );
  });
}

/**
 * A loop that updates a tf.Variable by hand (`w.assign(w.sub(g.mul(lr)))`): a training step, whose one
 * read per step (the new weights, the loss) is the point.
 */
export function assignsVariable(values: TensorValues, site: LoopSite): boolean {
  let found = false;
  for (const part of loopBodyParts(site))
    walk(part, (n) => {
      if (found || !isMethodCall(n, 'assign') || n.arguments.length !== 1) return;
      const recv = unwrap(n.callee.object);
      if (recv.type === AST_NODE_TYPES.Identifier && recv.name === 'Object') return;
      if (!values.isNotTensor(recv)) found = true;
    });
  return found;
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
  if (isInside(variable.defs[0].name, read.site.node)) return undefined;
  // `w.assign(…)` in the loop: the tensor's values change from one iteration to the next.
  return changedInLoop(variable, read.site) ? undefined : variable;
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
        if (isWrittenTo(p)) return false;
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
export function valuesFixed(tf: TfContext, variable: Scope.Variable, site: LoopSite): boolean {
  const def = variable.defs[0];
  if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
    const init = unwrap(def.node.init);
    const op = resolveTfCall(tf.sourceCode, tf.binding, init);
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
      const op = resolveTfCall(tf.sourceCode, tf.binding, n);
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
