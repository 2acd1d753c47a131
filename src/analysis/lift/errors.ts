/**
 * How a lift stops early. Thrown inside the lifter only: `liftNest` (lifter.ts) turns each into
 * its variant of the tagged result, so nothing outside this folder catches them.
 */
import type { TSESTree } from '@typescript-eslint/utils';

/**
 * The loop cannot be lifted; it is not reported (we cannot say what it computes). `node` is the
 * construct that stopped the lift, when one does, for the debug output (VECTORIZE_WHY).
 */
export class Unsupported extends Error {
  constructor(
    message: string,
    readonly node?: TSESTree.Node,
  ) {
    super(message);
  }
}

/** The loop carries a dependence between iterations that no op expresses; reported, never fixed. */
export class NotVectorizable extends Error {}

/** The loop writes into the array a read-back returned; the message names the read. */
export class InPlaceWrite extends Error {}
