/**
 * Tensors a loop creates on every iteration and drops: made by a TF.js op, a tensor method,
 * `model.predict`, … (see tensor-creation.ts) outside any `tf.tidy`-like scope, and neither disposed,
 * kept, returned nor handed to code that may own them; accumulators declared outside the loop whose
 * previous tensor each iteration overwrites without disposing it; and calls, in a loop, of a function
 * of this module that drops tensors of its own on every call. A loop in a function that this module
 * only ever calls inside a `tf.tidy` callback is left alone: the caller's tidy frees its tensors.
 * Also whether a loop body can be wrapped in `tf.tidy` as it is.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isDeadCode } from '../ast/constant.js';
import { FUNCTION_TYPES, isInside, isLoop, outerExpression, unwrap } from '../ast/predicates.js';
import { insideTidy, isDisposal, isKept } from './disposal.js';
import { enclosingLoop, loopBodyParts, perElementCall, walk, type LoopSite } from './loop-context.js';
import { callsOf, calledFunction, owningFunction, type FunctionNode } from './module-functions.js';
import { TensorCreations } from './tensor-creation.js';
import { TensorValues, type ValueKind } from './tensor-values.js';
import { noteComputed, registerCheck } from '../unit-cache.js';
import { resolveTfCall, tfCallPath, type TfModuleOptions } from './tf-binding.js';

/** What becomes of a tensor: disposed or kept on purpose, handed to code that may own it, or dropped. */
type Fate = 'disposed' | 'escapes' | 'leaks';

/** A tensor created on every iteration of `site` that nothing disposes, returns or keeps. */
export interface Leak {
  creation: TSESTree.Node;
  /** The variable that holds it, when one does. */
  variable?: Scope.Variable;
  /** What the variable holds: one tensor, or (a `model.predict` result) maybe an array of them. */
  kind: ValueKind;
  site: LoopSite;
}

/** `acc = acc.add(x)` in a loop, where the tensor `acc` held before is dropped. */
export interface Overwrite {
  assign: TSESTree.AssignmentExpression;
  variable: Scope.Variable;
  site: LoopSite;
}

/** A call, on every iteration of `site`, of a function of this module that drops tensors of its own. */
export interface CallLeak {
  call: TSESTree.CallExpression;
  fn: FunctionNode;
  /** The creations in `fn` that each call drops. */
  creations: TSESTree.Node[];
  site: LoopSite;
}

export type LeakFinding = { leak: Leak } | { overwrite: Overwrite } | { callLeak: CallLeak };

export class TensorLeaks {
  readonly creations: TensorCreations;
  private readonly callerTidyCache = new Map<FunctionNode, boolean>();
  private readonly functionLeaks = new Map<FunctionNode, TSESTree.Node[]>();
  /** The loops whose `callerTidy` answer is noted. */
  private readonly noted = new Set<TSESTree.Node>();

  constructor(private readonly values: TensorValues) {
    this.creations = new TensorCreations(values);
  }

  /** What `call` leaves behind when it runs in a loop: leaked tensors, an overwritten accumulator, a callee's leaks. */
  at(call: TSESTree.CallExpression): LeakFinding[] {
    // Cheap ancestor walks first: most calls are in no loop, and isCreation may ask the type checker.
    const site = enclosingLoop(call);
    if (!site || insideTidy(this.values, call) || isDeadCode(this.values.sourceCode, call)) return [];
    // Whether a caller's tidy frees the tensors asks for every call of the function (for a method, every
    // member access of the file); whether the call makes a tensor may ask the type checker, which costs
    // more when types are on. Typed, the tidy is asked just before the first question that may go to the
    // checker (most calls are used, kept or disposed, and ask neither); untyped, only when a leak is found.
    const typed = !!this.values.sourceCode.parserServices?.program;
    const tidied = (): boolean => typed && this.callerTidy(site);
    const found: LeakFinding[] = [];
    const own = this.ownLeak(call, site, tidied);
    if (own) found.push(own);
    const fn = calledFunction(this.values.sourceCode, call);
    if (
      fn &&
      fn !== owningFunction(call) &&
      (!fn.async || outerExpression(call).type === AST_NODE_TYPES.AwaitExpression)
    ) {
      if (tidied()) return [];
      const creations = this.leaksIn(fn);
      if (creations.length > 0) found.push({ callLeak: { call, fn, creations, site } });
    }
    return found.length > 0 && this.callerTidy(site) ? [] : found;
  }

