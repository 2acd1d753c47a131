/**
 * The lifter's entry: `liftNest(facts, root)` interprets one loop nest and returns a tagged result,
 * so that rules and the runtime switch on `kind` instead of catching the lifter's errors. See
 * README.md for the modules behind it and where each decision is made.
 */
export { liftNest } from './lifter.js';
export { keepStackTraces } from './errors.js';
export type { AfterNest, Lifted, LiftedNest, LiftResult, LoopVar, NestRoot, Output, Sink } from './nest.js';
