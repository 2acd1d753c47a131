/**
 * Tensors a loop creates on every iteration and drops: made by a TF.js op, a tensor method,
 * `model.predict`, … (see tensor-creation.ts) outside any `tf.tidy`-like scope, and neither disposed,
 * kept, returned nor handed to code that may own them; and accumulators declared outside the loop
 * whose previous tensor each iteration overwrites without disposing it. Also whether a loop body can
 * be wrapped in `tf.tidy` as it is.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { FUNCTION_TYPES, isInside, isLoop, outerExpression, unwrap } from '../ast/predicates.js';
import { insideTidy, isDisposal, isKept } from './disposal.js';
import { enclosingLoop, loopBodyParts, walk, type LoopSite } from './loop-context.js';
import { TensorCreations } from './tensor-creation.js';
import { findVariable, type TensorFacts } from './tensors.js';
import { tfCallName } from './tf-binding.js';

/** What becomes of a tensor: disposed or kept on purpose, handed to code that may own it, or dropped. */
type Fate = 'disposed' | 'escapes' | 'leaks';

/** A tensor created on every iteration of `site` that nothing disposes, returns or keeps. */
export interface Leak {
  creation: TSESTree.Node;
  /** The variable that holds it, when one does. */
  variable?: Scope.Variable;
  site: LoopSite;
}

/** `acc = acc.add(x)` in a loop, where the tensor `acc` held before is dropped. */
export interface Overwrite {
  assign: TSESTree.AssignmentExpression;
  variable: Scope.Variable;
  site: LoopSite;
}

export class TensorLeaks {
  private readonly creations: TensorCreations;

  constructor(private readonly facts: TensorFacts) {
    this.creations = new TensorCreations(facts);
  }

