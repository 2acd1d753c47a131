/**
 * Whether a node may run in a loop, known as the rule's traversal goes: the rules that look at every
 * call for a loop around it (a read-back, a leak) ask this first. In a large module most calls run in
 * no loop, and looking at the loops the traversal has entered costs less than a walk up each call's
 * ancestors, once per rule.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { isMethodCall } from '../ast/predicates.js';
import { PER_ELEMENT_METHODS } from './loop-context.js';

/** The selectors of the loop statements (a per-element call is seen by the rule's `CallExpression` listener). */
const LOOP_SELECTORS = ['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement'];

export interface LoopTracker {
  /** Listeners for the loop statements, to add to the rule's. */
  listeners: Record<string, (node: TSESTree.Node) => void>;
  /**
   * For each call, in traversal order, before anything else asks: whether the call may run in a loop
   * statement or a per-element callback — false only when no loop statement or per-element call holds
   * it (then `enclosingLoop` finds none for it, or for any of its ancestors).
   */
  mayRunInLoop(call: TSESTree.CallExpression): boolean;
}

/**
 * A tracker of the loops a traversal is in. It keeps the ranges of the loop statements and per-element
 * calls entered and not yet left: the traversal enters a node after its ancestors and before what
 * follows it, so a range that ends before the node now visited was left, and one that holds it is one
 * of its ancestors. Where a cached rule skips a statement (unit-cache.ts), it skips its loops and calls
 * alike.
 */
export function loopTracker(): LoopTracker {
  const open: number[] = [];
  const leaveBefore = (pos: number): void => {
    while (open.length > 0 && open[open.length - 1] <= pos) open.pop();
  };
  const enter = (node: TSESTree.Node): void => {
    leaveBefore(node.range[0]);
    open.push(node.range[1]);
  };
  return {
    listeners: Object.fromEntries(LOOP_SELECTORS.map((s) => [s, enter])),
    mayRunInLoop(call) {
      if (isMethodCall(call, PER_ELEMENT_METHODS)) enter(call);
      else leaveBefore(call.range[0]);
      return open.length > 0;
    },
  };
}
