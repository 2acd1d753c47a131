/**
 * Where a function that TF.js differentiates cuts its own tape: a read-back (`dataSync()`,
 * `arraySync()`, `bufferSync()`, awaited `data()` / `array()`) of a tensor computed in the function,
 * whose JavaScript values flow (through local variables, loops, `push`, element writes, `buffer.set`)
 * into a tensor creator (`tf.tensor*`, `tf.scalar`, `tf.fill`, `<buffer>.toTensor()`) whose result
 * reaches the function's returned value. The tensor read must be on the tape: computed in the function
 * from its parameters, a model's output or a variable (`tf.variable(…)` or declared `: tf.Variable`).
 * Helpers declared in the same module are followed when the
 * returned value comes from one (two levels deep).
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { FUNCTION_TYPES, isInside, unwrap } from '../ast/predicates.js';
import { walk } from './loop-context.js';
import { ASYNC_READS, SYNC_READS } from './tensor-kinds.js';
import { findVariable } from './tensors.js';
import { tfCallName, type TfBinding } from './tf-binding.js';

export type FunctionNode =
  TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression | TSESTree.FunctionDeclaration;

/** tf.* functions that build a tensor from JavaScript values, with no tape behind them. */
const CREATORS = new Set([
  'tensor',
  'tensor1d',
  'tensor2d',
  'tensor3d',
  'tensor4d',
  'tensor5d',
  'tensor6d',
  'scalar',
  'fill',
]);
/** Calls that write their arguments into the receiver (`out.push(v)`, `buf.set(v, i)`). */
const WRITING_METHODS = new Set(['push', 'unshift', 'set', 'fill', 'splice']);
const MAX_HELPER_DEPTH = 2;
/** Methods whose result depends on a model's weights, which minimize differentiates. */
const MODEL_METHODS = new Set(['predict', 'predictOnBatch', 'execute', 'apply', 'call']);

export interface BrokenPath {
  /** The read-back that leaves the tape. */
  read: TSESTree.Node;
  /** The creator that makes a tensor of its values again. */
  creator: TSESTree.CallExpression;
  /** When the path runs through a helper of this module: the call of that helper in the analysed function. */
  via?: TSESTree.CallExpression;
}

/** The function a callee's argument names: inline, or a function declared (or `const`-bound) in this module. */
export function resolveFunction(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node | undefined,
): FunctionNode | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.ArrowFunctionExpression || n.type === AST_NODE_TYPES.FunctionExpression) return n;
  if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariable(sourceCode, n);
  if (!variable || variable.defs.length !== 1) return undefined;
  const def = variable.defs[0].node;
  if (def.type === AST_NODE_TYPES.FunctionDeclaration) return def;
  if (
    def.type === AST_NODE_TYPES.VariableDeclarator &&
    def.init &&
    variable.references.every((r) => !r.isWrite() || r.init === true)
  ) {
    const init = unwrap(def.init);
    if (init.type === AST_NODE_TYPES.ArrowFunctionExpression || init.type === AST_NODE_TYPES.FunctionExpression)
      return init;
  }
  return undefined;
}

/** The expressions `fn` returns (not those of functions nested in it). */
function returnedExpressions(fn: FunctionNode): TSESTree.Node[] {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const out: TSESTree.Node[] = [];
  walk(
    fn.body,
    (n) => {
      if (n.type === AST_NODE_TYPES.ReturnStatement && n.argument) out.push(n.argument);
    },
    (n) => FUNCTION_TYPES.has(n.type),
  );
  return out;
}

/** The variable at the root of `a`, `a[i]`, `a.b[i]`. */
function rootIdentifier(node: TSESTree.Node): TSESTree.Identifier | undefined {
  let n = unwrap(node);
  while (n.type === AST_NODE_TYPES.MemberExpression) n = unwrap(n.object);
  return n.type === AST_NODE_TYPES.Identifier ? n : undefined;
}

