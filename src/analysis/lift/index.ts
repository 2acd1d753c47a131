/**
 * The lifter's entry: `liftNest(facts, root)` interprets one loop nest and returns a tagged result,
 * so that rules and the runtime switch on `kind` instead of catching the lifter's errors.
 */
import { InPlaceWrite, Lifter, NotVectorizable, Unsupported, type LiftedNest, type NestRoot } from '../lift.js';
import type { TensorFacts } from '../tensors.js';

export type { LiftedNest, LoopVar, NestRoot, Output, Sink } from '../lift.js';

export type LiftResult =
  /** What the nest computes; `lifter` answers the planner's follow-up questions (notes, values after the loop). */
  | { kind: 'lifted'; nest: LiftedNest; lifter: Lifter; readsTensorData: boolean }
  /** A dependence between iterations that no op expresses: reported (when it read tensor data), never fixed. */
  | { kind: 'notVectorizable'; reason: string; readsTensorData: boolean }
  /** The loop writes into the array a read-back returned (`read` names the read). */
  | { kind: 'inPlace'; read: string }
  /** Not understood: not reported; `reason` is what `VECTORIZE_WHY` prints. */
  | { kind: 'unsupported'; reason: string; error: Error };

export function liftNest(facts: TensorFacts, root: NestRoot): LiftResult {
  const lifter = new Lifter(facts, root);
  try {
    const nest = lifter.lift();
    return { kind: 'lifted', nest, lifter, readsTensorData: lifter.readsTensorData };
  } catch (e) {
    if (e instanceof NotVectorizable) return { kind: 'notVectorizable', reason: e.message, readsTensorData: lifter.readsTensorData };
    if (e instanceof InPlaceWrite) return { kind: 'inPlace', read: e.message };
    if (e instanceof Unsupported) return { kind: 'unsupported', reason: e.message, error: e };
    throw e;
  }
}
