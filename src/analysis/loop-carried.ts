/**
 * Whether the values a read-back brings into JavaScript decide what the loop's next iteration does,
 * so that the loop cannot read them all at once after it: they reach the loop's condition or a
 * `break` / `return` (a search that stops, a decoder that stops at its end token), or the input of a
 * TF.js op or model call of a later iteration through a variable or buffer the loop carries (greedy
 * decoding: the token read is written into the next step's input). Follows the values through
 * expressions, local variables, variables and objects written in the loop, and `if` conditions.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { FUNCTION_TYPES, isInside, isLoop } from '../ast/predicates.js';
import { runsInline } from './disposal.js';
import { loopBodyParts, walk, type LoopSite } from './loop-context.js';
import { owningFunction } from './module-functions.js';
import { TensorCreations } from './tensor-creation.js';
import type { TensorValues } from './tensor-values.js';
import { tfCallPath } from './tf-binding.js';

/** Per-element methods whose callback's result decides whether the walk goes on. */
const STOPPING_CALLBACKS = new Set(['some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);
/** Methods that make a tensor out of the object they are called on. */
const TENSOR_MAKING_METHODS = new Set(['toTensor', 'predict', 'predictOnBatch', 'execute', 'executeAsync']);
const MAX_STEPS = 400;

/** The names a pattern declares or assigns (`[a, { b }]` → a, b). */
function patternIdentifiers(node: TSESTree.Node, out: TSESTree.Identifier[] = []): TSESTree.Identifier[] {
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
      out.push(node);
      break;
    case AST_NODE_TYPES.ArrayPattern:
      for (const e of node.elements) if (e) patternIdentifiers(e, out);
      break;
    case AST_NODE_TYPES.ObjectPattern:
      for (const p of node.properties)
        patternIdentifiers(p.type === AST_NODE_TYPES.Property ? p.value : p.argument, out);
      break;
    case AST_NODE_TYPES.AssignmentPattern:
      patternIdentifiers(node.left, out);
      break;
    case AST_NODE_TYPES.RestElement:
      patternIdentifiers(node.argument, out);
      break;
    default:
  }
  return out;
}

/** The identifier at the base of `a.b[c].d`. */
function baseIdentifier(node: TSESTree.Node): TSESTree.Identifier | undefined {
  let n = node;
  while (n.type === AST_NODE_TYPES.MemberExpression) n = n.object;
  return n.type === AST_NODE_TYPES.Identifier ? n : undefined;
}

export class LoopCarried {
  private readonly creations: TensorCreations;

  constructor(private readonly values: TensorValues) {
    this.creations = new TensorCreations(values);
  }

  /** Whether the value of `expr` (a read-back, or a call that reads one) steers later iterations of `site`. */
  drivesLoop(expr: TSESTree.Node, site: LoopSite): boolean {
    const parts = loopBodyParts(site);
    const inLoop = (n: TSESTree.Node) => parts.some((p) => isInside(n, p));
    const test =
      site.callback === undefined && 'test' in site.node && site.node.test
        ? (site.node.test as TSESTree.Node)
        : undefined;
    const tainted = new Set<Scope.Variable>();
    const queue: TSESTree.Node[] = [expr];
    let steps = 0;
    let found = false;

    // `contents`: the value went into the object (`buf.set(v)`, `a[i] = v`, `a.push(v)`), so its
    // length says nothing of the value.
    const taintVariable = (id: TSESTree.Identifier | undefined, contents = false) => {
      if (!id || found) return;
      const variable = this.values.variable(id);
      if (!variable || tainted.has(variable)) return;
      tainted.add(variable);
      const carried = variable.defs.length > 0 && !isInside(variable.defs[0].name, site.node);
      for (const ref of variable.references) {
        const id = ref.identifier;
        if (ref.init || !inLoop(id) || !ref.isRead() || id.type !== AST_NODE_TYPES.Identifier) continue;
        const member = id.parent;
        if (
          contents &&
          member?.type === AST_NODE_TYPES.MemberExpression &&
          member.object === id &&
          !member.computed &&
          member.property.type === AST_NODE_TYPES.Identifier &&
          member.property.name === 'length'
        )
          continue;
        if (test && isInside(id, test)) found = true;
        // A variable the loop carries feeds a tensor a later iteration makes.
        else if (carried && this.feedsTensor(id)) found = true;
        else queue.push(id);
      }
    };

    while (queue.length > 0 && !found && steps++ < MAX_STEPS) {
      let n = queue.pop()!;
      for (;;) {
        if (test && n === test) {
          found = true;
          break;
        }
        const p = n.parent;
        if (!p || p === site.node) break;
        if (FUNCTION_TYPES.has(p.type)) {
          // What a `find` / `some` callback returns decides whether the walk goes on.
          if (site.callback === p) found = this.stops(site);
          // tf.tidy(() => t.dataSync()[0]): the tidy call gives the value on.
          else if (runsInline(this.values, p)) {
            n = p;
            continue;
          }
          break;
        }
        if (p.type === AST_NODE_TYPES.ReturnStatement) {
          const fn = owningFunction(p);
          if (fn && site.callback === fn) found = this.stops(site);
          else if (fn && runsInline(this.values, fn)) {
            n = fn;
            continue;
          }
          break;
        }
        if (p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) {
          if (p.test !== n) {
            n = p;
            continue;
          }
          if (p.type === AST_NODE_TYPES.ConditionalExpression) {
            n = p;
            continue;
          }
          // Control dependence: what the branches do depends on the value.
          if (this.leavesLoop(p, site)) found = true;
          else for (const id of this.assignedIn(p)) taintVariable(id);
          break;
        }
        if (p.type === AST_NODE_TYPES.VariableDeclarator) {
          if (p.init === n) for (const id of patternIdentifiers(p.id)) taintVariable(id);
          break;
        }
        if (p.type === AST_NODE_TYPES.AssignmentExpression) {
          if (p.right === n) {
            if (p.left.type === AST_NODE_TYPES.MemberExpression) taintVariable(baseIdentifier(p.left), true);
            else for (const id of patternIdentifiers(p.left)) taintVariable(id);
          }
          n = p;
          continue;
        }
        if (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) {
          // buf.set(v, 0, i), out.push(v): the object now holds the value (a TF.js op's namespace does not).
          if (
            p.callee !== n &&
            p.callee.type === AST_NODE_TYPES.MemberExpression &&
            !tfCallPath(this.values.sourceCode, this.values.binding, p)
          )
            taintVariable(baseIdentifier(p.callee.object), true);
          n = p;
          continue;
        }
        if (
          p.type === AST_NODE_TYPES.ExpressionStatement ||
          p.type === AST_NODE_TYPES.BlockStatement ||
          isLoop(p) ||
          p.type === AST_NODE_TYPES.SwitchStatement
        )
          break;
        // Any other expression (member, arithmetic, template, array, await, `as`) carries the value on.
        n = p;
      }
    }
    return found;
  }

  /** A `find` / `some` / `every` callback: its result ends the walk early. */
  private stops(site: LoopSite): boolean {
    const callee = (site.node as TSESTree.CallExpression).callee;
    return (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      callee.property.type === AST_NODE_TYPES.Identifier &&
      STOPPING_CALLBACKS.has(callee.property.name)
    );
  }

  /** A `break` of this loop, a `return` or a `throw` in a branch of `node`. */
  private leavesLoop(node: TSESTree.IfStatement, site: LoopSite): boolean {
    let leaves = false;
    for (const branch of [node.consequent, node.alternate]) {
      if (!branch) continue;
      walk(
        branch,
        (n) => {
          if (n.type === AST_NODE_TYPES.ReturnStatement || n.type === AST_NODE_TYPES.ThrowStatement) leaves = true;
          else if (n.type === AST_NODE_TYPES.BreakStatement) {
            if (n.label) leaves = true;
            else {
              // An unlabelled break leaves the innermost loop or switch around it.
              let target: TSESTree.Node | undefined;
              for (let q: TSESTree.Node | undefined = n.parent; q && !target; q = q.parent)
                if (isLoop(q) || q.type === AST_NODE_TYPES.SwitchStatement) target = q;
              if (target === site.node) leaves = true;
            }
          }
        },
        (n) => FUNCTION_TYPES.has(n.type),
      );
    }
    return leaves;
  }

  /** The variables the branches of an `if` assign (`stop = true`, `best = v`). */
  private assignedIn(node: TSESTree.IfStatement): TSESTree.Identifier[] {
    const out: TSESTree.Identifier[] = [];
    for (const branch of [node.consequent, node.alternate]) {
      if (!branch) continue;
      walk(
        branch,
        (n) => {
          if (n.type === AST_NODE_TYPES.AssignmentExpression) {
            if (n.left.type === AST_NODE_TYPES.MemberExpression) {
              const base = baseIdentifier(n.left);
              if (base) out.push(base);
            } else patternIdentifiers(n.left, out);
          } else if (n.type === AST_NODE_TYPES.UpdateExpression && n.argument.type === AST_NODE_TYPES.Identifier)
            out.push(n.argument);
        },
        (n) => FUNCTION_TYPES.has(n.type),
      );
    }
    return out;
  }

  /** Whether a reference is (within its expression) an input of a TF.js op, a tensor method or a model call. */
  private feedsTensor(id: TSESTree.Identifier): boolean {
    let n: TSESTree.Node = id;
    for (let k = 0; k < 8 && n.parent; k++) {
      const p: TSESTree.Node = n.parent;
      if (p.type === AST_NODE_TYPES.CallExpression) {
        if (tfCallPath(this.values.sourceCode, this.values.binding, p) || this.creations.isCreation(p)) return true;
        const callee = p.callee;
        if (
          callee.type === AST_NODE_TYPES.MemberExpression &&
          callee.property.type === AST_NODE_TYPES.Identifier &&
          TENSOR_MAKING_METHODS.has(callee.property.name)
        )
          return true;
      }
      if (
        p.type === AST_NODE_TYPES.ExpressionStatement ||
        p.type === AST_NODE_TYPES.VariableDeclarator ||
        p.type === AST_NODE_TYPES.BlockStatement ||
        FUNCTION_TYPES.has(p.type)
      )
        return false;
      n = p;
    }
    return false;
  }
}