export class GradientPaths {
  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly binding: TfBinding,
  ) {}

  /** The broken paths into the value `fn` returns (empty when the tape is whole, as far as this analysis sees). */
  analyse(fn: FunctionNode, depth = 0, seen = new Set<FunctionNode>()): BrokenPath[] {
    if (seen.has(fn)) return [];
    seen.add(fn);
    const { sourceCode, binding } = this;
    const variableOf = (id: TSESTree.Identifier): Scope.Variable | undefined => findVariable(sourceCode, id);

    /**
     * A tensor computed on the tape of `fn`: a parameter, a tf.variable of the module, a model's
     * output, or an op, method or local computed from one of those. Constants made in `fn` from data
     * outside it (`tf.tensor(labels)`, `ys.toFloat()`) are not on the tape.
     */
    const onTape = (node: TSESTree.Node, depth = 0, seenVars = new Set<Scope.Variable>()): boolean => {
      const n = unwrap(node);
      if (depth > 12) return false;
      if (n.type === AST_NODE_TYPES.AwaitExpression) return onTape(n.argument, depth + 1, seenVars);
      if (n.type === AST_NODE_TYPES.MemberExpression) return onTape(n.object, depth + 1, seenVars);
      if (n.type === AST_NODE_TYPES.ArrayExpression)
        return n.elements.some((e) => e !== null && onTape(e, depth + 1, seenVars));
      if (n.type === AST_NODE_TYPES.CallExpression) {
        const c = n.callee;
        if (
          c.type === AST_NODE_TYPES.MemberExpression &&
          !c.computed &&
          c.property.type === AST_NODE_TYPES.Identifier
        ) {
          if (MODEL_METHODS.has(c.property.name)) return true;
          if (onTape(c.object, depth + 1, seenVars)) return true;
        }
        return n.arguments.some((a) => onTape(a, depth + 1, seenVars));
      }
      if (n.type !== AST_NODE_TYPES.Identifier) return false;
      const variable = variableOf(n);
      const def = variable?.defs[0];
      if (!variable || !def || seenVars.has(variable)) return false;
      seenVars.add(variable);
      if (isInside(def.name, fn)) {
        if (def.type === 'Parameter') return true;
        return writes.some(([v, value]) => v === variable && onTape(value, depth + 1, seenVars));
      }
      // Declared outside: on the tape when it is a variable that minimize and variableGrads differentiate
      // (`tf.variable(…)`, or declared `: tf.Variable`); other outside tensors are data, constants to the tape.
      if (
        def.node.type === AST_NODE_TYPES.VariableDeclarator &&
        def.node.init &&
        tfCallName(binding, unwrap(def.node.init)) === 'variable'
      )
        return true;
      const annotation = def.name.type === AST_NODE_TYPES.Identifier ? def.name.typeAnnotation : undefined;
      return !!annotation && /(^|[.\s:])Variable\b/.test(sourceCode.getText(annotation));
    };

    /** `t.dataSync()`, `await t.data()` of a tensor on the tape. */
    const isRead = (n: TSESTree.Node): boolean => {
      if (n.type !== AST_NODE_TYPES.CallExpression || n.arguments.length > 0) return false;
      const c = n.callee;
      if (c.type !== AST_NODE_TYPES.MemberExpression || c.computed || c.property.type !== AST_NODE_TYPES.Identifier)
        return false;
      const sync = SYNC_READS.has(c.property.name);
      if (!sync && !(ASYNC_READS.has(c.property.name) && n.parent?.type === AST_NODE_TYPES.AwaitExpression))
        return false;
      return onTape(c.object);
    };

    // Every write of a value into a local: declarations, assignments, element writes, push/set, for…of.
    const writes: [Scope.Variable, TSESTree.Node][] = [];
    const addWrite = (target: TSESTree.Node | null | undefined, value: TSESTree.Node | null | undefined) => {
      if (!target || !value) return;
      const id = rootIdentifier(target);
      const variable = id && variableOf(id);
      if (variable) writes.push([variable, value]);
    };
    walk(fn.body, (n) => {
      if (n.type === AST_NODE_TYPES.VariableDeclarator) addWrite(n.id, n.init);
      else if (n.type === AST_NODE_TYPES.AssignmentExpression) addWrite(n.left, n.right);
      else if (n.type === AST_NODE_TYPES.ForOfStatement && n.left.type === AST_NODE_TYPES.VariableDeclaration)
        addWrite(n.left.declarations[0].id, n.right);
      else if (
        n.type === AST_NODE_TYPES.CallExpression &&
        n.callee.type === AST_NODE_TYPES.MemberExpression &&
        n.callee.property.type === AST_NODE_TYPES.Identifier &&
        WRITING_METHODS.has(n.callee.property.name)
      ) {
        for (const a of n.arguments) addWrite(n.callee.object, a);
      }
    });

    // JavaScript values that came off the tape: variable → the read they come from.
    const tainted = new Map<Scope.Variable, TSESTree.Node>();
    const taintOf = (expr: TSESTree.Node): TSESTree.Node | undefined => {
      let found: TSESTree.Node | undefined;
      walk(expr, (n) => {
        if (found) return;
        if (isRead(n)) found = n;
        else if (n.type === AST_NODE_TYPES.Identifier) {
          const v = variableOf(n);
          if (v && tainted.has(v)) found = tainted.get(v);
        }
      });
      return found;
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const [variable, value] of writes) {
        if (tainted.has(variable)) continue;
        const read = taintOf(value);
        if (read) {
          tainted.set(variable, read);
          changed = true;
        }
      }
    }

    /** A tensor made again from values that came off the tape: `tf.scalar(v)`, `tf.tensor(out)`, `buf.toTensor()`. */
    const brokenCreator = (n: TSESTree.Node): BrokenPath | undefined => {
      if (n.type !== AST_NODE_TYPES.CallExpression) return undefined;
      const op = tfCallName(binding, n);
      if (op && CREATORS.has(op)) {
        const read = n.arguments.map((a) => taintOf(a)).find((r) => r !== undefined);
        return read ? { read, creator: n } : undefined;
      }
      const c = n.callee;
      if (
        c.type === AST_NODE_TYPES.MemberExpression &&
        !c.computed &&
        c.property.type === AST_NODE_TYPES.Identifier &&
        c.property.name === 'toTensor' &&
        n.arguments.length === 0
      ) {
        const read = taintOf(c.object);
        return read ? { read, creator: n } : undefined;
      }
      return undefined;
    };

    // Tensors without a tape: variable → the path that made them.
    const broken = new Map<Scope.Variable, BrokenPath>();
    const helperCache = new Map<TSESTree.CallExpression, BrokenPath | undefined>();
    const brokenIn = (expr: TSESTree.Node): BrokenPath[] => {
      const out: BrokenPath[] = [];
      walk(
        expr,
        (n) => {
          const direct = brokenCreator(n);
          if (direct) out.push(direct);
          else if (n.type === AST_NODE_TYPES.Identifier) {
            const v = variableOf(n);
            const path = v && broken.get(v);
            if (path) out.push(path);
          } else if (
            n.type === AST_NODE_TYPES.CallExpression &&
            depth < MAX_HELPER_DEPTH &&
            n.arguments.some((a) => onTape(a))
          ) {
            // helper(w): a function of this module called with tensors of the tape.
            if (!helperCache.has(n)) {
              const helper = resolveFunction(sourceCode, n.callee);
              const inner = helper && !isInside(helper, fn) ? this.analyse(helper, depth + 1, seen)[0] : undefined;
              helperCache.set(n, inner && { read: inner.read, creator: inner.creator, via: n });
            }
            const path = helperCache.get(n);
            if (path) out.push(path);
          }
        },
        (n) => FUNCTION_TYPES.has(n.type),
      );
      return out;
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const [variable, value] of writes) {
        if (broken.has(variable)) continue;
        const path = brokenIn(value)[0];
        if (path) {
          broken.set(variable, path);
          changed = true;
        }
      }
    }

    const paths: BrokenPath[] = [];
    const reported = new Set<TSESTree.Node>();
    for (const ret of returnedExpressions(fn)) {
      for (const path of brokenIn(ret)) {
        const key = path.via ?? path.read;
        if (!reported.has(key)) {
          reported.add(key);
          paths.push(path);
        }
      }
    }
    seen.delete(fn);
    return paths;
  }
}