  /**
   * The call itself as a creation that leaks, or an accumulator it overwrites. What becomes of the value
   * is judged before whether the call makes a tensor, which may ask the type checker (the first question
   * after an edit costs a large module milliseconds): most values are used, kept or disposed.
   */
  private ownLeak(call: TSESTree.CallExpression, site: LoopSite, tidied: () => boolean): LeakFinding | undefined {
    const n = outerExpression(call);
    const p = n.parent;
    if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === n) {
      if (p.id.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = this.values.variable(p.id);
      if (!variable || variable.defs.length !== 1 || this.variableFate(variable) !== 'leaks') return undefined;
      if (tidied()) return undefined;
      const created = this.creations.created(call);
      if (!created) return undefined;
      const kind = created === 'tensor' || this.values.kind(n) === 'tensor' ? 'tensor' : created;
      return { leak: { creation: call, variable, kind, site } };
    }
    if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === n && p.operator === '=') {
      if (tidied() || !this.creations.created(call)) return undefined;
      const overwrite = this.overwrite(p, site);
      return overwrite && { overwrite };
    }
    const use = this.useOf(call);
    if (use !== 'leaks' && use !== 'used') return undefined;
    if (tidied()) return undefined;
    const created = this.creations.created(call);
    return created ? { leak: { creation: call, kind: created, site } } : undefined;
  }

  /**
   * The creations in `fn` (outside its own loops, nested functions and tidy scopes, which are judged
   * where they are) that nothing disposes, returns or keeps: each call of `fn` drops them.
   */
  private leaksIn(fn: FunctionNode): TSESTree.Node[] {
    const cached = this.functionLeaks.get(fn);
    if (cached) return cached;
    const found: TSESTree.Node[] = [];
    this.functionLeaks.set(fn, found);
    walk(
      fn.body,
      (n) => {
        if (n.type !== AST_NODE_TYPES.CallExpression) return;
        if (enclosingLoop(n) || insideTidy(this.values, n) || isDeadCode(this.values.sourceCode, n)) return;
        const created = this.creations.created(n);
        if (!created) return;
        const o = outerExpression(n);
        const p = o.parent;
        if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === o) {
          const variable = p.id.type === AST_NODE_TYPES.Identifier ? this.values.variable(p.id) : undefined;
          if (variable && variable.defs.length === 1 && this.variableFate(variable) === 'leaks') found.push(n);
          return;
        }
        if (p?.type === AST_NODE_TYPES.AssignmentExpression) return;
        const use = this.useOf(n);
        if (use === 'leaks' || use === 'used') found.push(n);
      },
      (n) => FUNCTION_TYPES.has(n.type),
    );
    return found;
  }

  /**
   * Whether the function that holds the loop runs only inside a caller's `tf.tidy` (or gradient
   * scope): every call of it in this module is in one, directly or through functions that are, and
   * no caller outside the module can reach it.
   */
  private callerTidy(site: LoopSite): boolean {
    const answer = this.callerTidyOf(site.node);
    // The callers may stand in other statements (a function's callers read it, not the reverse: unit-cache.ts):
    // the answer is noted for findings kept across re-lints, which ask it again.
    if (!this.noted.has(site.node)) {
      this.noted.add(site.node);
      noteComputed(CALLER_TIDY, [JSON.stringify(this.values.moduleOptions)], String(answer), site.node);
    }
    return answer;
  }

  /** `callerTidy` of the loop `node`, without noting the answer. */
  callerTidyOf(node: TSESTree.Node): boolean {
    const fn = owningFunction(node);
    return !!fn && this.onlyCalledInTidy(fn);
  }

  private onlyCalledInTidy(fn: FunctionNode): boolean {
    const cached = this.callerTidyCache.get(fn);
    if (cached !== undefined) return cached;
    // A cycle of calls proves nothing (and each function is asked once: the answer is the same whichever
    // loop asks first).
    this.callerTidyCache.set(fn, false);
    const calls = callsOf(this.values.sourceCode, fn);
    const result =
      !!calls &&
      calls.length > 0 &&
      calls.every((call) => {
        if (insideTidy(this.values, call)) return true;
        const outer = owningFunction(call);
        return !!outer && outer !== fn && this.onlyCalledInTidy(outer);
      });
    this.callerTidyCache.set(fn, result);
    return result;
  }

  /**
   * A function that runs while the code around it runs, so a tensor it uses is used there: a
   * `tf.tidy` callback, an array method's callback, an immediately called function.
   */
  private runsInPlace(fn: FunctionNode): boolean {
    const call = fn.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
    if (call.callee === fn) return true;
    if (resolveTfCall(this.values.sourceCode, this.values.binding, call) === 'tidy') return true;
    const each = perElementCall(fn);
    const method = each && ((each.callee as TSESTree.MemberExpression).property as TSESTree.Identifier).name;
    return !!method && method !== 'forEachAsync';
  }

  /** How a use of a tensor (an expression, or a variable's reference) treats it. */
  private useOf(node: TSESTree.Node, depth = 0): Fate | 'used' {
    if (isDisposal(this.values, node) || isKept(this.values, node)) return 'disposed';
    const n = outerExpression(node);
    if (n !== node && (isDisposal(this.values, n) || isKept(this.values, n))) return 'disposed';
    const p = n.parent;
    if (!p) return 'escapes';
    switch (p.type) {
      case AST_NODE_TYPES.MemberExpression: {
        if (p.object !== n) return 'escapes';
        // out[0].dispose(), tf.dispose(out[1]), keep(out[0]): an element of an array of tensors.
        if (p.computed) {
          if (depth > 2) return 'escapes';
          const element = this.useOf(p, depth + 1);
          return element === 'leaks' ? 'used' : element;
        }
        // y.dataSync(), y.shape, y.add(1): read, not owned.
        return 'used';
      }
      case AST_NODE_TYPES.CallExpression: {
        if (p.callee === n) return 'escapes';
        // tf.add(y, 1), x.mul(y), console.log(y): those do not keep what they are given.
        if (tfCallPath(this.values.sourceCode, this.values.binding, p)) return 'used';
        const callee = unwrap(p.callee);
        if (callee.type === AST_NODE_TYPES.MemberExpression && this.creations.isCreation(p)) return 'used';
        if (
          callee.type === AST_NODE_TYPES.MemberExpression &&
          callee.object.type === AST_NODE_TYPES.Identifier &&
          callee.object.name === 'console'
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

  /**
   * The fate of a tensor held by a variable: disposed or escaping at any reference wins. A reference
   * in a closure that may run later (a handler, a function pushed into a list) keeps the tensor alive.
   */
  private variableFate(variable: Scope.Variable): Fate {
    let fate: Fate = 'leaks';
    const home = owningFunction(variable.defs[0].name);
    for (const ref of variable.references) {
      if (ref.init) continue;
      // Reassigned: the value held before is somebody else's question (and `overwrite`'s).
      if (ref.isWrite()) return 'escapes';
      for (let f = owningFunction(ref.identifier); f && f !== home; f = owningFunction(f))
        if (!this.runsInPlace(f)) return 'escapes';
      const use = this.useOf(ref.identifier);
      if (use === 'disposed') return 'disposed';
      if (use === 'escapes') fate = 'escapes';
    }
    return fate;
  }

  // let acc = tf.zeros([3]); for (…) acc = acc.add(x);   // the previous acc is never disposed
  private overwrite(assign: TSESTree.AssignmentExpression, site: LoopSite): Overwrite | undefined {
    if (assign.left.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = this.values.variable(assign.left);
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
   * Whether a value stored or handed out from the body may be a tensor the body made, which a
   * `tf.tidy` around the body would dispose under its new owner (`out.push(helper(x))`).
   */
  private madeInBody(arg: TSESTree.Node, body: TSESTree.Node): boolean {
    const a = unwrap(arg);
    if (this.values.isNotTensor(a)) return false;
    if (
      a.type === AST_NODE_TYPES.CallExpression ||
      a.type === AST_NODE_TYPES.AwaitExpression ||
      a.type === AST_NODE_TYPES.NewExpression
    )
      return true;
    if (a.type === AST_NODE_TYPES.Identifier) {
      const v = this.values.variable(a);
      return !!v && v.defs.length > 0 && isInside(v.defs[0].name, body);
    }
    return a.type === AST_NODE_TYPES.ArrayExpression || a.type === AST_NODE_TYPES.ObjectExpression;
  }

  /**
   * The loop body as a block that `tf.tidy` can take as it is: synchronous, no jump out of it, no
   * `var`, and no tensor it makes leaves it (assigned to an outer variable or a property, pushed or
   * handed to code that may keep it, captured by a closure that outlives the iteration, returned).
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
            if (n.left.type === AST_NODE_TYPES.Identifier) {
              const v = this.values.variable(n.left);
              if (v && v.defs.length > 0 && isInside(v.defs[0].name, body)) return;
            }
            if (this.madeInBody(n.right, body)) ok = false;
            return;
          }
          case AST_NODE_TYPES.CallExpression: {
            if (this.creations.isCreation(n) && !insideTidy(this.values, n)) {
              const o = outerExpression(n);
              const held =
                o.parent?.type === AST_NODE_TYPES.VariableDeclarator && o.parent.id.type === AST_NODE_TYPES.Identifier
                  ? this.values.variable(o.parent.id)
                  : undefined;
              const fate = held
                ? this.variableFate(held)
                : o.parent?.type === AST_NODE_TYPES.AssignmentExpression
                  ? 'escapes'
                  : this.useOf(n) === 'escapes'
                    ? 'escapes'
                    : 'leaks';
              if (fate === 'escapes') ok = false;
              return;
            }
            // out.push(helper(x)), cache.set(k, t): what the body hands to code that may keep it.
            if (tfCallPath(this.values.sourceCode, this.values.binding, n)) return;
            const callee = unwrap(n.callee);
            if (
              callee.type === AST_NODE_TYPES.MemberExpression &&
              callee.object.type === AST_NODE_TYPES.Identifier &&
              callee.object.name === 'console'
            )
              return;
            if (n.arguments.some((a) => this.madeInBody(a, body))) ok = false;
            return;
          }
          default:
        }
      },
      (n) => FUNCTION_TYPES.has(n.type),
    );
    return ok ? body : undefined;
  }
}

const CALLER_TIDY = 'caller-tidy';

// The answer asked again on a later lint: the same loop, with fresh analyses of the new file.
registerCheck(
  CALLER_TIDY,
  (context, [options]) => {
    const { sourceCode, binding, node } = context;
    if (!node) return '\0';
    // An analysis of its own (unit-cache.ts's computeKept): one shared with another answer would hide the
    // names this one looks up behind its memos.
    const leaks = new TensorLeaks(new TensorValues(sourceCode, binding, JSON.parse(options) as TfModuleOptions));
    return String(leaks.callerTidyOf(node));
  },
  // It reads the callers it finds by name (callsOf), the calls around them (resolved through the file's
  // imports) and their classes' headers: the units that spell those names, as unit-cache.ts's `byName` says.
  { byName: true },
);