  /** What `call` leaves behind when it runs in a loop: a leaked tensor, an overwritten accumulator, or nothing. */
  at(call: TSESTree.CallExpression): { leak: Leak } | { overwrite: Overwrite } | undefined {
    // Cheap ancestor walks first: most calls are in no loop, and isCreation may ask the type checker.
    const site = enclosingLoop(call);
    if (!site || insideTidy(this.facts.binding, call) || !this.creations.isCreation(call)) return undefined;
    const n = outerExpression(call);
    const p = n.parent;
    if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === n) {
      if (p.id.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = findVariable(this.facts.sourceCode, p.id);
      if (!variable || variable.defs.length !== 1) return undefined;
      return this.variableFate(variable) === 'leaks' ? { leak: { creation: call, variable, site } } : undefined;
    }
    if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === n && p.operator === '=') {
      const overwrite = this.overwrite(p, site);
      return overwrite && { overwrite };
    }
    const use = this.useOf(call);
    return use === 'leaks' || use === 'used' ? { leak: { creation: call, site } } : undefined;
  }

  /** How a use of a tensor (an expression, or a variable's reference) treats it. */
  private useOf(node: TSESTree.Node): Fate | 'used' {
    const binding = this.facts.binding;
    if (isDisposal(binding, node) || isKept(binding, node)) return 'disposed';
    const n = outerExpression(node);
    if (n !== node && (isDisposal(binding, n) || isKept(binding, n))) return 'disposed';
    const p = n.parent;
    if (!p) return 'escapes';
    switch (p.type) {
      // y.dataSync(), y.shape, y.add(1): read, not owned.
      case AST_NODE_TYPES.MemberExpression:
        return p.object === n ? 'used' : 'escapes';
      case AST_NODE_TYPES.CallExpression: {
        if (p.callee === n) return 'escapes';
        // tf.add(y, 1), x.mul(y), console.log(y): those do not keep what they are given.
        if (tfCallName(binding, p)) return 'used';
        const callee = p.callee;
        if (callee.type === AST_NODE_TYPES.MemberExpression && this.creations.isCreation(p)) return 'used';
        if (
          callee.type === AST_NODE_TYPES.MemberExpression &&
          unwrap(callee.object).type === AST_NODE_TYPES.Identifier &&
          (unwrap(callee.object) as TSESTree.Identifier).name === 'console'
        )
          return 'used';
        return 'escapes';
      }
      case AST_NODE_TYPES.BinaryExpression:
      case AST_NODE_TYPES.TemplateLiteral:
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.UnaryExpression:
        return 'used';
      case AST_NODE_TYPES.LogicalExpression:
      case AST_NODE_TYPES.ConditionalExpression:
        return p.type === AST_NODE_TYPES.ConditionalExpression && p.test === n ? 'used' : 'escapes';
      case AST_NODE_TYPES.ExpressionStatement:
        return 'leaks';
      default:
        return 'escapes';
    }
  }

  /** The fate of a tensor held by a variable declared in the loop: disposed or escaping at any reference wins. */
  private variableFate(variable: Scope.Variable): Fate {
    let fate: Fate = 'leaks';
    for (const ref of variable.references) {
      if (ref.init) continue;
      // Reassigned: the value held before is somebody else's question (and `overwrite`'s).
      if (ref.isWrite()) return 'escapes';
      const use = this.useOf(ref.identifier);
      if (use === 'disposed') return 'disposed';
      if (use === 'escapes') fate = 'escapes';
    }
    return fate;
  }

  // let acc = tf.zeros([3]); for (…) acc = acc.add(x);   // the previous acc is never disposed
  private overwrite(assign: TSESTree.AssignmentExpression, site: LoopSite): Overwrite | undefined {
    if (assign.left.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = findVariable(this.facts.sourceCode, assign.left);
    // Declared in the loop: a fresh binding per iteration (the reference check covers it).
    if (!variable || variable.defs.length !== 1 || isInside(variable.defs[0].name, site.node)) return undefined;
    for (const ref of variable.references) {
      if (!isInside(ref.identifier, site.node) || ref.isWrite()) continue;
      // Disposed somewhere in the loop, or handed to code that may keep or dispose it: not ours to judge.
      if (this.useOf(ref.identifier) !== 'used') return undefined;
    }
    return { assign, variable, site };
  }

  /**
   * The loop body as a block that `tf.tidy` can take as it is: synchronous,
   * no jump out of it, no `var`, and no tensor it makes leaves it.
   */
  tidyBody(site: LoopSite): TSESTree.BlockStatement | undefined {
    const body = loopBodyParts(site)[0];
    if (body.type !== AST_NODE_TYPES.BlockStatement) return undefined;
    if (site.callback) {
      const method = ((site.node as TSESTree.CallExpression).callee as TSESTree.MemberExpression).property;
      if (
        site.callback.async ||
        site.callback.generator ||
        method.type !== AST_NODE_TYPES.Identifier ||
        method.name !== 'forEach'
      )
        return undefined;
    }
    let ok = true;
    walk(
      body,
      (n) => {
        if (!ok) return;
        switch (n.type) {
          case AST_NODE_TYPES.AwaitExpression:
          case AST_NODE_TYPES.YieldExpression:
          case AST_NODE_TYPES.ReturnStatement:
            ok = false;
            return;
          case AST_NODE_TYPES.BreakStatement:
          case AST_NODE_TYPES.ContinueStatement: {
            if (n.label) {
              ok = false;
              return;
            }
            // Unlabelled: fine when a loop (or, for break, a switch) inside the body catches it.
            let caught = false;
            for (let q: TSESTree.Node | undefined = n.parent; q && q !== body; q = q.parent)
              if (isLoop(q) || (n.type === AST_NODE_TYPES.BreakStatement && q.type === AST_NODE_TYPES.SwitchStatement))
                caught = true;
            if (!caught) ok = false;
            return;
          }
          case AST_NODE_TYPES.VariableDeclaration:
            if (n.kind === 'var') ok = false;
            return;
          case AST_NODE_TYPES.AssignmentExpression: {
            // A tensor-valued result stored outside the body would be disposed by tidy under its holder.
            const right = unwrap(n.right);
            if (n.left.type === AST_NODE_TYPES.Identifier) {
              const v = findVariable(this.facts.sourceCode, n.left);
              if (v && v.defs.length > 0 && isInside(v.defs[0].name, body)) return;
            }
            if (
              [
                AST_NODE_TYPES.CallExpression,
                AST_NODE_TYPES.Identifier,
                AST_NODE_TYPES.NewExpression,
                AST_NODE_TYPES.AwaitExpression,
              ].includes(right.type)
            )
              ok = false;
            return;
          }
          case AST_NODE_TYPES.CallExpression:
            if (this.creations.isCreation(n) && !insideTidy(this.facts.binding, n)) {
              const o = outerExpression(n);
              const held =
                o.parent?.type === AST_NODE_TYPES.VariableDeclarator && o.parent.id.type === AST_NODE_TYPES.Identifier
                  ? findVariable(this.facts.sourceCode, o.parent.id)
                  : undefined;
              const fate = held
                ? this.variableFate(held)
                : o.parent?.type === AST_NODE_TYPES.AssignmentExpression
                  ? 'escapes'
                  : this.useOf(n) === 'escapes'
                    ? 'escapes'
                    : 'leaks';
              if (fate === 'escapes') ok = false;
            }
            return;
          default:
        }
      },
      (n) => FUNCTION_TYPES.has(n.type),
    );
    return ok ? body : undefined;
  }
}
