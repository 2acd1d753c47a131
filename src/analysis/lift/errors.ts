/**
 * How a lift stops early. Thrown inside the lifter only: `liftNest` (lifter.ts) turns each into
 * its variant of the tagged result, so nothing outside this folder catches them.
 */
import type { TSESTree } from '@typescript-eslint/utils';

/** Whether AnalysisStop captures a stack trace: set per lint from VECTORIZE_WHY (reading `process.env` costs ~1 µs). */
let keepStacks = false;

/** VECTORIZE_WHY=stack: each AnalysisStop records where in the analysis it was thrown. */
export function keepStackTraces(on: boolean): void {
  keepStacks = on;
}

/**
 * An error that stops an analysis early (control flow, caught by the analysis itself): thrown for most
 * loops of a file on every lint, so it captures no stack trace, which costs more than the failed lift
 * did, unless VECTORIZE_WHY=stack asks where in the analysis it was thrown (keepStackTraces).
 */
export class AnalysisStop extends Error {
  constructor(message?: string) {
    const limit = Error.stackTraceLimit;
    if (!keepStacks) Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/**
 * The loop cannot be lifted; it is not reported (we cannot say what it computes). `node` is the
 * construct that stopped the lift, when one does, for the debug output (VECTORIZE_WHY).
 */
export class Unsupported extends AnalysisStop {
  readonly node?: TSESTree.Node;
  constructor(message: string, node?: TSESTree.Node) {
    super(message);
    this.node = node;
  }
}

/** The loop carries a dependence between iterations that no op expresses; reported, never fixed. */
export class NotVectorizable extends AnalysisStop {}

/** The loop writes into the array a read-back returned; the message names the read. */
export class InPlaceWrite extends AnalysisStop {}
